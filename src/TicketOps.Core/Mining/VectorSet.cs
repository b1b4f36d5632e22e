using System.Numerics.Tensors;

namespace TicketOps.Core.Mining;

/// <summary>
/// Unit vectors laid out in one contiguous array, so a block of rows is one span and the neighbour search
/// and k-means stream through memory instead of chasing one array per case.
/// </summary>
internal sealed class VectorSet
{
    private readonly float[] _data;

    public VectorSet(IReadOnlyList<ReadOnlyMemory<float>> vectors)
    {
        Count = vectors.Count;
        Dimensions = Count == 0 ? 0 : vectors[0].Length;
        _data = new float[(long)Count * Dimensions];
        for (int i = 0; i < Count; i++)
        {
            ReadOnlySpan<float> source = vectors[i].Span;
            if (source.Length != Dimensions)
            {
                throw new ArgumentException($"Vector {i} has {source.Length} dimensions; the first has {Dimensions}.", nameof(vectors));
            }

            Span<float> row = _data.AsSpan(i * Dimensions, Dimensions);
            source.CopyTo(row);

            // Normalise defensively: callers should pass unit vectors (MiniLM does), but a cosine that
            // silently becomes a dot product of arbitrary lengths would skew every threshold.
            float norm = TensorPrimitives.Norm(row);
            if (norm > 0 && MathF.Abs(norm - 1f) > 1e-3f)
            {
                TensorPrimitives.Divide(row, norm, row);
            }
        }
    }

    public int Count { get; }

    public int Dimensions { get; }

    public ReadOnlySpan<float> this[int index] => _data.AsSpan(index * Dimensions, Dimensions);

    public float Cosine(int a, int b) => TensorPrimitives.Dot(this[a], this[b]);
}
