namespace TicketOps.Core.Matching;

/// <summary>How the lexical and semantic result lists are combined.</summary>
public enum FusionMethod
{
    /// <summary>
    /// Convex combination of the BM25 score divided by the query's best BM25 score and the raw cosine
    /// similarity; every candidate gets its exact cosine, candidates missing from the BM25 list get 0 there.
    /// </summary>
    WeightedScores = 0,

    /// <summary>Reciprocal rank fusion (k = 60), the baseline; scores are not comparable across queries.</summary>
    ReciprocalRank = 1,
}

/// <summary>Parameters of the fusion, chosen on the dev sets (docs/matching.md).</summary>
public sealed record FusionOptions
{
    /// <summary>The options used unless told otherwise.</summary>
    public static FusionOptions Default { get; } = new();

    /// <summary>The combination rule.</summary>
    public FusionMethod Method { get; init; } = FusionMethod.WeightedScores;

    /// <summary>Weight of the normalised BM25 score; the cosine gets the rest.</summary>
    public float LexicalWeight { get; init; } = 0.3f;

    /// <summary>Candidates taken from each list before fusion.</summary>
    public int CandidatesPerMethod { get; init; } = 100;
}

/// <summary>A fused candidate with the evidence of both retrievers.</summary>
/// <param name="Id">The item.</param>
/// <param name="Score">Fused score (for <see cref="FusionMethod.WeightedScores"/> in [0, 1]).</param>
/// <param name="LexicalScore">Raw BM25 score, 0 when outside the BM25 candidates.</param>
/// <param name="LexicalRank">1-based BM25 rank, or null.</param>
/// <param name="Similarity">Cosine similarity of the ticket and the item.</param>
/// <param name="SemanticRank">1-based dense rank, or null.</param>
public readonly record struct FusedCandidate(string Id, float Score, float LexicalScore, int? LexicalRank, float Similarity, int? SemanticRank);

/// <summary>Combines a BM25 list and a dense list into one ranking.</summary>
public static class ScoreFusion
{
    private const float RrfK = 60f;

    /// <summary>Fuses the two lists; <paramref name="similarityOf"/> gives the exact cosine of any candidate.</summary>
    public static IReadOnlyList<FusedCandidate> Fuse(
        IReadOnlyList<ScoredId> lexical,
        IReadOnlyList<ScoredId> semantic,
        Func<string, float> similarityOf,
        FusionOptions options)
    {
        ArgumentNullException.ThrowIfNull(lexical);
        ArgumentNullException.ThrowIfNull(semantic);
        ArgumentNullException.ThrowIfNull(similarityOf);
        ArgumentNullException.ThrowIfNull(options);

        var lexicalRank = new Dictionary<string, (int Rank, float Score)>(StringComparer.Ordinal);
        for (int i = 0; i < lexical.Count; i++)
        {
            lexicalRank.TryAdd(lexical[i].Id, (i + 1, lexical[i].Score));
        }

        var semanticRank = new Dictionary<string, (int Rank, float Score)>(StringComparer.Ordinal);
        for (int i = 0; i < semantic.Count; i++)
        {
            semanticRank.TryAdd(semantic[i].Id, (i + 1, semantic[i].Score));
        }

        float maxLexical = lexical.Count == 0 ? 0 : lexical.Max(h => h.Score);
        var fused = new List<FusedCandidate>(lexicalRank.Count + semanticRank.Count);
        foreach (string id in lexicalRank.Keys.Concat(semanticRank.Keys).Distinct(StringComparer.Ordinal))
        {
            bool inLexical = lexicalRank.TryGetValue(id, out var lex);
            bool inSemantic = semanticRank.TryGetValue(id, out var sem);
            float similarity = inSemantic ? sem.Score : similarityOf(id);
            float score = options.Method switch
            {
                FusionMethod.ReciprocalRank =>
                    (inLexical ? 1f / (RrfK + lex.Rank) : 0f) + (inSemantic ? 1f / (RrfK + sem.Rank) : 0f),
                _ => (options.LexicalWeight * (inLexical && maxLexical > 0 ? lex.Score / maxLexical : 0f))
                    + ((1f - options.LexicalWeight) * Math.Max(0f, similarity)),
            };
            fused.Add(new FusedCandidate(
                id,
                score,
                inLexical ? lex.Score : 0f,
                inLexical ? lex.Rank : null,
                similarity,
                inSemantic ? sem.Rank : null));
        }

        fused.Sort((a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : string.CompareOrdinal(a.Id, b.Id));
        return fused;
    }
}
