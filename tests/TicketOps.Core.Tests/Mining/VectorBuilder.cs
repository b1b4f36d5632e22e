using TicketOps.Core.Mining;

namespace TicketOps.Core.Tests.Mining;

/// <summary>Builds embeddings with a known geometry: members of a family are close to its axis, one-offs are not.</summary>
internal sealed class VectorBuilder(int dimensions = 64, int seed = 1)
{
    private readonly Random _random = new(seed);

    public int Dimensions { get; } = dimensions;

    /// <summary>A unit vector near basis axis <paramref name="axis"/>; noise 0.15 keeps cosines to the axis above ~0.7.</summary>
    public float[] Near(int axis, double noise = 0.15)
    {
        float[] vector = new float[Dimensions];
        for (int i = 0; i < Dimensions; i++)
        {
            vector[i] = (float)(noise * ((_random.NextDouble() * 2) - 1) / Math.Sqrt(Dimensions / 12.0));
        }

        vector[axis] += 1;
        return Normalize(vector);
    }

    /// <summary>A unit vector mixing two axes with the given weight on the second.</summary>
    public static float[] Between(int dimensions, int first, int second, double weightOfSecond)
    {
        float[] vector = new float[dimensions];
        vector[first] = (float)(1 - weightOfSecond);
        vector[second] = (float)weightOfSecond;
        return Normalize(vector);
    }

    public static ClusteringItem Item(string id, float[] vector, params string[] specifics) => new(id, vector, specifics);

    private static float[] Normalize(float[] vector)
    {
        double norm = Math.Sqrt(vector.Sum(v => (double)v * v));
        return vector.Select(v => (float)(v / norm)).ToArray();
    }
}
