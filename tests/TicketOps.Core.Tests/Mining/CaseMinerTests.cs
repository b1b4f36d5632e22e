using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Cases;
using TicketOps.Core.Matching;
using TicketOps.Core.Mining;
using TicketOps.Core.Storage;
using TicketOps.TestSupport;
using TicketOps.Core.Tests.Support;

namespace TicketOps.Core.Tests.Mining;

/// <summary>
/// End to end with a real SQLite file and the real MiniLM model, on hand-written cases. SQLite only: the
/// store it writes through is tested on both providers by MiningStoreTests, and the model load is the cost here.
/// </summary>
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

    private readonly TestDatabase _database = TestDatabase.Create(DatabaseProvider.Sqlite);

    public async Task InitializeAsync()
    {
        await using var db = CreateContext();
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
        _database.Dispose();
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

    [Fact]
    public async Task Mine_takes_case_vectors_from_the_matching_index_and_embeds_only_the_cases_it_lacks()
    {
        using var embedder = new SentenceEmbedder();
        List<SupportCase> cases;
        await using (var db = CreateContext())
        {
            cases = await db.Cases.AsNoTracking().OrderBy(c => c.Id).ToListAsync();
        }

        // The index holds the export cases (T-1..T-6) and one push case, T-7, whose stored vector is an export
        // case's: if mining re-embedded T-7 it would stay with the push cases.
        using var index = new EmbeddingStore();
        foreach (SupportCase exportCase in cases.Take(6))
        {
            index.Upsert(MatchDocument.CaseId(exportCase), embedder.Embed([MatchDocument.FromCase(exportCase).EmbeddingText])[0]);
        }

        index.Upsert(MatchDocument.CaseId(cases[6]), index.Vector(MatchDocument.CaseId(cases[0]))!);
        var embedded = new List<string>();
        MiningRun run;
        await using (var db = CreateContext())
        {
            run = await new CaseMiner(db, texts => { embedded.AddRange(texts); return embedder.Embed(texts); }, indexed: index).MineAsync();
        }

        Assert.Equal(14, run.Cases);
        Assert.Equal(7, run.Embedded);
        Assert.Equal(7, embedded.Count);
        Assert.Contains(embedded, t => t.StartsWith(cases[7].Title, StringComparison.Ordinal) && t.Contains("Renew the APNs certificate", StringComparison.Ordinal)); // title, description, cause and resolution
        Assert.DoesNotContain(embedded, t => t.StartsWith(cases[6].Title, StringComparison.Ordinal));
        CaseCluster export = Assert.Single(run.Clustering.Clusters, c => c.Members.Any(m => m.CaseId == CandidateDrafter.CaseKey(cases[0])));
        Assert.Contains(export.Members, m => m.CaseId == CandidateDrafter.CaseKey(cases[6]));
    }

    [Fact]
    public async Task Open_cases_that_resemble_a_cluster_are_stored_with_it_and_counted_by_its_theme()
    {
        await using (var db = CreateContext())
        {
            SupportCase openPush = Case(30, "Push notifications no longer arrive on my iPhone", "Mobile", null, [], "");
            SupportCase openOther = Case(31, "Can we get the invoice as a Word file?", "Billing", null, [], "");
            foreach (SupportCase open in new[] { openPush, openOther })
            {
                open.Status = CaseStatus.Open;
                open.ResolvedAt = null;
                open.Resolution = null;
                db.Add(open);
            }

            await db.SaveChangesAsync();
        }

        using var embedder = new SentenceEmbedder();
        MiningRun run;
        await using (var db = CreateContext())
        {
            run = await new CaseMiner(db, texts => embedder.Embed(texts)).MineAsync();
        }

        Assert.Equal(14, run.Cases); // open cases are not mined
        var (clusterId, openIds) = Assert.Single(run.OpenCases);
        CaseCluster push = run.Clustering.Clusters.Single(c => c.Id == clusterId);
        Assert.Contains(push.Members, m => m.CaseId == "7"); // T-7 is the first push case
        await using (var db = CreateContext())
        {
            string openPushId = (await db.Cases.SingleAsync(c => c.ExternalId == "T-30")).Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal([openPushId], openIds);
            Assert.Equal([openPushId], (await db.Set<MinedCluster>().SingleAsync(c => c.Id == clusterId)).OpenCaseIds);
            Assert.DoesNotContain(openPushId, push.Members.Select(m => m.CaseId));

            var themes = await TicketOps.Core.Themes.ThemeReport.BuildAsync(db, new TicketOps.Core.Themes.ThemeTrackerOptions { Periods = 52 }, new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc));
            var pushTheme = themes.Single(t => t.ClusterId == clusterId);
            Assert.Equal(7, pushTheme.Total);
            Assert.Equal(1, pushTheme.Open);
            Assert.All(themes.Where(t => t.ClusterId != clusterId), t => Assert.Equal(0, t.Open));
        }
    }

    [Fact]
    public async Task Mine_stores_a_valid_llm_rewrite_and_records_why_an_invented_citation_falls_back()
    {
        using var server = new ChatServer(_ => (200, ChatServer.Completion(ExportRewrite), TimeSpan.Zero));
        CandidateRewriter rewriter = RewriterFor(server);
        using var embedder = new SentenceEmbedder();

        MiningRun run;
        await using (var db = CreateContext())
        {
            run = await new CaseMiner(db, texts => embedder.Embed(texts), rewriter: rewriter).MineAsync();
        }

        Assert.Equal(2, server.Requests.Count); // playbooks only; templates stay extractive
        await using (var db = CreateContext())
        {
            var playbooks = await db.Set<MiningCandidate>().Where(c => c.Kind == CandidateKind.Playbook).ToListAsync();
            MiningCandidate export = Assert.Single(playbooks, c => c.SourceCaseIds.Contains("1"));
            MiningCandidate push = Assert.Single(playbooks, c => !c.SourceCaseIds.Contains("1"));
            Assert.NotNull(export.RewriteJson);
            Assert.StartsWith("# CSV export dates are one day early", export.Markdown, StringComparison.Ordinal);
            Assert.Contains("rewritten by local-test", export.RewriteNote, StringComparison.Ordinal);
            Assert.Null(push.RewriteJson);
            Assert.Contains("not sources of the draft: 1", push.RewriteNote, StringComparison.Ordinal);
            Assert.Contains("_Candidate playbook · cluster", push.Markdown, StringComparison.Ordinal); // the extractive draft stands
            Assert.All(await db.Set<MiningCandidate>().Where(c => c.Kind == CandidateKind.InvestigationTemplate).ToListAsync(), t => Assert.Null(t.RewriteNote));
        }

        Assert.Equal(1, run.Rewrites!.Values.Count(r => r.Succeeded));
    }

    [Fact]
    public async Task Mine_again_keeps_the_rewrite_of_an_unchanged_draft_without_asking_the_model()
    {
        using var server = new ChatServer(_ => (200, ChatServer.Completion(ExportRewrite), TimeSpan.Zero));
        CandidateRewriter rewriter = RewriterFor(server);
        using var embedder = new SentenceEmbedder();
        await using (var db = CreateContext())
        {
            await new CaseMiner(db, texts => embedder.Embed(texts), rewriter: rewriter).MineAsync();
        }

        int askedFirst = server.Requests.Count;
        MiningRun second;
        await using (var db = CreateContext())
        {
            second = await new CaseMiner(db, texts => embedder.Embed(texts), rewriter: rewriter).MineAsync();
        }

        // The export draft's rewrite was valid and is kept; the push draft's was refused, so it is asked again.
        Assert.Equal(2, askedFirst);
        Assert.Equal(askedFirst + 1, server.Requests.Count);
        CandidateRewriteResult kept = Assert.Single(second.Rewrites!.Values, r => r.Succeeded);
        Assert.Contains("kept from the previous run", kept.Note, StringComparison.Ordinal);
        await using (var db = CreateContext())
        {
            MiningCandidate export = await db.Set<MiningCandidate>().SingleAsync(c => c.Kind == CandidateKind.Playbook && c.RewriteJson != null);
            Assert.StartsWith("# CSV export dates are one day early", export.Markdown, StringComparison.Ordinal);
            Assert.Contains("kept from the previous run", export.RewriteNote, StringComparison.Ordinal);
        }
    }

    // The local model cites case 1 for every draft: valid for the export cluster (cases 1-6), invented for the push one.
    private const string ExportRewrite = """
        {"title": "CSV export dates are one day early", "issue": "Dates in exported files are a day behind the app.",
         "environment": "Data export", "cause": "Date-only fields are converted to the workspace timezone.",
         "evidence": ["Compare a due date in the UI and in the export"], "resolution": ["Upgrade to 4.9", "Re-run the export"],
         "escalate_when": [], "escalation_packet": [], "cited_cases": ["1"]}
        """;

    private static CandidateRewriter RewriterFor(ChatServer server) =>
        new(new CandidateRewriteOptions { Enabled = true, Endpoint = server.Endpoint, Model = "local-test", Timeout = TimeSpan.FromSeconds(10) });

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

    private TicketOpsDbContext CreateContext() => _database.CreateContext();
}
