using System.Diagnostics;
using Spectre.Console.Cli;
using TicketOps.Cli;
using TicketOps.Core.Matching;
using TicketOps.Core.Storage;

namespace TicketOps.Commands;

internal sealed class IndexRebuildCommand(CliOutput output) : AsyncCommand<TicketOpsSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, TicketOpsSettings settings, CancellationToken cancellationToken)
    {
        DataDirectory dataDirectory = settings.ResolveDataDirectory();
        await TicketOpsDatabase.MigrateAsync(dataDirectory, cancellationToken);
        var stopwatch = Stopwatch.StartNew();
        int indexed = await MatchIndex.RebuildAsync(output, dataDirectory, cancellationToken);
        if (settings.Json)
        {
            output.WriteJson(new { Indexed = indexed, Seconds = Math.Round(stopwatch.Elapsed.TotalSeconds, 2) });
        }
        else
        {
            output.Line($"Indexed {indexed:N0} items (BM25 + embeddings) in {stopwatch.Elapsed.TotalSeconds:N1} s: {dataDirectory.SearchIndexPath}, {dataDirectory.EmbeddingsPath}");
        }

        return ExitCodes.Success;
    }
}

/// <summary>Index maintenance with progress, shared by <c>index rebuild</c>, <c>import</c> and <c>demo</c>.</summary>
internal static class MatchIndex
{
    public static async Task<int> RebuildAsync(CliOutput output, DataDirectory dataDirectory, CancellationToken cancellationToken)
    {
        await using TicketOpsDbContext db = TicketOpsDatabase.CreateContext(dataDirectory);
        int total = db.Cases.Count(c => c.ResolvedAt != null) + db.Set<TicketOps.Core.Knowledge.KnowledgeArticle>().Count(a => a.State == TicketOps.Core.Knowledge.KnowledgeState.Validated);
        using var embedder = new SentenceEmbedder();
        using MatchIndexLease lease = MatchIndexLease.Take(dataDirectory);
        using TicketMatcher matcher = TicketMatcher.Open(dataDirectory, embedder);
        return await output.WithProgressAsync("index", async progress =>
        {
            await matcher.RebuildAsync(KnowledgeDocuments.AllAsync(db, cancellationToken), new SyncProgress<int>(n => progress.Report(("embed + index", n, total))), cancellationToken);
            return matcher.Lexical.Count;
        });
    }

    public static async Task<(int Indexed, int Removed)> UpdateAsync(CliOutput output, DataDirectory dataDirectory, IReadOnlyCollection<long> caseIds, CancellationToken cancellationToken)
    {
        if (caseIds.Count == 0)
        {
            return (0, 0);
        }

        await using TicketOpsDbContext db = TicketOpsDatabase.CreateContext(dataDirectory);
        using var embedder = new SentenceEmbedder();
        using MatchIndexLease lease = MatchIndexLease.Take(dataDirectory);
        using TicketMatcher matcher = TicketMatcher.Open(dataDirectory, embedder);
        return await output.WithProgressAsync("index", progress =>
            CaseIndexSync.UpdateAsync(db, matcher, caseIds, new SyncProgress<int>(n => progress.Report(("embed + index", n, caseIds.Count))), cancellationToken));
    }
}
