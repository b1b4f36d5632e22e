using System.Text.Json;
using TicketOps.Cli;
using TicketOps.Core.Cases;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Mining;
using TicketOps.Core.Storage;
using TicketOps.Tests.Support;

namespace TicketOps.Tests.Cli;

public sealed class ReviewVerbTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string DataDir => _temp.Combine("data");

    private string Knowledge => _temp.Combine("knowledge");

    [Fact]
    public async Task Review_list_approve_and_log_write_the_playbook_and_one_audit_entry()
    {
        long id = await MineInvoiceCandidateAsync();

        CliRun list = await Review("list", "--format", "json");
        CliRun withoutActor = await Review("approve", $"{id}");
        CliRun approve = await Review("approve", $"{id}", "--as", "alice", "--format", "json");
        CliRun again = await Review("approve", $"{id}", "--as", "alice");
        CliRun log = await Review("log", "--subject", "PB-0001", "--format", "json");
        CliRun match = await CliRun.RunAsync("match", "invoice PDF downloads with zero pages", "--data-dir", DataDir, "--format", "json");

        using (var queue = JsonDocument.Parse(list.Out))
        {
            JsonElement item = Assert.Single(queue.RootElement.EnumerateArray());
            Assert.Equal(id, item.GetProperty("candidate_id").GetInt64());
            Assert.Equal("Playbook", item.GetProperty("kind").GetString());
        }

        Assert.Equal(ExitCodes.Usage, withoutActor.ExitCode);
        Assert.Contains("--as NAME", withoutActor.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, approve.ExitCode);
        using (var decision = JsonDocument.Parse(approve.Out))
        {
            Assert.Equal("PB-0001", decision.RootElement.GetProperty("knowledge_id").GetString());
            Assert.True(decision.RootElement.GetProperty("indexed").GetBoolean());
        }

        Assert.True(KnowledgeMarkdown.Parse(File.ReadAllText(Path.Combine(Knowledge, "playbooks", "PB-0001.md")), "PB-0001.md").IsValid);
        Assert.Equal(ExitCodes.Refused, again.ExitCode);
        Assert.Contains("already approved as PB-0001", again.Error, StringComparison.Ordinal);
        using (var entries = JsonDocument.Parse(log.Out))
        {
            JsonElement entry = Assert.Single(entries.RootElement.EnumerateArray());
            Assert.Equal(("Approve", "alice"), (entry.GetProperty("action").GetString(), entry.GetProperty("actor").GetString()));
        }

        Assert.Contains("\"PB-0001\"", match.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Review_show_prints_the_draft_and_the_editable_article_and_a_broken_edit_is_refused_with_its_line()
    {
        long id = await MineInvoiceCandidateAsync();

        CliRun show = await Review("show", $"{id}");
        CliRun article = await Review("show", $"{id}", "--article");
        string broken = _temp.Write("draft.md", article.Out.Replace("version: 1", "version: one", StringComparison.Ordinal));
        CliRun approveBroken = await Review("approve", $"{id}", "--from", broken, "--as", "alice");
        CliRun rejectWithoutReason = await Review("reject", $"{id}", "--as", "alice");
        CliRun reject = await Review("reject", $"{id}", "--reason", "customer template bug", "--as", "alice");

        Assert.Equal(ExitCodes.Success, show.ExitCode);
        Assert.Contains("## Cause", show.Out, StringComparison.Ordinal);
        Assert.Contains("Source cases", show.Out, StringComparison.Ordinal);
        Assert.Contains("inv-0", show.Out, StringComparison.Ordinal);
        Assert.StartsWith("---\nid: PB-0001\n", article.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.InvalidData, approveBroken.ExitCode);
        Assert.Contains("line 10", approveBroken.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(Knowledge, "playbooks")));
        Assert.Equal(ExitCodes.Usage, rejectWithoutReason.ExitCode);
        Assert.Contains("needs a reason", rejectWithoutReason.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, reject.ExitCode);
        Assert.Contains("rejected", reject.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void A_decision_another_instance_took_at_the_same_moment_exits_refused_with_the_message_on_stderr()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var output = new CliOutput(Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings { Out = new Spectre.Console.AnsiConsoleOutput(stdout) }), stdout, stderr, interactive: false);
        var error = new TicketOps.Core.Review.ReviewError(TicketOps.Core.Review.ReviewErrorCode.ConcurrentDecision, "Candidate 7 was changed by another decision (on this or another TicketOps instance) while this one was being taken; nothing was written.");

        int exitCode = TicketOps.Commands.ReviewView.Refusal(output, new TicketOps.Commands.ReviewSettings(), error);

        Assert.Equal(ExitCodes.Refused, exitCode);
        Assert.Equal($"error: {error.Message}{Environment.NewLine}", stderr.ToString());
        Assert.Equal("", stdout.ToString());
    }

    private Task<CliRun> Review(params string[] args) =>
        CliRun.RunAsync(["review", .. args, "--data-dir", DataDir, "--knowledge", Knowledge]);

    /// <summary>Stores six empty-invoice cases and a mined candidate for them, as a mining run would.</summary>
    private async Task<long> MineInvoiceCandidateAsync()
    {
        var dataDirectory = new DataDirectory(DataDir);
        await TicketOpsDatabase.MigrateAsync(dataDirectory);
        Directory.CreateDirectory(Knowledge);
        await using TicketOpsDbContext db = TicketOpsDatabase.CreateContext(dataDirectory);
        DateTime created = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);
        List<SupportCase> cases = [.. Enumerable.Range(0, 6).Select(i => new SupportCase
        {
            Source = "test",
            ExternalId = $"inv-{i}",
            Title = "Invoice PDF downloads with zero pages",
            Description = "The monthly invoice PDF opens empty in every viewer.",
            Product = "Billing",
            Status = CaseStatus.Resolved,
            CreatedAt = created,
            ResolvedAt = created.AddHours(3),
            Cause = "A stale invoice render cache",
            Resolution = "Clear the invoice render cache; Download the invoice again",
        })];
        db.Cases.AddRange(cases);
        await db.SaveChangesAsync();
        var cluster = new CaseCluster
        {
            Id = "cl-invoice",
            Members = [.. cases.Select(c => new ClusterMember(CandidateDrafter.CaseKey(c), 0.9))],
            Cohesion = 0.85,
        };
        var labels = new Dictionary<string, ClusterLabel> { ["cl-invoice"] = new() { Terms = [], RepresentativeTitles = [], Text = "invoice pdf" } };
        await new MiningStore(db).SaveRunAsync(
            new ClusteringResult { Clusters = [cluster], Unclustered = [], RetiredClusterIds = [] },
            labels,
            [new CandidateDrafter().Draft(cluster, cases, cases[0].Title)]);
        return db.Set<MiningCandidate>().Single().Id;
    }
}
