using System.Numerics.Tensors;

namespace TicketOps.Core.Mining;

/// <summary>
/// Spherical k-means with k-means++ seeding and a fixed seed: the same input always gives the same
/// partition. Used as the evaluation baseline (given the true k) and as the coarse quantiser of the
/// approximate neighbour search.
/// </summary>
internal static class KMeans
{
    public static int[] Cluster(VectorSet vectors, int k, int seed = 42, int maxIterations = 50)
    {
        int[] all = Enumerable.Range(0, vectors.Count).ToArray();
        float[][] centroids = Train(vectors, all, k, seed, maxIterations);
        return Assign(vectors, centroids);
    }

    public static float[][] Train(VectorSet vectors, IReadOnlyList<int> sample, int k, int seed, int maxIterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        k = Math.Min(k, sample.Count);
        int d = vectors.Dimensions;
        var random = new Random(seed);

        // k-means++: each next centre drawn with probability proportional to squared distance
        // (for unit vectors, 2 - 2cos) to the nearest centre chosen so far.
        var centroids = new float[k][];
        centroids[0] = vectors[sample[random.Next(sample.Count)]].ToArray();
        double[] distance = new double[sample.Count];
        for (int i = 0; i < sample.Count; i++)
        {
            distance[i] = SquaredDistance(vectors[sample[i]], centroids[0]);
        }

        for (int c = 1; c < k; c++)
        {
            double total = 0;
            for (int i = 0; i < distance.Length; i++)
            {
                total += distance[i];
            }

            double target = random.NextDouble() * total;
            int chosen = sample.Count - 1;
            double running = 0;
            for (int i = 0; i < distance.Length; i++)
            {
                running += distance[i];
                if (running >= target && distance[i] > 0)
                {
                    chosen = i;
                    break;
                }
            }

            centroids[c] = vectors[sample[chosen]].ToArray();
            float[] centre = centroids[c];
            Parallel.For(0, sample.Count, i => distance[i] = Math.Min(distance[i], SquaredDistance(vectors[sample[i]], centre)));
        }

        int[] assignment = new int[sample.Count];
        Array.Fill(assignment, -1);
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            int changed = 0;
            Parallel.For(0, sample.Count, () => 0, (i, _, local) =>
            {
                int best = Nearest(vectors[sample[i]], centroids);
                if (best != assignment[i])
                {
                    assignment[i] = best;
                    local++;
                }

                return local;
            }, local => Interlocked.Add(ref changed, local));

            if (changed == 0)
            {
                break;
            }

            var sums = new double[k][];
            int[] counts = new int[k];
            for (int c = 0; c < k; c++)
            {
                sums[c] = new double[d];
            }

            for (int i = 0; i < sample.Count; i++)
            {
                int c = assignment[i];
                counts[c]++;
                ReadOnlySpan<float> row = vectors[sample[i]];
                double[] sum = sums[c];
                for (int j = 0; j < d; j++)
                {
                    sum[j] += row[j];
                }
            }

            for (int c = 0; c < k; c++)
            {
                if (counts[c] == 0)
                {
                    continue; // an emptied centre keeps its position; deterministic and rare
                }

                for (int j = 0; j < d; j++)
                {
                    centroids[c][j] = (float)(sums[c][j] / counts[c]);
                }

                float norm = TensorPrimitives.Norm(centroids[c]);
                if (norm > 0)
                {
                    TensorPrimitives.Divide(centroids[c], norm, centroids[c]);
                }
            }
        }

        return centroids;
    }

    public static int[] Assign(VectorSet vectors, float[][] centroids)
    {
        int[] assignment = new int[vectors.Count];
        Parallel.For(0, vectors.Count, i => assignment[i] = Nearest(vectors[i], centroids));
        return assignment;
    }

    public static int Nearest(ReadOnlySpan<float> vector, float[][] centroids)
    {
        int best = 0;
        float bestScore = float.NegativeInfinity;
        for (int c = 0; c < centroids.Length; c++)
        {
            float score = TensorPrimitives.Dot(vector, centroids[c]);
            if (score > bestScore)
            {
                bestScore = score;
                best = c;
            }
        }

        return best;
    }

    private static double SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b) =>
        Math.Max(0, 2 - (2 * TensorPrimitives.Dot(a, b)));
}
