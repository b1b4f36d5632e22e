using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using TicketOps.Cli;
using TicketOps.Core.Cases;
using TicketOps.Core.Import;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Matching;
using TicketOps.Core.Metrics;
using TicketOps.Core.Mining;
using TicketOps.Core.Review;
using TicketOps.Core.Routing;
using TicketOps.Core.Themes;
using TicketOps.Core.Storage;
using TicketOps.Core.Synthetic;

namespace TicketOps.Commands;

internal sealed class DemoSettings : CommandSettings
{
    /// <summary>Marks a folder as made by <c>demo</c>, so it may be wiped by the next <c>demo</c>.</summary>
    public const string Marker = ".ticketops-demo";

    [CommandOption("--cases <N>")]
    [Description("How many synthetic cases to generate.")]
    [DefaultValue(3000)]
    public int Cases { get; init; } = 3000;

    [CommandOption("--seed <S>")]
    [Description("Random seed of the synthetic set.")]
    [DefaultValue(42)]
    public int Seed { get; init; } = 42;

    [CommandOption("--data-dir <DIR>")]
    [Description("Where to build the demo. It is emptied first, unless it holds data demo did not make. Default: .data/demo")]
    [DefaultValue(".data/demo")]
    public string DataDir { get; init; } = ".data/demo";

    [CommandOption("--knowledge <DIR>")]
    [Description("Knowledge folder to load (the team's playbooks and templates). Default: knowledge")]
    [DefaultValue("knowledge")]
    public string Knowledge { get; init; } = "knowledge";

    [CommandOption("--no-serve")]
    [Description("Stop after preparing the data instead of serving it.")]
    public bool NoServe { get; init; }

    [CommandOption("--urls <URLS>")]
    [Description("Where to serve the demo. Default: http://127.0.0.1:5080")]
    [DefaultValue("http://127.0.0.1:5080")]
    public string Urls { get; init; } = "http://127.0.0.1:5080";

    public override ValidationResult Validate() =>
        Cases is >= 100 and <= 1_000_000 ? ValidationResult.Success() : ValidationResult.Error("--cases must be between 100 and 1,000,000.");
}

/// <summary>The main job on the embedded default: synthetic data → import → summary, and what to try next.</summary>
internal sealed class DemoCommand(CliOutput output, TimeProvider timeProvider) : AsyncCommand<DemoSettings>
{
    private const string DemoOwner = "demo-owner";

    // Drafts below this are left for a person; on the demo set it keeps the recurring families and drops thin clusters.
    private const double DemoApprovalConfidence = 0.5;

