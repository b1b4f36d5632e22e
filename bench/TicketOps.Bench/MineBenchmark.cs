using System.Diagnostics;
using System.Text.Json;
using TicketOps.Core.Import;
using TicketOps.Core.Matching;
using TicketOps.Core.Mining;
using TicketOps.Core.Storage;
using TicketOps.Core.Synthetic;
using TicketOps.Core.Themes;

namespace TicketOps.Bench;

/// <summary>Settings of <see cref="MineBenchmark"/>.</summary>
/// <param name="Cases">Synthetic cases generated for the quality part (0 skips it).</param>
/// <param name="Sizes">Vector counts for the scale part (empty skips it).</param>
/// <param name="ExactBaselineLimit">Largest size at which the exact-neighbour path is run as the baseline.</param>
/// <param name="Scratch">Folder for the database and the embedding cache (MiniLM is slow on two cores).</param>
/// <param name="Resolution">Fixed Louvain resolution for the quality part instead of the product's choice by stability; null = product default.</param>
internal sealed record MineBenchmarkOptions(int Cases, int[] Sizes, int ExactBaselineLimit, string Scratch, double? Resolution);

/// <summary>
/// The mining figures of docs/mining.md. Quality: the synthetic demo set (ground-truth issue families via
/// <see cref="CaseRecord.EvalFamily"/>) imported into a fresh database and mined with the product defaults,
/// scored by ARI/NMI against the families, and counted per family: one candidate, several, none, and
/// candidates that came from one-off noise. Scale: clustering of 384-d vectors with family structure at
/// 10k/30k/100k, beside the exact-neighbour path measured in the same run where it is affordable.
/// </summary>
internal static class MineBenchmark
{
    private static readonly DateTime s_generatorEnd = new(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);

    private static readonly JsonSerializerOptions s_lines = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public static async Task<int> RunAsync(MineBenchmarkOptions options)
    {
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {LoadAverage()}");
        if (options.Cases > 0)
        {
            await SyntheticQualityAsync(options);
        }

        if (options.Sizes.Length > 0)
        {
            Scale(options);
        }

        Console.WriteLine($"load average at the end: {LoadAverage()}");
        return 0;
    }

