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
            return TicketMatcher.Open(provider.GetRequiredService<DataDirectory>(), provider.GetRequiredService<SentenceEmbedder>());
        });
        services.AddHostedService<MatcherWarmup>();
        services.AddHealthChecks().AddCheck<MatchIndexHealthCheck>("index", tags: ["ready"]);
        return services;
    }

    /// <summary>
    /// Opens the matcher before the first request (so it does not pay the model load) and loads the
    /// knowledge folder, when one is configured, into the database and the index.
    /// </summary>
    private sealed class MatcherWarmup(IServiceProvider services, IOptions<TicketOpsWebOptions> options, TimeProvider timeProvider, ILogger<MatcherWarmup> logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            TicketMatcher matcher = services.GetRequiredService<TicketMatcher>();
            logger.LogInformation("Match index open: {Items} items, in sync: {InSync}", matcher.Lexical.Count, matcher.IsInSync);
            await WarmUpAsync(matcher, cancellationToken);
            if (options.Value.KnowledgeDir is not { Length: > 0 } folder)
            {
                return;
            }

            await using AsyncServiceScope scope = services.CreateAsyncScope();
            TicketOpsDbContext db = scope.ServiceProvider.GetRequiredService<TicketOpsDbContext>();
            KnowledgeSyncResult result = await KnowledgeFolder.SyncAsync(folder, db, timeProvider, cancellationToken);
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

    /// <summary>Ready when the matcher is open and its two indexes agree (else: <c>ticketops index rebuild</c>).</summary>
    private sealed class MatchIndexHealthCheck(TicketMatcher matcher) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(matcher.IsInSync
                ? HealthCheckResult.Healthy($"{matcher.Lexical.Count} items")
                : HealthCheckResult.Unhealthy($"the BM25 index has {matcher.Lexical.Count} items and the embeddings {matcher.Semantic.Count}; run 'ticketops index rebuild'."));
    }
}
