namespace TicketOps.Core.Mining;

/// <summary>
/// Chooses the modularity resolution from the graph alone: the candidate whose partition changes least when
/// cases are left out. A granularity the data supports survives subsampling; one the resolution imposes
/// (splitting a coherent group, or merging groups that are only loosely linked) flips with the sample. On
/// the real evaluation sets this picks a coarse resolution for a corpus of broad product areas and a fine one
/// for corpora of duplicate pairs (docs/mining.md, "Real data").
/// </summary>
internal static class ResolutionChoice
{
    /// <summary>
    /// Mean ARI between the full partition (restricted to the sample) and the partition of the graph
    /// <paramref name="subsampleEdges"/> builds for the sample (its own neighbour search), per candidate; the highest wins, ties to the earlier candidate. Groups smaller than
    /// <paramref name="minClusterSize"/> and cases without an edge count as singletons, as they do in the output.
    /// </summary>
    public static double MostStable(
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
        double best = candidates[0];
        double bestStability = double.NegativeInfinity;
        foreach (double candidate in candidates)
        {
            double resolution = effectiveResolution(candidate);
            int[] full = Clusters(nodeCount, edges, resolution, minClusterSize);
            double stability = 0;
            foreach ((int[] kept, List<CommunityDetection.Edge> subEdges) in subsamples)
            {
                int[] part = Clusters(kept.Length, subEdges, resolution, minClusterSize);
                stability += ClusteringMetrics.AdjustedRandIndex(kept.Select(i => full[i]).ToArray(), part);
            }

            stability /= samples;
            if (stability > bestStability + 1e-9)
            {
                (best, bestStability) = (candidate, stability);
            }
        }

        return best;
    }

    private static int[] Subsample(int nodeCount, double share, int seed)
    {
        // A fixed seed per subsample: the choice must be the same on every run over the same cases.
#pragma warning disable CA5394 // Not security-relevant: a reproducible sample.
        var random = new Random(seed);
        return Enumerable.Range(0, nodeCount).Where(_ => random.NextDouble() < share).ToArray();
#pragma warning restore CA5394
    }

    // Louvain labels with the output's notion of a cluster: a case that is alone or in a group below the minimum
    // size gets a label of its own (negative, unique), so it agrees with nothing.
    private static int[] Clusters(int nodeCount, IReadOnlyList<CommunityDetection.Edge> edges, double resolution, int minClusterSize)
    {
        int[] labels = CommunityDetection.Louvain(nodeCount, edges, resolution);
        int[] size = new int[nodeCount];
        foreach (int label in labels)
        {
            size[label]++;
        }

        for (int i = 0; i < nodeCount; i++)
        {
            if (size[labels[i]] < minClusterSize)
            {
                labels[i] = -1 - i;
            }
        }

        return labels;
    }
}
