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
        IndexUpdate update = await MatchIndex.RebuildAsync(output, dataDirectory, cancellationToken);
        if (settings.Json)
        {
            output.WriteJson(new { update.Indexed, update.VectorsComputed, update.VectorsReused, Seconds = Math.Round(stopwatch.Elapsed.TotalSeconds, 2) });
        }
        else
        {
            output.Line($"Indexed {update.Indexed:N0} items (BM25 + embeddings: {update.VectorsComputed:N0} vectors computed, {update.VectorsReused:N0} reused from the database) " +
                $"in {stopwatch.Elapsed.TotalSeconds:N1} s: {dataDirectory.SearchIndexPath}, {dataDirectory.EmbeddingsPath}");
        }

        return ExitCodes.Success;
    }
}

/// <summary>What an index update did.</summary>
/// <param name="Indexed">Items (re)indexed.</param>
/// <param name="Removed">Items that left the index.</param>
/// <param name="VectorsComputed">Vectors the encoder computed (the others came from the database).</param>
internal sealed record IndexUpdate(int Indexed, int Removed, int VectorsComputed)
{
    /// <summary>Items whose vector came from the database.</summary>
    public int VectorsReused => Math.Max(0, Indexed - VectorsComputed);
}

/// <summary>Index maintenance with progress, shared by <c>index rebuild</c>, <c>import</c> and <c>demo</c>.</summary>
/// <remarks>
/// Both steps put items into the BM25 index first, with the vectors the database already holds, and then
/// compute the missing vectors with their own progress bar: an interrupted run leaves every item searchable
/// by its terms, and the next run (or <c>ticketops serve</c>) computes only what is still missing.
/// </remarks>
internal static class MatchIndex
{
    /// <summary>
    /// Before an operation that writes the database and then the index: repairs the index if an earlier one was
    /// interrupted (see <see cref="IndexRepair"/>), then records that this one has begun. The operation calls
    /// <see cref="IndexRepair.MarkDone"/> once its index is committed.
    /// </summary>
    public static async Task BeginAsync(CliOutput output, DataDirectory dataDirectory, string operation, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        if (IndexRepair.Interrupted(dataDirectory) is { } interrupted)
        {
            await using TicketOpsDbContext db = TicketOpsDatabase.CreateContext(dataDirectory);
            using var embedder = new SentenceEmbedder();
            using MatchIndexLease lease = MatchIndexLease.Take(dataDirectory);
            using TicketMatcher matcher = TicketMatcher.Open(dataDirectory, embedder, vectorCache: StoredVectors.Of(dataDirectory));
            await RepairAsync(output, dataDirectory, db, matcher, interrupted, cancellationToken);
        }

        await IndexRepair.MarkAsync(dataDirectory, operation, timeProvider.GetUtcNow().UtcDateTime, cancellationToken);
    }

    /// <summary>Reconciles the index with the database after an interrupted operation, computes missing vectors, and clears the marker.</summary>
    public static async Task RepairAsync(CliOutput output, DataDirectory dataDirectory, TicketOpsDbContext db, TicketMatcher matcher, string interrupted, CancellationToken cancellationToken)
    {
        output.Error.WriteLine($"match index: an earlier {interrupted} did not finish; checking the index against the database");
        (int reindexed, int removed, int computed) = await output.WithProgressAsync("repair", async progress =>
        {
            (int reindexed, int removed) = await IndexRepair.ReconcileAsync(db, matcher, cancellationToken);
            int computed = await EncodePendingAsync(matcher, progress, cancellationToken);
            return (reindexed, removed, computed);
        });
        IndexRepair.MarkDone(dataDirectory);
        output.Error.WriteLine($"match index: repaired: {reindexed:N0} items reindexed, {removed:N0} removed, {computed:N0} vectors computed");
    }

    public static async Task<IndexUpdate> RebuildAsync(CliOutput output, DataDirectory dataDirectory, CancellationToken cancellationToken)
    {
        await using TicketOpsDbContext db = TicketOpsDatabase.CreateContext(dataDirectory);
        int total = db.Cases.Count(c => c.ResolvedAt != null) + db.Set<TicketOps.Core.Knowledge.KnowledgeArticle>().Count(a => a.State == TicketOps.Core.Knowledge.KnowledgeState.Validated);
        using var embedder = new SentenceEmbedder();
        using MatchIndexLease lease = MatchIndexLease.Take(dataDirectory);
        using TicketMatcher matcher = TicketMatcher.Open(dataDirectory, embedder, vectorCache: StoredVectors.Of(dataDirectory));

        // Read before the rebuild: a change made while it runs is applied again by the server (harmlessly), never missed.
        long changesUpTo = await ChangeLog.LatestIdAsync(db, cancellationToken);

        // A rebuild replaces everything, so it repairs any earlier interruption too; until it ends, it is one itself.
        await IndexRepair.MarkAsync(dataDirectory, "index rebuild", DateTime.UtcNow, cancellationToken);
        IndexUpdate update = await output.WithProgressAsync("index", async progress =>
        {
            await matcher.RebuildAsync(KnowledgeDocuments.AllAsync(db, cancellationToken), new SyncProgress<int>(n => progress.Report(("BM25 + stored vectors", n, total))), VectorTiming.Later, cancellationToken);
            int computed = await EncodePendingAsync(matcher, progress, cancellationToken);
            ChangeFeedFollower.Remember(dataDirectory, changesUpTo);
            return new IndexUpdate(matcher.Lexical.Count, 0, computed);
        });
        IndexRepair.MarkDone(dataDirectory);
        return update;
    }

    public static async Task<IndexUpdate> UpdateAsync(CliOutput output, DataDirectory dataDirectory, IReadOnlyCollection<long> caseIds, CancellationToken cancellationToken)
    {
        if (caseIds.Count == 0)
        {
            return new IndexUpdate(0, 0, 0);
        }

        await using TicketOpsDbContext db = TicketOpsDatabase.CreateContext(dataDirectory);
        using var embedder = new SentenceEmbedder();
        using MatchIndexLease lease = MatchIndexLease.Take(dataDirectory);
        using TicketMatcher matcher = TicketMatcher.Open(dataDirectory, embedder, vectorCache: StoredVectors.Of(dataDirectory));
        return await output.WithProgressAsync("index", async progress =>
        {
            (int indexed, int removed) = await CaseIndexSync.UpdateAsync(
                db, matcher, caseIds, new SyncProgress<int>(n => progress.Report(("BM25 + stored vectors", n, caseIds.Count))), VectorTiming.Later, cancellationToken);
            int computed = await EncodePendingAsync(matcher, progress, cancellationToken);
            return new IndexUpdate(indexed, removed, computed);
        });
    }

    // Every item the index holds without a vector (this run's, and any an earlier interrupted run left).
    private static async Task<int> EncodePendingAsync(TicketMatcher matcher, IProgress<(string Stage, int Done, int? Total)> progress, CancellationToken cancellationToken)
    {
        if (matcher.PendingVectors == 0)
        {
            return 0;
        }

        progress.Report(("embeddings", 0, matcher.PendingVectors));
        return await matcher.EncodePendingAsync(new SyncProgress<(int Done, int Total)>(p => progress.Report(("embeddings", p.Done, p.Total))), cancellationToken);
    }
}
