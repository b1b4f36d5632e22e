namespace TicketOps.Core.Matching;

/// <summary>
/// Explains why an item matched a ticket: the ticket's terms found in it ranked by what each adds to the
/// item's BM25 score (identifiers first, filler words left out, typos shown as most texts spell them),
/// snippets of its text with the searched terms marked <c>**term**</c>, the identifiers and environment
/// both share, and both retrievers' evidence. It runs for every returned item of every match, so the ticket is analysed once per match and
/// each item field once: that one pass gives both the item's terms and the positions its snippets mark
/// (the Lucene highlighter it replaces re-analysed each field and re-read the whole query per item and
/// field, ~0.5 ms an item at 100k; bench/RESULTS.md).
/// </summary>
internal sealed class MatchExplainer(LexicalIndex index)
{
    private const int MaxSnippets = 3;
    private const int MaxMatchedTerms = 12;

    // A word is shown when it adds at least this share of what the item's strongest word adds: below it, a
    // shared word is incidental (each of a dozen common words adds a few percent of a typical match).
    private const float MinContributionShare = 0.1f;

    // Words that occur in tickets of every kind and say nothing about the problem (the analyzer's English
    // stop words are already gone): shown in the demo's explanations before, e.g. "through", "random".
    private static readonly HashSet<string> s_filler = new(StringComparer.Ordinal)
    {
        "about", "after", "again", "all", "also", "always", "any", "anymore", "anyone", "anything", "around", "because",
        "been", "before", "being", "can", "cannot", "could", "did", "does", "doing", "done", "each", "even", "every",
        "everyone", "everything", "few", "from", "get", "gets", "getting", "got", "had", "has", "have", "having", "hello",
        "help", "here", "how", "issue", "issues", "its", "just", "keep", "keeps", "know", "like", "many", "may", "maybe",
        "me", "might", "more", "most", "much", "must", "my", "need", "needs", "never", "now", "only", "other", "others",
        "our", "out", "over", "please", "problem", "problems", "random", "randomly", "really", "same", "see", "seems",
        "seem", "several", "should", "since", "some", "someone", "something", "sometimes", "still", "thank", "thanks",
        "through", "today", "too", "try", "tried", "trying", "under", "until", "very", "want", "wants", "we", "were",
        "what", "when", "where", "which", "while", "who", "why", "work", "works", "working", "worked", "would",
        "yesterday", "yet", "you", "your",
    };

    // Characters of a snippet, and of context kept before its first marked term.
    private const int SnippetLength = 120;
    private const int LeadingContext = 24;

    /// <summary>The ticket side of the explanations, computed once per match.</summary>
    /// <param name="ticket">The ticket text.</param>
    /// <param name="queryTerms">The analysed terms the BM25 search used (what snippets mark).</param>
    public TicketSide Analyse(string ticket, IEnumerable<string> queryTerms)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var terms = new List<(string Shown, string Term)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (AnalyzedToken token in index.Analyzer.Tokens(ticket))
        {
            string shown = ticket[token.Start..token.End].ToLowerInvariant();
            counts[token.Term] = counts.GetValueOrDefault(token.Term) + 1;
            if (seen.Add(shown))
            {
                terms.Add((shown, token.Term));
            }
        }

