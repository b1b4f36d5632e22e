using System.Text.RegularExpressions;

namespace TicketOps.Core.Mining;

/// <summary>A short, readable name for a cluster: its distinctive terms and its most central titles.</summary>
public sealed class ClusterLabel
{
    /// <summary>Distinctive terms, most distinctive first, with their class-based TF-IDF weight.</summary>
    public required IReadOnlyList<(string Term, double Weight)> Terms { get; init; }

    /// <summary>Titles of the most central cases.</summary>
    public required IReadOnlyList<string> RepresentativeTitles { get; init; }

    /// <summary>Legend text: up to three terms, e.g. <c>sso, saml response, clock skew</c>.</summary>
    public required string Text { get; init; }
}

/// <summary>The text of one case for labelling.</summary>
/// <param name="CaseId">Case id as in the clustering.</param>
/// <param name="Title">Title.</param>
/// <param name="Text">Title, description and whatever else should count (cause, resolution).</param>
public sealed record LabelText(string CaseId, string Title, string Text);

/// <summary>
/// Labels clusters with class-based TF-IDF (as in BERTopic): all text of a cluster is one document, a term's
/// weight is its frequency in the cluster times log(1 + A / its frequency in all clusters), A the average
/// cluster length in terms. Unclustered cases form one extra class, so words common everywhere score low.
/// Unigrams and bigrams; a term must occur in at least two of the cluster's cases (or all, if fewer).
/// </summary>
public static partial class ClusterLabeler
{
    private static readonly HashSet<string> s_stopWords = new(StringComparer.Ordinal)
    {
        "the", "and", "for", "with", "that", "this", "from", "have", "has", "had", "not", "are", "was", "were",
        "but", "you", "your", "our", "their", "they", "them", "when", "then", "than", "what", "which", "who",
        "will", "would", "can", "could", "should", "does", "did", "doing", "done", "been", "being", "into",
        "onto", "out", "over", "under", "again", "also", "only", "just", "very", "any", "all", "some", "more",
        "most", "other", "such", "there", "here", "where", "why", "how", "its", "it's", "i'm", "we", "us", "my",
        "me", "him", "her", "his", "she", "he", "get", "got", "gets", "getting", "use", "using", "used", "one",
        "two", "after", "before", "while", "about", "because", "each", "both", "same", "new", "now", "see",
        "still", "since", "these", "those", "like", "need", "needs", "trying", "try", "tried", "please", "help",
        "hi", "hello", "thanks", "thank", "issue", "problem", "error", "following", "receive", "message",
        "don't", "can't", "doesn't", "isn't", "won't", "didn't", "way", "may", "might", "must", "shall",
        "make", "makes", "made", "want", "know", "time", "times", "able", "unable", "work", "works", "working",
    };

    /// <summary>Labels each cluster; <paramref name="texts"/> covers clustered and unclustered cases alike.</summary>
    public static IReadOnlyDictionary<string, ClusterLabel> Label(
        IReadOnlyList<CaseCluster> clusters,
        IReadOnlyList<LabelText> texts,
        int termCount = 5,
        int titleCount = 3)
    {
        ArgumentNullException.ThrowIfNull(clusters);
        ArgumentNullException.ThrowIfNull(texts);
        var textOf = texts.ToDictionary(t => t.CaseId, StringComparer.Ordinal);
        var clusterOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int c = 0; c < clusters.Count; c++)
        {
            foreach (ClusterMember member in clusters[c].Members)
            {
                clusterOf[member.CaseId] = c;
            }
        }

        int classes = clusters.Count + 1; // the last class holds the unclustered cases
        var termCounts = new Dictionary<string, int>[classes];
        var documentCounts = new Dictionary<string, int>[classes];
        long[] lengths = new long[classes];
        for (int c = 0; c < classes; c++)
        {
            termCounts[c] = new Dictionary<string, int>(StringComparer.Ordinal);
            documentCounts[c] = new Dictionary<string, int>(StringComparer.Ordinal);
        }

        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        IReadOnlyDictionary<string, string> spelling = CommonSpellings(texts.Select(t => t.Text));
        foreach (LabelText text in texts)
        {
            int c = clusterOf.GetValueOrDefault(text.CaseId, clusters.Count);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (string term in Terms(text.Text, spelling))
            {
                termCounts[c][term] = termCounts[c].GetValueOrDefault(term) + 1;
                totals[term] = totals.GetValueOrDefault(term) + 1;
                lengths[c]++;
                if (seen.Add(term))
                {
                    documentCounts[c][term] = documentCounts[c].GetValueOrDefault(term) + 1;
                }
            }
        }

