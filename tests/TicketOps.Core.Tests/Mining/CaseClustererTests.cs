using TicketOps.Core.Mining;

namespace TicketOps.Core.Tests.Mining;

public class CaseClustererTests
{
    private static List<ClusteringItem> TwoFamiliesAndOneOffs(VectorBuilder vectors)
    {
        var items = new List<ClusteringItem>();
        for (int i = 0; i < 6; i++)
        {
            items.Add(VectorBuilder.Item($"sso-{i}", vectors.Near(0)));
            items.Add(VectorBuilder.Item($"billing-{i}", vectors.Near(1)));
        }

        items.Add(VectorBuilder.Item("one-off-a", vectors.Near(10)));
        items.Add(VectorBuilder.Item("one-off-b", vectors.Near(20)));
        items.Add(VectorBuilder.Item("one-off-c", vectors.Near(30)));
        return items;
    }

    [Fact]
    public void Cluster_finds_the_two_families_and_leaves_one_offs_unclustered()
    {
        var items = TwoFamiliesAndOneOffs(new VectorBuilder());

        ClusteringResult result = new CaseClusterer().Cluster(items);

        Assert.Equal(2, result.Clusters.Count);
        Assert.Contains(result.Clusters, c => c.Members.All(m => m.CaseId.StartsWith("sso-", StringComparison.Ordinal)) && c.Size == 6);
        Assert.Contains(result.Clusters, c => c.Members.All(m => m.CaseId.StartsWith("billing-", StringComparison.Ordinal)) && c.Size == 6);
        Assert.Equal(["one-off-a", "one-off-b", "one-off-c"], result.Unclustered);
    }

    [Fact]
    public void Attach_puts_a_stray_case_into_its_nearest_cluster_only_above_the_floor()
    {
        var vectors = new VectorBuilder();
        var items = TwoFamiliesAndOneOffs(vectors);

        // About 0.5 to the SSO cases: below a link floor of 0.55 (no edge), above an attach floor of 0.4.
        items.Add(VectorBuilder.Item("stray-sso", VectorBuilder.Between(vectors.Dimensions, 0, 40, 0.62)));

        ClusteringResult plain = new CaseClusterer(new CaseClustererOptions { MinSimilarity = 0.55 }).Cluster(items);
        ClusteringResult attached = new CaseClusterer(new CaseClustererOptions { MinSimilarity = 0.55, AttachSimilarity = 0.4 }).Cluster(items);

        Assert.Contains("stray-sso", plain.Unclustered);
        Assert.Contains(attached.Clusters, c => c.Members.Any(m => m.CaseId == "stray-sso") && c.Members.Count(m => m.CaseId.StartsWith("sso-", StringComparison.Ordinal)) == 6);
        Assert.Equal(["one-off-a", "one-off-b", "one-off-c"], attached.Unclustered);
    }

    [Fact]
    public void Cluster_lists_members_most_central_first()
    {
        var items = TwoFamiliesAndOneOffs(new VectorBuilder());

        ClusteringResult result = new CaseClusterer().Cluster(items);

        foreach (CaseCluster cluster in result.Clusters)
        {
            Assert.Equal(cluster.Members.OrderByDescending(m => m.Similarity).Select(m => m.Similarity), cluster.Members.Select(m => m.Similarity));
            Assert.InRange(cluster.Cohesion, 0.5, 1.0);
        }
    }

    [Fact]
    public void Cluster_is_deterministic_for_the_same_input()
    {
        var first = new CaseClusterer().Cluster(TwoFamiliesAndOneOffs(new VectorBuilder(seed: 5)));
        var second = new CaseClusterer().Cluster(TwoFamiliesAndOneOffs(new VectorBuilder(seed: 5)));

        Assert.Equal(Describe(first), Describe(second));
    }

    [Fact]
    public void Cluster_keeps_ids_across_runs_when_cases_are_added()
    {
        var vectors = new VectorBuilder();
        var items = TwoFamiliesAndOneOffs(vectors);
        ClusteringResult before = new CaseClusterer().Cluster(items);
        var previous = before.Clusters.Select(c => new PreviousCluster(c.Id, c.Members.Select(m => m.CaseId).ToList())).ToList();

        items.Add(VectorBuilder.Item("sso-new-1", vectors.Near(0)));
        items.Add(VectorBuilder.Item("sso-new-2", vectors.Near(0)));
        for (int i = 0; i < 4; i++)
        {
            items.Add(VectorBuilder.Item($"export-{i}", vectors.Near(2)));
        }

        ClusteringResult after = new CaseClusterer().Cluster(items, previous);

        string ssoBefore = before.Clusters.Single(c => c.Members.Any(m => m.CaseId == "sso-0")).Id;
        string billingBefore = before.Clusters.Single(c => c.Members.Any(m => m.CaseId == "billing-0")).Id;
        CaseCluster ssoAfter = after.Clusters.Single(c => c.Members.Any(m => m.CaseId == "sso-0"));
        CaseCluster export = after.Clusters.Single(c => c.Members.Any(m => m.CaseId == "export-0"));
        Assert.Equal(ssoBefore, ssoAfter.Id);
        Assert.Equal(ssoBefore, ssoAfter.ContinuesClusterId);
        Assert.Equal(8, ssoAfter.Size);
        Assert.Equal(billingBefore, after.Clusters.Single(c => c.Members.Any(m => m.CaseId == "billing-0")).Id);
        Assert.DoesNotContain(export.Id, new[] { ssoBefore, billingBefore });
        Assert.Null(export.ContinuesClusterId);
        Assert.Empty(after.RetiredClusterIds);
    }