        IReadOnlyList<string> identifiers = IdentifierExtractor.Extract(ticket);
        return new TicketSide(
            ticket,
            terms,
            queryTerms.ToHashSet(StringComparer.Ordinal),
            identifiers,
            [.. counts.Select(pair => new LexicalIndex.QueryTerm(pair.Key, pair.Value))],
            identifiers.SelectMany(i => index.Analyzer.Terms(i)).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>The explanation of one matched item.</summary>
    public MatchExplanation Explain(TicketSide ticket, MatchFilter filter, MatchDocument document, FusedCandidate candidate)
    {
        var itemTerms = new HashSet<string>(StringComparer.Ordinal);
        var snippets = new List<string>();
        foreach (string text in new[] { document.Title, document.Body, document.Resolution })
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            IReadOnlyList<AnalyzedToken> tokens = index.Analyzer.Tokens(text);
            foreach (AnalyzedToken token in tokens)
            {
                itemTerms.Add(token.Term);
            }

            if (snippets.Count < MaxSnippets)
            {
                snippets.AddRange(Snippets(text, tokens, ticket.QueryTerms, MaxSnippets - snippets.Count));
            }
        }

        var itemIdentifiers = IdentifierExtractor.Extract(document.EmbeddingText).ToHashSet(StringComparer.OrdinalIgnoreCase);
        IReadOnlyList<string> sharedIdentifiers = [.. ticket.Identifiers.Where(itemIdentifiers.Contains)];
        return new MatchExplanation
        {
            MatchedTerms = MatchedTerms(ticket, document, itemTerms),
            Snippets = snippets,
            SharedIdentifiers = sharedIdentifiers,
            SharedEnvironment = SharedEnvironment(ticket.Text, filter, document),
            SemanticSimilarity = candidate.Similarity,
            LexicalRank = candidate.LexicalRank,
            SemanticRank = candidate.SemanticRank,
        };
    }

    // The ticket's words the item also has, by what each adds to the item's BM25 score (the item's own term
    // weights, so a word rare in the index and frequent in the item comes first), parts of identifiers first
    // as they are the most specific evidence there is. Shown as written in the ticket ("logging", not "log"),
    // a typo as most texts spell it; a part is left out when its whole identifier is listed ("aadsts" beside
    // "aadsts50011").
    private List<string> MatchedTerms(TicketSide ticket, MatchDocument document, HashSet<string> itemTerms)
    {
        Dictionary<string, float> contributions = index.TermContributions(ticket.TermCounts.Where(t => itemTerms.Contains(t.Term)), document.Id);
        var candidates = ticket.Terms
            .Where(t => itemTerms.Contains(t.Term) && !s_filler.Contains(t.Shown))
            .Select(t => (t.Shown, t.Term, Weight: contributions.GetValueOrDefault(t.Term), Identifier: ticket.IdentifierTerms.Contains(t.Term)))
            .ToList();
        float strongest = candidates.Count == 0 ? 0f : candidates.Max(c => c.Weight);
        var ranked = candidates
            .Where(c => c.Identifier || c.Weight >= MinContributionShare * strongest)
            .OrderByDescending(c => c.Identifier)
            .ThenByDescending(c => c.Weight)
            .ThenBy(c => c.Shown, StringComparer.Ordinal)
            .Select(c => c.Identifier ? c.Shown : index.CommonSpelling(c.Shown, c.Term) ?? c.Shown)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var shown = new List<string>(MaxMatchedTerms);
        for (int i = 0; i < ranked.Count && shown.Count < MaxMatchedTerms; i++)
        {
            if (!PartOfLonger(ranked, i))
            {
                shown.Add(ranked[i]);
            }
        }

        return shown;
    }


