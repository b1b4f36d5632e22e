using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using TicketOps.Core.Matching;
using TicketOps.Core.Matching.Tuning;

namespace TicketOps.Core.Evaluation;

/// <summary>A retrieval method the evaluation can measure.</summary>
public enum EvaluationMethod
{
    /// <summary>BM25 alone.</summary>
    Bm25 = 0,

    /// <summary>Sentence embeddings alone.</summary>
    Dense = 1,

    /// <summary>The fused ranking the matcher serves.</summary>
    Hybrid = 2,
}

/// <summary>Settings of an evaluation run.</summary>
public sealed record EvaluationOptions
{
    /// <summary>Methods to measure, side by side in one run; all when null.</summary>
    public IReadOnlySet<EvaluationMethod>? Methods { get; init; }

    /// <summary>The matcher settings under test (fusion, field weights, long texts, thresholds).</summary>
    public MatcherOptions Matcher { get; init; } = MatcherOptions.Default;

    /// <summary>Folder of an <see cref="EmbeddingCache"/> so repeated runs do not re-embed the same texts; null for none.</summary>
    public string? EmbeddingCacheDirectory { get; init; }

    /// <summary>Progress lines for a terminal, or null.</summary>
    public IProgress<string>? Progress { get; init; }
}

/// <summary>
/// Offline evaluation of matching on a folder in the shared data format (<c>corpus.jsonl</c>, optional
/// <c>queries.jsonl</c>, <c>qrels.jsonl</c>; extra fields ignored). With <c>queries.jsonl</c> it runs the
/// ticket → knowledge protocol (items indexed from title and resolution only); without it the duplicate
/// protocol (query = title + body of a corpus item, candidates strictly earlier by <c>created_at</c>, the
/// query itself excluded). A query counts as found at k when any of its relevant items is in the top k;
/// MRR uses the first relevant rank, cut at 100.
/// </summary>
public static class MatchingEvaluation
{
    /// <summary>Ranks measured for recall.</summary>
    public static IReadOnlyList<int> RecallCutoffs { get; } = [1, 5, 10, 20];

    /// <summary>Ranks beyond this count as not found for MRR.</summary>
    public const int MrrCutoff = 100;

    /// <summary>Loads, indexes and evaluates a data set in one go.</summary>
    public static async Task<EvaluationReport> RunAsync(string datasetDirectory, SentenceEmbedder embedder, EvaluationOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new EvaluationOptions();
        using PreparedEvaluation prepared = await PrepareAsync(datasetDirectory, embedder, options, cancellationToken);
        return prepared.Evaluate(options.Matcher, options.Methods, cancellationToken);
    }

