using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Cases;
using TicketOps.Core.Matching;
using TicketOps.Core.Mining;
using TicketOps.Core.Storage;

namespace TicketOps.Core.Tests.Mining;

/// <summary>End to end with a real SQLite file and the real MiniLM model, on hand-written cases.</summary>
public sealed class CaseMinerTests : IAsyncLifetime
{
    private static readonly string[] s_exportTitles =
    [
        "Dates in the CSV export are one day early", "CSV export shows due dates shifted by a day", "Export has wrong dates, one day off",
        "Due dates in exported CSV are off by one day", "Exported dates one day behind the app", "CSV export dates are a day earlier than in the UI",
    ];

    private static readonly string[] s_pushTitles =
    [
        "iPhone push notifications stopped arriving", "No push notifications on iOS since Monday", "Push notifications not delivered to iPhone",
        "iOS app does not receive push notifications", "Push alerts missing on iPhone", "Notifications never show up on my iPhone",
    ];

    private static readonly string[] s_oneOffs = ["The logo in the invoice PDF is blurry", "Keyboard shortcut for bold does not work in comments"];

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ticketops-miner-tests", Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        await using var db = CreateContext();
        await db.Database.EnsureCreatedAsync();
        int n = 0;
        foreach (string title in s_exportTitles)
        {
            db.Add(Case(++n, title, "Data export", "Export converts date-only fields to the workspace timezone", ["Compare a due date in the UI and in the export", "Check the workspace timezone"], "Upgrade to 4.9; Re-run the export"));
        }

        foreach (string title in s_pushTitles)
        {
            db.Add(Case(++n, title, "Mobile", "APNs certificate expired", ["Check the device token registration", "Check the APNs certificate expiry"], "Renew the APNs certificate"));
        }

        foreach (string title in s_oneOffs)
        {
            db.Add(Case(++n, title, "Other", "Unknown", [], "Fixed in a later release"));
        }

        db.Add(Case(++n, "How do I change my invoice address?", "Billing", null, [], "Explained the settings page", technical: false));
        await db.SaveChangesAsync();
    }

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Left to the OS temp cleaner.
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task Mine_turns_recurring_resolved_cases_into_draft_candidates_and_keeps_ids_on_the_next_run()
    {
        using var embedder = new SentenceEmbedder();
        MiningRun first;
        await using (var db = CreateContext())
        {
            first = await new CaseMiner(db, texts => embedder.Embed(texts)).MineAsync();
        }

        Assert.Equal(14, first.Cases); // the non-technical question is not mined
        Assert.Equal(2, first.Clustering.Clusters.Count);
        Assert.All(first.Clustering.Clusters, c => Assert.Equal(6, c.Size));
        var playbooks = first.Drafts.Where(d => d.Kind == CandidateKind.Playbook).ToList();
        Assert.Equal(2, playbooks.Count);
        Assert.Contains(playbooks, p => p.Causes[0].Text == "APNs certificate expired" && p.Causes[0].Cases == 6);
        Assert.Equal(2, first.Drafts.Count(d => d.Kind == CandidateKind.InvestigationTemplate));

        await using (var db = CreateContext())
        {
            Assert.Equal(2, await db.Set<MinedCluster>().CountAsync());
            Assert.Equal(4, await db.Set<MiningCandidate>().CountAsync(c => c.State == CandidateState.Draft));
        }

        MiningRun second;
        await using (var db = CreateContext())
        {
            second = await new CaseMiner(db, texts => embedder.Embed(texts)).MineAsync();
        }

        Assert.Equal(first.Clustering.Clusters.Select(c => c.Id).Order(), second.Clustering.Clusters.Select(c => c.Id).Order());
        Assert.Equal(new MiningRunSummary(0, 2, 0, 0, 4, 0), second.Saved);
    }

    private static SupportCase Case(int n, string title, string product, string? cause, string[] evidence, string resolution, bool technical = true) => new()
    {
        Source = "test",
        ExternalId = $"T-{n}",
        Title = title,
        Product = product,
        IsTechnical = technical,
        Status = CaseStatus.Resolved,
        CreatedAt = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(n),
        ResolvedAt = new DateTime(2026, 1, 2, 0, 0, 0, DateTimeKind.Utc).AddDays(n),
        Cause = cause,
        EvidenceSteps = [.. evidence],
        Resolution = resolution,
    };

    private TicketOpsDbContext CreateContext() => new(TicketOpsDatabase.Options(Path.Combine(_folder, "ticketops.db")));
}
