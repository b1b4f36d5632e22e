namespace TicketOps.Core.Matching.Tuning;

/// <summary>Reorders a fused ranking by a <see cref="RankingModel"/>, the same way in a match and in its evaluation.</summary>
internal static class TunedRanking
{
    /// <summary>The features of the first <paramref name="depth"/> candidates of <paramref name="fused"/>.</summary>
    public static float[][] FeaturesOf(LexicalIndex lexical, IReadOnlyList<FusedCandidate> fused, int depth, string ticketText, DateTime? ticketTime)
    {
        float bestLexical = 0f;
        foreach (FusedCandidate candidate in fused)
        {
            bestLexical = Math.Max(bestLexical, candidate.LexicalScore);
        }

        IReadOnlyList<string> identifiers = IdentifierExtractor.Extract(ticketText);
        var features = new float[Math.Min(depth, fused.Count)][];
        for (int i = 0; i < features.Length; i++)
        {
            // The item's text and time are needed only for the identifier and recency features.
            MatchDocument? item = identifiers.Count > 0 || ticketTime is not null ? lexical.Get(fused[i].Id) : null;
            features[i] = RankingFeatures.Of(fused[i], bestLexical, identifiers, item, ticketTime);
        }

        return features;
    }

    /// <summary>Indexes of the candidates, best tuned score first; ties keep the fused order.</summary>
    public static int[] Order(float[][] features, IReadOnlyList<double> weights)
    {
        var scores = new double[features.Length];
        for (int i = 0; i < features.Length; i++)
        {
            double score = 0;
            for (int f = 0; f < features[i].Length && f < weights.Count; f++)
            {
                score += weights[f] * features[i][f];
            }

            scores[i] = score;
        }

        int[] order = [.. Enumerable.Range(0, features.Length)];
        Array.Sort(order, (a, b) => scores[a] != scores[b] ? scores[b].CompareTo(scores[a]) : a.CompareTo(b));
        return order;
    }

    /// <summary>The fused list with its first <see cref="RankingModel.Depth"/> candidates in the model's order.</summary>
    public static IReadOnlyList<FusedCandidate> Apply(RankingModel model, LexicalIndex lexical, IReadOnlyList<FusedCandidate> fused, string ticketText, DateTime? ticketTime)
    {
        if (fused.Count < 2)
        {
            return fused;
        }

        float[][] features = FeaturesOf(lexical, fused, model.Depth, ticketText, ticketTime);
        int[] order = Order(features, model.Weights);
        var reordered = new List<FusedCandidate>(fused.Count);
        reordered.AddRange(order.Select(i => fused[i]));
        reordered.AddRange(fused.Skip(order.Length));
        return reordered;
    }
}