    public override async Task<int> ExecuteAsync(CommandContext context, DemoSettings settings, CancellationToken cancellationToken)
    {
        string root = Path.GetFullPath(settings.DataDir);
        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
        {
            if (!File.Exists(Path.Combine(root, DemoSettings.Marker)))
            {
                output.Fail($"{root} is not empty and was not made by 'ticketops demo'; refusing to overwrite it. Pass --data-dir with a new folder.");
                return ExitCodes.Usage;
            }

            // Pooled connections would go on writing to the deleted file's inode.
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }

        var dataDirectory = new DataDirectory(root);
        await File.WriteAllTextAsync(Path.Combine(root, DemoSettings.Marker), "made by 'ticketops demo'; the next demo run deletes this folder\n", cancellationToken);

        DateTime end = timeProvider.GetUtcNow().UtcDateTime.Date;
        string casesFile = Path.Combine(root, "demo-cases.jsonl");
        int generated = await DemoDataFile.WriteAsync(casesFile, new DemoDataOptions(settings.Cases, settings.Seed, end), cancellationToken);
        output.Line($"1. Generated {generated:N0} synthetic cases for {IssueFamilies.ProductName} ({IssueFamilies.All.Count} latent issue families, 12 months to {end:yyyy-MM-dd}, seed {settings.Seed}): {casesFile}");

        await TicketOpsDatabase.MigrateAsync(dataDirectory, cancellationToken);
        ImportResult imported = await CaseImport.RunAsync(output, dataDirectory, [casesFile], new ImportOptions(), timeProvider, cancellationToken);
        if (!imported.Succeeded)
        {
            output.Fail(imported.Problem ?? string.Join(Environment.NewLine, imported.Invalid.Take(5)));
            return ExitCodes.Failure;
        }

        output.Line($"2. Imported them into {dataDirectory.Database.Description} in {imported.Elapsed.TotalSeconds:N1} s ({imported.Inserted:N0} new, personal data redacted).");
        await using (TicketOpsDbContext db = TicketOpsDatabase.CreateContext(dataDirectory))
        {
            output.Console.Write(StatsCommand.CaseVolumeTable(await CaseVolume.ByProductAsync(db, cancellationToken)));
        }

        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        int indexed = (await MatchIndex.UpdateAsync(output, dataDirectory, imported.ChangedCaseIds, cancellationToken)).Indexed;
        output.Line($"3. Indexed {indexed:N0} resolved cases for matching (BM25 + all-MiniLM-L6-v2 embeddings) in {stopwatch.Elapsed.TotalSeconds:N1} s.");
        // The demo works on a copy: approvals write Markdown files, and they must not land in the team's folder.
        string knowledgeFolder = Path.Combine(root, "knowledge");
        if (Directory.Exists(settings.Knowledge))
        {
            CopyFolder(settings.Knowledge, knowledgeFolder);
            (KnowledgeSyncResult synced, int published) = await KnowledgeSync.RunAsync(output, dataDirectory, knowledgeFolder, timeProvider, cancellationToken);
            output.Line($"4. Loaded the team's knowledge from {settings.Knowledge} (copied to {knowledgeFolder}): {synced.Loaded.Count} articles, {published} published to matching, {synced.Errors.Count} files with problems.");
        }
        else
        {
            output.Line($"4. No knowledge folder at {Path.GetFullPath(settings.Knowledge)}; run from the repository root or pass --knowledge DIR.");
        }

        await ShowSampleMatchesAsync(dataDirectory, settings.Seed, end, cancellationToken);

        // The year is replayed in two halves around a mining run, as a team adopting TicketOps would live it:
        // agents work with the shipped knowledge, mining proposes what recurs, an owner approves, agents go on.
        var demoData = new DemoDataOptions(settings.Cases, settings.Seed, end);
        Dictionary<string, string> families = DemoCaseGenerator.Generate(demoData)
            .Where(c => c.EvalFamily is not null && c.ExternalId is not null)
            .ToDictionary(c => c.ExternalId!, c => c.EvalFamily!, StringComparer.Ordinal);
        DateTime start = demoData.Start;
        DateTime cutoff = end.AddMonths(-DemoDataOptions.WindowMonths / 2);
        output.Line("");
        output.Line($"6. Replaying agents' work from {start:yyyy-MM-dd} to {cutoff:yyyy-MM-dd} (suggestions, links, helped/did not help, flags, escalation packets):");
        await ReplayAsync(dataDirectory, families, start, cutoff, settings.Seed, cancellationToken);

        output.Line("");
        output.Line($"7. Mining the cases resolved before {cutoff:yyyy-MM-dd} for recurring issues the knowledge does not cover yet:");
        MiningRun mined = await CaseMining.RunAsync(output, dataDirectory, minCases: 5, includeNonTechnical: false, timeProvider, cancellationToken, resolvedBefore: cutoff);
        CaseMining.Write(output, mined);
        (int approved, int merged) = await ReviewCandidatesAsync(dataDirectory, knowledgeFolder, cutoff, cancellationToken);
        output.Line($"8. A simulated knowledge owner ({DemoOwner}) approved {approved} new playbooks and merged {merged} candidates into existing ones on {cutoff:yyyy-MM-dd} (written to {knowledgeFolder}, indexed at once; audit log: ticketops review log).");

        output.Line("");
        output.Line($"9. Replaying the rest of the year, {cutoff:yyyy-MM-dd} to {end:yyyy-MM-dd}:");
        await ReplayAsync(dataDirectory, families, cutoff, end.AddDays(1), settings.Seed + 1, cancellationToken);
        await ShowRepeatCaseTrendAsync(dataDirectory, start, end.AddDays(1), cancellationToken);

        // Themes need the whole year: the mid-year run cannot see what grew or appeared since.
        MiningRun latest = await CaseMining.RunAsync(output, dataDirectory, minCases: 5, includeNonTechnical: false, timeProvider, cancellationToken);
        output.Line($"   Mined again as of {end:yyyy-MM-dd} (the monthly run): {latest.Cases:N0} resolved cases, {latest.Clustering.Clusters.Count} recurring clusters.");
        await ShowThemesAsync(dataDirectory, cancellationToken);

        string dir = Path.GetRelativePath(Environment.CurrentDirectory, root);
        output.Line("");
        output.Line("Try next:");
        output.Line($"  ticketops match \"SAML login fails with ERR_SAML_CLOCK_SKEW since this morning\" --data-dir {dir}");
        output.Line($"  ticketops themes --data-dir {dir}");
        output.Line($"  ticketops feedback-report --top 3 --data-dir {dir}            (Markdown for the product team; --format json for integrations)");
        output.Line($"  ticketops help-gaps --data-dir {dir}                           (help articles customers should have had)");
        output.Line($"  ticketops report --data-dir {dir}");
        output.Line($"  ticketops flags --data-dir {dir}");
        output.Line($"  ticketops escalate DEMO-000123 --hypothesis \"...\" --question \"...\" --impact \"...\" --as you --data-dir {dir}");
        output.Line($"  ticketops stats --data-dir {dir}");
        output.Line($"  ticketops import my-export.csv --data-dir {dir} --map \"external_id=Ticket ID\"");
        output.Line($"  ticketops doctor --data-dir {dir}");
        output.Line("(from a checkout, 'ticketops' is 'dotnet run --project src/TicketOps --')");
        return settings.NoServe ? ExitCodes.Success : await DemoServer.RunAsync(output, dataDirectory, knowledgeFolder, settings.Urls, timeProvider, cancellationToken);
    }

