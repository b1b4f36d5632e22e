using System.Diagnostics;
using System.Globalization;
using TicketOps.Core.Import;
using TicketOps.Core.Matching;
using TicketOps.Core.Storage;
using TicketOps.Core.Synthetic;

namespace TicketOps.Bench;

/// <summary>Settings of the matching benchmark (see <see cref="MatchBenchmark"/>).</summary>
/// <param name="Corpora">Numbers of synthetic cases, one corpus each.</param>
/// <param name="Playbooks">Synthetic playbooks added to every corpus.</param>
/// <param name="Queries">Held-out tickets timed per corpus.</param>
/// <param name="BuildSample">Documents of the largest corpus on which build and model rates are measured.</param>
/// <param name="BuildRuns">Alternating model/build runs on the sample (medians).</param>
/// <param name="Scratch">Folder outside the repository for the indexes and the vector cache.</param>
/// <param name="EncodeEvery">Encode every k-th case of the largest corpus (and all playbooks); the others borrow a perturbed copy of the previous encoded case's vector.</param>
/// <param name="PrepareOnly">Only fill the vector cache, then stop.</param>
/// <param name="QueryTerms">BM25 query terms kept (<see cref="MatcherOptions.QueryTerms"/>); the default when null.</param>
/// <param name="Precision">The encoder: int8 (the product's default) or the float model, to compare in one sitting.</param>
internal sealed record MatchBenchmarkOptions(int[] Corpora, int Playbooks, int Queries, int BuildSample, int BuildRuns, string Scratch, int EncodeEvery, bool PrepareOnly, int? QueryTerms, EncoderPrecision Precision = EncoderPrecision.Quantized);

/// <summary>
/// Matching at 10k and 100k cases: index build rate beside the model's own encoding rate on the same texts,
/// warm single-query latency split into query encoding and everything else, throughput with one and two
/// callers, and peak memory. Encoding 100k texts takes tens of minutes on two cores, so the full-size
/// indexes are built from vectors computed once and cached in <see cref="MatchBenchmarkOptions.Scratch"/>;
/// the build rate itself is measured end to end (encoding included) on a sample.
/// </summary>
internal static class MatchBenchmark
{
    internal static readonly DateTime s_end = new(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);

    // Separate seeds: the queries and playbooks are not copies of indexed cases.
    internal const int CorpusSeed = 42;
    internal const int PlaybookSeed = 1001;
    internal const int QuerySeed = 2002;
    private const int WarmupSeed = 3003;
    // Warm means the JIT has finished: a method is recompiled optimised after 30 calls and a short delay, and
    // with 20 warm-up tickets the once-per-match code (scoring, fusion, explanations) was still running its
    // first, unoptimised compilation during the timed pass (~2 ms of the 6.4 ms "all but encoding" at 100k).
    private const int WarmupQueries = 100;
    private const int QueryWords = 100;

    // More distinct terms than a ~100-word ticket has: "keep them all".
    private const int AllQueryTerms = 1000;

    // Same batch size as TicketMatcher.RebuildAsync, so each batch costs one Lucene commit as in production.
    private const int BuildBatch = 256;