    /// <summary>
    /// Loads and indexes a data set once, so several matcher settings can be evaluated on it
    /// (field weights, fusion and thresholds act at query time; the long-text handling of
    /// <paramref name="options"/> is fixed here).
    /// </summary>
    /// <exception cref="EvaluationDataException">A file is missing or a line is malformed.</exception>
    public static async Task<PreparedEvaluation> PrepareAsync(string datasetDirectory, SentenceEmbedder embedder, EvaluationOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(datasetDirectory);
        ArgumentNullException.ThrowIfNull(embedder);
        ArgumentNullException.ThrowIfNull(options);
        string directory = Path.GetFullPath(datasetDirectory);
        string corpusPath = Path.Combine(directory, "corpus.jsonl");
        string qrelsPath = Path.Combine(directory, "qrels.jsonl");
        string queriesPath = Path.Combine(directory, "queries.jsonl");
        bool knowledge = File.Exists(queriesPath);

        var corpus = EvaluationData.ReadLines(corpusPath).Select(l => (Line: l.Line, Item: new CorpusItem(
            EvaluationData.RequiredString(l.Element, "id", corpusPath, l.Line),
            EvaluationData.OptionalString(l.Element, "title"),
            EvaluationData.OptionalString(l.Element, "body"),
            EvaluationData.OptionalString(l.Element, "resolution"),
            OptionalDate(l.Element, "created_at", corpusPath, l.Line)))).Select(x => x.Item).ToList();
        var qrels = EvaluationData.ReadLines(qrelsPath).ToDictionary(
            l => EvaluationData.RequiredString(l.Element, "query_id", qrelsPath, l.Line),
            l => (IReadOnlySet<string>)EvaluationData.RequiredStrings(l.Element, "relevant_ids", qrelsPath, l.Line).ToHashSet(StringComparer.Ordinal),
            StringComparer.Ordinal);

        var byId = corpus.GroupBy(c => c.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        List<EvaluationQuery> queries;
        List<MatchDocument> documents;
        if (knowledge)
        {
            documents = [.. byId.Values.Select(c => new MatchDocument
            {
                Id = c.Id,
                Kind = MatchDocumentKind.Playbook,
                Title = c.Title,
                Resolution = c.Resolution,
            })];
            queries = [.. EvaluationData.ReadLines(queriesPath)
                .Select(l => new EvaluationQuery(
                    EvaluationData.RequiredString(l.Element, "query_id", queriesPath, l.Line),
                    EvaluationData.OptionalString(l.Element, "text"),
                    null))
                .Where(q => qrels.ContainsKey(q.Id))];
        }
        else
        {
            documents = [.. byId.Values.Select(c => new MatchDocument
            {
                Id = c.Id,
                Kind = MatchDocumentKind.Case,
                Title = c.Title,
                Body = c.Body,
                CreatedAt = c.CreatedAt,
            })];
            queries = [.. qrels.Keys
                .Where(byId.ContainsKey)
                .Select(id => byId[id])
                .Select(c => new EvaluationQuery(c.Id, JoinNonEmpty(c.Title, c.Body), c.CreatedAt))];
        }

        EmbeddingCache? cache = options.EmbeddingCacheDirectory is null ? null : new EmbeddingCache(options.EmbeddingCacheDirectory);
        options.Progress?.Report($"embedding {documents.Count} items and {queries.Count} queries");
        float[][] documentVectors = await Task.Run(
            () => embedder.EmbedDocuments([.. documents.Select(d => d.EmbeddingText)], options.Matcher.LongText, cache, cancellationToken),
            cancellationToken);
        float[][] queryVectors = await Task.Run(
            () => embedder.EmbedDocuments([.. queries.Select(q => q.Text)], options.Matcher.LongText, cache, cancellationToken),
            cancellationToken);

        var lexical = new LexicalIndex(null, options.Matcher.FieldWeights, new TechnicalTextAnalyzer(options.Matcher.Stemming), options.Matcher.QueryTerms);
        var semantic = new EmbeddingStore();
        var matcher = new TicketMatcher(lexical, semantic, embedder, options.Matcher);
        for (int i = 0; i < documents.Count; i++)
        {
            semantic.Upsert(documents[i].Id, documentVectors[i]);
        }

        lexical.Upsert(documents);
        options.Progress?.Report($"indexed {documents.Count} items");
        return new PreparedEvaluation(
            Path.GetFileName(directory),
            knowledge,
            matcher,
            queries,
            queryVectors,
            qrels,
            byId.ToDictionary(kv => kv.Key, kv => kv.Value.CreatedAt, StringComparer.Ordinal));
    }

    private static string JoinNonEmpty(params string[] parts) =>
        string.Join("\n", parts.Where(p => !string.IsNullOrWhiteSpace(p)));

    private static DateTime? OptionalDate(JsonElement element, string name, string path, int line)
    {
        string text = EvaluationData.OptionalString(element, name);
        if (text.Length == 0)
        {
            return null;
        }

        return DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime value)
            ? value
            : throw new EvaluationDataException($"{path}:{line}: '{name}' is not a date ('{text}'); use ISO 8601.");
    }

    private sealed record CorpusItem(string Id, string Title, string Body, string Resolution, DateTime? CreatedAt);
}

