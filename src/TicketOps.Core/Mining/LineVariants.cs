using System.Text.RegularExpressions;

namespace TicketOps.Core.Mining;

/// <summary>
/// Groups free-text lines that say the same thing in slightly different words, so a drafter counts
/// "Cause: X", "Root cause: X (seen on v4.8.1)" and "X - confirmed with the customer." as one cause.
/// Labels and parentheses are removed, then lines join the most common earlier group whose word set they
/// share at least <see cref="SimilarityThreshold"/> of (Jaccard) or contain entirely; the group shows its most common clean form.
/// Greedy in order of frequency, so the result does not depend on input order beyond ties (broken by text).
/// </summary>
internal sealed partial class LineVariants
{
    /// <summary>Word-set Jaccard at which two lines count as the same; 0.6 absorbs a short appended remark.</summary>
    public const double SimilarityThreshold = 0.6;

    private readonly Dictionary<string, int> _groupOfClean = new(StringComparer.Ordinal);
    private readonly List<string> _display = [];

    public LineVariants(IEnumerable<string> lines)
    {
        var counts = lines
            .Select(Clean)
            .Where(c => c.Length > 0)
            .GroupBy(c => c, StringComparer.Ordinal)
            .Select(g => (Text: g.Key, Count: g.Count(), Words: Words(g.Key)))
            .OrderByDescending(g => g.Count).ThenBy(g => g.Text.Length).ThenBy(g => g.Text, StringComparer.Ordinal)
            .ToList();

        var representatives = new List<HashSet<string>>();
        foreach (var (text, _, words) in counts)
        {
            int group = -1;
            for (int g = 0; g < representatives.Count; g++)
            {
                if (Same(words, representatives[g]))
                {
                    group = g;
                    break;
                }
            }

            if (group < 0)
            {
                group = representatives.Count;
                representatives.Add(words);
                _display.Add(text);
            }

            _groupOfClean[text] = group;
        }
    }

    /// <summary>The group of a line, or -1 when it is empty after cleaning (or was not given at construction).</summary>
    public int GroupOf(string line) => _groupOfClean.GetValueOrDefault(Clean(line), -1);

    /// <summary>The text shown for a group: its most common clean form.</summary>
    public string Display(int group) => _display[group];

    internal static string Clean(string line)
    {
        string text = Parenthesised().Replace(line, " ");
        text = Label().Replace(text, "");
        text = Spaces().Replace(text, " ").Trim().TrimEnd('.', ';', ':', ',', ' ', '-');
        return text.Length > 0 ? char.ToUpperInvariant(text[0]) + text[1..] : text;
    }

    private static HashSet<string> Words(string text) =>
        Word().Matches(text.ToLowerInvariant()).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Same when the word sets mostly agree (Jaccard), or when the line contains the whole representative of
    /// at least four words plus a remark ("X - confirmed with the customer").
    /// </summary>
    private static bool Same(HashSet<string> line, HashSet<string> representative)
    {
        if (line.Count == 0 || representative.Count == 0)
        {
            return false;
        }

        int shared = line.Count(representative.Contains);
        double jaccard = shared / (double)(line.Count + representative.Count - shared);
        return jaccard >= SimilarityThreshold || (representative.Count >= 4 && shared == representative.Count);
    }

    [GeneratedRegex(@"\([^)]*\)")]
    private static partial Regex Parenthesised();

    [GeneratedRegex(@"^\s*(?:root cause|cause(?! by)|rca|resolution|fix|workaround|step \d+)\s*[:\-–]\s*", RegexOptions.IgnoreCase)]
    private static partial Regex Label();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"[\p{L}\p{N}][\p{L}\p{N}\.\-_]*")]
    private static partial Regex Word();
}