    public static async Task<int> RunAsync(MatchBenchmarkOptions options)
    {
        Directory.CreateDirectory(options.Scratch);
        var matcherOptions = options.QueryTerms is { } terms ? MatcherOptions.Default with { QueryTerms = terms } : MatcherOptions.Default;
        Console.WriteLine($"BM25 query terms kept: {matcherOptions.QueryTerms}");
        Console.WriteLine($"cores {Environment.ProcessorCount}, load average {LoadAverage()}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");

        var load = Stopwatch.StartNew();
        using var embedder = new SentenceEmbedder(options.Precision);
        Console.WriteLine($"encoder: {embedder.EncoderId}");
        embedder.Embed([.. Enumerable.Repeat("warm up the encoder with a short sentence", 32)]);
        Console.WriteLine($"model loaded and warmed in {load.Elapsed.TotalSeconds:N1} s");

        List<MatchDocument> playbooks = [.. DemoCaseGenerator.Generate(new DemoDataOptions(options.Playbooks, PlaybookSeed, s_end)).Select((r, i) => Playbook(r, i))];
        string[] queries = [.. DemoCaseGenerator.Generate(new DemoDataOptions(options.Queries, QuerySeed, s_end)).Select(QueryText)];
        string[] warmup = [.. DemoCaseGenerator.Generate(new DemoDataOptions(WarmupQueries, WarmupSeed, s_end)).Select(QueryText)];
        Console.WriteLine($"{queries.Length} held-out queries, {queries.Average(q => q.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length):N0} words on average");

        var rows = new List<CorpusRow>();
        BuildRow? build = null;

        // The largest corpus is generated once; a smaller one is an even sample of it (every k-th case, so it
        // spans the same twelve months and families), which also lets it reuse the cached vectors.
        int largest = options.Corpora.Max();
        var generate = Stopwatch.StartNew();
        MatchDocument[] allCases = [.. DemoCaseGenerator.Generate(new DemoDataOptions(largest, CorpusSeed, s_end)).Select(Case)];
        Console.WriteLine($"{largest:N0} cases generated in {generate.Elapsed.TotalSeconds:N1} s; load {LoadAverage()}");
        Dictionary<string, float[]> vectorOf = EncodeCorpus(embedder, allCases, playbooks, options, matcherOptions);
        if (options.PrepareOnly)
        {
            return 0;
        }
        foreach (int cases in options.Corpora.Order())
        {
            int every = largest / cases;
            List<MatchDocument> documents = [.. allCases.Where((_, i) => i % every == 0).Take(cases), .. playbooks];

            if (cases == largest && options.BuildSample > 0)
            {
                build = await MeasureBuildRateAsync(embedder, documents, options, matcherOptions);
            }

            // The largest corpus comes last: the generated cases and their vectors are not needed after it is
            // built, and a serving process does not hold them (they were ~0.5 GB of objects under every timing).
            bool last = cases == largest;
            if (last)
            {
                allCases = [];
            }

            rows.Add(await MeasureCorpusAsync(embedder, vectorOf, documents, cases, queries, warmup, options, matcherOptions, releaseVectors: last));
        }

        allCases = [];
        vectorOf.Clear();
        Print(build, rows, options);
        return 0;
    }

    /// <summary>
    /// Vectors of the corpus, through the on-disk cache (an interrupted run keeps what it computed). With
    /// <see cref="MatchBenchmarkOptions.EncodeEvery"/> k &gt; 1 only every k-th case is encoded; each other case
    /// gets the previous encoded case's vector plus small noise, renormalised. Exact dense search costs the
    /// same whatever the values, so latency and memory stay representative; the rankings do not.
    /// </summary>
    internal static Dictionary<string, float[]> EncodeCorpus(SentenceEmbedder embedder, MatchDocument[] cases, List<MatchDocument> playbooks, MatchBenchmarkOptions options, MatcherOptions matcherOptions)
    {
        var cache = new EmbeddingCache(Path.Combine(options.Scratch, "vector-cache"));
        MatchDocument[] encoded = [.. cases.Where((_, i) => i % options.EncodeEvery == 0), .. playbooks];
        var stopwatch = Stopwatch.StartNew();
        int cachedBefore = cache.Count;
        var vectorOf = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (MatchDocument[] slice in encoded.Chunk(2048))
        {
            float[][] vectors = embedder.EmbedDocuments([.. slice.Select(d => d.EmbeddingText)], matcherOptions.LongText, cache);
            for (int i = 0; i < slice.Length; i++)
            {
                vectorOf[slice[i].Id] = vectors[i];
            }

            Console.WriteLine($"vectors: {vectorOf.Count:N0}/{encoded.Length:N0} ({cache.Count - cachedBefore:N0} newly encoded) after {stopwatch.Elapsed.TotalSeconds:N0} s; load {LoadAverage()}");
        }

        var random = new Random(CorpusSeed);
        float[] anchor = vectorOf[cases[0].Id];
        foreach (MatchDocument document in cases)
        {
            if (vectorOf.TryGetValue(document.Id, out float[]? real))
            {
                anchor = real;
                continue;
            }

            var borrowed = new float[SentenceEmbedder.Dimensions];
            for (int d = 0; d < borrowed.Length; d++)
            {
                borrowed[d] = anchor[d] + (0.02f * (float)((random.NextDouble() * 2) - 1));
            }

            SentenceEmbedder.Normalize(borrowed);
            vectorOf[document.Id] = borrowed;
        }

        return vectorOf;
    }

