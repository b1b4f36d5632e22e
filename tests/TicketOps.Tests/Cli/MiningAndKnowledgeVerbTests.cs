using System.Text.Json;
using TicketOps.Cli;
using TicketOps.Core.Storage;
using TicketOps.Tests.Support;

namespace TicketOps.Tests.Cli;

public sealed class MiningAndKnowledgeVerbTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Mine_puts_drafts_in_the_queue_and_themes_then_reports_the_clusters()
    {
        string dataDir = _temp.Combine("data");
        string cases = _temp.Combine("cases.jsonl");
        await CliRun.RunAsync("generate", "--cases", "600", "--seed", "5", "--end", "2026-06-30", "--out", cases);
        await CliRun.RunAsync("import", cases, "--data-dir", dataDir, "--no-index");

        CliRun mine = await CliRun.RunAsync("mine", "--data-dir", dataDir, "--format", "json");
        CliRun themes = await CliRun.RunAsync("themes", "--data-dir", dataDir, "--format", "json", "--top", "100");

        Assert.Equal(ExitCodes.Success, mine.ExitCode);
        using var mined = JsonDocument.Parse(mine.Out);
        int clusters = mined.RootElement.GetProperty("clusters").GetInt32();
        Assert.InRange(clusters, 5, 60);
        Assert.Contains(mined.RootElement.GetProperty("candidates").EnumerateArray(), c => c.GetProperty("kind").GetString() == "Playbook");
        Assert.Equal(mined.RootElement.GetProperty("cases").GetInt32(), mined.RootElement.GetProperty("embedded").GetInt32()); // imported without an index: every case embedded now
        Assert.Contains(mined.RootElement.GetProperty("resolution").GetDouble(), TicketOps.Core.Mining.CaseClustererOptions.StabilityResolutions);
        Assert.Equal(ExitCodes.Success, themes.ExitCode);
        using var tracked = JsonDocument.Parse(themes.Out);
        Assert.Equal(clusters, tracked.RootElement.GetArrayLength());

        // Cases still open at the end of the generated half year are counted in the themes they resemble.
        var themeList = tracked.RootElement.EnumerateArray().ToList();
        Assert.True(themeList.Sum(t => t.GetProperty("open").GetInt32()) > 0, "open cases are counted");
        Assert.All(themeList, t => Assert.InRange(t.GetProperty("open").GetInt32(), 0, t.GetProperty("total").GetInt32()));
        Assert.All(themeList, t => Assert.Contains(t.GetProperty("mixed").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False }));

        // The product feedback report of one theme, as Markdown to a file and as JSON; an unknown theme is exit 4.
        JsonElement theme = themeList.First(t => !t.GetProperty("mixed").GetBoolean());
        string id = theme.GetProperty("cluster_id").GetString()!;
        string file = _temp.Combine("feedback.md");
        CliRun markdown = await CliRun.RunAsync("feedback-report", "--theme", id, "--from", "2025-07-01", "--to", "2026-07-01", "--data-dir", dataDir, "--out", file);
        CliRun json = await CliRun.RunAsync("feedback-report", "--theme", id, "--from", "2025-07-01", "--to", "2026-07-01", "--data-dir", dataDir, "--format", "json");
        CliRun unknown = await CliRun.RunAsync("feedback-report", "--theme", "cl-none", "--data-dir", dataDir);
        CliRun badFormat = await CliRun.RunAsync("feedback-report", "--format", "pdf", "--data-dir", dataDir);

        Assert.Equal(ExitCodes.Success, markdown.ExitCode);
        Assert.StartsWith($"## Product feedback: {theme.GetProperty("label").GetString()}", File.ReadAllText(file), StringComparison.Ordinal);
        Assert.Contains("wrote 1 product feedback report to", markdown.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, json.ExitCode);
        using var report = JsonDocument.Parse(json.Out);
        Assert.Equal(id, report.RootElement.GetProperty("theme_id").GetString());
        Assert.Equal(theme.GetProperty("total").GetInt32(), report.RootElement.GetProperty("cases").GetInt32()); // every case of the half year is in the window
        Assert.Equal(ExitCodes.NotFound, unknown.ExitCode);
        Assert.Contains("No active theme 'cl-none'", unknown.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, badFormat.ExitCode);

        // Help-content gaps: themes support solved by explaining, each one of the mined themes, with the customers' questions.
        CliRun gaps = await CliRun.RunAsync("help-gaps", "--data-dir", dataDir, "--format", "json");
        Assert.Equal(ExitCodes.Success, gaps.ExitCode);
        using var gapList = JsonDocument.Parse(gaps.Out);
        var themeIds = themeList.Select(t => t.GetProperty("cluster_id").GetString()).ToHashSet();
        Assert.NotEmpty(gapList.RootElement.EnumerateArray());
        Assert.All(gapList.RootElement.EnumerateArray(), g =>
        {
            Assert.Contains(g.GetProperty("cluster_id").GetString(), themeIds);
            Assert.True(g.GetProperty("explained_cases").GetInt32() * 2 >= g.GetProperty("resolved_cases").GetInt32());
            Assert.NotEmpty(g.GetProperty("questions").EnumerateArray());
        });
    }

    [Fact]
    public async Task Mine_is_refused_while_another_run_holds_the_mining_lease_and_says_who_since_when()
    {
        var data = new DataDirectory(_temp.Combine("data"));
        await TicketOpsDatabase.MigrateAsync(data);
        DatabaseLeaseResult other = await DatabaseLease.TryTakeAsync(
            () => TicketOpsDatabase.CreateContext(data), DatabaseLease.Mining, "ticketops mine on host-b (pid 4242)", renewInBackground: false);
        await using DatabaseLease held = other.Lease!;

        CliRun run = await CliRun.RunAsync("mine", "--data-dir", data.Root);

        Assert.Equal(ExitCodes.Refused, run.ExitCode);
        Assert.Contains("Not mining: The 'mine' lease is held by ticketops mine on host-b (pid 4242) since ", run.Error, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed.", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mine_refuses_an_llm_configuration_without_a_model_and_names_the_file_and_key()
    {
        string dataDir = _temp.Combine("data");
        Directory.CreateDirectory(dataDir);
        File.WriteAllText(Path.Combine(dataDir, "ticketops.json"), """{ "TicketOps": { "Llm": { "Enabled": true, "Endpoint": "http://127.0.0.1:9/v1" } } }""");

        CliRun run = await CliRun.RunAsync("mine", "--data-dir", dataDir);

        Assert.Equal(ExitCodes.InvalidData, run.ExitCode);
        Assert.Contains("ticketops.json: TicketOps:Llm: Model is missing", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(dataDir, "ticketops.db"))); // nothing was touched
    }

    [Fact]
    public async Task Themes_before_any_mining_says_to_mine_first()
    {
        CliRun run = await CliRun.RunAsync("themes", "--data-dir", _temp.Combine("data"));

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains("ticketops mine", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Knowledge_sync_reports_a_broken_file_with_its_line_and_loads_the_rest()
    {
        string folder = _temp.Combine("knowledge");
        Directory.CreateDirectory(Path.Combine(folder, "playbooks"));
        File.WriteAllText(Path.Combine(folder, "playbooks", "PB-0100.md"), """
            ---
            id: PB-0100
            type: playbook
            state: validated
            owner: support
            product_areas: [Billing]
            source_cases: []
            created: 2026-01-02
            version: 1
            ---

            # Invoice PDF is empty

            ## Issue

            The invoice PDF downloads with zero pages.

            ## Environment

            Billing, web app.

            ## Cause

            A stale render cache.

            ## Resolution

            Clear the invoice cache and download again.
            """);
        File.WriteAllText(Path.Combine(folder, "playbooks", "PB-0101.md"), "---\nid: PB-0101\ntype: playbook\nstate: shiny\n---\n\n# Broken\n");

        CliRun run = await CliRun.RunAsync("knowledge", "sync", "--folder", folder, "--data-dir", _temp.Combine("data"));

        Assert.Equal(ExitCodes.InvalidData, run.ExitCode);
        Assert.Contains("1 loaded", run.Out, StringComparison.Ordinal);
        Assert.Contains("PB-0101.md:4", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_prints_every_metric_key_with_counts_and_na_for_an_empty_database()
    {
        CliRun run = await CliRun.RunAsync("report", "--data-dir", _temp.Combine("data"), "--format", "json", "--csv", _temp.Combine("metrics.csv"));

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        foreach (string key in (string[])["time_to_first_evidence", "solve_without_engineering_rate", "escalation_rework_rate", "workflow_reuse_count", "repeat_case_rate", "link_rate", "reuse", "new_vs_known"])
        {
            Assert.True(json.RootElement.TryGetProperty(key, out _), key);
        }

        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("solve_without_engineering_rate").GetProperty("value").ValueKind);
        Assert.Contains("n/a", File.ReadAllText(_temp.Combine("metrics.csv")), StringComparison.Ordinal);
    }
}
