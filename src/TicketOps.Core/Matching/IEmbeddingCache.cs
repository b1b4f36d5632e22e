namespace TicketOps.Core.Matching;

/// <summary>
/// Vectors of texts already embedded, keyed by the encoder and a hash of the exact text the model saw: a
/// cache lets a rebuild, a re-import, mining or an evaluation skip every text it has a vector for.
/// </summary>
public interface IEmbeddingCache
{
    /// <summary>The vector of each text made by <paramref name="encoderId"/>, or null where none is held.</summary>
    float[]?[] Find(IReadOnlyList<string> texts, string encoderId, CancellationToken cancellationToken = default);

    /// <summary>Remembers the vectors of texts (a text already held keeps its vector).</summary>
    void Store(IReadOnlyList<string> texts, IReadOnlyList<float[]> vectors, string encoderId, CancellationToken cancellationToken = default);
}

/// <summary>Encoding through a cache.</summary>
public static class EmbeddingCacheExtensions
{
    // Encoded texts are stored in slices, so that an interrupted long run keeps what it already computed.
    private const int StoreSlice = 512;

    /// <summary>
    /// Returns the vector of each text, calling <paramref name="embed"/> only for the distinct texts the cache
    /// does not hold, and storing what it returns.
    /// </summary>
    public static float[][] GetOrEmbed(this IEmbeddingCache cache, IReadOnlyList<string> texts, string encoderId, Func<IReadOnlyList<string>, float[][]> embed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(embed);
        float[]?[] found = cache.Find(texts, encoderId, cancellationToken);
        var missing = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int i = 0; i < texts.Count; i++)
        {
            if (found[i] is null)
            {
                if (!missing.TryGetValue(texts[i], out List<int>? positions))
                {
                    missing[texts[i]] = positions = [];
                }

                positions.Add(i);
            }
        }

        foreach (string[] slice in missing.Keys.Chunk(StoreSlice))
        {
            cancellationToken.ThrowIfCancellationRequested();
            float[][] computed = embed(slice);
            cache.Store(slice, computed, encoderId, cancellationToken);
            for (int j = 0; j < slice.Length; j++)
            {
                foreach (int i in missing[slice[j]])
                {
                    found[i] = computed[j];
                }
            }
        }

        return found!;
    }
}
