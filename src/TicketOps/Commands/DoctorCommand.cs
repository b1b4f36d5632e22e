using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Spectre.Console;
using Spectre.Console.Cli;
using TicketOps.Cli;
using TicketOps.Core.Matching;
using TicketOps.Core.Matching.Tuning;
using TicketOps.Core.Storage;

namespace TicketOps.Commands;

/// <summary>Checks what TicketOps needs, one line each, so an admin sees at once what is wrong.</summary>
internal sealed class DoctorCommand(CliOutput output) : AsyncCommand<TicketOpsSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, TicketOpsSettings settings, CancellationToken cancellationToken)
    {
        var checks = new List<(string Check, bool Ok, string Detail)>();
        DataDirectory dataDirectory = settings.ResolveDataDirectory();
        string probe = Path.Combine(dataDirectory.Root, ".write-probe");
        try
        {
            await File.WriteAllTextAsync(probe, "ok", cancellationToken);
            File.Delete(probe);
            checks.Add(("data directory", true, dataDirectory.Root));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            checks.Add(("data directory", false, $"{dataDirectory.Root} is not writable: {ex.Message}"));
        }

        try
        {
            await using TicketOpsDbContext db = TicketOpsDatabase.CreateContext(dataDirectory);
            string version = await TicketOpsDatabase.ServerVersionAsync(db, cancellationToken);
            checks.Add(("store", true, $"{version}: {dataDirectory.Database.Description}"));
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            int cases = pending.Count == 0 ? await db.Cases.CountAsync(cancellationToken) : 0;
            checks.Add(("database", true, pending.Count == 0 ? $"{cases:N0} cases; schema up to date" : $"{pending.Count} migrations pending (applied at next start, or run 'ticketops db migrate')"));
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.Data.Common.DbException)
        {
            checks.Add(("database", false, $"{dataDirectory.Database.Description}: {ex.Message}"));
        }

        checks.Add(IndexRepair.Interrupted(dataDirectory) is { } interrupted
            ? ("match index", true, $"behind the database, possibly: {interrupted} and did not finish (or is running now); the next import, index rebuild, knowledge sync, review decision or server start checks it against the database and repairs it")
            : ("match index", true, "no interrupted update"));

        RankingModel? ranking = RankingModel.Load(dataDirectory.RankingModelPath, out string? rankingProblem);
        checks.Add(rankingProblem is not null
            ? ("ranking", false, $"{rankingProblem} Matching uses the fused ranking until then.")
            : ranking is not null
                ? ("ranking", true, $"tuned ({dataDirectory.RankingModelPath}, fitted {ranking.TrainedAt:yyyy-MM-dd} on {ranking.TrainedOnQueries:N0} linked cases)")
                : ("ranking", true, "fused (no ranking-model.json; 'ticketops tune' learns one from the links)"));

        try
        {
            var stopwatch = Stopwatch.StartNew();
            using var embedder = new SentenceEmbedder();
            float[][] vectors = embedder.Embed(["doctor check"], cancellationToken);
            checks.Add(("embedding model", vectors.Length == 1 && vectors[0].Length == SentenceEmbedder.Dimensions, $"all-MiniLM-L6-v2, {SentenceEmbedder.Dimensions} dimensions, loaded in {stopwatch.ElapsedMilliseconds} ms"));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            checks.Add(("embedding model", false, ex.Message));
        }

        if (settings.Json)
        {
            output.WriteJson(checks.Select(c => new { c.Check, c.Ok, c.Detail }));
        }
        else
        {
            var table = new Table().AddColumns("check", "status", "detail");
            foreach ((string check, bool ok, string detail) in checks)
            {
                table.AddRow(check, ok ? "[green]ok[/]" : "[red]FAIL[/]", Markup.Escape(detail));
            }

            output.Console.Write(table);
        }

        return checks.All(c => c.Ok) ? ExitCodes.Success : ExitCodes.Failure;
    }
}
