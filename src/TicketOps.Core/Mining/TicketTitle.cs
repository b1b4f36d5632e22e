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

    /// <summary>
    /// Typos mended by the group's own spelling: each cleaned subject maps to a more common subject of the group
    /// that is at most two letters away ("Andorid app crashes" → "Android app crashes") and has the same digits,
    /// so "crash after update 7.4.2" never becomes "7.5.1". Subjects with no such neighbour map to themselves.
    /// </summary>
    /// <param name="titles">The group's subjects.</param>
    public static Func<string, string> CommonSpelling(IEnumerable<string> titles)
    {
        var counts = titles.Select(Clean)
            .GroupBy(t => t, StringComparer.OrdinalIgnoreCase)
            .Select(g => (Title: g.GroupBy(t => t, StringComparer.Ordinal).OrderByDescending(v => v.Count()).First().Key, Count: g.Count()))
            .OrderByDescending(t => t.Count).ThenBy(t => t.Title, StringComparer.Ordinal)
            .ToList();
        var spelling = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < counts.Count; i++)
        {
            string title = counts[i].Title;
            spelling[title] = counts.Take(i)
                .Where(c => c.Count > counts[i].Count && title.Length >= MinTypoLength && Digits(c.Title) == Digits(title) && EditDistance(c.Title.ToLowerInvariant(), title.ToLowerInvariant(), MaxTypoEdits) <= MaxTypoEdits)
                .Select(c => spelling[c.Title])
                .FirstOrDefault() ?? title;
        }

        return title => spelling.TryGetValue(Clean(title), out string? spelt) ? spelt : Clean(title);
    }

    private const int MaxTypoEdits = 2;

    // Shorter subjects are different words more often than typos ("Export" / "Expert").
    private const int MinTypoLength = 12;

    private static string Digits(string text) => new([.. text.Where(char.IsAsciiDigit)]);

    /// <summary>Levenshtein distance, or limit + 1 as soon as it is sure to exceed <paramref name="limit"/>.</summary>
    internal static int EditDistance(string a, string b, int limit)
    {
        if (Math.Abs(a.Length - b.Length) > limit)
        {
            return limit + 1;
        }

        int[] previous = [.. Enumerable.Range(0, b.Length + 1)];
        int[] current = new int[b.Length + 1];
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            int rowBest = i;
            for (int j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                rowBest = Math.Min(rowBest, current[j]);
            }

            if (rowBest > limit)
            {
                return limit + 1;
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    [GeneratedRegex(@"^(?:(?:re|fwd?|aw|wg|sv)\s*:\s*|\[[^\]]{1,16}\]\s*|(?:urgent|asap|important|question|help|please help)\s*[:!\-]+\s*)+", RegexOptions.IgnoreCase)]
    private static partial Regex Prefixes();

    [GeneratedRegex(@"(?<=\S)\s*!{2,}|!+\s*$")]
    private static partial Regex Exclamations();
}
