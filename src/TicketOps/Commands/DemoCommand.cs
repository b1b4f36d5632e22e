using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using TicketOps.Cli;
using TicketOps.Core.Cases;
using TicketOps.Core.Import;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Matching;
using TicketOps.Core.Mining;
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

        output.Line($"2. Imported them into {dataDirectory.DatabasePath} in {imported.Elapsed.TotalSeconds:N1} s ({imported.Inserted:N0} new, personal data redacted).");
        await using (TicketOpsDbContext db = TicketOpsDatabase.CreateContext(dataDirectory))
        {
            output.Console.Write(StatsCommand.CaseVolumeTable(await CaseVolume.ByProductAsync(db, cancellationToken)));
        }

        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        (int indexed, _) = await MatchIndex.UpdateAsync(output, dataDirectory, imported.ChangedCaseIds, cancellationToken);
        output.Line($"3. Indexed {indexed:N0} resolved cases for matching (BM25 + all-MiniLM-L6-v2 embeddings) in {stopwatch.Elapsed.TotalSeconds:N1} s.");
        if (Directory.Exists(settings.Knowledge))
        {
            (KnowledgeSyncResult synced, int published) = await KnowledgeSync.RunAsync(dataDirectory, settings.Knowledge, timeProvider, cancellationToken);
            output.Line($"4. Loaded the team's knowledge from {settings.Knowledge}: {synced.Loaded.Count} articles, {published} published to matching, {synced.Errors.Count} files with problems.");
        }
        else
        {
            output.Line($"4. No knowledge folder at {Path.GetFullPath(settings.Knowledge)}; run from the repository root or pass --knowledge DIR.");
        }

        await ShowSampleMatchesAsync(dataDirectory, settings.Seed, end, cancellationToken);
        output.Line("");
        output.Line("6. Mining the resolved cases for recurring issues the knowledge does not cover yet:");
        MiningRun mined = await CaseMining.RunAsync(output, dataDirectory, minCases: 5, includeNonTechnical: false, timeProvider, cancellationToken);
        CaseMining.Write(output, mined);
        await ShowThemesAsync(dataDirectory, cancellationToken);

        string dir = Path.GetRelativePath(Environment.CurrentDirectory, root);
        output.Line("");
        output.Line("Try next:");
        output.Line($"  ticketops match \"SAML login fails with ERR_SAML_CLOCK_SKEW since this morning\" --data-dir {dir}");
        output.Line($"  ticketops themes --data-dir {dir}");
        output.Line($"  ticketops report --data-dir {dir}");
        output.Line($"  ticketops stats --data-dir {dir}");
        output.Line($"  ticketops import my-export.csv --data-dir {dir} --map \"external_id=Ticket ID\"");
        output.Line($"  ticketops doctor --data-dir {dir}");
        output.Line("(from a checkout, 'ticketops' is 'dotnet run --project src/TicketOps --')");
        return settings.NoServe ? ExitCodes.Success : await DemoServer.RunAsync(output, dataDirectory, settings.Urls, timeProvider, cancellationToken);
    }

    private async Task ShowThemesAsync(DataDirectory dataDirectory, CancellationToken cancellationToken)
    {
        await using TicketOpsDbContext db = TicketOpsDatabase.CreateContext(dataDirectory);
        IReadOnlyList<Theme> themes = await ThemeReport.BuildAsync(db, new ThemeTrackerOptions { Period = ThemePeriod.Month, Periods = 12 }, timeProvider.GetUtcNow().UtcDateTime, cancellationToken);
        List<Theme> flagged = [.. themes.Where(t => t.Signals != ThemeSignal.None)];
        output.Line("");
        output.Line($"7. Themes for leads: {themes.Count} recurring themes, {flagged.Count} flagged:");
        foreach (Theme theme in flagged.Take(8))
        {
            output.Line($"   {theme.Signals.ToString().ToLowerInvariant(),-8} {theme.Label} ({theme.Total} cases, growth {(theme.Growth is { } g ? $"{g:N1}×" : "n/a")})");
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
        using TicketMatcher matcher = TicketMatcher.Open(dataDirectory, embedder);
        output.Line("5. Sample matches for new tickets:");
        foreach (string ticket in tickets)
        {
            MatchResult result = await matcher.MatchAsync(new MatchRequest { Text = ticket, MaxResults = 3 }, cancellationToken);
            string firstLine = ticket.Split('\n')[0];
            output.Line("");
            output.Line($"   ticket: {(firstLine.Length > 100 ? firstLine[..100] + "…" : firstLine)}");
            MatchView.Write(output, result, matcher.Options);
        }
    }
}
