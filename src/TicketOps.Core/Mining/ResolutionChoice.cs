namespace TicketOps.Core.Mining;

/// <summary>
/// Chooses the granularity from the graph alone. First the modularity resolution whose partition changes least
/// when cases are left out: a granularity the data supports survives subsampling; one the resolution imposes
/// (splitting a coherent group, or merging groups that are only loosely linked) flips with the sample. On the
/// real evaluation sets this picks a coarse resolution for a corpus of broad product areas and a fine one for
/// corpora of duplicate pairs (docs/mining.md, "Real data").
/// </summary>
internal static class ResolutionChoice
{
    /// <summary>The outcome: the resolution chosen and its partition.</summary>
    /// <param name="Resolution">The most stable candidate.</param>
    /// <param name="Labels">Cluster per node: clusters of at least the minimum size have labels 0 and up; other nodes a negative label of their own.</param>
    public sealed record Choice(double Resolution, int[] Labels);

    /// <summary>
    /// Stability of a candidate is the mean ARI between its full partition (restricted to the sample) and the
    /// partition of the graph <paramref name="subsampleEdges"/> builds for the sample; the highest wins, ties to
    /// the earlier candidate. Groups smaller than <paramref name="minClusterSize"/> and cases without an edge
    /// count as singletons, as they do in the output.
    /// </summary>
    public static Choice Choose(
        int nodeCount,
        IReadOnlyList<CommunityDetection.Edge> edges,
        Func<int[], List<CommunityDetection.Edge>> subsampleEdges,
        IReadOnlyList<double> candidates,
        Func<double, double> effectiveResolution,
        int minClusterSize,
        int samples,
        double share,
        int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        var subsamples = Enumerable.Range(0, samples)
            .Select(s => Subsample(nodeCount, share, seed + s))
            .Select(kept => (Kept: kept, Edges: subsampleEdges(kept)))
            .ToList();

        var full = new int[candidates.Count][];
        int best = 0;
        double bestStability = double.NegativeInfinity;
        for (int c = 0; c < candidates.Count; c++)
        {
            double resolution = effectiveResolution(candidates[c]);
            full[c] = Clusters(nodeCount, edges, resolution, minClusterSize);
            double stability = 0;
            foreach ((int[] kept, List<CommunityDetection.Edge> subEdges) in subsamples)
            {
                int[] part = Clusters(kept.Length, subEdges, resolution, minClusterSize);
                stability += ClusteringMetrics.AdjustedRandIndex(kept.Select(i => full[c][i]).ToArray(), part);
            }

            stability /= samples;
            if (stability > bestStability + 1e-9)
            {
                (best, bestStability) = (c, stability);
            }
        }

        return new Choice(candidates[best], full[best]);
    }

    private static int[] Subsample(int nodeCount, double share, int seed)
    {
        // A fixed seed per subsample: the choice must be the same on every run over the same cases.
#pragma warning disable CA5394 // Not security-relevant: a reproducible sample.
        var random = new Random(seed);
        return Enumerable.Range(0, nodeCount).Where(_ => random.NextDouble() < share).ToArray();
#pragma warning restore CA5394
    }

    // Louvain labels with the output's notion of a cluster: groups of at least the minimum size are numbered from
    // 0; a case that is alone or in a smaller group gets a label of its own (negative, unique), so it agrees with nothing.
    private static int[] Clusters(int nodeCount, IReadOnlyList<CommunityDetection.Edge> edges, double resolution, int minClusterSize)
    {
        int[] labels = CommunityDetection.Louvain(nodeCount, edges, resolution);
        int[] size = new int[nodeCount];
        foreach (int label in labels)
        {
            size[label]++;
        }

        int[] number = new int[nodeCount];
        Array.Fill(number, -1);
        int next = 0;
        for (int i = 0; i < nodeCount; i++)
        {
            if (size[labels[i]] < minClusterSize)
            {
                labels[i] = -1 - i;
            }
            else
            {
                if (number[labels[i]] < 0)
                {
                    number[labels[i]] = next++;
                }

                labels[i] = number[labels[i]];
            }
        }

        return labels;
    }
}
