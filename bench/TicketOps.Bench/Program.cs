using TicketOps.Bench;

// Benchmarks that produce the figures in bench/RESULTS.md. Usage:
//   dotnet run -c Release --project bench/TicketOps.Bench -- import [--cases 100000] [--runs 3]
//   dotnet run -c Release --project bench/TicketOps.Bench -- match [--cases 10000,100000] [--playbooks 1000]
//       [--queries 200] [--build-sample 5000] [--build-runs 1] [--scratch /work/scratch-bench]
//       [--encode-every K] [--prepare]   (K > 1: only every K-th case encoded, see MatchBenchmark.EncodeCorpus)
//       [--query-terms N]                (BM25 query terms kept; the matcher's default otherwise)
//       [--encoder int8|fp32]            (the product's int8 encoder, or the float model for comparison)
//   dotnet run -c Release --project bench/TicketOps.Bench -- review-thresholds [--cases 3000] [--sample 12]
//   dotnet run -c Release --project bench/TicketOps.Bench -- http [--cases 10000] [--clients 8] [--requests 2000]
//       [--seconds 120] [--scratch /work/scratch-bench] [--port 5099]   (needs src/TicketOps built in Release)
//   dotnet run -c Release --project bench/TicketOps.Bench -- mine [--cases 1500] [--sizes 10000,30000,100000]
//       [--exact-baseline 30000] [--scratch /work/scratch-bench] [--resolution R]
//       (--cases 0 or --sizes 0 skips a part)
//   dotnet run -c Release --project bench/TicketOps.Bench -- encoder [--texts 1000] [--queries 100] [--rounds 3]
//   dotnet run -c Release --project bench/TicketOps.Bench -- advice [--cases 3000] [--every 3] [--months 6] [--scratch /work/scratch-bench]
string verb = args.Length > 0 ? args[0] : "help";
int Option(string name, int fallback)
{
    int index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], out int value) ? value : fallback;
}

return verb switch
{
    "import" => await ImportBenchmark.RunAsync(Option("--cases", 100_000), Option("--runs", 3)),
    "match" => await MatchBenchmark.RunAsync(new MatchBenchmarkOptions(
        Sizes("--cases", [10_000, 100_000]),
        Option("--playbooks", 1000),
        Option("--queries", 200),
        Option("--build-sample", 5000),
        Option("--build-runs", 1),
        Text("--scratch", "/work/scratch-bench"),
        Option("--encode-every", 1),
        args.Contains("--prepare"),
        Option("--query-terms", 0) is > 0 and int terms ? terms : null,
        Text("--encoder", "int8") == "fp32" ? TicketOps.Core.Matching.EncoderPrecision.Full : TicketOps.Core.Matching.EncoderPrecision.Quantized)),
    "review-thresholds" => await ReviewThresholdBenchmark.RunAsync(Option("--cases", 3000), Option("--sample", 12)),
    "http" => await HttpLoadBenchmark.RunAsync(new HttpLoadOptions(
        Option("--cases", 10_000),
        Option("--clients", 8),
        Option("--requests", 2000),
        Option("--seconds", 120),
        Text("--scratch", "/work/scratch-bench"),
        Option("--port", 5099))),
    "mine" => await MineBenchmark.RunAsync(new MineBenchmarkOptions(
        Option("--cases", 1500),
        [.. Sizes("--sizes", [10_000, 30_000, 100_000]).Where(size => size > 0)],
        Option("--exact-baseline", 30_000),
        Text("--scratch", "/work/scratch-bench"),
        args.Contains("--resolution") ? double.Parse(Text("--resolution", "2"), System.Globalization.CultureInfo.InvariantCulture) : null)),
    "encoder" => await EncoderBenchmark.RunAsync(Option("--texts", 1000), Option("--queries", 100), Option("--rounds", 3)),
    "advice" => await AdviceBenchmark.RunAsync(Option("--cases", 3000), Option("--every", 3), Option("--months", 6), Text("--scratch", "/work/scratch-bench")),
    _ => Usage(),
};

int[] Sizes(string name, int[] fallback)
{
    int index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length
        ? [.. args[index + 1].Split(',').Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture))]
        : fallback;
}

string Text(string name, string fallback)
{
    int index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}

static int Usage()
{
    Console.Error.WriteLine("usage: ticketops-bench import [--cases N] [--runs R]");
    Console.Error.WriteLine("       ticketops-bench http [--cases N] [--clients C] [--requests R] [--seconds S] [--scratch DIR] [--port P]");
    Console.Error.WriteLine("       ticketops-bench match [--cases N,M] [--playbooks P] [--queries Q] [--build-sample S] [--build-runs R] [--scratch DIR] [--encode-every K] [--prepare] [--query-terms N] [--encoder int8|fp32]");
    Console.Error.WriteLine("       ticketops-bench review-thresholds [--cases N] [--sample S]");
    Console.Error.WriteLine("       ticketops-bench mine [--cases N] [--sizes N,M] [--exact-baseline N] [--scratch DIR] [--resolution R]");
    Console.Error.WriteLine("       ticketops-bench advice [--cases N] [--every K] [--months M] [--scratch DIR]");
    Console.Error.WriteLine("       ticketops-bench encoder [--texts N] [--queries Q] [--rounds R]");
    return 2;
}