/// <summary>A query of an evaluation: its id, text and (duplicate protocol) creation time.</summary>
/// <param name="Id">The query id.</param>
/// <param name="Text">The ticket text.</param>
/// <param name="CreatedAt">Creation time of the query item (duplicate protocol), else null.</param>
public sealed record EvaluationQuery(string Id, string Text, DateTime? CreatedAt);

/// <summary>An evaluation data set that cannot be read: the message names the file, line and field.</summary>
public sealed class EvaluationDataException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EvaluationDataException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public EvaluationDataException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public EvaluationDataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The result of an evaluation; serialises to the agreed JSON shape (extra fields after the required ones).</summary>
public sealed record EvaluationReport
{
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = false };

    /// <summary>Data set name (the folder name).</summary>
    [JsonPropertyName("dataset")]
    public required string Dataset { get; init; }

    /// <summary><c>knowledge</c> or <c>duplicates</c>.</summary>
    [JsonPropertyName("protocol")]
    public required string Protocol { get; init; }

    /// <summary>Number of evaluated queries.</summary>
    [JsonPropertyName("queries")]
    public required int Queries { get; init; }

    /// <summary>One entry per measured method.</summary>
    [JsonPropertyName("methods")]
    public required IReadOnlyList<MethodMetrics> Methods { get; init; }

    /// <summary>Quality of the "no good match" answer of the hybrid method at the configured threshold, when measured.</summary>
    [JsonPropertyName("no_match")]
    public NoMatchMetrics? NoMatch { get; init; }

    /// <summary>How often the hybrid top item is right per confidence band, when measured.</summary>
    [JsonPropertyName("reliability")]
    public IReadOnlyList<BandReliability>? Reliability { get; init; }

    /// <summary>The tuned ranking fitted on the earlier queries and measured on the later ones, when asked for.</summary>
    [JsonPropertyName("tuning")]
    public TuningMetrics? Tuning { get; init; }

    /// <summary>The encoder the vectors came from (<see cref="SentenceEmbedder.EncoderId"/>).</summary>
    [JsonPropertyName("encoder")]
    public string? Encoder { get; init; }

    /// <summary>The report as one line of JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, s_json);
}

/// <summary>Recall and MRR of one method.</summary>
public sealed record MethodMetrics
{
    /// <summary><c>bm25</c>, <c>dense</c> or <c>hybrid</c>.</summary>
    [JsonPropertyName("method")]
    public required string Method { get; init; }

    /// <summary>Share of queries with a relevant item in the top k, keyed by k ("1", "5", "10", "20").</summary>
    [JsonPropertyName("recall")]
    public required IReadOnlyDictionary<string, double> Recall { get; init; }

    /// <summary>Mean reciprocal rank of the first relevant item (0 beyond rank 100).</summary>
    [JsonPropertyName("mrr")]
    public required double Mrr { get; init; }
}

/// <summary>
/// How well "no good match" is answered. Every query is run twice: as is, and with its relevant items
/// removed from the index (so the right answer does not exist). Abstaining is correct when the best item
/// is not relevant. The decision uses the best item's evidence (<see cref="MatcherOptions.EvidenceOf"/>).
/// </summary>
public sealed record NoMatchMetrics
{
    /// <summary>The evidence threshold under test (<see cref="MatcherOptions.NoMatchThreshold"/>).</summary>
    [JsonPropertyName("threshold")]
    public required double Threshold { get; init; }

    /// <summary>Runs evaluated (twice the queries).</summary>
    [JsonPropertyName("runs")]
    public required int Runs { get; init; }

    /// <summary>Runs answered with "no good match".</summary>
    [JsonPropertyName("abstained")]
    public required int Abstained { get; init; }

    /// <summary>Share of "no good match" answers whose best item was indeed not relevant.</summary>
    [JsonPropertyName("precision")]
    public required double Precision { get; init; }

    /// <summary>Share of runs whose best item was not relevant that were answered with "no good match".</summary>
    [JsonPropertyName("recall")]
    public required double Recall { get; init; }