    /// <summary>
    /// A simulated knowledge owner works the review queue on <paramref name="reviewedOn"/>: a candidate the
    /// duplicate check (or the miner's coverage check) ties to an existing playbook is merged into it; a new
    /// playbook candidate of at least <see cref="DemoApprovalConfidence"/> is approved as drafted. Templates are
    /// left in the queue for a person. Articles are written to the demo's own knowledge folder and indexed, so
    /// the second half of the replay can suggest them.
    /// </summary>
    private static async Task<(int Approved, int Merged)> ReviewCandidatesAsync(DataDirectory dataDirectory, string knowledgeFolder, DateTime reviewedOn, CancellationToken cancellationToken)
    {
        await using TicketOpsDbContext db = TicketOpsDatabase.CreateContext(dataDirectory);
        using var embedder = new SentenceEmbedder();
        using MatchIndexLease lease = MatchIndexLease.Take(dataDirectory);
        using TicketMatcher matcher = TicketMatcher.Open(dataDirectory, embedder, vectorCache: StoredVectors.Of(dataDirectory));
        var review = new KnowledgeReview(db, knowledgeFolder, matcher, texts => embedder.Embed(texts, cancellationToken), new SimulatedClock { Now = reviewedOn });
        int approved = 0;
        int merged = 0;
        foreach (ReviewQueueItem item in await review.QueueAsync(cancellationToken))
        {
            if (item.Kind == CandidateKind.InvestigationTemplate)
            {
                continue;
            }

            ReviewResult<CandidateReview> shown = await review.ShowAsync(item.CandidateId, cancellationToken);
            if (shown.Value?.SuggestedMergeTarget is { } target)
            {
                var merge = await review.MergeAsync(new MergeRequest { CandidateId = item.CandidateId, TargetId = target, Actor = DemoOwner, Reason = "same issue and cause (demo owner)" }, cancellationToken);
                merged += merge.Succeeded ? 1 : 0;
            }
            else if (item.Kind == CandidateKind.Playbook && item.Confidence >= DemoApprovalConfidence)
            {
                var approve = await review.ApproveAsync(new ApproveRequest { CandidateId = item.CandidateId, Actor = DemoOwner }, cancellationToken);
                approved += approve.Succeeded ? 1 : 0;
            }
        }

        return (approved, merged);
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private async Task ReplayAsync(DataDirectory dataDirectory, IReadOnlyDictionary<string, string> families, DateTime from, DateTime to, int seed, CancellationToken cancellationToken)
    {
        await using TicketOpsDbContext db = TicketOpsDatabase.CreateContext(dataDirectory);
        using var embedder = new SentenceEmbedder();
        using MatchIndexLease lease = MatchIndexLease.Take(dataDirectory);
        using TicketMatcher matcher = TicketMatcher.Open(dataDirectory, embedder, vectorCache: StoredVectors.Of(dataDirectory));
        var simulation = new AgentSimulation(db, matcher, embedder);
        // The stored index vectors: encoding 3,000 ticket texts again would cost as long as indexing did. They
        // also embed the recorded cause and fix, so suggestions are somewhat better than for a new ticket.
        var options = new AgentSimulationOptions { From = from, To = to, FamilyByExternalId = families, Seed = seed, EncodeTicketText = false };
        AgentSimulationSummary summary = await output.WithProgressAsync("replay", async progress =>
            await simulation.RunAsync(options, new SyncProgress<int>(done => progress.Report(("cases", done, null))), cancellationToken));
        output.Line($"   {summary.Cases:N0} cases ({summary.Encoded:N0} open ones encoded) in {summary.Elapsed.TotalSeconds:N1} s: {summary.Events[KnowledgeEventKind.Suggested]:N0} suggestions, "
            + $"{summary.Events[KnowledgeEventKind.Used]:N0} links, {summary.Events[KnowledgeEventKind.Helped]:N0} helped, {summary.Events[KnowledgeEventKind.DidNotHelp]:N0} did not help, "
            + $"{summary.Events[KnowledgeEventKind.Flagged]:N0} flags; {summary.PacketsWritten:N0} escalation packets, {summary.PacketsCaught:N0} caught incomplete by the check, {summary.PacketsCompleted:N0} then completed.");
    }

    private async Task ShowRepeatCaseTrendAsync(DataDirectory dataDirectory, DateTime from, DateTime to, CancellationToken cancellationToken)
    {
        await using TicketOpsDbContext db = TicketOpsDatabase.CreateContext(dataDirectory);
        IReadOnlyList<SupportMetricsReport> months = await SupportMetrics.ComputeMonthlyAsync(db, new MetricsQuery(from, to), cancellationToken);
        var table = new Table().Title("Knowledge use per month").AddColumns("month", "repeat-case rate", "link rate", "known share");
        foreach (SupportMetricsReport month in months)
        {
            table.AddRow($"{month.From:yyyy-MM}", Rate(month.RepeatCaseRate), Rate(month.LinkRate), month.NewVsKnown.Value is { } known ? $"{known:P0}" : "n/a");
        }

        output.Console.Write(table);
    }

    private static string Rate(RateMetric rate) => rate.Value is { } value ? $"{value:P0} ({rate.Numerator}/{rate.Denominator})" : $"n/a (0/{rate.Denominator})";

    private async Task ShowThemesAsync(DataDirectory dataDirectory, CancellationToken cancellationToken)
    {
        await using TicketOpsDbContext db = TicketOpsDatabase.CreateContext(dataDirectory);
        IReadOnlyList<Theme> themes = await ThemeReport.BuildAsync(db, new ThemeTrackerOptions { Period = ThemePeriod.Month, Periods = 12 }, timeProvider.GetUtcNow().UtcDateTime, cancellationToken);
        List<Theme> flagged = [.. themes.Where(t => t.Signals != ThemeSignal.None)];
        output.Line("");
        output.Line($"10. Themes for leads: {themes.Count} recurring themes, {flagged.Count} flagged:");
        foreach (Theme theme in flagged.Take(8))
        {
            output.Line($"   {theme.Signals.ToString().ToLowerInvariant(),-8} {theme.Label} ({theme.Total} cases, growth {(theme.Growth is { } g ? $"{g:N1}×" : "n/a")})");
        }

        // Possible incidents: what support should have worked as one incident instead of ticket by ticket.
        foreach ((Theme theme, IncidentSignal incident) in themes.SelectMany(t => t.Incidents.Select(i => (t, i))).OrderBy(x => x.i.FirstAt).Take(5))
        {
            output.Line($"   possible incident: {theme.Label}: {incident.Cases} cases from {incident.Customers} customers on {incident.VersionLine} within hours of {incident.FirstAt:yyyy-MM-dd HH:mm} UTC (first {incident.FirstCase}, flagged at case {incident.CasesToFlag})");
        }

        // The write-up a lead hands to product: the most telling flagged theme (growing before sudden, never a mixed one).
        if (themes.Where(t => !t.Mixed).OrderByDescending(t => t.Signals.HasFlag(ThemeSignal.Growing)).ThenByDescending(t => t.Signals != ThemeSignal.None).FirstOrDefault() is { } pick)
        {
            DateTime to = timeProvider.GetUtcNow().UtcDateTime.Date.AddDays(1);
            FeedbackReportResult result = await ProductFeedbackReport.BuildAsync(db, new FeedbackReportQuery(to.AddMonths(-12), to, pick.ClusterId), cancellationToken);
            if (result.Reports is [ProductFeedback report])
            {
                string file = Path.Combine(dataDirectory.Root, "feedback-report.md");
                await File.WriteAllTextAsync(file, ProductFeedbackReport.ToMarkdown(report), cancellationToken);
                output.Line($"   product feedback report for '{pick.Label}' ({pick.Signals.ToString().ToLowerInvariant()}), written to {Path.GetRelativePath(Environment.CurrentDirectory, file)}:");
                output.Line($"     friction: {report.Friction}");
                output.Line($"     engineering: {(report.EngineeringHours.TotalHours is { } hours ? $"{hours:N0} h over {report.EngineeringHours.Cases} escalations" : "none")}; rework {(report.ReworkShare.Value is { } rework ? $"{rework:P0}" : "n/a")}; open question ({report.OpenQuestion.Source}): {report.OpenQuestion.Text}");
            }
        }
    }

    /// <summary>
    /// Matches a few new tickets the index has never seen (same families, another seed) and one ticket
    /// about something the product does not do, to show both a match and an honest "no good match".
    /// </summary>
    private async Task ShowSampleMatchesAsync(DataDirectory dataDirectory, int seed, DateTime end, CancellationToken cancellationToken)
    {
        // One family the team's knowledge covers (a playbook should win) and one it does not (similar cases should).
        string[] families = ["sso-saml-clock-skew", "export-large-job-stuck"];
        List<string> tickets = [.. DemoCaseGenerator.Generate(new DemoDataOptions(1_000, seed + 1, end))
            .Where(c => c.EvalFamily is not null && families.Contains(c.EvalFamily))
            .DistinctBy(c => c.EvalFamily)
            .Select(c => $"{c.Title}\n{c.Description}")];
        tickets.Add("The espresso machine in our office kitchen shows a blinking descale light and makes a grinding noise.");

        using var embedder = new SentenceEmbedder();
        using MatchIndexLease lease = MatchIndexLease.Take(dataDirectory);
        using TicketMatcher matcher = TicketMatcher.Open(dataDirectory, embedder, vectorCache: StoredVectors.Of(dataDirectory));
        output.Line("5. Sample matches for new tickets, each with where it belongs (ownership depth):");
        await using TicketOpsDbContext db = TicketOpsDatabase.CreateContext(dataDirectory);
        var advisor = new OwnershipAdvisor(matcher);
        foreach (string ticket in tickets)
        {
            MatchResult result = await matcher.MatchAsync(new MatchRequest { Text = ticket, MaxResults = 3 }, cancellationToken);
            string firstLine = ticket.Split('\n')[0];
            output.Line("");
            output.Line($"   ticket: {(firstLine.Length > 100 ? firstLine[..100] + "…" : firstLine)}");
            MatchView.Write(output, result, matcher.Options);
            MatchView.WriteOwnership(output, await advisor.AdviseAsync(db, ticket, null, result.KnowledgeIds, end, cancellationToken));
        }
    }
}
