using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Text;

namespace TicketOps.Core.Matching;

/// <summary>
/// The semantic side of matching: one unit vector per item in a single contiguous <c>float[]</c>, beside an
/// 8-bit copy of every row. A search scans the 8-bit rows (a quarter of the memory to read: at 100k items the
/// float scan was memory-bound) for a shortlist of <see cref="ShortlistFactor"/> × k rows, then ranks the
/// shortlist exactly with the float vectors, so scores are exact cosines. Persisted as one file,
/// <c>vectors.bin</c> (the encoder id, float32 rows and their ids), replaced atomically. Thread-safe: many
/// readers, one writer.
/// </summary>
public sealed class EmbeddingStore : IDisposable
{
    private const int Magic = 0x54_4F_45_32; // "TOE2": encoder id, rows, ids in one file
    private const int MagicWithIdsFile = 0x54_4F_45_31; // "TOE1": rows here, ids in ids.txt, no encoder id
    private const string VectorsFile = "vectors.bin";
    private const string IdsFile = "ids.txt";

    /// <summary>
    /// Rows kept from the 8-bit scan per requested result. The 8-bit cosine is off by a few thousandths, far
    /// less than the spread between the k-th and the (4k)-th best row, so the exact top k is in the shortlist.
    /// </summary>
    public const int ShortlistFactor = 4;

    // Rows from which the 8-bit scan is split over the cores (below it the whole scan takes < 0.5 ms).
    private const int ParallelScanRows = 20_000;

    private readonly int _dimensions;
    private readonly Dictionary<string, int> _rowOf = new(StringComparer.Ordinal);
    private readonly List<string> _ids = [];
    private readonly ReaderWriterLockSlim _lock = new();
    private float[] _vectors;

    // Each row scaled so its largest component is ±127, and the scale to undo that (per row: unit vectors
    // spread their length over 384 components, so one global scale would leave most rows a few levels).
    private sbyte[] _codes;
    private float[] _codeScales;

    /// <summary>Creates an empty store.</summary>
    public EmbeddingStore(int dimensions = SentenceEmbedder.Dimensions)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        _dimensions = dimensions;
        _vectors = new float[dimensions * 64];
        _codes = new sbyte[dimensions * 64];
        _codeScales = new float[64];
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

    /// <summary>The <see cref="EncoderId"/> of a store saved before encoder ids were recorded.</summary>
    public const string UnknownEncoder = "unknown";

    /// <summary>
    /// The encoder the stored vectors came from (<see cref="SentenceEmbedder.EncoderId"/>), as saved
    /// (<see cref="UnknownEncoder"/> for a file from before encoder ids); null for a store built in memory.
    /// </summary>
    public string? EncoderId { get; set; }

