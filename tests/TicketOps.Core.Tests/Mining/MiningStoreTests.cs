using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Mining;
using TicketOps.Core.Storage;
using TicketOps.TestSupport;

namespace TicketOps.Core.Tests.Mining;

/// <summary>The mining tables on a fresh migrated database of each provider.</summary>
public abstract class MiningStoreTests(DatabaseProvider provider) : IDisposable
{
    private readonly TestDatabase _database = TestDatabase.Create(provider);

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Save_run_stores_cluster_identities_and_draft_candidates()
    {
        var (clustering, labels, drafts) = Run("cl-a", size: 6);

        await using (var db = CreateContext())
        {
            MiningRunSummary summary = await new MiningStore(db).SaveRunAsync(clustering, labels, drafts);
            Assert.Equal(new MiningRunSummary(1, 0, 0, 1, 0, 0), summary);
        }

        await using (var db = CreateContext())
        {
            MinedCluster cluster = await db.Set<MinedCluster>().SingleAsync();
            Assert.Equal("cl-a", cluster.Id);
            Assert.Equal("sso, saml trace", cluster.Label);
            Assert.Equal(6, cluster.MemberCaseIds.Count);
            MiningCandidate candidate = await db.Set<MiningCandidate>().SingleAsync();
            Assert.Equal(CandidateState.Draft, candidate.State);
            Assert.Equal(CandidateKind.Playbook, candidate.Kind);
            Assert.Contains("## Cause", candidate.Markdown, StringComparison.Ordinal);
            Assert.Equal(6, candidate.SourceCaseIds.Count);
            var previous = await new MiningStore(db).PreviousClustersAsync();
            Assert.Equal("cl-a", Assert.Single(previous).ClusterId);
        }
    }

    [Fact]
    public async Task A_rejected_candidate_stays_rejected_until_its_cluster_grows()
    {
        await using (var db = CreateContext())
        {
            var (clustering, labels, drafts) = Run("cl-a", size: 6);
            await new MiningStore(db).SaveRunAsync(clustering, labels, drafts);
            MiningCandidate candidate = await db.Set<MiningCandidate>().SingleAsync();
            candidate.State = CandidateState.Rejected;
            candidate.Reason = "Not a product issue";
            await db.SaveChangesAsync();
        }

        await using (var db = CreateContext())
        {
            var (clustering, labels, drafts) = Run("cl-a", size: 8);
            MiningRunSummary summary = await new MiningStore(db).SaveRunAsync(clustering, labels, drafts);
            Assert.Equal(1, summary.CandidatesKeptRejected);
            Assert.Equal(CandidateState.Rejected, (await db.Set<MiningCandidate>().SingleAsync()).State);
        }

        await using (var db = CreateContext())
        {
            var (clustering, labels, drafts) = Run("cl-a", size: 9);
            MiningRunSummary summary = await new MiningStore(db).SaveRunAsync(clustering, labels, drafts);
            Assert.Equal(1, summary.CandidatesAdded);
            Assert.Equal([CandidateState.Rejected, CandidateState.Draft], await db.Set<MiningCandidate>().OrderBy(c => c.Id).Select(c => c.State).ToListAsync());
        }
    }

    [Fact]
    public async Task A_draft_is_redrafted_in_place_and_a_vanished_cluster_is_retired()
    {
        await using (var db = CreateContext())
        {
            var (clustering, labels, drafts) = Run("cl-a", size: 6);
            await new MiningStore(db).SaveRunAsync(clustering, labels, drafts);
        }

        await using (var db = CreateContext())
        {
            var (clustering, labels, drafts) = Run("cl-b", size: 7, retired: "cl-a");
            var (_, _, redraftA) = Run("cl-a", size: 7);
            MiningRunSummary summary = await new MiningStore(db).SaveRunAsync(clustering, labels, [.. drafts, .. redraftA]);
            Assert.Equal(new MiningRunSummary(1, 0, 1, 1, 1, 0), summary);
            Assert.NotNull((await db.Set<MinedCluster>().SingleAsync(c => c.Id == "cl-a")).RetiredAt);
            Assert.Equal(2, await db.Set<MiningCandidate>().CountAsync());
        }
    }

    private TicketOpsDbContext CreateContext() => _database.CreateContext();

    private static (ClusteringResult Clustering, Dictionary<string, ClusterLabel> Labels, List<CandidateDraft> Drafts) Run(string clusterId, int size, string? retired = null)
    {
        var cases = Enumerable.Range(0, size).Select(i => new CaseBuilder($"{clusterId}-case-{i}")
            .Cause("Expired IdP signing certificate")
            .Evidence("Collect a SAML trace")
            .Build()).ToList();
        CaseCluster cluster = CaseBuilder.ClusterOf(clusterId, cases);
        var clustering = new ClusteringResult { Clusters = [cluster], Unclustered = [], RetiredClusterIds = retired is null ? [] : [retired] };
        var labels = new Dictionary<string, ClusterLabel>
        {
            [clusterId] = new() { Terms = [], RepresentativeTitles = [], Text = "sso, saml trace" },
        };
        return (clustering, labels, [new CandidateDrafter().Draft(cluster, cases)]);
    }
}

/// <summary>The tests above on the embedded SQLite file.</summary>
public sealed class SqliteMiningStoreTests() : MiningStoreTests(DatabaseProvider.Sqlite);

/// <summary>The tests above on a fresh PostgreSQL database.</summary>
public sealed class PostgreSqlMiningStoreTests() : MiningStoreTests(DatabaseProvider.PostgreSql);
