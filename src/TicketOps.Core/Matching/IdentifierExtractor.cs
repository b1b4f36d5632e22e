using System.Text.RegularExpressions;

namespace TicketOps.Core.Matching;

/// <summary>
/// Finds the identifiers technical tickets hinge on, for explanations: error codes (<c>0x80070005</c>,
/// <c>ERR_SSL_PROTOCOL_ERROR</c>, <c>AADSTS50011</c>, <c>HTTP 502</c>), versions (<c>v2.3.1</c>), exception and
/// class names (<c>NullPointerException</c>, <c>org.apache.hadoop.fs.FileSystem</c>), file names and config keys.
/// </summary>
public static partial class IdentifierExtractor
{
    /// <summary>Distinct identifiers in order of appearance, normalised (<c>HTTP 502</c>, versions without a leading <c>v</c>).</summary>
    public static IReadOnlyList<string> Extract(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var found = new List<(int Index, string Value)>();
        foreach (Match match in HttpStatus().Matches(text))
        {
            found.Add((match.Index, "HTTP " + match.Groups[1].Value));
        }

        foreach (Match match in Identifier().Matches(text))
        {
            string value = match.Value.TrimEnd('.', ':');
            if (Version().IsMatch(value))
            {
                value = value.TrimStart('v', 'V');
            }

            found.Add((match.Index, value));
        }

        return [.. found.OrderBy(f => f.Index).Select(f => f.Value).Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>The identifiers of <paramref name="ticket"/> that also occur in <paramref name="item"/> (case-insensitive).</summary>
    public static IReadOnlyList<string> Shared(string ticket, string item)
    {
        var inItem = Extract(item).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return [.. Extract(ticket).Where(inItem.Contains)];
    }

    [GeneratedRegex(@"\bHTTP[\s/-]?(?:error\s|status\s)?([1-5]\d\d)\b", RegexOptions.IgnoreCase)]
    private static partial Regex HttpStatus();

    [GeneratedRegex(@"^[vV]?\d+(\.\d+)+$")]
    private static partial Regex Version();

    // One alternation, most specific first: hex codes, CONSTANT_CASE codes, letters+digits codes,
    // versions, dotted names (packages, config keys), file names, CamelCase names (exceptions, classes).
    [GeneratedRegex(
        @"\b0x[0-9A-Fa-f]{4,}\b"
        + @"|\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b"
        + @"|\b[A-Z]{2,}[-]?\d{3,}\b"
        + @"|\b[vV]?\d+(?:\.\d+){1,3}\b"
        + @"|\b[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*){2,}\b"
        + @"|\b[\w-]+\.(?:exe|dll|log|xml|json|config|ini|ya?ml|conf|cfg|properties|jar|ps1|sh|bat|txt|pst|ost|msi|cs|java|py|js|ts|sql|csv|pdf|docx?|xlsx?|pptx?)\b"
        + @"|\b[a-z][a-z0-9]*(?:[._][a-z0-9]+)+=\S+"
        + @"|\b[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+\b")]
    private static partial Regex Identifier();
}
