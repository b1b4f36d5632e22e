using System.ComponentModel;
using Microsoft.EntityFrameworkCore;
using Spectre.Console;
using Spectre.Console.Cli;
using TicketOps.Cli;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Matching;
using TicketOps.Core.Mining;
using TicketOps.Core.Storage;

namespace TicketOps.Commands;

internal sealed class MineSettings : TicketOpsSettings
{
    [CommandOption("--min-cases <N>")]
    [Description("Smallest cluster that gets a candidate playbook.")]
    [DefaultValue(5)]
    public int MinCases { get; init; } = 5;

    [CommandOption("--include-non-technical")]
    [Description("Also mine how-to questions (left out by default: they are not product friction).")]
    public bool IncludeNonTechnical { get; init; }

    [CommandOption("--no-llm")]
    [Description("Skip the optional LLM rewrite even when ticketops.json configures one.")]
    public bool NoLlm { get; init; }

    public override ValidationResult Validate() =>
        MinCases is >= 2 and <= 1000 ? base.Validate() : ValidationResult.Error("--min-cases must be between 2 and 1000.");
}

/// <summary>The evolve loop: resolved cases → clusters → candidate playbooks and templates in the review queue.</summary>
internal sealed class MineCommand(CliOutput output, TimeProvider timeProvider) : AsyncCommand<MineSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, MineSettings settings, CancellationToken cancellationToken)
    {
        DataDirectory dataDirectory = settings.ResolveDataDirectory();
        CandidateRewriter? rewriter = null;
        if (!settings.NoLlm)
        {
            (IConfiguration configuration, string? fileProblem) = ConfigFile.Load(dataDirectory);
            (CandidateRewriteOptions llm, string? problem) = ConfigFile.Llm(configuration, dataDirectory);
            problem = fileProblem ?? problem;
            if (problem is not null)
            {
                output.Fail(problem);
                return ExitCodes.InvalidData;
            }

            rewriter = llm.Enabled ? new CandidateRewriter(llm) : null;
        }

        await TicketOpsDatabase.MigrateAsync(dataDirectory, cancellationToken);

        // One mining run at a time over the database, whichever machine runs it: two would redraft the same candidates.
        DatabaseLeaseResult taken = await DatabaseLease.TryTakeAsync(
            () => TicketOpsDatabase.CreateContext(dataDirectory), DatabaseLease.Mining, DatabaseLease.ThisProcess("ticketops mine"), timeProvider: timeProvider, cancellationToken: cancellationToken);
        if (taken.Lease is not { } lease)
        {
            output.Fail($"Not mining: {taken.Refusal} Nothing was changed.");
            return ExitCodes.Refused;
        }

        MiningRun run;
        await using (lease)
        {
            if (lease.TookOverFrom is { } previous)
            {
                output.Error.WriteLine($"note: took over the mining lease from {previous}.");
            }

            using var running = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
            try
            {
                run = await CaseMining.RunAsync(output, dataDirectory, settings.MinCases, settings.IncludeNonTechnical, timeProvider, running.Token, rewriter);
            }
            catch (OperationCanceledException) when (lease.Lost.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                output.Fail("Stopped mining: this run could not renew its mining lease in time and another run took it over. Nothing of this run was saved.");
                return ExitCodes.Refused;
            }
            catch (DbUpdateConcurrencyException)
            {
                output.Fail("A review decision changed a candidate while this mining run was saving its drafts; nothing of this run was saved. Run 'ticketops mine' again.");
                return ExitCodes.Refused;
            }
        }

        if (settings.Json)
        {
            output.WriteJson(new
            {
                run.Cases,
                run.Embedded,
                run.Clustering.Resolution,
                Clusters = run.Clustering.Clusters.Count,
                Unclustered = run.Clustering.Unclustered.Count,
                run.Saved,
                Candidates = run.Drafts.Select(d => new
                {
                    d.ClusterId,
                    Kind = d.Kind.ToString(),
                    d.Title,
                    d.Reason,
                    d.TargetKnowledgeId,
                    Cases = d.SourceCases.Count,
                    Confidence = Math.Round(d.Confidence, 3),
                }),
                Rewrite = rewriter is null ? "off" : "on",
            });
            return ExitCodes.Success;
        }

        CaseMining.Write(output, run);
        return ExitCodes.Success;
    }
}

