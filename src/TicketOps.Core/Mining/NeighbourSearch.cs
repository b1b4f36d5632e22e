using System.Numerics.Tensors;

namespace TicketOps.Core.Mining;

/// <summary>The k most similar other cases of every case, most similar first.</summary>
internal sealed class NeighbourLists
{
    public NeighbourLists(int count, int k)
    {
        Count = count;
        K = k;
        Indices = new int[count * k];
        Similarities = new float[count * k];
        Array.Fill(Indices, -1);
        Array.Fill(Similarities, float.NegativeInfinity);
    }

    public int Count { get; }

    public int K { get; }

    /// <summary>Row-major: case i's neighbours are at [i*K, i*K+K); -1 where there are fewer than K.</summary>
    public int[] Indices { get; }

    public float[] Similarities { get; }

    /// <summary>Inserts a candidate into case i's sorted list when it beats the weakest kept one.</summary>
    public void Offer(int i, int candidate, float similarity)
    {
        int start = i * K;
        int last = start + K - 1;

        // Ties break on the lower index so the lists do not depend on the order candidates arrive in.
        if (!Beats(similarity, candidate, Similarities[last], Indices[last]))
        {
            return;
        }

        int position = last;
        while (position > start && Beats(similarity, candidate, Similarities[position - 1], Indices[position - 1]))
        {
            Similarities[position] = Similarities[position - 1];
            Indices[position] = Indices[position - 1];
            position--;
        }

        Similarities[position] = similarity;
        Indices[position] = candidate;
    }

    /// <summary>The first <paramref name="k"/> neighbours of every case (the lists are sorted, so the k most similar).</summary>
    public NeighbourLists First(int k)
    {
        k = Math.Min(k, K);
        var first = new NeighbourLists(Count, k);
        for (int i = 0; i < Count; i++)
        {
            Array.Copy(Indices, i * K, first.Indices, i * k, k);
            Array.Copy(Similarities, i * K, first.Similarities, i * k, k);
        }

        return first;
    }

    /// <summary>
    /// The lists of the cases in <paramref name="kept"/> (ascending indices), renumbered to positions in it: each
    /// case keeps its first <paramref name="k"/> neighbours that are kept too. With lists of 2k and four cases in
    /// five kept, that is what a search among the kept cases alone would find, without searching again (a case
    /// with fewer than k of its 2k kept keeps fewer: 0.06 % of cases at 80 %).
    /// </summary>
    public NeighbourLists Restrict(int[] kept, int k)
    {
        int[] position = new int[Count];
        Array.Fill(position, -1);
        for (int p = 0; p < kept.Length; p++)
        {
            position[kept[p]] = p;
        }

        var restricted = new NeighbourLists(kept.Length, Math.Min(k, K));
        for (int p = 0; p < kept.Length; p++)
        {
            int source = kept[p] * K;
            int slot = p * restricted.K;
            int end = slot + restricted.K;
            for (int s = 0; s < K && slot < end; s++)
            {
                int j = Indices[source + s];
                if (j < 0)
                {
                    break;
                }

                if (position[j] >= 0)
                {
                    restricted.Indices[slot] = position[j];
                    restricted.Similarities[slot] = Similarities[source + s];
                    slot++;
                }
            }
        }

        return restricted;
    }

    private static bool Beats(float similarity, int candidate, float otherSimilarity, int otherIndex) =>
        otherIndex == -1 || similarity > otherSimilarity || (similarity == otherSimilarity && candidate < otherIndex);
}

/// <summary>
/// Nearest-neighbour candidates for clustering. Small sets are searched exactly (blocked dot products);
/// large sets use an inverted-file index: a k-means coarse quantiser of about sqrt(probes * n) cells, and each case
/// compares itself only with the cases in its <c>probes</c> nearest cells. That keeps 100k cases at a few
/// hundred million dot products instead of five billion, and stays deterministic (fixed seed, per-case
/// results independent of thread scheduling).
/// </summary>
internal static class NeighbourSearch
{
    public static NeighbourLists Find(VectorSet vectors, int k, int exactLimit, int probes, int seed)
    {
        k = Math.Max(1, Math.Min(k, vectors.Count - 1));
        var lists = new NeighbourLists(vectors.Count, k);
        if (vectors.Count < 2)
        {
            return lists;
        }

        if (vectors.Count <= exactLimit)
        {
            Exact(vectors, lists);
        }
        else
        {
            Approximate(vectors, lists, probes, seed);
        }

        return lists;
    }

    private static void Exact(VectorSet vectors, NeighbourLists lists)
    {
        int n = vectors.Count;
        Parallel.For(0, n, i =>
        {
            ReadOnlySpan<float> query = vectors[i];
            for (int j = 0; j < n; j++)
            {
                if (j != i)
                {
                    lists.Offer(i, j, TensorPrimitives.Dot(query, vectors[j]));
                }
            }
        });
    }

    private static void Approximate(VectorSet vectors, NeighbourLists lists, int probes, int seed)
    {
        int n = vectors.Count;
        probes = Math.Max(1, probes);

        // Per case the cost is (cells + probes * n / cells) dot products, smallest at cells = sqrt(probes * n).
        int cells = (int)Math.Clamp(Math.Round(Math.Sqrt((double)probes * n)), 16, 4096);
        probes = Math.Min(probes, cells);

        // Train the quantiser on an evenly spaced sample: deterministic and enough to place the cells.
        int sampleSize = Math.Min(n, cells * 20);
        int[] sample = Enumerable.Range(0, sampleSize).Select(s => (int)((long)s * n / sampleSize)).ToArray();
        float[][] centroids = KMeans.Train(vectors, sample, cells, seed, maxIterations: 8);

        int[] cellOf = KMeans.Assign(vectors, centroids);
        var members = new List<int>[centroids.Length];
        for (int c = 0; c < members.Length; c++)
        {
            members[c] = [];
        }

        for (int i = 0; i < n; i++)
        {
            members[cellOf[i]].Add(i);
        }

        int[][] cellMembers = members.Select(m => m.ToArray()).ToArray();
        int probeCount = Math.Min(probes, centroids.Length);

        Parallel.For(0, n, () => (new float[probeCount], new int[probeCount]), (i, _, scratch) =>
        {
            ReadOnlySpan<float> query = vectors[i];
            (float[] bestScores, int[] bestCells) = scratch;
            Array.Fill(bestScores, float.NegativeInfinity);
            Array.Fill(bestCells, -1);

            // Keep the probeCount nearest cells by insertion: probes is small, so this beats sorting all cells.
            for (int c = 0; c < centroids.Length; c++)
            {
                float score = TensorPrimitives.Dot(query, centroids[c]);
                if (score <= bestScores[probeCount - 1])
                {
                    continue;
                }

                int position = probeCount - 1;
                while (position > 0 && score > bestScores[position - 1])
                {
                    bestScores[position] = bestScores[position - 1];
                    bestCells[position] = bestCells[position - 1];
                    position--;
                }

                bestScores[position] = score;
                bestCells[position] = c;
            }

            foreach (int cell in bestCells)
            {
                if (cell < 0)
                {
                    continue;
                }

                foreach (int j in cellMembers[cell])
                {
                    if (j != i)
                    {
                        lists.Offer(i, j, TensorPrimitives.Dot(query, vectors[j]));
                    }
                }
            }

            return scratch;
        }, _ => { });
    }
}
