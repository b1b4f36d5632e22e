using TicketOps.Core.Mining;

namespace TicketOps.Core.Tests.Mining;

public class ClusterLabelerTests
{
    [Fact]
    public void Label_names_a_cluster_by_its_distinctive_terms_and_central_titles()
    {
        var printer = new CaseCluster
        {
            Id = "cl-printer",
            Members = [new("p1", 0.9), new("p2", 0.8), new("p3", 0.7)],
            Cohesion = 0.8,
        };
        var vpn = new CaseCluster
        {
            Id = "cl-vpn",
            Members = [new("v1", 0.9), new("v2", 0.8), new("v3", 0.7)],
            Cohesion = 0.8,
        };
        LabelText[] texts =
        [
            new("p1", "Printer offline", "Printer offline after the update, the office users cannot print"),
            new("p2", "Cannot print", "The printer shows offline for all office users"),
            new("p3", "Print queue stuck", "Jobs stay in the print queue, printer offline"),
            new("v1", "VPN drops", "The VPN tunnel drops for office users every hour"),
            new("v2", "VPN disconnects", "VPN tunnel disconnects when users leave the office"),
            new("v3", "Remote access lost", "The VPN tunnel is lost after an hour"),
            new("x1", "Office users ask about the update", "Office users ask about the update"),
        ];

        var labels = ClusterLabeler.Label([printer, vpn], texts);

        Assert.Equal(["offline", "printer"], labels["cl-printer"].Terms.Take(2).Select(t => t.Term).Order());
        Assert.Equal("tunnel, vpn, hour", labels["cl-vpn"].Text);
        Assert.DoesNotContain("office", labels["cl-printer"].Text, StringComparison.Ordinal); // common to all classes: ranks below the distinctive terms
        Assert.Equal(["Printer offline", "Cannot print", "Print queue stuck"], labels["cl-printer"].RepresentativeTitles);
    }
}
