using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Text;

namespace TicketOps.Core.Matching;

/// <summary>
/// The semantic side of matching: one unit vector per item in a single contiguous <c>float[]</c>, searched
/// exactly (a dot product per row with <see cref="TensorPrimitives.Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/>).
/// Exact search over contiguous memory is fast enough for 100k items and has no recall loss to tune.
/// Persisted as <c>vectors.bin</c> (float32 rows) and <c>ids.txt</c> (one id a line) so vectors are computed
/// once. Thread-safe: many readers, one writer.
/// </summary>
public sealed class EmbeddingStore : IDisposable
{
    private const int Magic = 0x54_4F_45_31; // "TOE1"
    private const string VectorsFile = "vectors.bin";
    private const string IdsFile = "ids.txt";

    private readonly int _dimensions;
    private readonly Dictionary<string, int> _rowOf = new(StringComparer.Ordinal);
    private readonly List<string> _ids = [];
    private readonly ReaderWriterLockSlim _lock = new();
    private float[] _vectors;

    /// <summary>Creates an empty store.</summary>
    public EmbeddingStore(int dimensions = SentenceEmbedder.Dimensions)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        _dimensions = dimensions;
        _vectors = new float[dimensions * 64];
    }

    /// <summary>Number of stored vectors.</summary>
    public int Count
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _ids.Count;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    /// <summary>Whether a vector is stored for <paramref name="id"/>.</summary>
    public bool Contains(string id)
    {
        _lock.EnterReadLock();
        try
        {
            return _rowOf.ContainsKey(id);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>A copy of the stored vector of <paramref name="id"/>, or null when unknown.</summary>
    public float[]? Vector(string id)
    {
        _lock.EnterReadLock();
        try
        {
            return _rowOf.TryGetValue(id, out int row) ? _vectors.AsSpan(row * _dimensions, _dimensions).ToArray() : null;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Adds or replaces the vector of <paramref name="id"/>.</summary>
    public void Upsert(string id, ReadOnlySpan<float> vector)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (vector.Length != _dimensions)
        {
            throw new ArgumentException($"Expected {_dimensions} dimensions, got {vector.Length}.", nameof(vector));
        }

        _lock.EnterWriteLock();
        try
        {
            if (!_rowOf.TryGetValue(id, out int row))
            {
                row = _ids.Count;
                if ((row + 1) * _dimensions > _vectors.Length)
                {
                    Array.Resize(ref _vectors, Math.Max(_vectors.Length * 2, (row + 1) * _dimensions));
                }

                _ids.Add(id);
                _rowOf[id] = row;
            }

            vector.CopyTo(_vectors.AsSpan(row * _dimensions, _dimensions));
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Removes the vector of <paramref name="id"/> (the last row moves into the hole); false when unknown.</summary>
    public bool Remove(string id)
    {
        _lock.EnterWriteLock();
        try
        {
            if (!_rowOf.Remove(id, out int row))
            {
                return false;
            }

            int last = _ids.Count - 1;
            if (row != last)
            {
                _vectors.AsSpan(last * _dimensions, _dimensions).CopyTo(_vectors.AsSpan(row * _dimensions, _dimensions));
                _ids[row] = _ids[last];
                _rowOf[_ids[row]] = row;
            }

            _ids.RemoveAt(last);
            return true;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Removes everything.</summary>
    public void Clear()
    {
        _lock.EnterWriteLock();
        try
        {
            _ids.Clear();
            _rowOf.Clear();
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Cosine similarity between <paramref name="query"/> and the stored vector of <paramref name="id"/>, or null.</summary>
    public float? Similarity(ReadOnlySpan<float> query, string id)
    {
        _lock.EnterReadLock();
        try
        {
            return _rowOf.TryGetValue(id, out int row)
                ? TensorPrimitives.Dot(query, _vectors.AsSpan(row * _dimensions, _dimensions))
                : null;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>The <paramref name="count"/> most similar items, best first, among those <paramref name="allow"/> accepts.</summary>
    public IReadOnlyList<ScoredId> Search(ReadOnlySpan<float> query, int count, Func<string, bool>? allow = null)
    {
        if (query.Length != _dimensions)
        {
            throw new ArgumentException($"Expected {_dimensions} dimensions, got {query.Length}.", nameof(query));
        }

        if (count <= 0)
        {
            return [];
        }

        _lock.EnterReadLock();
        try
        {
            // Min-heap of the best rows so far: O(n log k), no full sort. Ties are broken by id so that
            // identical items (duplicate reports) always come out in the same order.
            var worseFirst = Comparer<(float Score, string Id)>.Create(static (a, b) =>
                a.Score != b.Score ? a.Score.CompareTo(b.Score) : string.CompareOrdinal(b.Id, a.Id));
            var best = new PriorityQueue<int, (float Score, string Id)>(count + 1, worseFirst);
            ReadOnlySpan<float> vectors = _vectors;
            for (int row = 0; row < _ids.Count; row++)
            {
                float score = TensorPrimitives.Dot(query, vectors.Slice(row * _dimensions, _dimensions));
                if (best.Count == count && best.TryPeek(out _, out var worst) && worseFirst.Compare((score, _ids[row]), worst) <= 0)
                {
                    continue;
                }

                if (allow is not null && !allow(_ids[row]))
                {
                    continue;
                }

                best.Enqueue(row, (score, _ids[row]));
                if (best.Count > count)
                {
                    best.Dequeue();
                }
            }

            var hits = new ScoredId[best.Count];
            for (int i = hits.Length - 1; i >= 0; i--)
            {
                best.TryDequeue(out int row, out var priority);
                hits[i] = new ScoredId(_ids[row], priority.Score);
            }

            return hits;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Writes the store to <paramref name="directory"/> (replacing what was there).</summary>
    public void Save(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory.CreateDirectory(directory);
        _lock.EnterReadLock();
        try
        {
            string vectorsPath = Path.Combine(directory, VectorsFile);
            string idsPath = Path.Combine(directory, IdsFile);
            using (var stream = new FileStream(vectorsPath + ".tmp", FileMode.Create, FileAccess.Write))
            using (var writer = new BinaryWriter(stream))
            {
                writer.Write(Magic);
                writer.Write(_dimensions);
                writer.Write(_ids.Count);
                writer.Write(MemoryMarshal.AsBytes(_vectors.AsSpan(0, _ids.Count * _dimensions)));
            }

            File.WriteAllLines(idsPath + ".tmp", _ids, Encoding.UTF8);
            File.Move(vectorsPath + ".tmp", vectorsPath, overwrite: true);
            File.Move(idsPath + ".tmp", idsPath, overwrite: true);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Loads a store written by <see cref="Save"/>; an empty store when the folder has none.</summary>
    /// <exception cref="InvalidDataException">The files are corrupt or disagree; rebuild the index.</exception>
    public static EmbeddingStore Load(string directory, int dimensions = SentenceEmbedder.Dimensions)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var store = new EmbeddingStore(dimensions);
        string vectorsPath = Path.Combine(directory, VectorsFile);
        string idsPath = Path.Combine(directory, IdsFile);
        if (!File.Exists(vectorsPath) || !File.Exists(idsPath))
        {
            return store;
        }

        using var stream = File.OpenRead(vectorsPath);
        using var reader = new BinaryReader(stream);
        if (reader.ReadInt32() != Magic || reader.ReadInt32() != dimensions)
        {
            throw new InvalidDataException($"{vectorsPath} is not a {dimensions}-dimension embedding file; rebuild the index.");
        }

        int count = reader.ReadInt32();
        string[] ids = File.ReadAllLines(idsPath, Encoding.UTF8);
        if (ids.Length != count || stream.Length - stream.Position != (long)count * dimensions * sizeof(float))
        {
            throw new InvalidDataException($"{vectorsPath} and {idsPath} disagree; rebuild the index.");
        }

        store._vectors = new float[Math.Max(count, 64) * dimensions];
        stream.ReadExactly(MemoryMarshal.AsBytes(store._vectors.AsSpan(0, count * dimensions)));
        for (int row = 0; row < count; row++)
        {
            store._ids.Add(ids[row]);
            store._rowOf[ids[row]] = row;
        }

        return store;
    }

    /// <inheritdoc />
    public void Dispose() => _lock.Dispose();
}
