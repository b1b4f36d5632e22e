using System.Text.RegularExpressions;
using TicketOps.Core.Cases;

namespace TicketOps.Core.Mining;

/// <summary>
/// The specifics two cases can share beyond their meaning: error codes, exception names, HTTP statuses,
/// product/component/version. Two cases quoting the same <c>0x80070005</c> or <c>AADSTS50011</c> are far more
/// likely the same issue than their embeddings alone say, so the clusterer adds a bonus for shared specifics.
/// </summary>
public static partial class CaseSpecifics
{
    /// <summary>Extracts the specifics of a stored case: fields plus codes found in its text.</summary>
    public static IReadOnlyCollection<string> From(SupportCase supportCase)
    {
        ArgumentNullException.ThrowIfNull(supportCase);
        var specifics = FromText(supportCase.TicketText);
        AddField(specifics, "product", supportCase.Product);
        AddField(specifics, "component", supportCase.Component);
        AddField(specifics, "version", supportCase.Version);
        return specifics;
    }

    /// <summary>Extracts error codes, exception names, HTTP statuses and version numbers from free text.</summary>
    public static HashSet<string> FromText(string? text)
    {
        var specifics = new HashSet<string>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(text))
        {
            return specifics;
        }

        foreach (Match match in ErrorCode().Matches(text))
        {
            specifics.Add("code:" + match.Value.ToUpperInvariant());
        }

        foreach (Match match in HttpStatus().Matches(text))
        {
            specifics.Add("http:" + match.Groups[1].Value);
        }

        return specifics;
    }

    private static void AddField(HashSet<string> specifics, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            specifics.Add(name + ":" + value.Trim().ToLowerInvariant());
        }
    }

    // Hex codes (0x80070005), vendor codes with a letter prefix and digits (AADSTS50011, ERR-4031, E1234,
    // HDFS-1234), exception type names (NullPointerException), upper-case identifiers joined by underscores
    // (ERR_SAML_CLOCK_SKEW, SQLITE_BUSY) and upper-case codes of three or more hyphenated parts (PERF-DASH-TIMEOUT).
    [GeneratedRegex(@"\b(?:0x[0-9a-fA-F]{4,}|[A-Z]{1,10}[-_]?\d{3,}|[A-Z][A-Za-z]+(?:Exception|Error)|[A-Z][A-Z0-9]+(?:_[A-Z0-9]+)+|[A-Z]{2,}(?:-[A-Z0-9]+){2,})\b")]
    private static partial Regex ErrorCode();

    [GeneratedRegex(@"\b(?:HTTP|status|error)\s*(?:code\s*)?([45]\d\d)\b", RegexOptions.IgnoreCase)]
    private static partial Regex HttpStatus();
}
