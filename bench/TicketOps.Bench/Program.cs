using TicketOps.Bench;

// Benchmarks that produce the figures in bench/RESULTS.md. Usage:
//   dotnet run -c Release --project bench/TicketOps.Bench -- import [--cases 100000] [--runs 3]
string verb = args.Length > 0 ? args[0] : "help";
int Option(string name, int fallback)
{
    int index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], out int value) ? value : fallback;
}

return verb switch
{
    "import" => await ImportBenchmark.RunAsync(Option("--cases", 100_000), Option("--runs", 3)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: ticketops-bench import [--cases N] [--runs R]");
    return 2;
}
