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

    private static bool Beats(float similarity, int candidate, float otherSimilarity, int otherIndex) =>
        otherIndex == -1 || similarity > otherSimilarity || (similarity == otherSimilarity && candidate < otherIndex);
}

/// <summary>
/// Nearest-neighbour candidates for clustering. Small sets are searched exactly (blocked dot products);
/// large sets use an inverted-file index: a k-means coarse quantiser of about sqrt(n) cells, and each case
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
        int cells = (int)Math.Clamp(Math.Round(Math.Sqrt(n)), 16, 2048);

        // Train the quantiser on an evenly spaced sample: deterministic and enough to place the cells.
        int sampleSize = Math.Min(n, cells * 40);
        int[] sample = Enumerable.Range(0, sampleSize).Select(s => (int)((long)s * n / sampleSize)).ToArray();
        float[][] centroids = KMeans.Train(vectors, sample, cells, seed, maxIterations: 10);

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
        probes = Math.Clamp(probes, 1, centroids.Length);

        Parallel.For(0, n, () => (new float[centroids.Length], new int[centroids.Length]), (i, _, scratch) =>
        {
            ReadOnlySpan<float> query = vectors[i];
            (float[] scores, int[] order) = scratch;
            for (int c = 0; c < centroids.Length; c++)
            {
                scores[c] = -TensorPrimitives.Dot(query, centroids[c]);
                order[c] = c;
            }

            Array.Sort(scores, order);
            for (int p = 0; p < probes; p++)
            {
                foreach (int j in cellMembers[order[p]])
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