    private static async Task<BuildRow> MeasureBuildRateAsync(SentenceEmbedder embedder, List<MatchDocument> documents, MatchBenchmarkOptions options, MatcherOptions matcherOptions)
    {
        // An even sample over the whole window (the families' mix changes over the months).
        int step = Math.Max(1, documents.Count / options.BuildSample);
        List<MatchDocument> sample = [.. documents.Where((_, i) => i % step == 0).Take(options.BuildSample)];
        string[] texts = [.. sample.Select(d => d.EmbeddingText)];
        var model = new List<double>();
        var rebuild = new List<double>();
        string load = LoadAverage();
        for (int run = 0; run < options.BuildRuns; run++)
        {
            // Model alone: the encoder over the same texts, sorted and batched as the build does.
            var stopwatch = Stopwatch.StartNew();
            embedder.Embed(texts);
            model.Add(stopwatch.Elapsed.TotalSeconds);

            // The product's rebuild: split/truncate, encode, BM25 index on disk with a commit per batch, save vectors.
            var data = new DataDirectory(Path.Combine(options.Scratch, "build-sample"));
            DeleteDerived(data);
            using (TicketMatcher matcher = TicketMatcher.Open(data, embedder, matcherOptions))
            {
                stopwatch.Restart();
                await matcher.RebuildAsync(sample.ToAsyncEnumerable());
                rebuild.Add(stopwatch.Elapsed.TotalSeconds);
                if (matcher.Lexical.Count != sample.Count || matcher.Semantic.Count != sample.Count)
                {
                    throw new InvalidOperationException($"rebuild indexed {matcher.Lexical.Count}/{matcher.Semantic.Count} of {sample.Count}");
                }
            }

            Console.WriteLine($"build run {run + 1}: model {sample.Count / model[^1]:N1} docs/s, rebuild {sample.Count / rebuild[^1]:N1} docs/s; load {LoadAverage()}");
        }

        return new BuildRow(sample.Count, ImportBenchmark.Median(model), ImportBenchmark.Median(rebuild), $"{load} → {LoadAverage()}");
    }

