using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Cases;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Matching;
using TicketOps.Core.Mining;
using TicketOps.Core.Review;
using TicketOps.Core.Storage;
using TicketOps.Core.Tests.Knowledge;
using TicketOps.Core.Tests.Mining;
using TicketOps.Core.Tests.Support;

namespace TicketOps.Core.Tests.Review;

/// <summary>A clock that says what the test wants.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>
/// A knowledge owner's desk for tests: a data directory with a migrated database (SQLite or PostgreSQL), a knowledge folder holding the
/// validated SAML clock-skew playbook PB-0001 (synced and indexed), a real matcher with the real MiniLM
/// embedder, and candidates mined through the real drafter and store.
/// </summary>
internal sealed class ReviewDesk : IDisposable
{
    public static readonly DateTimeOffset Today = new(2026, 9, 14, 10, 30, 0, TimeSpan.Zero);

    private readonly TempDataDirectory _data;
    private readonly SentenceEmbedder _embedder;

    private ReviewDesk(SentenceEmbedder embedder, DatabaseProvider provider)
    {
        _data = new TempDataDirectory(provider);
        _embedder = embedder;
        Folder = Path.Combine(_data.Path, "knowledge");
        Matcher = TicketMatcher.Open(_data.Data, embedder);
    }

    public string Folder { get; }

    public TicketMatcher Matcher { get; }

    public FixedClock Clock { get; } = new(Today);

    public static async Task<ReviewDesk> OpenAsync(SentenceEmbedder embedder, DatabaseProvider provider = DatabaseProvider.Sqlite)
    {
        var desk = new ReviewDesk(embedder, provider);
        KnowledgeArticle playbook = KnowledgeArticles.Playbook("PB-0001");
        playbook.TemplateId = null;
        Directory.CreateDirectory(desk.Folder);
        Assert.Null(await KnowledgeFolder.WriteFileAsync(desk.Folder, playbook));
        await desk.SyncAsync();
        return desk;
    }

    public TicketOpsDbContext CreateContext() => _data.CreateContext();

    /// <summary>The desk's database (SQLite file or PostgreSQL database).</summary>
    public DatabaseLocation Database => _data.Data.Database;

    /// <summary>A review service on a fresh context, as a CLI run or a web request would have.</summary>
    public KnowledgeReview Review(TicketOpsDbContext db) =>
        new(db, Folder, Matcher, texts => _embedder.Embed(texts), Clock);

    public async Task SyncAsync()
    {
        await using TicketOpsDbContext db = CreateContext();
        KnowledgeSyncResult result = await KnowledgeFolder.SyncAsync(Folder, db, Clock);
        Assert.True(result.IsClean, string.Join("; ", result.Errors));
        await KnowledgeDocuments.UpdateAsync(db, Matcher, [.. result.Loaded, .. result.Updated]);
    }

    /// <summary>Stores the cases, drafts a candidate from them as one cluster and saves it like a mining run; returns its id.</summary>
    public async Task<long> MineAsync(string clusterId, IReadOnlyList<SupportCase> cases, CoverageScorer? coverage = null)
    {
        await using TicketOpsDbContext db = CreateContext();
        db.Cases.AddRange(cases);
        await db.SaveChangesAsync();
        (ClusteringResult clustering, Dictionary<string, ClusterLabel> labels, List<CandidateDraft> drafts) = Run(clusterId, cases, coverage);
        await new MiningStore(db, Clock).SaveRunAsync(clustering, labels, drafts);
        return await db.Set<MiningCandidate>().Where(c => c.ClusterId == clusterId).OrderByDescending(c => c.Id).Select(c => c.Id).FirstAsync();
    }

    /// <summary>The same cluster mined again (cases already stored), as the next mining run would.</summary>
    public async Task<MiningRunSummary> MineAgainAsync(string clusterId, IReadOnlyList<SupportCase> cases, CoverageScorer? coverage = null)
    {
        await using TicketOpsDbContext db = CreateContext();
        (ClusteringResult clustering, Dictionary<string, ClusterLabel> labels, List<CandidateDraft> drafts) = Run(clusterId, cases, coverage);
        return await new MiningStore(db, Clock).SaveRunAsync(clustering, labels, drafts);
    }

    public async Task<List<AuditEntry>> AuditAsync()
    {
        await using TicketOpsDbContext db = CreateContext();
        return await db.Set<AuditEntry>().OrderBy(e => e.Id).ToListAsync();
    }

    public async Task<MiningCandidate> CandidateAsync(long id)
    {
        await using TicketOpsDbContext db = CreateContext();
        return await db.Set<MiningCandidate>().SingleAsync(c => c.Id == id);
    }

    public async Task<KnowledgeArticle?> ArticleAsync(string id)
    {
        await using TicketOpsDbContext db = CreateContext();
        return await db.Set<KnowledgeArticle>().SingleOrDefaultAsync(a => a.Id == id);
    }

    public string PathOf(string id) => Path.Combine(Folder, id.StartsWith("PB-", StringComparison.Ordinal) ? "playbooks" : "templates", id + ".md");

    public void Dispose()
    {
        Matcher.Dispose();
        _data.Dispose();
    }

    /// <summary>Cases about the SAML clock skew PB-0001 already covers, with its cause.</summary>
    public static List<SupportCase> ClockSkewCases(string prefix, int count, string cause = "The IdP server clock drifted ahead of UTC") =>
        [.. Enumerable.Range(0, count).Select(i => new CaseBuilder($"{prefix}-{i}")
            .Titled("SAML login rejected with ERR_SAML_CLOCK_SKEW", "Users get ERR_SAML_CLOCK_SKEW after the IdP redirect and cannot sign in.")
            .Cause(cause)
            .Resolution("Resync the IdP clock with NTP; Set the allowed skew back to 60 seconds")
            .Environment("SSO/Auth", platform: "Okta")
            .Build())];

    /// <summary>Cases about an issue no article covers: empty invoice PDFs.</summary>
    public static List<SupportCase> EmptyInvoiceCases(string prefix, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new CaseBuilder($"{prefix}-{i}")
            .Titled("Invoice PDF downloads with zero pages", "The monthly invoice PDF opens empty in every viewer; the invoice list shows the right total.")
            .Cause("A stale invoice render cache after the template change")
            .Resolution("Clear the invoice render cache; Download the invoice again")
            .Environment("Billing", platform: "Web")
            .Build())];

    private static (ClusteringResult, Dictionary<string, ClusterLabel>, List<CandidateDraft>) Run(string clusterId, IReadOnlyList<SupportCase> cases, CoverageScorer? coverage)
    {
        var cluster = new CaseCluster
        {
            Id = clusterId,
            Members = [.. cases.Select((c, i) => new ClusterMember(CandidateDrafter.CaseKey(c), Math.Round(0.95 - (0.01 * i), 2)))],
            Cohesion = 0.85,
        };
        var clustering = new ClusteringResult { Clusters = [cluster], Unclustered = [], RetiredClusterIds = [] };
        var labels = new Dictionary<string, ClusterLabel> { [clusterId] = new() { Terms = [], RepresentativeTitles = [], Text = cases[0].Title } };
        return (clustering, labels, [new CandidateDrafter(new CandidateDrafterOptions(), coverage).Draft(cluster, cases, cases[0].Title)]);
    }
}