    [Fact]
    public void Cluster_retires_an_id_when_its_cases_are_gone()
    {
        var vectors = new VectorBuilder();
        var items = TwoFamiliesAndOneOffs(vectors);
        ClusteringResult before = new CaseClusterer().Cluster(items);
        var previous = before.Clusters.Select(c => new PreviousCluster(c.Id, c.Members.Select(m => m.CaseId).ToList())).ToList();

        ClusteringResult after = new CaseClusterer().Cluster(items.Where(i => !i.CaseId.StartsWith("billing-", StringComparison.Ordinal)).ToList(), previous);

        string billingBefore = before.Clusters.Single(c => c.Members.Any(m => m.CaseId == "billing-0")).Id;
        Assert.Equal([billingBefore], after.RetiredClusterIds);
    }

    [Fact]
    public void Shared_error_codes_link_cases_whose_wording_alone_is_not_close_enough()
    {
        int d = 16;

        // Cosine between the two halves is 0.5 (below the 0.55 link threshold); the shared code adds 0.15.
        var items = new List<ClusteringItem>
        {
            VectorBuilder.Item("a", VectorBuilder.Between(d, 0, 1, 0.0), "code:0X80070005"),
            VectorBuilder.Item("b", Rotate(d, 60), "code:0X80070005"),
            VectorBuilder.Item("c", VectorBuilder.Between(d, 5, 6, 0.0)),
            VectorBuilder.Item("e", Rotate(d, 60, offset: 5)),
        };
        var options = new CaseClustererOptions { MinClusterSize = 2, MinSimilarity = 0.55 };

        ClusteringResult result = new CaseClusterer(options).Cluster(items);

        CaseCluster cluster = Assert.Single(result.Clusters);
        Assert.Equal(["a", "b"], cluster.Members.Select(m => m.CaseId).Order());
        Assert.Equal(["c", "e"], result.Unclustered);
    }

    [Fact]
    public void Approximate_neighbour_search_finds_the_same_families_as_the_exact_one()
    {
        var vectors = new VectorBuilder(dimensions: 64, seed: 3);
        var items = new List<ClusteringItem>();
        for (int family = 0; family < 20; family++)
        {
            for (int i = 0; i < 10; i++)
            {
                items.Add(VectorBuilder.Item($"f{family}-{i}", vectors.Near(family)));
            }
        }

        ClusteringResult exact = new CaseClusterer().Cluster(items);
        ClusteringResult approximate = new CaseClusterer(new CaseClustererOptions { ExactSearchLimit = 50 }).Cluster(items);

        Assert.False(exact.ApproximateNeighbours);
        Assert.True(approximate.ApproximateNeighbours);
        Assert.Equal(20, approximate.Clusters.Count);
        Assert.Equal(Partition(exact), Partition(approximate));
    }

    [Fact]
    public void Duplicate_case_ids_are_refused()
    {
        var vectors = new VectorBuilder();
        var items = new List<ClusteringItem> { VectorBuilder.Item("x", vectors.Near(0)), VectorBuilder.Item("x", vectors.Near(0)) };

        Assert.Throws<ArgumentException>(() => new CaseClusterer().Cluster(items));
    }

    private static float[] Rotate(int dimensions, double degrees, int offset = 0)
    {
        double radians = degrees * Math.PI / 180;
        float[] vector = new float[dimensions];
        vector[offset] = (float)Math.Cos(radians);
        vector[offset + 1] = (float)Math.Sin(radians);
        return vector;
    }

    private static string Describe(ClusteringResult result) =>
        string.Join("|", result.Clusters.Select(c => c.Id + ":" + string.Join(",", c.Members.Select(m => $"{m.CaseId}={m.Similarity}"))))
        + "#" + string.Join(",", result.Unclustered);

    private static List<string> Partition(ClusteringResult result) =>
        result.Clusters.Select(c => string.Join(",", c.Members.Select(m => m.CaseId).Order(StringComparer.Ordinal))).Order(StringComparer.Ordinal).ToList();
}