        double averageLength = Math.Max(1, lengths.Sum() / (double)classes);
        var labels = new Dictionary<string, ClusterLabel>(StringComparer.Ordinal);
        for (int c = 0; c < clusters.Count; c++)
        {
            int minimumDocuments = Math.Min(2, clusters[c].Size);
            var ranked = termCounts[c]
                .Where(p => documentCounts[c][p.Key] >= minimumDocuments)
                .Select(p => (Term: p.Key, Weight: p.Value / (double)Math.Max(1, lengths[c]) * Math.Log(1 + (averageLength / totals[p.Key]))))
                .OrderByDescending(p => p.Weight).ThenBy(p => p.Term, StringComparer.Ordinal)
                .ToList();

            // A bigram says more than its words: drop unigrams already inside a kept bigram, and vice versa
            // drop a bigram whose words were both kept.
            var kept = new List<(string Term, double Weight)>();
            foreach (var candidate in ranked)
            {
                bool redundant = kept.Any(k => k.Term.Split(' ').Contains(candidate.Term) || candidate.Term.Split(' ').Contains(k.Term));
                if (!redundant)
                {
                    kept.Add((candidate.Term, Math.Round(candidate.Weight, 5)));
                }

                if (kept.Count == termCount)
                {
                    break;
                }
            }

            var titles = TicketTitle.ByPrevalence(clusters[c].Members
                    .Select(m => textOf.TryGetValue(m.CaseId, out LabelText? t) ? t.Title : null)
                    .OfType<string>())
                .Take(titleCount)
                .ToList();

            labels[clusters[c].Id] = new ClusterLabel
            {
                Terms = kept,
                RepresentativeTitles = titles,
                Text = kept.Count > 0 ? string.Join(", ", kept.Take(3).Select(k => k.Term)) : titles.FirstOrDefault() ?? clusters[c].Id,
            };
        }

        return labels;
    }

    /// <summary>
    /// Lower-cased unigrams and bigrams without stop words, numbers or one- and two-letter words; words in
    /// <paramref name="spelling"/> are replaced by their common spelling.
    /// </summary>
    internal static IEnumerable<string> Terms(string text, IReadOnlyDictionary<string, string>? spelling = null)
    {
        string? previous = null;
        foreach (string raw in Words(text))
        {
            string word = spelling is not null && spelling.TryGetValue(raw, out string? spelt) ? spelt : raw;
            if (word.Length < 3 || s_stopWords.Contains(word) || word.All(ch => char.IsDigit(ch) || ch == '.'))
            {
                previous = null;
                continue;
            }

            yield return word;
            if (previous is not null)
            {
                yield return previous + " " + word;
            }

            previous = word;
        }
    }

    /// <summary>
    /// Customers' typos mapped to the spelling the texts mostly use, so a label reads "export", not "exprot": a
    /// word of at least <see cref="MinTypoLength"/> letters maps to a word one deletion away from it on either
    /// side (one typo: a letter dropped, added, changed or two swapped), starting with the same letter, and at
    /// least <see cref="TypoRarity"/> times as frequent. The first letter keeps other words apart ("clock",
    /// "block"; "sending", "ending"); words with digits are left alone (versions, codes).
    /// </summary>
    internal static IReadOnlyDictionary<string, string> CommonSpellings(IEnumerable<string> texts)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string text in texts)
        {
            foreach (string word in Words(text))
            {
                counts[word] = counts.GetValueOrDefault(word) + 1;
            }
        }

        // Every word and its one-letter deletions point back at the most frequent word that produces them.
        var byDeletion = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((string word, int count) in counts.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal))
        {
            if (word.Length < MinTypoLength || count < TypoRarity || word.Any(char.IsDigit))
            {
                continue;
            }

            foreach (string key in Deletions(word).Prepend(word))
            {
                byDeletion.TryAdd(key, word);
            }
        }

        var spelling = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((string word, int count) in counts)
        {
            if (word.Length < MinTypoLength || word.Any(char.IsDigit))
            {
                continue;
            }

            string? common = Deletions(word).Prepend(word)
                .Select(key => byDeletion.GetValueOrDefault(key))
                .FirstOrDefault(candidate => candidate is not null && candidate != word && candidate[0] == word[0] && counts[candidate] >= TypoRarity * count);
            if (common is not null)
            {
                spelling[word] = common;
            }
        }

        return spelling;
    }

    // Shorter words are other words more often than typos ("form" / "from").
    private const int MinTypoLength = 5;

    private const int TypoRarity = 10;

    private static IEnumerable<string> Deletions(string word) =>
        Enumerable.Range(0, word.Length).Select(i => word.Remove(i, 1));

    private static IEnumerable<string> Words(string text) =>
        Word().Matches(text.ToLowerInvariant()).Select(match => match.Value.Trim('\'', '-', '.'));

    [GeneratedRegex(@"[\p{L}\p{N}][\p{L}\p{N}'\-\.]*")]
    private static partial Regex Word();
}