    private static async Task<CorpusRow> MeasureCorpusAsync(
        SentenceEmbedder embedder,
        Dictionary<string, float[]> vectorOf,
        List<MatchDocument> documents,
        int cases,
        string[] queries,
        string[] warmup,
        MatchBenchmarkOptions options,
        MatcherOptions matcherOptions,
        bool releaseVectors)
    {
        float[][] vectors = [.. documents.Select(d => vectorOf[d.Id])];
        if (releaseVectors)
        {
            vectorOf.Clear();
            vectorOf.TrimExcess();
        }

        // Full-size build from the cached vectors: the BM25 index on disk in batches (one commit each, as
        // RebuildAsync does) and the vector store filled and saved once.
        var data = new DataDirectory(Path.Combine(options.Scratch, $"match-{cases}"));
        DeleteDerived(data);
        var lexical = new LexicalIndex(data.SearchIndexPath, matcherOptions.FieldWeights, new TechnicalTextAnalyzer(matcherOptions.Stemming), matcherOptions.QueryTerms);
        var semantic = new EmbeddingStore();
        var stopwatch = Stopwatch.StartNew();
        foreach (MatchDocument[] batch in documents.Chunk(BuildBatch))
        {
            lexical.Upsert(batch);
        }

        lexical.Compact(); // as TicketMatcher.IndexManyAsync does after a bulk load

        double lexicalSeconds = stopwatch.Elapsed.TotalSeconds;
        stopwatch.Restart();
        for (int i = 0; i < documents.Count; i++)
        {
            semantic.Upsert(documents[i].Id, vectors[i]);
        }

        semantic.Save(data.EmbeddingsPath);
        double vectorSeconds = stopwatch.Elapsed.TotalSeconds;
        int count = documents.Count;
        documents.Clear();
        vectors = [];
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Console.WriteLine($"indexed {count:N0}: BM25 {lexicalSeconds:N1} s, vectors {vectorSeconds:N1} s; load {LoadAverage()}");

        using var matcher = new TicketMatcher(lexical, semantic, embedder, matcherOptions);
        foreach (string text in warmup)
        {
            await matcher.MatchAsync(new MatchRequest { Text = text });
            matcher.Match(new MatchRequest { Text = text }, embedder.EmbedDocuments([text], matcherOptions.LongText)[0]);
        }

        string load = LoadAverage();
        var encode = new List<double>();
        var rest = new List<double>();
        var bm25 = new List<double>();
        var dense = new List<double>();
        var bm25AllTerms = new List<double>();
        var total = new List<double>();
        var queryVectors = new float[queries.Length][];
        int goodMatches = 0;
        int[] collections = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        TimeSpan paused = GC.GetTotalPauseDuration();
        for (int q = 0; q < queries.Length; q++)
        {
            var request = new MatchRequest { Text = queries[q] };
            long t0 = Stopwatch.GetTimestamp();
            float[] vector = embedder.EmbedDocuments([queries[q]], matcherOptions.LongText)[0];
            long t1 = Stopwatch.GetTimestamp();
            MatchResult result = matcher.Match(request, vector);
            long t2 = Stopwatch.GetTimestamp();
            encode.Add(Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds);
            rest.Add(Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds);
            goodMatches += result.HasGoodMatch ? 1 : 0;
            queryVectors[q] = vector;

            // The two retrievers alone (diagnostic: where the non-encoding time goes).
            t0 = Stopwatch.GetTimestamp();
            matcher.Lexical.Search(queries[q], MatchFilter.None, matcherOptions.Fusion.CandidatesPerMethod);
            t1 = Stopwatch.GetTimestamp();
            matcher.Semantic.Search(vector, matcherOptions.Fusion.CandidatesPerMethod);
            t2 = Stopwatch.GetTimestamp();
            bm25.Add(Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds);
            dense.Add(Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds);

            // The same BM25 search with every ticket term (the query before term selection), for an in-run ratio.
            t0 = Stopwatch.GetTimestamp();
            matcher.Lexical.Search(queries[q], MatchFilter.None, matcherOptions.Fusion.CandidatesPerMethod, maxTerms: AllQueryTerms);
            bm25AllTerms.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        }

        Console.WriteLine($"split pass: encode p50 {new Timing(encode).P50:N1} ms, all but encoding p50 {new Timing(rest).P50:N1} ms (BM25 {new Timing(bm25).P50:N1}, all terms {new Timing(bm25AllTerms).P50:N1}, dense {new Timing(dense).P50:N1}); load {LoadAverage()}");
        Console.WriteLine($"split pass garbage collections (gen 0/1/2): {GC.CollectionCount(0) - collections[0]}/{GC.CollectionCount(1) - collections[1]}/{GC.CollectionCount(2) - collections[2]} over {queries.Length} queries, paused {(GC.GetTotalPauseDuration() - paused).TotalMilliseconds:N0} ms in all");
        foreach (string text in queries)
        {
            long t0 = Stopwatch.GetTimestamp();
            await matcher.MatchAsync(new MatchRequest { Text = text });
            total.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        }

        double oneCaller = await ThroughputAsync(1, queries, q => matcher.MatchAsync(new MatchRequest { Text = queries[q] }));
        double twoCallers = await ThroughputAsync(2, queries, q => matcher.MatchAsync(new MatchRequest { Text = queries[q] }));
        double oneCallerRest = await ThroughputAsync(1, queries, q => Task.FromResult(matcher.Match(new MatchRequest { Text = queries[q] }, queryVectors[q])));
        double twoCallersRest = await ThroughputAsync(2, queries, q => Task.FromResult(matcher.Match(new MatchRequest { Text = queries[q] }, queryVectors[q])));

        GC.Collect();
        var row = new CorpusRow(
            cases,
            count,
            lexicalSeconds,
            vectorSeconds,
            new Timing(encode),
            new Timing(rest),
            new Timing(bm25),
            new Timing(bm25AllTerms),
            new Timing(dense),
            new Timing(total),
            oneCaller,
            twoCallers,
            oneCallerRest,
            twoCallersRest,
            StatusMiB("VmRSS"),
            StatusMiB("VmHWM"),
            goodMatches,
            $"{load} → {LoadAverage()}");
        Console.WriteLine($"{cases:N0}: encode p50 {row.Encode.P50:N1} ms, rest p50 {row.Rest.P50:N1} / p99 {row.Rest.P99:N1} ms, total p50 {row.Total.P50:N1} ms; {oneCaller:N1} → {twoCallers:N1} q/s; RSS {row.RssMiB:N0} MiB, peak {row.PeakMiB:N0} MiB");
        return row;
    }

