using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Cases;
using TicketOps.Core.Import;
using TicketOps.Core.Matching;
using TicketOps.Core.Routing;
using TicketOps.Core.Storage;
using TicketOps.Core.Synthetic;

namespace TicketOps.Bench;

/// <summary>
/// Measures the ownership-depth advice offline on the synthetic set (docs/queue-and-feedback.md): every
/// resolved case of the last months is a new ticket, advised from the resolved cases and arrivals before
/// it was opened, and compared with where it was finally solved (the generator's tier history, escalations
/// and incidents). Beside it, the majority-class baseline: always the depth most earlier cases ended at.
/// </summary>
internal static class AdviceBenchmark
{
    private static readonly JsonSerializerOptions s_lines = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };
    private static readonly DateTime s_end = new(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);

    public static async Task<int> RunAsync(int cases, int every, int testMonths, string scratch)
    {
        string folder = Path.Combine(scratch, "advice-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            return await MeasureAsync(cases, every, testMonths, folder);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<int> MeasureAsync(int cases, int every, int testMonths, string folder)
    {
        string file = Path.Combine(folder, "cases.jsonl");
        await using (var writer = new StreamWriter(file))
        {
            foreach (CaseRecord record in DemoCaseGenerator.Generate(new DemoDataOptions(cases, 42, s_end)))
            {
                await writer.WriteLineAsync(JsonSerializer.Serialize(record, s_lines));
            }
        }

        var data = new DataDirectory(Path.Combine(folder, "data"));
        await TicketOpsDatabase.MigrateAsync(data);
        using var embedder = new SentenceEmbedder();
        var watch = Stopwatch.StartNew();
        List<SupportCase> stored;
        await using (TicketOpsDbContext db = TicketOpsDatabase.CreateContext(data))
        {
            await new CaseImporter(db, TimeProvider.System).ImportAsync([file], new ImportOptions());
            stored = await db.Cases.AsNoTracking().OrderBy(c => c.CreatedAt).ToListAsync();
        }

        using TicketMatcher matcher = TicketMatcher.Open(data, embedder);
        await using (TicketOpsDbContext db = TicketOpsDatabase.CreateContext(data))
        {
            await matcher.RebuildAsync(CaseDocuments.ResolvedCasesAsync(db));
        }

        double indexSeconds = watch.Elapsed.TotalSeconds;
        DateTime testFrom = s_end.AddMonths(-testMonths);
        var resolved = stored.Where(c => c.ResolvedAt is not null).ToList();
        // Every k-th resolved case of the test months, and every incident case (they are few and the point of the incident depth).
        var tests = resolved.Where(c => c.CreatedAt >= testFrom).Where((c, i) => i % every == 0 || c.IncidentId is not null).DistinctBy(c => c.Id).ToList();
        var advisor = new OwnershipAdvisor(matcher);
        var rows = new List<(OwnershipDepth Truth, OwnershipDepth? Advised, OwnershipDepth Baseline)>();
        watch.Restart();
        await using (TicketOpsDbContext db = TicketOpsDatabase.CreateContext(data))
        {
            foreach (SupportCase test in tests)
            {
                // The majority class among the cases solved before this one was opened: the baseline knows as much as the advice.
                OwnershipDepth baseline = resolved.Where(c => c.ResolvedAt < test.CreatedAt)
                    .GroupBy(c => OwnershipDepths.FinalDepth(c)!.Value).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).Select(g => g.Key).FirstOrDefault();
                var filter = new MatchFilter { ExcludeIds = new HashSet<string>(StringComparer.Ordinal) { MatchDocument.CaseId(test) } };
                OwnershipAdvice advice = await advisor.AdviseAsync(db, test.TicketText, filter, [], test.CreatedAt);
                rows.Add((OwnershipDepths.FinalDepth(test)!.Value, advice.Depth, baseline));
            }
        }

        double perTicketMs = watch.Elapsed.TotalMilliseconds / Math.Max(1, tests.Count);
        Console.WriteLine($"cases: {cases:N0} (seed 42), test tickets: {tests.Count} (every {every}th resolved case of the last {testMonths} months, plus every incident case), index {indexSeconds:N0} s, {perTicketMs:N0} ms per advice");
        int advised = rows.Count(r => r.Advised is not null);
        int right = rows.Count(r => r.Advised == r.Truth);
        int baselineRight = rows.Count(r => r.Baseline == r.Truth);
        Console.WriteLine($"overall: advised {advised} of {rows.Count} (abstained {Share(rows.Count - advised, rows.Count)}); accuracy when advising {Share(right, advised)}; right over all tickets {Share(right, rows.Count)}; majority baseline {Share(baselineRight, rows.Count)}");
        Console.WriteLine();
        Console.WriteLine("| true depth | tickets | advised | abstained | advised right (of advised) | recall (of tickets) | majority baseline right |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (OwnershipDepth depth in Enum.GetValues<OwnershipDepth>())
        {
            var mine = rows.Where(r => r.Truth == depth).ToList();
            int mineAdvised = mine.Count(r => r.Advised is not null);
            Console.WriteLine($"| {OwnershipDepths.Name(depth)} | {mine.Count} | {mineAdvised} | {Share(mine.Count - mineAdvised, mine.Count)} | {Share(mine.Count(r => r.Advised == depth), mineAdvised)} | {Share(mine.Count(r => r.Advised == depth), mine.Count)} | {Share(mine.Count(r => r.Baseline == depth), mine.Count)} |");
        }

        Console.WriteLine();
        Console.WriteLine("| advised depth | times | right (precision) |");
        Console.WriteLine("| --- | ---: | ---: |");
        foreach (OwnershipDepth depth in Enum.GetValues<OwnershipDepth>())
        {
            var given = rows.Where(r => r.Advised == depth).ToList();
            Console.WriteLine($"| {OwnershipDepths.Name(depth)} | {given.Count} | {Share(given.Count(r => r.Truth == depth), given.Count)} |");
        }

        return 0;
    }

    private static string Share(int part, int whole) =>
        whole == 0 ? "n/a" : (part / (double)whole).ToString("P1", CultureInfo.InvariantCulture) + $" ({part}/{whole})";
}