    /// <summary>A snapshot of the ids of all stored vectors.</summary>
    public IReadOnlyList<string> Ids
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return [.. _ids];
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
                EnsureRows(row + 1);
                _ids.Add(id);
                _rowOf[id] = row;
            }

            vector.CopyTo(_vectors.AsSpan(row * _dimensions, _dimensions));
            Quantize(row);
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
                Quantize(row);
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
            int shortlist = count * ShortlistFactor;
            IEnumerable<int> rows = _ids.Count <= shortlist ? Enumerable.Range(0, _ids.Count) : Shortlist(query, shortlist, allow);

            // Min-heap of the best rows so far: O(n log k), no full sort. Ties are broken by id so that
            // identical items (duplicate reports) always come out in the same order.
            var worseFirst = Comparer<(float Score, string Id)>.Create(static (a, b) =>
                a.Score != b.Score ? a.Score.CompareTo(b.Score) : string.CompareOrdinal(b.Id, a.Id));
            var best = new PriorityQueue<int, (float Score, string Id)>(count + 1, worseFirst);
            foreach (int row in rows)
            {
                if (allow is not null && !allow(_ids[row]))
                {
                    continue;
                }

                float score = TensorPrimitives.Dot(query, _vectors.AsSpan(row * _dimensions, _dimensions));
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

    /// <summary>The <paramref name="size"/> allowed rows with the best 8-bit dot product (caller holds the read lock).</summary>
    private List<int> Shortlist(ReadOnlySpan<float> query, int size, Func<string, bool>? allow)
    {
        var queryCodes = new sbyte[_dimensions];
        ToCodes(query, queryCodes);
        int rows = _ids.Count;
        if (rows < ParallelScanRows)
        {
            return [.. ShortlistOf(queryCodes, 0, rows, size, allow).Select(hit => hit.Row)];
        }

        // The scan reads every row once and is bound by memory bandwidth, which one core does not saturate:
        // a slice per core (two per core, so that a core that also runs the BM25 half still gets its share).
        int slices = Environment.ProcessorCount * 2;
        var partial = new List<(int Row, float Score)>[slices];
        Parallel.For(0, slices, slice => partial[slice] = ShortlistOf(queryCodes, (int)((long)rows * slice / slices), (int)((long)rows * (slice + 1) / slices), size, allow));
        return [.. partial.SelectMany(hits => hits).OrderByDescending(hit => hit.Score).ThenBy(hit => hit.Row).Take(size).Select(hit => hit.Row)];
    }

    private List<(int Row, float Score)> ShortlistOf(sbyte[] queryCodes, int start, int end, int size, Func<string, bool>? allow)
    {
        var best = new PriorityQueue<int, float>(size + 1);
        ReadOnlySpan<sbyte> codes = _codes;
        for (int row = start; row < end; row++)
        {
            // The query's own scale is the same for every row, so it can be left out of the ordering.
            float score = DotCodes(queryCodes, codes.Slice(row * _dimensions, _dimensions)) * _codeScales[row];
            if (best.Count == size && best.TryPeek(out _, out float worst) && score <= worst)
            {
                continue;
            }

            if (allow is not null && !allow(_ids[row]))
            {
                continue;
            }

            best.Enqueue(row, score);
            if (best.Count > size)
            {
                best.Dequeue();
            }
        }

        return [.. best.UnorderedItems];
    }

    private void Quantize(int row) =>
        _codeScales[row] = ToCodes(_vectors.AsSpan(row * _dimensions, _dimensions), _codes.AsSpan(row * _dimensions, _dimensions));

    /// <summary>Writes <paramref name="vector"/> scaled to ±127 into <paramref name="codes"/>; returns the scale back.</summary>
    private static float ToCodes(ReadOnlySpan<float> vector, Span<sbyte> codes)
    {
        float largest = MathF.Abs(TensorPrimitives.MaxMagnitude(vector)); // MaxMagnitude keeps the sign
        float factor = largest > 0 ? 127f / largest : 0f;
        for (int i = 0; i < vector.Length; i++)
        {
            codes[i] = (sbyte)MathF.Round(vector[i] * factor);
        }

        return largest / 127f;
    }

    /// <summary>Dot product of two 8-bit rows, widened to 16-bit products summed in pairs (AVX2) where available.</summary>
    private static int DotCodes(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b)
    {
        int i = 0;
        int sum = 0;
        if (Avx2.IsSupported)
        {
            var total = Vector256<int>.Zero;
            for (; i <= a.Length - Vector256<sbyte>.Count; i += Vector256<sbyte>.Count)
            {
                (Vector256<short> aLow, Vector256<short> aHigh) = Vector256.Widen(Vector256.Create(a.Slice(i, Vector256<sbyte>.Count)));
                (Vector256<short> bLow, Vector256<short> bHigh) = Vector256.Widen(Vector256.Create(b.Slice(i, Vector256<sbyte>.Count)));
                total += Avx2.MultiplyAddAdjacent(aLow, bLow) + Avx2.MultiplyAddAdjacent(aHigh, bHigh);
            }

            sum = Vector256.Sum(total);
        }

        for (; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private void EnsureRows(int rows)
    {
        if (rows * _dimensions > _vectors.Length)
        {
            int capacity = Math.Max(_vectors.Length / _dimensions * 2, rows);
            Array.Resize(ref _vectors, capacity * _dimensions);
            Array.Resize(ref _codes, capacity * _dimensions);
            Array.Resize(ref _codeScales, capacity);
        }
    }

    /// <summary>
    /// Writes the store to <paramref name="directory"/>, replacing what was there: to a temporary file,
    /// flushed to disk, then renamed over the old one, so a crash leaves the old store or the new one.
    /// </summary>
    public void Save(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory.CreateDirectory(directory);
        _lock.EnterReadLock();
        try
        {
            string vectorsPath = Path.Combine(directory, VectorsFile);
            using (var stream = new FileStream(vectorsPath + ".tmp", FileMode.Create, FileAccess.Write))
            using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(Magic);
                writer.Write(_dimensions);
                writer.Write(_ids.Count);
                writer.Write(EncoderId ?? "");
                writer.Write(MemoryMarshal.AsBytes(_vectors.AsSpan(0, _ids.Count * _dimensions)));
                foreach (string id in _ids)
                {
                    writer.Write(id);
                }

                writer.Flush();
                stream.Flush(flushToDisk: true);
            }

            File.Move(vectorsPath + ".tmp", vectorsPath, overwrite: true);
            File.Delete(Path.Combine(directory, IdsFile));
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Loads a store written by <see cref="Save"/>; an empty store when the folder has none.</summary>
    /// <exception cref="InvalidDataException">The file is corrupt; rebuild the index.</exception>
    public static EmbeddingStore Load(string directory, int dimensions = SentenceEmbedder.Dimensions)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var store = new EmbeddingStore(dimensions);
        string vectorsPath = Path.Combine(directory, VectorsFile);
        if (!File.Exists(vectorsPath))
        {
            return store;
        }

        using var stream = File.OpenRead(vectorsPath);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        try
        {
            int magic = reader.ReadInt32();
            if ((magic != Magic && magic != MagicWithIdsFile) || reader.ReadInt32() != dimensions)
            {
                throw new InvalidDataException($"{vectorsPath} is not a {dimensions}-dimension embedding file; rebuild the index.");
            }

            int count = reader.ReadInt32();
            if (count < 0 || (long)count * dimensions * sizeof(float) > stream.Length)
            {
                throw new InvalidDataException($"{vectorsPath} claims {count} vectors, more than it can hold; rebuild the index.");
            }

            string encoderId = magic == Magic ? reader.ReadString() : "";
            store.EncoderId = encoderId.Length > 0 ? encoderId : UnknownEncoder;

            store.EnsureRows(count);
            stream.ReadExactly(MemoryMarshal.AsBytes(store._vectors.AsSpan(0, count * dimensions)));
            string[] ids = magic == Magic
                ? [.. Enumerable.Range(0, count).Select(_ => reader.ReadString())]
                : File.ReadAllLines(Path.Combine(directory, IdsFile), Encoding.UTF8);
            if (ids.Length != count)
            {
                throw new InvalidDataException($"{vectorsPath} holds {count} vectors but {ids.Length} ids; rebuild the index.");
            }

            for (int row = 0; row < count; row++)
            {
                store._ids.Add(ids[row]);
                store._rowOf[ids[row]] = row;
                store.Quantize(row);
            }
        }
        catch (IOException exception)
        {
            store.Dispose();
            throw new InvalidDataException($"{vectorsPath} is cut short or corrupt; rebuild the index.", exception);
        }

        return store;
    }

    /// <inheritdoc />
    public void Dispose() => _lock.Dispose();
}