    /// <summary>Queries per second with <paramref name="callers"/> concurrent callers, each running every query once.</summary>
    private static async Task<double> ThroughputAsync<T>(int callers, string[] queries, Func<int, Task<T>> match)
    {
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(c => Task.Run(async () =>
        {
            // Each caller starts at a different query so the two do not move in lock-step.
            for (int i = 0; i < queries.Length; i++)
            {
                await match((i + (c * queries.Length / callers)) % queries.Length);
            }
        })));
        return callers * queries.Length / stopwatch.Elapsed.TotalSeconds;
    }

    private static void Print(BuildRow? build, List<CorpusRow> rows, MatchBenchmarkOptions options)
    {
        Console.WriteLine();
        if (build is not null)
        {
            Console.WriteLine($"Index build on a sample of {build.Documents:N0} documents of the largest corpus (median of {options.BuildRuns}; load {build.Load}):");
            Console.WriteLine();
            Console.WriteLine("| step | median s | docs/s | × model rate |");
            Console.WriteLine("| --- | --- | --- | --- |");
            Console.WriteLine($"| model alone: `SentenceEmbedder.Embed` on the same texts (baseline) | {build.ModelSeconds:N1} | {build.Documents / build.ModelSeconds:N1} | 1.00 |");
            Console.WriteLine($"| index build: `TicketMatcher.RebuildAsync` (on disk, BM25 + vectors) | {build.RebuildSeconds:N1} | {build.Documents / build.RebuildSeconds:N1} | {build.ModelSeconds / build.RebuildSeconds:N2} |");
            Console.WriteLine();
        }

        Console.WriteLine("Full-size indexes from cached vectors (everything the build does except encoding):");
        Console.WriteLine();
        Console.WriteLine("| cases | documents | BM25 index s | vector store s | docs/s without encoding |" + (build is null ? "" : " projected full build at the sample's rate |"));
        Console.WriteLine("| --- | --- | --- | --- | --- |" + (build is null ? "" : " --- |"));
        foreach (CorpusRow r in rows)
        {
            string projected = build is null ? "" : $" {r.Documents / (build.Documents / build.RebuildSeconds) / 60:N0} min |";
            Console.WriteLine($"| {r.Cases:N0} | {r.Documents:N0} | {r.LexicalSeconds:N1} | {r.VectorSeconds:N1} | {r.Documents / (r.LexicalSeconds + r.VectorSeconds):N0} |{projected}");
        }

        Console.WriteLine();
        Console.WriteLine($"Warm single-query latency, ms, over {options.Queries} held-out tickets (title + up to {QueryWords} words):");
        Console.WriteLine();
        Console.WriteLine("| cases | encode p50 | encode p99 | all but encoding p50 | p99 | of which BM25 search p50 | BM25 with all terms p50 | dense top-100 p50 | `MatchAsync` total p50 | total p99 | good matches | load |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (CorpusRow r in rows)
        {
            Console.WriteLine($"| {r.Cases:N0} | {r.Encode.P50:N1} | {r.Encode.P99:N1} | {r.Rest.P50:N1} | {r.Rest.P99:N1} | {r.Bm25.P50:N1} | {r.Bm25AllTerms.P50:N1} | {r.Dense.P50:N1} | {r.Total.P50:N1} | {r.Total.P99:N1} | {r.GoodMatches}/{options.Queries} | {r.Load} |");
        }

        Console.WriteLine();
        Console.WriteLine("Throughput, queries/s (each caller runs every query once):");
        Console.WriteLine();
        Console.WriteLine("| cases | `MatchAsync` 1 caller | 2 callers | × | without encoding 1 caller | 2 callers | × | RSS after GC MiB | peak RSS (VmHWM) MiB |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (CorpusRow r in rows)
        {
            Console.WriteLine($"| {r.Cases:N0} | {r.OneCaller:N1} | {r.TwoCallers:N1} | {r.TwoCallers / r.OneCaller:N2} | {r.OneCallerRest:N0} | {r.TwoCallersRest:N0} | {r.TwoCallersRest / r.OneCallerRest:N2} | {r.RssMiB:N0} | {r.PeakMiB:N0} |");
        }
    }

    internal static MatchDocument Case(CaseRecord record) => new()
    {
        Id = $"case:{record.Source}:{record.ExternalId}",
        Kind = MatchDocumentKind.Case,
        Title = record.Title ?? "",
        Body = record.Description ?? "",
        Resolution = string.Join("\n", new[] { record.Cause, record.Resolution }.Where(s => !string.IsNullOrWhiteSpace(s))),
        Product = record.Product,
        Component = record.Component,
        Version = record.Version,
        CreatedAt = record.CreatedAt,
    };

    internal static MatchDocument Playbook(CaseRecord record, int index) => new()
    {
        Id = $"playbook:bench-{index:D4}",
        Kind = MatchDocumentKind.Playbook,
        Title = record.Title ?? "",
        Body = record.Cause ?? "",
        Resolution = record.Resolution ?? "",
        Product = record.Product,
        Component = record.Component,
    };

    internal static string QueryText(CaseRecord record)
    {
        // The generated descriptions average ~55 words; the customer's follow-up comments make up a typical
        // ticket of ~100 words.
        IEnumerable<string> parts = [record.Description ?? "", .. (record.Comments ?? []).Where(c => c.Public == true).Select(c => c.Body ?? "")];
        string[] words = string.Join(' ', parts).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return $"{record.Title}\n{string.Join(' ', words.Take(QueryWords))}";
    }

    private static void DeleteDerived(DataDirectory data)
    {
        foreach (string folder in new[] { data.SearchIndexPath, data.EmbeddingsPath })
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    internal static string LoadAverage()
    {
        string[] parts = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ') : [];
        return parts.Length >= 3 ? $"{parts[0]} {parts[1]} {parts[2]}" : "n/a";
    }

    private static double StatusMiB(string field)
    {
        foreach (string line in File.Exists("/proc/self/status") ? File.ReadLines("/proc/self/status") : [])
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return double.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
            }
        }

        return field == "VmHWM" ? Process.GetCurrentProcess().PeakWorkingSet64 / 1_048_576.0 : Environment.WorkingSet / 1_048_576.0;
    }

    private sealed record BuildRow(int Documents, double ModelSeconds, double RebuildSeconds, string Load);

    private sealed record CorpusRow(
        int Cases,
        int Documents,
        double LexicalSeconds,
        double VectorSeconds,
        Timing Encode,
        Timing Rest,
        Timing Bm25,
        Timing Bm25AllTerms,
        Timing Dense,
        Timing Total,
        double OneCaller,
        double TwoCallers,
        double OneCallerRest,
        double TwoCallersRest,
        double RssMiB,
        double PeakMiB,
        int GoodMatches,
        string Load);

    /// <summary>Median and 99th percentile (nearest rank) of a set of milliseconds.</summary>
    private sealed class Timing
    {
        public Timing(List<double> milliseconds)
        {
            double[] sorted = [.. milliseconds.Order()];
            P50 = ImportBenchmark.Median(milliseconds);
            P99 = sorted[Math.Max(0, (int)Math.Ceiling(0.99 * sorted.Length) - 1)];
        }

        public double P50 { get; }

        public double P99 { get; }
    }
}
