using TicketOps.Core.Mining;

namespace TicketOps.Core.Tests.Mining;

public class OpenCaseAssignerTests
{
    [Fact]
    public void An_open_case_joins_the_cluster_most_of_its_nearest_resolved_cases_are_in_and_nothing_else()
    {
        var vectors = new VectorBuilder();
        var ids = new List<string>();
        var resolved = new List<float[]>();
        void Add(string id, float[] vector)
        {
            ids.Add(id);
            resolved.Add(vector);
        }

        for (int i = 0; i < 12; i++)
        {
            Add($"sso-{i}", vectors.Near(0));
            Add($"billing-{i}", vectors.Near(1));
        }

        // Resolved cases near axis 2 that clustering left as one-offs: a case there belongs to no theme.
        for (int i = 0; i < 12; i++)
        {
            Add($"one-off-{i}", vectors.Near(2));
        }

        CaseCluster Cluster(string prefix) => new()
        {
            Id = "cl-" + prefix,
            Members = [.. ids.Where(id => id.StartsWith(prefix, StringComparison.Ordinal)).Select(id => new ClusterMember(id, 0.9))],
        };

        using var assigner = new OpenCaseAssigner(ids, resolved, [Cluster("sso"), Cluster("billing")]);

        Assert.Equal("cl-sso", assigner.ClusterFor(vectors.Near(0)));
        Assert.Equal("cl-billing", assigner.ClusterFor(vectors.Near(1)));
        Assert.Null(assigner.ClusterFor(vectors.Near(2)));
        Assert.Null(assigner.ClusterFor(vectors.Near(3))); // resembles nothing: its neighbours are spread
    }
}
