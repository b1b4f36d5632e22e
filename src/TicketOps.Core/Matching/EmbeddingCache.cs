using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace TicketOps.Core.Matching;

/// <summary>
/// Vectors of texts already embedded, keyed by a hash of the exact text the model saw, persisted as an
/// append-only binary file. It lets an evaluation or a rebuild skip texts that were embedded before:
/// MiniLM encodes only tens of texts a second on a small machine.
/// </summary>
public sealed class EmbeddingCache
{
    private const int HashBytes = 16;

    private readonly string _path;
    private readonly Dictionary<UInt128, float[]> _vectors = [];
    private readonly List<(UInt128 Key, float[] Vector)> _pending = [];
    private readonly Lock _lock = new();

    /// <summary>Opens (or starts) the cache file <c>embeddings.cache</c> in <paramref name="directory"/>.</summary>
    public EmbeddingCache(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory.CreateDirectory(directory);
        _path = Path.Combine(directory, "embeddings.cache");
        if (File.Exists(_path))
        {
            Load();
        }
    }

    /// <summary>Number of cached vectors.</summary>
    public int Count => _vectors.Count;

    /// <summary>Returns the vector of each text, embedding (and remembering) only the unknown ones.</summary>
    public float[][] GetOrEmbed(IReadOnlyList<string> texts, SentenceEmbedder embedder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        return GetOrEmbed(texts, batch => embedder.Embed(batch, cancellationToken), cancellationToken);
    }

    /// <summary>The same with any embedding function (the clustering evaluation passes its own).</summary>
    public float[][] GetOrEmbed(IReadOnlyList<string> texts, Func<IReadOnlyList<string>, float[][]> embed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(embed);
        var keys = texts.Select(KeyOf).ToArray();
        var result = new float[texts.Count][];
        var missing = new List<int>();
        lock (_lock)
        {
            for (int i = 0; i < keys.Length; i++)
            {
                if (_vectors.TryGetValue(keys[i], out float[]? vector))
                {
                    result[i] = vector;
                }
                else
                {
                    missing.Add(i);
                }
            }
        }

        // Embed in slices so that an interrupted long run keeps what it already computed.
        foreach (int[] slice in missing.Distinct().Chunk(512))
        {
            cancellationToken.ThrowIfCancellationRequested();
            float[][] computed = embed([.. slice.Select(i => texts[i])]);
            lock (_lock)
            {
                for (int j = 0; j < slice.Length; j++)
                {
                    if (_vectors.TryAdd(keys[slice[j]], computed[j]))
                    {
                        _pending.Add((keys[slice[j]], computed[j]));
                    }
                }

                Flush();
            }
        }

        lock (_lock)
        {
            for (int i = 0; i < keys.Length; i++)
            {
                result[i] ??= _vectors[keys[i]];
            }
        }

        return result;
    }

    private void Flush()
    {
        if (_pending.Count == 0)
        {
            return;
        }

        using var stream = new FileStream(_path, FileMode.Append, FileAccess.Write);
        Span<byte> key = stackalloc byte[HashBytes];
        foreach ((UInt128 k, float[] vector) in _pending)
        {
            MemoryMarshal.Write(key, in k);
            stream.Write(key);
            stream.Write(MemoryMarshal.AsBytes(vector.AsSpan()));
        }

        _pending.Clear();
    }

    private void Load()
    {
        byte[] bytes = File.ReadAllBytes(_path);
        int recordBytes = HashBytes + (SentenceEmbedder.Dimensions * sizeof(float));

        // A torn last record (a killed run) is ignored rather than failing the whole cache.
        for (int offset = 0; offset + recordBytes <= bytes.Length; offset += recordBytes)
        {
            var key = MemoryMarshal.Read<UInt128>(bytes.AsSpan(offset, HashBytes));
            float[] vector = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(offset + HashBytes, recordBytes - HashBytes)).ToArray();
            _vectors[key] = vector;
        }

        if (bytes.Length % recordBytes != 0)
        {
            using var stream = new FileStream(_path, FileMode.Open, FileAccess.Write);
            stream.SetLength(bytes.Length - (bytes.Length % recordBytes));
        }
    }

    private static UInt128 KeyOf(string text)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return MemoryMarshal.Read<UInt128>(hash);
    }
}