    /// <summary>Share of answered runs (not abstained) whose best item is relevant.</summary>
    [JsonPropertyName("answered_precision_at_1")]
    public required double AnsweredPrecisionAt1 { get; init; }

    /// <summary>Runs whose best item was banded strong.</summary>
    [JsonPropertyName("strong")]
    public required int Strong { get; init; }

    /// <summary>Share of strong runs whose best item is relevant.</summary>
    [JsonPropertyName("strong_precision_at_1")]
    public required double StrongPrecisionAt1 { get; init; }
}

/// <summary>
/// One row of the reliability table: of the queries whose hybrid top item fell in this confidence band, how many
/// had a relevant top item. Counted on the runs as is (the held-out runs of <see cref="NoMatchMetrics"/> have no
/// right answer by construction).
/// </summary>
public sealed record BandReliability
{
    /// <summary><c>strong</c>, <c>possible</c> or <c>weak</c>.</summary>
    [JsonPropertyName("band")]
    public required string Band { get; init; }

    /// <summary>Queries whose top item was in the band.</summary>
    [JsonPropertyName("runs")]
    public required int Runs { get; init; }

    /// <summary>Of those, the ones whose top item is relevant.</summary>
    [JsonPropertyName("right")]
    public required int Right { get; init; }

    /// <summary>Right ÷ runs (0 when the band is empty).</summary>
    [JsonPropertyName("right_share")]
    public required double RightShare { get; init; }

    /// <summary>Wrong ÷ runs.</summary>
    [JsonPropertyName("wrong_share")]
    public required double WrongShare { get; init; }

    /// <summary>This band's share of all right top items (the calibration goal: little of it in <c>weak</c>).</summary>
    [JsonPropertyName("share_of_all_right")]
    public required double ShareOfAllRight { get; init; }
}

/// <summary>The tuned ranking's check on a data set: MRR and Recall@1 on the later queries, fused and tuned (null when no model could be fitted).</summary>
public sealed record TuningMetrics
{
    /// <summary>Earlier queries the checked model was fitted on.</summary>
    [JsonPropertyName("train_queries")]
    public int? TrainQueries { get; init; }

    /// <summary>Later queries it was measured on.</summary>
    [JsonPropertyName("test_queries")]
    public int? TestQueries { get; init; }

    /// <summary>MRR of the fused ranking on the later queries.</summary>
    [JsonPropertyName("fused_mrr")]
    public double? FusedMrr { get; init; }

    /// <summary>MRR of the tuned ranking on the later queries.</summary>
    [JsonPropertyName("tuned_mrr")]
    public double? TunedMrr { get; init; }

    /// <summary>Recall@1 of the fused ranking on the later queries.</summary>
    [JsonPropertyName("fused_recall_at_1")]
    public double? FusedRecallAt1 { get; init; }

    /// <summary>Recall@1 of the tuned ranking on the later queries.</summary>
    [JsonPropertyName("tuned_recall_at_1")]
    public double? TunedRecallAt1 { get; init; }

    /// <summary>The weights of the model fitted on all queries, by feature name (what <c>ticketops tune</c> would write).</summary>
    [JsonPropertyName("weights")]
    public IReadOnlyDictionary<string, double>? Weights { get; init; }

    /// <summary>Why no model could be fitted, or null.</summary>
    [JsonPropertyName("problem")]
    public string? Problem { get; init; }

    /// <summary>The figures of a tuning run.</summary>
    public static TuningMetrics From(TuningOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return new TuningMetrics
        {
            TrainQueries = outcome.Check?.TrainQueries,
            TestQueries = outcome.Check?.TestQueries,
            FusedMrr = outcome.Check?.FusedMrr,
            TunedMrr = outcome.Check?.TunedMrr,
            FusedRecallAt1 = outcome.Check?.FusedRecallAt1,
            TunedRecallAt1 = outcome.Check?.TunedRecallAt1,
            Weights = outcome.Model is { } model
                ? model.Features.Zip(model.Weights).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal)
                : null,
            Problem = outcome.Problem,
        };
    }
}