    // Whether another, longer shown term contains the one at index i (an identifier its part is in).
    private static bool PartOfLonger(List<string> terms, int i)
    {
        string term = terms[i];
        for (int j = 0; j < terms.Count; j++)
        {
            if (terms[j].Length > term.Length && terms[j].Contains(term, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Up to <paramref name="count"/> non-overlapping windows of about <see cref="SnippetLength"/> characters
    /// holding the most distinct searched terms, best first, with those terms marked.
    /// </summary>
    internal static IEnumerable<string> Snippets(string text, IReadOnlyList<AnalyzedToken> tokens, IReadOnlySet<string> searched, int count)
    {
        List<Span> marks = Marks(tokens, searched);
        var windows = new List<(int Start, int End, int Terms)>(marks.Count);
        var terms = new HashSet<string>(StringComparer.Ordinal);
        foreach (Span anchor in marks)
        {
            int start = WordStart(text, Math.Max(0, anchor.Start - LeadingContext), anchor.Start);
            int end = WordEnd(text, Math.Min(text.Length, start + SnippetLength), anchor.End);
            terms.Clear();
            foreach (Span mark in marks)
            {
                if (mark.Start >= start && mark.End <= end)
                {
                    terms.UnionWith(mark.Terms);
                }
            }

            windows.Add((start, end, terms.Count));
        }

        var chosen = new List<(int Start, int End, int Terms)>();
        foreach (var window in windows.OrderByDescending(w => w.Terms).ThenBy(w => w.Start))
        {
            if (chosen.Count == count)
            {
                break;
            }

            if (!chosen.Any(c => window.Start < c.End && c.Start < window.End))
            {
                chosen.Add(window);
            }
        }

        return chosen.Select(w => Render(text, w.Start, w.End, marks));
    }

    // The searched tokens' character spans; a part inside a marked identifier joins the identifier's span.
    private static List<Span> Marks(IReadOnlyList<AnalyzedToken> tokens, IReadOnlySet<string> searched)
    {
        var marks = new List<Span>();
        foreach (AnalyzedToken token in tokens.Where(t => searched.Contains(t.Term)).OrderBy(t => t.Start).ThenByDescending(t => t.End))
        {
            if (marks.Count > 0 && token.Start < marks[^1].End)
            {
                Span last = marks[^1];
                marks[^1] = last with { End = Math.Max(last.End, token.End), Terms = [.. last.Terms, token.Term] };
            }
            else
            {
                marks.Add(new Span(token.Start, token.End, [token.Term]));
            }
        }

        return marks;
    }

    private static string Render(string text, int start, int end, List<Span> marks)
    {
        var snippet = new System.Text.StringBuilder(end - start + 16);
        int at = start;
        foreach (Span mark in marks.Where(m => m.Start >= start && m.End <= end))
        {
            snippet.Append(text, at, mark.Start - at).Append("**").Append(text, mark.Start, mark.End - mark.Start).Append("**");
            at = mark.End;
        }

        snippet.Append(text, at, end - at);
        return snippet.ToString().ReplaceLineEndings(" ").Trim();
    }

    // Moves a window start forward to the beginning of a word, never past the anchor.
    private static int WordStart(string text, int start, int anchor)
    {
        while (start > 0 && start < anchor && !char.IsWhiteSpace(text[start - 1]))
        {
            start++;
        }

        return start;
    }

    // Moves a window end back to the end of a word, never before the anchor's end.
    private static int WordEnd(string text, int end, int anchorEnd)
    {
        while (end < text.Length && end > anchorEnd && !char.IsWhiteSpace(text[end]))
        {
            end--;
        }

        return Math.Max(end, anchorEnd);
    }

    private static List<string> SharedEnvironment(string ticket, MatchFilter filter, MatchDocument document)
    {
        var shared = new List<string>();
        foreach ((string name, string? value, string? wanted) in new[]
        {
            ("product", document.Product, filter.Product),
            ("component", document.Component, filter.Component),
            ("version", document.Version, filter.Version),
        })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                continue;
            }

            bool inFilter = wanted is not null && value.StartsWith(wanted, StringComparison.OrdinalIgnoreCase);
            bool inTicket = ticket.Contains(value, StringComparison.OrdinalIgnoreCase);
            if (inFilter || inTicket)
            {
                shared.Add($"{name}: {value}");
            }
        }

        return shared;
    }

    private readonly record struct Span(int Start, int End, string[] Terms);
}

/// <summary>The ticket side of a match's explanations.</summary>
/// <param name="Text">The ticket text.</param>
/// <param name="Terms">Its distinct words as written (lower-cased) with their analysed terms.</param>
/// <param name="QueryTerms">The analysed terms the BM25 search used.</param>
/// <param name="Identifiers">The identifiers it names.</param>
/// <param name="TermCounts">Its distinct analysed terms with their counts.</param>
/// <param name="IdentifierTerms">The analysed terms of its identifiers.</param>
internal sealed record TicketSide(
    string Text,
    IReadOnlyList<(string Shown, string Term)> Terms,
    IReadOnlySet<string> QueryTerms,
    IReadOnlyList<string> Identifiers,
    IReadOnlyList<LexicalIndex.QueryTerm> TermCounts,
    IReadOnlySet<string> IdentifierTerms);