    private static async Task SyntheticQualityAsync(MineBenchmarkOptions options)
    {
        string folder = Path.Combine(options.Scratch, "mine-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        string file = Path.Combine(folder, "cases.jsonl");
        var familyOf = new Dictionary<string, string?>(StringComparer.Ordinal);
        await using (var writer = new StreamWriter(file))
        {
            foreach (CaseRecord record in DemoCaseGenerator.Generate(new DemoDataOptions(options.Cases, 42, s_generatorEnd)))
            {
                familyOf[record.ExternalId!] = record.EvalFamily;
                await writer.WriteLineAsync(JsonSerializer.Serialize(record, s_lines));
            }
        }

        var data = new DataDirectory(Path.Combine(folder, "data"));
        using var embedder = new SentenceEmbedder();
        var cache = new EmbeddingCache(Path.Combine(options.Scratch, "mine-embeddings"));
        var clustering = new CaseClustererOptions();
        if (options.Resolution is { } resolution)
        {
            clustering.Resolution = resolution;
            clustering.ResolutionCandidates = null;
        }

        var watch = Stopwatch.StartNew();
        MiningRun run;
        IReadOnlyList<Theme> themes;
        Dictionary<string, string> externalIdOf;
        int openTechnical;
        await using (TicketOpsDbContext db = TicketOpsDatabase.CreateContext(data))
        {
            // EnsureCreated rather than migrations: the figure is about mining, and the schema comes from the model.
            await db.Database.EnsureCreatedAsync();
            await new CaseImporter(db, TimeProvider.System).ImportAsync([file], new ImportOptions());
            externalIdOf = db.Cases.ToDictionary(c => CandidateDrafter.CaseKey(c), c => c.ExternalId, StringComparer.Ordinal);
            openTechnical = db.Cases.Count(c => c.ResolvedAt == null && c.IsTechnical);
            run = await new CaseMiner(db, texts => cache.GetOrEmbed(texts, embedder)).MineAsync(new CaseMinerOptions { Clustering = clustering });

            // The leads' view as `ticketops demo` shows it: twelve monthly windows up to the generator's end.
            themes = await ThemeReport.BuildAsync(db, new ThemeTrackerOptions { Period = ThemePeriod.Month, Periods = 12 }, s_generatorEnd);
        }

        watch.Stop();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        // Ground truth: the generator's family, one-offs each their own singleton.
        var allIds = run.Clustering.Clusters.SelectMany(c => c.Members.Select(m => m.CaseId)).Concat(run.Clustering.Unclustered).ToList();
        string Truth(string caseId) => familyOf.GetValueOrDefault(externalIdOf[caseId]) ?? "one-off:" + caseId;
        var clusterOf = run.Clustering.Clusters.SelectMany(c => c.Members.Select(m => (m.CaseId, c.Id))).ToDictionary(p => p.CaseId, p => p.Id, StringComparer.Ordinal);
        var truth = allIds.Select(Truth).ToList();
        var predicted = allIds.Select(id => clusterOf.GetValueOrDefault(id) ?? "single:" + id).ToList();
        int families = truth.Where(t => !t.StartsWith("one-off:", StringComparison.Ordinal)).Distinct(StringComparer.Ordinal).Count();
        int oneOffs = truth.Count(t => t.StartsWith("one-off:", StringComparison.Ordinal));

        // A candidate belongs to the family most of its cluster's members come from.
        var byCluster = run.Clustering.Clusters.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var candidates = run.Drafts.Where(d => d.Kind is CandidateKind.Playbook or CandidateKind.UpdateSuggestion).ToList();
        var candidateFamilies = candidates
            .Select(d => byCluster[d.ClusterId].Members.Select(m => Truth(m.CaseId)).GroupBy(t => t.StartsWith("one-off:", StringComparison.Ordinal) ? "one-off" : t).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key)
            .ToList();
        int exactlyOne = candidateFamilies.Where(f => f != "one-off").GroupBy(f => f).Count(g => g.Count() == 1);
        int several = candidateFamilies.Where(f => f != "one-off").GroupBy(f => f).Count(g => g.Count() > 1);
        int none = families - exactlyOne - several;
        int fromNoise = candidateFamilies.Count(f => f == "one-off");

        Console.WriteLine();
        Console.WriteLine($"synthetic: {options.Cases:N0} generated (seed 42), {run.Cases:N0} resolved technical cases mined; resolution {run.Clustering.Resolution}{(clustering.ResolutionCandidates is null ? "" : " (chosen by stability)")}; mining took {watch.Elapsed.TotalSeconds:N1} s (embeddings cached in {options.Scratch})");
        Console.WriteLine("| figure | value |");
        Console.WriteLine("| --- | --- |");
        Console.WriteLine($"| families / one-off cases | {families} / {oneOffs} |");
        Console.WriteLine($"| clusters / unclustered | {run.Clustering.Clusters.Count} / {run.Clustering.Unclustered.Count} |");
        Console.WriteLine($"| ARI / NMI vs families (one-offs as singletons) | {ClusteringMetrics.AdjustedRandIndex(truth, predicted):N3} / {ClusteringMetrics.NormalizedMutualInformation(truth, predicted):N3} |");
        Console.WriteLine($"| families with exactly one candidate | {exactlyOne} of {families} |");
        Console.WriteLine($"| families with several / no candidate | {several} / {none} |");
        Console.WriteLine($"| candidates from one-off noise | {fromNoise} |");
        OpenCases(run, byCluster, Truth, openTechnical);
        ThemeFlags(themes, byCluster, Truth);
        foreach (CaseCluster cluster in run.Clustering.Clusters)
        {
            var shares = cluster.Members.GroupBy(m => Truth(m.CaseId)).Where(g => !g.Key.StartsWith("one-off:", StringComparison.Ordinal) && g.Count() >= 3).ToList();
            if (shares.Count > 1)
            {
                Console.WriteLine($"cluster {cluster.Id} ({cluster.Size} cases) holds several families: {string.Join(", ", shares.OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}"))}");
            }
        }
        foreach (var family in candidates.Zip(candidateFamilies).Where(p => p.Second != "one-off").GroupBy(p => p.Second).Where(g => g.Count() > 1))
        {
            Console.WriteLine($"several candidates for family {family.Key}: {string.Join("; ", family.Select(p => $"{p.First.Kind} '{p.First.Title}' ({p.First.SourceCases.Count} cases, main cause: {(p.First.Causes.Count > 0 ? p.First.Causes[0].Text : "none")})"))}");
        }
        Directory.Delete(folder, recursive: true);
    }

    // Open cases put into clusters for the themes report: how many, and how many into the cluster of their own family.
    private static void OpenCases(MiningRun run, Dictionary<string, CaseCluster> clusters, Func<string, string> truth, int openTechnical)
    {
        string Majority(CaseCluster cluster) => cluster.Members.Select(m => truth(m.CaseId)).GroupBy(f => f, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
        var placed = run.OpenCases.SelectMany(p => p.Value.Select(id => (Case: id, Cluster: clusters[p.Key]))).ToList();
        int ownFamily = placed.Count(p => truth(p.Case) == Majority(p.Cluster));
        int oneOffs = placed.Count(p => truth(p.Case).StartsWith("one-off:", StringComparison.Ordinal));
        Console.WriteLine($"| open technical cases put into a theme | {placed.Count} of {openTechnical}: {ownFamily} into their own family's, {oneOffs} one-offs |");
    }

    /// <summary>
    /// Whether the themes report flags the generator's growing and suddenly appearing families as such, and
    /// nothing else: a theme belongs to the family most of its cases come from; a family counts as flagged when
    /// one of its themes carries the signal.
    /// </summary>
    private static void ThemeFlags(IReadOnlyList<Theme> themes, Dictionary<string, CaseCluster> clusters, Func<string, string> truth)
    {
        var trendOf = IssueFamilies.All.ToDictionary(f => f.Id, f => f.Trend, StringComparer.Ordinal);
        var flagged = themes
            .Where(t => clusters.ContainsKey(t.ClusterId))
            .Select(t => (Theme: t, Family: clusters[t.ClusterId].Members.Select(m => truth(m.CaseId)).GroupBy(f => f, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key))
            .ToList();
        foreach (FamilyTrend trend in new[] { FamilyTrend.Growing, FamilyTrend.Sudden })
        {
            ThemeSignal signal = trend == FamilyTrend.Growing ? ThemeSignal.Growing : ThemeSignal.Sudden;
            string[] families = [.. trendOf.Where(p => p.Value == trend).Select(p => p.Key).Order(StringComparer.Ordinal)];
            string[] missed = [.. families.Where(f => !flagged.Any(t => t.Family == f && t.Theme.Signals.HasFlag(signal)))];
            string Why(string family) => string.Join(" + ", flagged.Where(t => t.Family == family).Select(t => $"{t.Theme.Early} → {t.Theme.Recent} cases"));
            Console.WriteLine($"| {trend.ToString().ToLowerInvariant()} families flagged {signal} by the themes report | {families.Length - missed.Length} of {families.Length}{(missed.Length == 0 ? "" : $" (missed: {string.Join(", ", missed.Select(f => $"{f}, first → last third {Why(f)}"))})")} |");
        }

        string[] falseFlags = [.. flagged
            .Where(t => t.Theme.Signals != ThemeSignal.None)
            .Where(t => !trendOf.TryGetValue(t.Family, out FamilyTrend trend) || (trend == FamilyTrend.Steady) || (t.Theme.Signals.HasFlag(ThemeSignal.Sudden) && trend != FamilyTrend.Sudden))
            .Select(t => $"{t.Family} flagged {t.Theme.Signals}")];
        Console.WriteLine($"| themes flagged that their family does not explain | {falseFlags.Length}{(falseFlags.Length == 0 ? "" : $" ({string.Join("; ", falseFlags)})")} |");
    }

    private static void Scale(MineBenchmarkOptions options)
    {
        Console.WriteLine();
        Console.WriteLine("scale: 384-d unit vectors, 80% in families of 10-100 (cosine to the family centre about 0.8), 20% noise; specifics empty");
        Console.WriteLine("| cases | path | resolution | wall s | CPU s | peak working set MiB (process so far) | clusters | ARI vs generator |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (int size in options.Sizes.Order())
        {
            (List<ClusteringItem> items, string[] truth) = StructuredVectors(size, seed: 7);
            string search = size > new CaseClustererOptions().ExactSearchLimit ? "IVF" : "exact";
            Measure(items, truth, new CaseClustererOptions(), $"{search} (default)");

            // Baselines in the same run: the resolution fixed (no stability subsamples), and exact neighbours.
            Measure(items, truth, new CaseClustererOptions { ResolutionCandidates = null }, $"{search}, fixed resolution (baseline)");
            if (size <= options.ExactBaselineLimit && size > new CaseClustererOptions().ExactSearchLimit)
            {
                Measure(items, truth, new CaseClustererOptions { ExactSearchLimit = int.MaxValue }, "exact (baseline)");
            }
        }
    }

    private static void Measure(List<ClusteringItem> items, string[] truth, CaseClustererOptions clustererOptions, string path)
    {
        GC.Collect();
        var process = Process.GetCurrentProcess();
        TimeSpan cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        ClusteringResult result = new CaseClusterer(clustererOptions).Cluster(items);
        watch.Stop();
        process.Refresh();
        double cpuSeconds = (process.TotalProcessorTime - cpu).TotalSeconds;
        var clusterOf = result.Clusters.SelectMany(c => c.Members.Select(m => (m.CaseId, c.Id))).ToDictionary(p => p.CaseId, p => p.Id, StringComparer.Ordinal);
        var predicted = items.Select(i => clusterOf.GetValueOrDefault(i.CaseId) ?? "single:" + i.CaseId).ToList();
        double ari = ClusteringMetrics.AdjustedRandIndex(truth, predicted);
        Console.WriteLine($"| {items.Count:N0} | {path} | {result.Resolution} | {watch.Elapsed.TotalSeconds:N1} | {cpuSeconds:N1} | {process.PeakWorkingSet64 / 1_048_576:N0} | {result.Clusters.Count:N0} | {ari:N3} |");
    }

    /// <summary>
    /// Unit vectors with known families: a family's members are its random centre plus Gaussian noise
    /// (sigma 0.038 per dimension puts them at cosine about 0.8 to the centre, 0.64 to each other); noise
    /// cases are random directions. Deterministic for a seed.
    /// </summary>
    private static (List<ClusteringItem> Items, string[] Truth) StructuredVectors(int count, int seed)
    {
        const int Dimensions = SentenceEmbedder.Dimensions;
        const double Sigma = 0.038;
        var random = new Random(seed);
        double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        float[] RandomUnit()
        {
            float[] v = new float[Dimensions];
            for (int d = 0; d < Dimensions; d++)
            {
                v[d] = (float)Gaussian();
            }

            SentenceEmbedder.Normalize(v);
            return v;
        }

        var items = new List<ClusteringItem>(count);
        var truth = new string[count];
        int inFamilies = (int)(count * 0.8);
        int family = 0;
        while (items.Count < inFamilies)
        {
            float[] centre = RandomUnit();
            int size = Math.Min(random.Next(10, 101), inFamilies - items.Count);
            for (int m = 0; m < size; m++)
            {
                float[] v = new float[Dimensions];
                for (int d = 0; d < Dimensions; d++)
                {
                    v[d] = centre[d] + (float)(Sigma * Gaussian());
                }

                SentenceEmbedder.Normalize(v);
                truth[items.Count] = "f" + family;
                items.Add(new ClusteringItem("c" + items.Count, v, []));
            }

            family++;
        }

        while (items.Count < count)
        {
            truth[items.Count] = "noise" + items.Count;
            items.Add(new ClusteringItem("c" + items.Count, RandomUnit(), []));
        }

        // Shuffle so families are not contiguous in input order (the clusterer must not depend on it).
        int[] order = Enumerable.Range(0, count).OrderBy(_ => random.Next()).ToArray();
        return (order.Select(i => items[i]).ToList(), order.Select(i => truth[i]).ToArray());
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
