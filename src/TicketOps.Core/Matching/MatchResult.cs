namespace TicketOps.Core.Matching;

/// <summary>A ticket to match.</summary>
public sealed record MatchRequest
{
    /// <summary>The ticket text as the customer wrote it (title and description).</summary>
    public required string Text { get; init; }

    /// <summary>Optional product / component / version / kind restrictions.</summary>
    public MatchFilter Filter { get; init; } = MatchFilter.None;

    /// <summary>How many items to return at most (over all kinds).</summary>
    public int MaxResults { get; init; } = 10;

    /// <summary>When the ticket was written (UTC); null for now. The tuned ranking's recency is relative to it.</summary>
    public DateTime? At { get; init; }
}

/// <summary>Which ranking ordered a match's items.</summary>
public enum MatchRanking
{
    /// <summary>The fused BM25 + semantic score.</summary>
    Fused = 0,

    /// <summary>The ranking learned from the organisation's links (<c>ticketops tune</c>), over the best fused candidates.</summary>
    Tuned = 1,
}

/// <summary>How much to trust a suggestion; the cut-offs are calibrated on the dev sets (docs/matching.md).</summary>
public enum MatchConfidence
{
    /// <summary>Below the "no good match" threshold: shown only as the nearest item.</summary>
    Weak = 0,

    /// <summary>Worth checking: right at rank 1 about four times in ten on officedocs.</summary>
    Possible = 1,

    /// <summary>Right at rank 1 about nine times in ten on officedocs (less often for duplicate cases).</summary>
    Strong = 2,
}

/// <summary>The answer to a <see cref="MatchRequest"/>.</summary>
public sealed record MatchResult
{
    /// <summary>
    /// False when even the best item's evidence is below the "no good match" threshold: the items are then only the
    /// nearest ones, and the agent should treat the ticket as new.
    /// </summary>
    public required bool HasGoodMatch { get; init; }

    /// <summary>All items, best first.</summary>
    public required IReadOnlyList<MatchedItem> Items { get; init; }

    /// <summary>
    /// Items of the index whose vector was not computed yet when the ticket was matched (just imported or
    /// received): they took part by BM25 alone, so their scores are lower than they will be. Zero normally.
    /// </summary>
    public int PendingVectors { get; init; }

    /// <summary>Which ranking ordered the items (bands and "no good match" come from the fused score either way).</summary>
    public MatchRanking RankedBy { get; init; }

    /// <summary>The ids of the knowledge items (playbooks and templates) among <see cref="Items"/>.</summary>
    public IReadOnlyList<string> KnowledgeIds => [.. Items.Where(i => i.Kind != MatchDocumentKind.Case).Select(i => i.Id)];

    /// <summary>The same items grouped by kind: playbooks, then templates, then resolved cases; empty groups left out.</summary>
    public IReadOnlyList<MatchGroup> Groups =>
        [.. Items.GroupBy(i => i.Kind).OrderBy(g => g.Key).Select(g => new MatchGroup(g.Key, [.. g]))];
}

/// <summary>The items of one kind, best first.</summary>
/// <param name="Kind">The kind.</param>
/// <param name="Items">Its items.</param>
public sealed record MatchGroup(MatchDocumentKind Kind, IReadOnlyList<MatchedItem> Items);

/// <summary>One suggested item.</summary>
public sealed record MatchedItem
{
    /// <summary>The item's id.</summary>
    public required string Id { get; init; }

    /// <summary>What it is.</summary>
    public required MatchDocumentKind Kind { get; init; }

    /// <summary>Its title.</summary>
    public required string Title { get; init; }

    /// <summary>Fused score in [0, 1]; comparable across tickets.</summary>
    public required float Score { get; init; }

    /// <summary>The score plus the item's lead over the best other candidate (<see cref="MatcherOptions.EvidenceOf"/>).</summary>
    public required float Evidence { get; init; }

    /// <summary>Confidence band of <see cref="Evidence"/>.</summary>
    public required MatchConfidence Confidence { get; init; }

    /// <summary>Why it matched.</summary>
    public required MatchExplanation Explanation { get; init; }
}

/// <summary>Why an item matched a ticket.</summary>
public sealed record MatchExplanation
{
    /// <summary>Ticket words (analysed, unstemmed) that also occur in the item, rarest-looking first.</summary>
    public required IReadOnlyList<string> MatchedTerms { get; init; }

    /// <summary>Passages of the item with the matched terms marked as <c>**term**</c>.</summary>
    public required IReadOnlyList<string> Snippets { get; init; }

    /// <summary>Identifiers found in both ticket and item: error codes, versions, exception and class names, file names, config keys.</summary>
    public required IReadOnlyList<string> SharedIdentifiers { get; init; }

    /// <summary>Environment the item shares with the ticket or its filters, e.g. <c>product: SSO</c>.</summary>
    public required IReadOnlyList<string> SharedEnvironment { get; init; }

    /// <summary>Cosine similarity of the sentence embeddings of ticket and item (0 while <see cref="VectorPending"/>).</summary>
    public required float SemanticSimilarity { get; init; }

    /// <summary>True when the item's vector is not computed yet: it was ranked by BM25 alone.</summary>
    public bool VectorPending { get; init; }

    /// <summary>1-based rank in the BM25 list, or null when BM25 did not retrieve it.</summary>
    public int? LexicalRank { get; init; }

    /// <summary>1-based rank in the semantic list, or null when it was not among the semantic candidates.</summary>
    public int? SemanticRank { get; init; }
}
