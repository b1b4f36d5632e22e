using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using TicketOps.Core.Access;
using TicketOps.Core.Matching;
using TicketOps.Core.Storage;
using TicketOps.Core.Synthetic;

namespace TicketOps.Bench;

/// <summary>What the HTTP load benchmark does.</summary>
/// <param name="Cases">Indexed cases (an even sample of the match benchmark's 100k corpus, so cached vectors are reused).</param>
/// <param name="Clients">Concurrent clients.</param>
/// <param name="Requests">Match requests in all (after a warm-up).</param>
/// <param name="Seconds">Stop earlier when this much time has passed.</param>
/// <param name="Scratch">Where the prepared data directories and the vector cache live.</param>
/// <param name="Port">Loopback port of the server.</param>
internal sealed record HttpLoadOptions(int Cases, int Clients, int Requests, int Seconds, string Scratch, int Port);

/// <summary>
/// Starts <c>ticketops serve</c> as a second process on loopback over a prepared data directory and fires
/// <c>POST /api/match</c> from N concurrent clients: latency p50/p99 as the client sees it, and throughput.
/// The data directory is built once per size: the index and embeddings straight from the match
/// benchmark's corpus and vector cache (no database import: matching reads only the index), plus an agent key.
/// </summary>
internal static class HttpLoadBenchmark
{
    private const int CorpusSize = 100_000;
    private const int EncodeEvery = 10;
    private const int Playbooks = 1000;
    private const int WarmupRequests = 20;

    public static async Task<int> RunAsync(HttpLoadOptions options)
    {
        Console.WriteLine($"cores {Environment.ProcessorCount}, load average {MatchBenchmark.LoadAverage()}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        string server = ServerAssembly();
        string dataDir = Path.Combine(options.Scratch, $"http-{options.Cases}");
        string key = await PrepareAsync(dataDir, options);
        string[] queries = [.. DemoCaseGenerator.Generate(new DemoDataOptions(500, MatchBenchmark.QuerySeed, MatchBenchmark.s_end)).Select(MatchBenchmark.QueryText)];

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[] { server, "serve", "--data-dir", dataDir, "--urls", $"http://127.0.0.1:{options.Port}" })
        {
            start.ArgumentList.Add(arg);
        }

        // The per-key limit would measure the limiter, not the server.
        start.Environment["TicketOps__RateLimit__RequestsPerSecond"] = "1000000";
        start.Environment["TicketOps__RateLimit__Burst"] = "1000000";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("could not start the server");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { Console.WriteLine($"  server: {e.Data}"); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.WriteLine($"  server: {e.Data}"); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{options.Port}"), Timeout = TimeSpan.FromSeconds(60) };
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
            var ready = Stopwatch.StartNew();
            await WaitReadyAsync(client, process);
            Console.WriteLine($"server ready in {ready.Elapsed.TotalSeconds:N1} s (pid {process.Id})");
            for (int i = 0; i < WarmupRequests; i++)
            {
                await MatchAsync(client, queries[i % queries.Length]);
            }

            (List<double> latencies, int failures, TimeSpan elapsed) = await FireAsync(client, queries, options);
            latencies.Sort();
            double p50 = Percentile(latencies, 0.50);
            double p99 = Percentile(latencies, 0.99);
            double throughput = latencies.Count / elapsed.TotalSeconds;
            string peak = PeakRss(process.Id);
            Console.WriteLine();
            Console.WriteLine("| cases | clients | requests | failed | p50 ms | p99 ms | requests/s | server peak RSS MiB | load average after |");
            Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {options.Cases:N0} | {options.Clients} | {latencies.Count:N0} | {failures} | {p50:N1} | {p99:N1} | {throughput:N1} | {peak} | {MatchBenchmark.LoadAverage()} |"));
            return failures == 0 ? 0 : 1;
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static async Task<(List<double> Latencies, int Failures, TimeSpan Elapsed)> FireAsync(HttpClient client, string[] queries, HttpLoadOptions options)
    {
        var latencies = new List<double>(options.Requests);
        int next = -1;
        int failures = 0;
        var deadline = Stopwatch.StartNew();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, options.Clients).Select(async _ =>
        {
            var mine = new List<double>();
            int index;
            while ((index = Interlocked.Increment(ref next)) < options.Requests && deadline.Elapsed.TotalSeconds < options.Seconds)
            {
                long started = Stopwatch.GetTimestamp();
                bool ok = await MatchAsync(client, queries[index % queries.Length]);
                double ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (ok)
                {
                    mine.Add(ms);
                }
                else
                {
                    Interlocked.Increment(ref failures);
                }
            }

            lock (latencies)
            {
                latencies.AddRange(mine);
            }
        }));
        return (latencies, failures, clock.Elapsed);
    }

