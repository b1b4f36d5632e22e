using System.Diagnostics;
using System.Text.Json;
using TicketOps.Core.Import;
using TicketOps.Core.Storage;
using TicketOps.Core.Synthetic;

namespace TicketOps.Bench;

/// <summary>
/// Import rate of the synthetic set into a fresh SQLite database, beside a baseline measured in the same
/// run: deserialising the same file into records with System.Text.Json (the floor any import pays).
/// </summary>
internal static class ImportBenchmark
{
    private static readonly JsonSerializerOptions s_lines = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public static async Task<int> RunAsync(int cases, int runs)
    {
        string folder = Path.Combine(Path.GetTempPath(), "ticketops-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        string file = Path.Combine(folder, "cases.jsonl");
        var generate = Stopwatch.StartNew();
        await using (var writer = new StreamWriter(file))
        {
            foreach (CaseRecord record in DemoCaseGenerator.Generate(new DemoDataOptions(cases, 42, new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc))))
            {
                await writer.WriteLineAsync(JsonSerializer.Serialize(record, s_lines));
            }
        }

        Console.WriteLine($"generated {cases:N0} cases in {generate.Elapsed.TotalSeconds:N2} s ({new FileInfo(file).Length / 1_048_576.0:N1} MiB)");
        var parse = new List<double>();
        var import = new List<double>();
        var reimport = new List<double>();
        for (int run = 0; run < runs; run++)
        {
            var stopwatch = Stopwatch.StartNew();
            int parsed = 0;
            foreach (string line in File.ReadLines(file))
            {
                parsed += JsonSerializer.Deserialize<CaseRecord>(line) is null ? 0 : 1;
            }

            parse.Add(stopwatch.Elapsed.TotalSeconds);

            var data = new DataDirectory(Path.Combine(folder, $"run{run}"));
            await TicketOpsDatabase.MigrateAsync(data);
            stopwatch.Restart();
            ImportResult first;
            await using (TicketOpsDbContext db = TicketOpsDatabase.CreateContext(data))
            {
                first = await new CaseImporter(db, TimeProvider.System).ImportAsync([file], new ImportOptions());
            }

            import.Add(stopwatch.Elapsed.TotalSeconds);
            stopwatch.Restart();
            ImportResult second;
            await using (TicketOpsDbContext db = TicketOpsDatabase.CreateContext(data))
            {
                second = await new CaseImporter(db, TimeProvider.System).ImportAsync([file], new ImportOptions());
            }

            reimport.Add(stopwatch.Elapsed.TotalSeconds);
            if (!first.Succeeded || first.Inserted != cases || second.Unchanged != cases || parsed != cases)
            {
                Console.Error.WriteLine($"unexpected import result: inserted {first.Inserted}, unchanged {second.Unchanged}, parsed {parsed}");
                return 1;
            }

            Console.WriteLine($"run {run + 1}: parse-only {parse[^1]:N2} s, import {import[^1]:N2} s, re-import (unchanged) {reimport[^1]:N2} s");
        }

        double importMedian = Median(import);
        double parseMedian = Median(parse);
        Console.WriteLine();
        Console.WriteLine($"| step | median s ({runs} runs) | cases/s | × parse-only baseline |");
        Console.WriteLine("| --- | --- | --- | --- |");
        Console.WriteLine($"| parse-only baseline (System.Text.Json) | {parseMedian:N2} | {cases / parseMedian:N0} | 1.0 |");
        Console.WriteLine($"| import into fresh database | {importMedian:N2} | {cases / importMedian:N0} | {importMedian / parseMedian:N1} |");
        Console.WriteLine($"| re-import, all unchanged | {Median(reimport):N2} | {cases / Median(reimport):N0} | {Median(reimport) / parseMedian:N1} |");
        Console.WriteLine($"peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / 1_048_576:N0} MiB; cores: {Environment.ProcessorCount}");
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
        return 0;
    }

    internal static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