/// <summary>A mining run with progress, shared by <c>mine</c> and <c>demo</c>.</summary>
internal static class CaseMining
{
    public static async Task<MiningRun> RunAsync(
        CliOutput output,
        DataDirectory dataDirectory,
        int minCases,
        bool includeNonTechnical,
        TimeProvider timeProvider,
        CancellationToken cancellationToken,
        CandidateRewriter? rewriter = null,
        DateTime? resolvedBefore = null)
    {
        await using TicketOpsDbContext db = TicketOpsDatabase.CreateContext(dataDirectory);
        using var embedder = new SentenceEmbedder();
        using MatchIndexLease lease = MatchIndexLease.Take(dataDirectory);
        using TicketMatcher matcher = TicketMatcher.Open(dataDirectory, embedder, vectorCache: StoredVectors.Of(dataDirectory));
        Dictionary<string, string> playbooks = await db.Set<KnowledgeArticle>().AsNoTracking()
            .Where(a => a.State == KnowledgeState.Validated && a.Type == KnowledgeType.Playbook)
            .ToDictionaryAsync(a => a.Id, a => KnowledgeMarkdown.Write(a), cancellationToken);
        var miner = new CaseMiner(
            db,
            texts => embedder.EmbedDocuments(texts, matcher.Options.LongText, matcher.VectorCache, cancellationToken),
            MatcherCoverage.Create(matcher, playbooks),
            timeProvider,
            rewriter,
            indexed: matcher.Semantic);
        var options = new CaseMinerOptions
        {
            IncludeNonTechnical = includeNonTechnical,
            ResolvedBefore = resolvedBefore,
            Drafting = new CandidateDrafterOptions { MinCases = minCases },
        };
        return await output.WithProgressAsync("mine", progress =>
            miner.MineAsync(options, new SyncProgress<MiningProgress>(p => progress.Report((p.Stage, p.Done, p.Total))), cancellationToken));
    }

    public static void Write(CliOutput output, MiningRun run)
    {
        output.Line($"Mined {run.Cases:N0} resolved cases ({run.Cases - run.Embedded:N0} vectors from the matching index, {run.Embedded:N0} embedded now): {run.Clustering.Clusters.Count} recurring clusters at resolution {run.Clustering.Resolution}, {run.Clustering.Unclustered.Count:N0} one-off cases left unclustered.");
        var table = new Table().Title("Review queue (drafts)").AddColumns("kind", "title", "cases", "confidence", "note");
        foreach (CandidateDraft draft in run.Drafts.Where(d => d.Kind != CandidateKind.NoDraft).OrderBy(d => d.Kind).ThenByDescending(d => d.SourceCases.Count))
        {
            string note = draft.TargetKnowledgeId is { } target ? $"update suggestion for {target}" : "";
            table.AddRow(draft.Kind.ToString(), Markup.Escape(draft.Title), $"{draft.SourceCases.Count}", $"{draft.Confidence:N2}", Markup.Escape(note));
        }

        output.Console.Write(table);
        var skipped = run.Drafts.Where(d => d.Kind == CandidateKind.NoDraft).ToList();
        if (skipped.Count > 0)
        {
            output.Line($"No draft for {skipped.Count} clusters, with the reason recorded:");
            foreach (CandidateDraft draft in skipped)
            {
                output.Line($"  - {draft.Title}: {draft.Reason}");
            }
        }

        if (run.Rewrites is { } rewrites)
        {
            output.Line($"LLM rewrite: {rewrites.Values.Count(r => r.Succeeded)} drafts rewritten, {rewrites.Values.Count(r => !r.Succeeded)} kept extractive.");
            foreach (string reason in rewrites.Values.Where(r => !r.Succeeded).Select(r => r.FallbackReason ?? "").Distinct(StringComparer.Ordinal).Take(3))
            {
                output.Line($"  - {reason}");
            }
        }

        output.Line($"Saved: {run.Saved.CandidatesAdded} new candidates, {run.Saved.CandidatesRedrafted} redrafted, {run.Saved.CandidatesKeptRejected} kept rejected; clusters {run.Saved.ClustersAdded} new, {run.Saved.ClustersUpdated} continued, {run.Saved.ClustersRetired} retired.");
    }
}
