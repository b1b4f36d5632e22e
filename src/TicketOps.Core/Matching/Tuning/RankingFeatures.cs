namespace TicketOps.Core.Matching.Tuning;

/// <summary>
/// What a tuned ranking knows about one candidate of a ticket, each value in [0, 1]: the evidence of the two
/// retrievers (their scores and ranks), the identifiers the ticket and the item share, and how recent the
/// item is relative to the ticket. The fused score is a fixed blend of the first two; a
/// <see cref="RankingModel"/> learns the blend (and the rest) from the organisation's own links.
/// </summary>
public static class RankingFeatures
{
    /// <summary>The names of the features, in the order of the vector <see cref="Of"/> returns.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["bm25", "cosine", "bm25_rank", "semantic_rank", "shared_identifiers", "recency"];

    /// <summary>Number of features.</summary>
    public static int Count => Names.Count;

    // An item this many days older than the ticket gets e^-1 of the recency of a same-day item; duplicates and
    // repeat problems cluster within weeks of a release, older items are still found by the other features.
    private const double RecencyDays = 90;

    // Three shared identifiers (an error code, a version, a class name) are as specific as a ticket gets.
    private const float SharedIdentifiersForFull = 3f;

    /// <summary>The features of one candidate.</summary>
    /// <param name="candidate">The candidate as fused.</param>
    /// <param name="bestLexicalScore">The best BM25 score among the ticket's candidates (0 when BM25 found nothing).</param>
    /// <param name="ticketIdentifiers">The ticket's identifiers (<see cref="IdentifierExtractor.Extract"/>).</param>
    /// <param name="item">The candidate's document, or null when it is unknown (then only the retrievers' evidence counts).</param>
    /// <param name="ticketTime">When the ticket was written (UTC), or null when unknown.</param>
    public static float[] Of(FusedCandidate candidate, float bestLexicalScore, IReadOnlyCollection<string> ticketIdentifiers, MatchDocument? item, DateTime? ticketTime)
    {
        ArgumentNullException.ThrowIfNull(ticketIdentifiers);
        float shared = 0f;
        if (item is not null && ticketIdentifiers.Count > 0)
        {
            var inItem = IdentifierExtractor.Extract(item.EmbeddingText).ToHashSet(StringComparer.OrdinalIgnoreCase);
            shared = ticketIdentifiers.Count(inItem.Contains);
        }

        float recency = 0f;
        if (ticketTime is { } at && item?.CreatedAt is { } created)
        {
            double days = Math.Max(0, (at - created).TotalDays);
            recency = (float)Math.Exp(-days / RecencyDays);
        }

        return
        [
            bestLexicalScore > 0 ? candidate.LexicalScore / bestLexicalScore : 0f,
            Math.Max(0f, candidate.Similarity),
            candidate.LexicalRank is { } lexicalRank ? 1f / lexicalRank : 0f,
            candidate.SemanticRank is { } semanticRank ? 1f / semanticRank : 0f,
            Math.Min(1f, shared / SharedIdentifiersForFull),
            recency,
        ];
    }
}