    private static async Task<bool> MatchAsync(HttpClient client, string text)
    {
        using HttpResponseMessage response = await client.PostAsJsonAsync(new Uri("/api/match", UriKind.Relative), new { text, top = 5 });
        await response.Content.ReadAsByteArrayAsync();
        return response.IsSuccessStatusCode;
    }

    private static async Task WaitReadyAsync(HttpClient client, Process process)
    {
        for (int attempt = 0; attempt < 600; attempt++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the server exited with {process.ExitCode}");
            }

            try
            {
                using HttpResponseMessage response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(500);
        }

        throw new TimeoutException("the server was not ready within 300 s");
    }

    /// <summary>Builds the data directory once: index, embeddings, a migrated database and an agent key.</summary>
    private static async Task<string> PrepareAsync(string dataDir, HttpLoadOptions options)
    {
        string keyFile = Path.Combine(dataDir, "bench-agent.key");
        if (File.Exists(keyFile))
        {
            Console.WriteLine($"data directory {dataDir} already prepared");
            return (await File.ReadAllTextAsync(keyFile)).Trim();
        }

        var stopwatch = Stopwatch.StartNew();
        if (Directory.Exists(dataDir))
        {
            Directory.Delete(dataDir, recursive: true);
        }

        var data = new DataDirectory(dataDir);
        MatcherOptions matcherOptions = MatcherOptions.Default;
        using var embedder = new SentenceEmbedder();
        Core.Import.CaseRecord[] records = [.. DemoCaseGenerator.Generate(new DemoDataOptions(CorpusSize, MatchBenchmark.CorpusSeed, MatchBenchmark.s_end))];
        MatchDocument[] allCases = [.. records.Select(MatchBenchmark.Case)];
        List<MatchDocument> playbooks = [.. DemoCaseGenerator.Generate(new DemoDataOptions(Playbooks, MatchBenchmark.PlaybookSeed, MatchBenchmark.s_end)).Select((r, i) => MatchBenchmark.Playbook(r, i))];
        var benchOptions = new MatchBenchmarkOptions([CorpusSize], Playbooks, 0, 0, 0, options.Scratch, EncodeEvery, PrepareOnly: true, QueryTerms: null);
        Dictionary<string, float[]> vectorOf = MatchBenchmark.EncodeCorpus(embedder, allCases, playbooks, benchOptions, matcherOptions);

        int every = CorpusSize / options.Cases;
        List<MatchDocument> documents = [.. allCases.Where((_, i) => i % every == 0).Take(options.Cases), .. playbooks];
        using (var lexical = new LexicalIndex(data.SearchIndexPath, matcherOptions.FieldWeights, new TechnicalTextAnalyzer(matcherOptions.Stemming)))
        using (var semantic = new EmbeddingStore())
        {
            foreach (MatchDocument[] batch in documents.Chunk(1024))
            {
                lexical.Upsert(batch);
                foreach (MatchDocument document in batch)
                {
                    semantic.Upsert(document.Id, vectorOf[document.Id]);
                }
            }

            lexical.Compact();
            semantic.Save(data.EmbeddingsPath);
        }

        await TicketOpsDatabase.MigrateAsync(data);
        await using (TicketOpsDbContext db = TicketOpsDatabase.CreateContext(data))
        {
            CreatedApiKey created = await new ApiKeyStore(db, TimeProvider.System).CreateAsync("load bench", "agent");
            await File.WriteAllTextAsync(keyFile, created.PlainKey);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Console.WriteLine($"prepared {documents.Count:N0} items in {dataDir} in {stopwatch.Elapsed.TotalSeconds:N0} s");
        return (await File.ReadAllTextAsync(keyFile)).Trim();
    }

    private static string ServerAssembly()
    {
        string? folder = AppContext.BaseDirectory;
        while (folder is not null && !File.Exists(Path.Combine(folder, "TicketOps.sln")))
        {
            folder = Path.GetDirectoryName(folder);
        }

        string path = Path.Combine(folder ?? ".", "src", "TicketOps", "bin", "Release", "net10.0", "ticketops.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"build the server first: dotnet build -c Release src/TicketOps ({path} is missing)");
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static string PeakRss(int pid)
    {
        string path = $"/proc/{pid}/status";
        string? line = File.Exists(path) ? File.ReadLines(path).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)) : null;
        return line is null ? "n/a" : (long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024).ToString("N0", CultureInfo.InvariantCulture);
    }
}
