using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using TicketOps.Cli;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Matching;
using TicketOps.Core.Storage;

namespace TicketOps.Web;

/// <summary>
/// One embedder and one matcher per process: the model costs ~1 s and ~90 MB to load, and the Lucene
/// index may only have one writer. The matcher is safe for queries while the index changes (see docs/web.md).
/// </summary>
internal static class MatchingSetup
{
    public static IServiceCollection AddTicketOpsMatching(this IServiceCollection services)
    {
        services.AddSingleton<SentenceEmbedder>();
        services.AddSingleton(provider => MatchIndexLease.Take(provider.GetRequiredService<DataDirectory>(), serving: true));
        services.AddSingleton(provider =>
        {
            // The lease first: a CLI verb on the same data directory is then refused instead of opening a second index writer.
            provider.GetRequiredService<MatchIndexLease>();
            DataDirectory dataDirectory = provider.GetRequiredService<DataDirectory>();
            return TicketMatcher.Open(dataDirectory, provider.GetRequiredService<SentenceEmbedder>(), vectorCache: StoredVectors.Of(dataDirectory), timeProvider: provider.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton(provider => ChangeFeedFollower.Open(
            provider.GetRequiredService<DataDirectory>(), provider.GetRequiredService<TicketMatcher>(), provider.GetRequiredService<TimeProvider>()));
        services.AddHostedService<MatcherWarmup>();
        services.AddHostedService<VectorCatchUp>();
        services.AddHostedService<ChangeFeedCatchUp>();
        services.AddHealthChecks()
            .AddCheck<MatchIndexHealthCheck>("index", tags: ["ready"])
            .AddCheck<ChangeFeedHealthCheck>("changes", tags: ["ready"]);
        return services;
    }

    /// <summary>
    /// Opens the matcher before the first request (so it does not pay the model load) and loads the
    /// knowledge folder, when one is configured, into the database and the index.
    /// </summary>
    private sealed class MatcherWarmup(IServiceProvider services, IOptions<TicketOpsWebOptions> options, TimeProvider timeProvider, IHostApplicationLifetime lifetime, ILogger<MatcherWarmup> logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            TicketMatcher matcher = services.GetRequiredService<TicketMatcher>();
            logger.LogInformation("Match index open: {Items} items, in sync: {InSync}", matcher.Lexical.Count, matcher.IsInSync);
            if (matcher.RankingProblem is { } rankingProblem)
            {
                logger.LogWarning("Ranking model not used, matching with the fused ranking: {Problem}", rankingProblem);
            }
            await RepairAsync(matcher, cancellationToken);
            await WarmUpAsync(matcher, cancellationToken);
            if (options.Value.KnowledgeDir is not { Length: > 0 } folder)
            {
                return;
            }

            await using AsyncServiceScope scope = services.CreateAsyncScope();
            TicketOpsDbContext db = scope.ServiceProvider.GetRequiredService<TicketOpsDbContext>();
            if (options.Value.KnowledgeDirIsExport)
            {
                // Several instances: the database is the truth; the folder gets its current version, never the reverse.
                (int written, IReadOnlyList<KnowledgeFileError> problems) = await KnowledgeFolder.ExportAsync(folder, db, cancellationToken: cancellationToken);
                foreach (KnowledgeFileError problem in problems)
                {
                    logger.LogWarning("Knowledge file not exported: {Error}", problem);
                }

                logger.LogInformation("Knowledge folder {Folder} (an export of the database): {Written} files written", folder, written);
                return;
            }

            KnowledgeSyncResult result;
            try
            {
                result = await KnowledgeFolder.SyncAsync(folder, db, timeProvider, cancellationToken);
            }
            catch (DbUpdateException exception) when (TicketOpsDatabase.IsUniqueViolation(exception))
            {
                // Another instance sharing the database loaded the same new articles at the same moment: sync
                // again, and they are there now (unchanged, or updated from this folder).
                db.ChangeTracker.Clear();
                result = await KnowledgeFolder.SyncAsync(folder, db, timeProvider, cancellationToken);
            }

            foreach (KnowledgeFileError error in result.Errors)
            {
                logger.LogWarning("Knowledge file not loaded: {Error}", error);
            }

            string[] changed = [.. result.Loaded, .. result.Updated];
            if (changed.Length > 0)
            {
                await KnowledgeDocuments.UpdateAsync(db, matcher, changed, cancellationToken);
            }

            logger.LogInformation("Knowledge folder {Folder}: {Loaded} new, {Updated} updated, {Errors} not loaded", folder, result.Loaded.Count, result.Updated.Count, result.Errors.Count);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        /// <summary>
        /// A server writes the database and then the index on every received case and decision, so it is itself an
        /// operation that a kill interrupts: it marks the data directory while it runs (see <see cref="IndexRepair"/>) and
        /// clears the mark once the host has stopped, after the last request. Finding the mark at start (a killed server,
        /// an interrupted CLI verb), it checks the index against the database before taking requests.
        /// </summary>
        private async Task RepairAsync(TicketMatcher matcher, CancellationToken cancellationToken)
        {
            DataDirectory dataDirectory = services.GetRequiredService<DataDirectory>();
            if (IndexRepair.Interrupted(dataDirectory) is { } interrupted)
            {
                logger.LogWarning("An earlier {Operation} did not finish; checking the match index against the database", interrupted);
                await using AsyncServiceScope scope = services.CreateAsyncScope();
                (int reindexed, int removed) = await IndexRepair.ReconcileAsync(scope.ServiceProvider.GetRequiredService<TicketOpsDbContext>(), matcher, cancellationToken);
                logger.LogWarning("Match index repaired: {Reindexed} items reindexed, {Removed} removed (their vectors are computed in the background)", reindexed, removed);
            }

            await IndexRepair.MarkAsync(dataDirectory, "ticketops serve", timeProvider.GetUtcNow().UtcDateTime, cancellationToken);
            lifetime.ApplicationStopped.Register(() => IndexRepair.MarkDone(dataDirectory));
        }

        /// <summary>
        /// Matches a few made-up tickets before the server takes requests. The runtime first compiles a method
        /// quickly and recompiles it optimised, in the background, once it has run a few dozen times; on two
        /// cores that recompilation competed with the first few hundred real matches (p50 over HTTP at 100k
        /// items ~40 ms for the first 400 requests, ~30 ms over 1,200; bench/RESULTS.md).
        /// </summary>
        private async Task WarmUpAsync(TicketMatcher matcher, CancellationToken cancellationToken)
        {
            if (matcher.Lexical.Count == 0)
            {
                return;
            }

            var stopwatch = System.Diagnostics.Stopwatch.StartNew();
            for (int i = 0; i < WarmUpMatches && stopwatch.Elapsed < WarmUpLimit; i++)
            {
                await matcher.MatchAsync(new MatchRequest { Text = s_warmUpTickets[i % s_warmUpTickets.Length], MaxResults = 5 }, cancellationToken);
            }

            logger.LogInformation("Matcher warmed up in {Seconds:N1} s", stopwatch.Elapsed.TotalSeconds);
        }

        private const int WarmUpMatches = 60;
        private static readonly TimeSpan WarmUpLimit = TimeSpan.FromSeconds(10);

        private static readonly string[] s_warmUpTickets =
        [
            "Users cannot sign in with SSO since this morning; the login page shows error 0x80070005 after the redirect.",
            "The nightly export job hangs at 99 percent and the CSV file never arrives in our storage bucket.",
            "Our webhook endpoint receives the same event several times and the delivery log shows a timeout after 10s.",
            "Dashboards load very slowly for the whole team since the update to v4.12; some widgets time out with HTTP 504.",
            "The mobile app crashes right after login on Android 14 with version 7.4.2.",
            "We were charged twice after upgrading our plan and the invoice shows a proration mismatch.",
        ];
    }

    /// <summary>
    /// Computes the vectors of items indexed for BM25 without one (received cases, an interrupted import, a
    /// vector file of another encoder), in the background, so that receiving cases never waits for encoding.
    /// It wakes when the matcher reports new pending items and checks every few seconds besides.
    /// </summary>
    private sealed class VectorCatchUp(TicketMatcher matcher, ILogger<VectorCatchUp> logger) : BackgroundService
    {
        private static readonly TimeSpan s_poll = TimeSpan.FromSeconds(5);
        private readonly SemaphoreSlim _wake = new(0);

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            matcher.VectorsPending += OnPending;
            try
            {
                while (!stoppingToken.IsCancellationRequested)
                {
                    if (matcher.PendingVectors > 0)
                    {
                        await CatchUpAsync(stoppingToken);
                    }

                    await _wake.WaitAsync(s_poll, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // Shutting down: what is computed so far is saved.
            }
            finally
            {
                matcher.VectorsPending -= OnPending;
            }
        }

        private async Task CatchUpAsync(CancellationToken stoppingToken)
        {
            var stopwatch = System.Diagnostics.Stopwatch.StartNew();
            int pending = matcher.PendingVectors;
            logger.LogInformation("Computing vectors for {Pending} items (matched by BM25 alone until then)", pending);
            try
            {
                int done = await matcher.EncodePendingAsync(cancellationToken: stoppingToken);
                logger.LogInformation("Computed {Done} vectors in {Seconds:N1} s", done, stopwatch.Elapsed.TotalSeconds);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // A failing batch (the database away for a moment) is retried at the next wake-up.
                logger.LogWarning(exception, "Computing vectors failed; retrying in {Seconds} s", s_poll.TotalSeconds);
            }
        }

        private void OnPending(object? sender, EventArgs e) => _wake.Release();

        public override void Dispose()
        {
            _wake.Dispose();
            base.Dispose();
        }
    }

    /// <summary>
    /// Follows the database's change log into this instance's match index: at start (what changed while it was
    /// down) and every <see cref="TicketOpsWebOptions.ChangeFeedPollSeconds"/>, so cases and articles that other
    /// instances or CLI runs stored become matchable here.
    /// </summary>
    private sealed class ChangeFeedCatchUp(IServiceProvider services, ChangeFeedFollower follower, IOptions<TicketOpsWebOptions> options, ILogger<ChangeFeedCatchUp> logger) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            TimeSpan poll = TimeSpan.FromSeconds(options.Value.ChangeFeedPollSeconds);
            try
            {
                while (!stoppingToken.IsCancellationRequested)
                {
                    await PassAsync(stoppingToken);
                    await Task.Delay(poll, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // Shutting down: the position applied so far is saved.
            }
        }

        private async Task PassAsync(CancellationToken stoppingToken)
        {
            try
            {
                await using AsyncServiceScope scope = services.CreateAsyncScope();
                bool restartedBefore = follower.RestartedFromScratch;
                ChangeFeedPass pass = await follower.CatchUpAsync(scope.ServiceProvider.GetRequiredService<TicketOpsDbContext>(), stoppingToken);
                if (follower.RestartedFromScratch && !restartedBefore)
                {
                    logger.LogWarning("The database's change log ends before the change this index had applied (a restored database?): followed it again from its first change. Run 'ticketops index rebuild' for this data directory to drop what the restore removed.");
                }

                if (pass.Changes > 0)
                {
                    logger.LogInformation("Applied {Changes} changes from the database ({Cases} cases, {Articles} articles); up to change {Id}", pass.Changes, pass.Cases, pass.Articles, follower.LastAppliedId);
                }

                if (pass.ArticleIds.Count > 0 && options.Value.KnowledgeDirIsExport && options.Value.KnowledgeDir is { Length: > 0 } folder)
                {
                    (_, IReadOnlyList<KnowledgeFileError> problems) = await KnowledgeFolder.ExportAsync(folder, scope.ServiceProvider.GetRequiredService<TicketOpsDbContext>(), pass.ArticleIds, stoppingToken);
                    foreach (KnowledgeFileError problem in problems)
                    {
                        logger.LogWarning("Knowledge file not exported: {Error}", problem);
                    }
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The database away for a moment: the next pass goes on from the same position.
                logger.LogWarning(exception, "Reading the change log failed; retrying in {Seconds} s", options.Value.ChangeFeedPollSeconds);
            }
        }
    }

    /// <summary>How far this instance's index is behind the database: changes pending, last applied id, lag in seconds.</summary>
    private sealed class ChangeFeedHealthCheck(ChangeFeedFollower follower, TicketOpsDbContext db) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            ChangeFeedStatus status = await follower.StatusAsync(db, cancellationToken);
            var data = new Dictionary<string, object>
            {
                ["last_applied_id"] = status.LastAppliedId,
                ["latest_id"] = status.LatestId,
                ["pending"] = status.Pending,
                ["lag_seconds"] = status.LagSeconds,
            };

            // Behind is still ready: the instance answers from what it has, and says how far behind that is.
            return HealthCheckResult.Healthy(
                status.Pending == 0
                    ? $"up to date with the database (change {status.LastAppliedId})"
                    : $"{status.Pending} changes behind the database (applied up to {status.LastAppliedId} of {status.LatestId}, oldest pending {status.LagSeconds:0.#} s ago)",
                data);
        }
    }

    /// <summary>
    /// Ready when the matcher is open and its two indexes agree (else: <c>ticketops index rebuild</c>); says how
    /// many items still wait for their vector (matched by BM25 alone meanwhile).
    /// </summary>
    private sealed class MatchIndexHealthCheck(TicketMatcher matcher) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(matcher.IsInSync
                ? HealthCheckResult.Healthy(matcher.PendingVectors == 0
                    ? $"{matcher.Lexical.Count} items"
                    : $"{matcher.Lexical.Count} items, {matcher.PendingVectors} of them waiting for their vector (matched by BM25 alone until then)")
                : HealthCheckResult.Unhealthy($"the BM25 index has {matcher.Lexical.Count} items and the embeddings {matcher.Semantic.Count} (+{matcher.PendingVectors} pending); run 'ticketops index rebuild'."));
    }
}
