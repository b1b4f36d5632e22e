using System.Text.RegularExpressions;

namespace TicketOps.Core.Mining;

/// <summary>
/// Ticket subjects as a knowledge title: customers' subjects carry mail and urgency noise ("Re:", "FW:",
/// "[P1]", "URGENT:", "!!") that no playbook title should inherit.
/// </summary>
internal static partial class TicketTitle
{
    /// <summary>The subject without reply/forward/urgency prefixes and shouting, starting with a capital unless its first word is spelt in mixed case.</summary>
    public static string Clean(string title)
    {
        ArgumentNullException.ThrowIfNull(title);
        string cleaned = Exclamations().Replace(Prefixes().Replace(title.Trim(), ""), "").Trim();
        if (cleaned.Length == 0)
        {
            return title.Trim();
        }

        // "duplicate users" → "Duplicate users", but "iOS app" stays as spelt.
        string firstWord = cleaned.Split(' ', 2)[0];
        return char.IsLower(cleaned[0]) && !firstWord.Any(char.IsUpper) ? char.ToUpperInvariant(cleaned[0]) + cleaned[1..] : cleaned;
    }

    /// <summary>
    /// The title a group of cases is best known by: the cleaned subject most of them share (case-insensitive,
    /// so misspelt and lower-case variants lose to the common form), ties going to the most central case;
    /// shown in its most frequent spelling.
    /// </summary>
    /// <param name="titles">The cases' subjects, most central case first.</param>
    public static IEnumerable<string> ByPrevalence(IEnumerable<string> titles) =>
        titles
            .Select((title, rank) => (Title: Clean(title), Rank: rank))
            .GroupBy(t => t.Title, StringComparer.OrdinalIgnoreCase)
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.Min(t => t.Rank))
            .Select(g => g.GroupBy(t => t.Title, StringComparer.Ordinal)
                .OrderByDescending(v => v.Count())
                .ThenBy(v => v.Min(t => t.Rank))
                .First().Key);

    [GeneratedRegex(@"^(?:(?:re|fwd?|aw|wg|sv)\s*:\s*|\[[^\]]{1,16}\]\s*|(?:urgent|asap|important|question|help|please help)\s*[:!\-]+\s*)+", RegexOptions.IgnoreCase)]
    private static partial Regex Prefixes();

    [GeneratedRegex(@"(?<=\S)\s*!{2,}|!+\s*$")]
    private static partial Regex Exclamations();
}
