using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace TicketOps.Core.Matching;

/// <summary>
/// An <see cref="IEmbeddingCache"/> in an append-only binary file, for evaluations and benchmarks that run
/// without a database: records are keyed by a hash of the encoder id and the exact text the model saw.
/// </summary>
public sealed class EmbeddingCache : IEmbeddingCache
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
        return this.GetOrEmbed(texts, embedder.EncoderId, batch => embedder.Embed(batch, cancellationToken), cancellationToken);
    }

    /// <inheritdoc />
    public float[]?[] Find(IReadOnlyList<string> texts, string encoderId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(encoderId);
        var result = new float[]?[texts.Count];
        lock (_lock)
        {
            for (int i = 0; i < texts.Count; i++)
            {
                result[i] = _vectors.GetValueOrDefault(KeyOf(encoderId, texts[i]));
            }
        }

        return result;
    }

    /// <inheritdoc />
    public void Store(IReadOnlyList<string> texts, IReadOnlyList<float[]> vectors, string encoderId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(encoderId);
        lock (_lock)
        {
            for (int i = 0; i < texts.Count; i++)
            {
                UInt128 key = KeyOf(encoderId, texts[i]);
                if (_vectors.TryAdd(key, vectors[i]))
                {
                    _pending.Add((key, vectors[i]));
                }
            }

            Flush();
        }
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

    private static UInt128 KeyOf(string encoderId, string text)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{encoderId}\n{text}"), hash);
        return MemoryMarshal.Read<UInt128>(hash);
    }
}
