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

    [Fact]
    public void Typos_are_counted_as_the_spelling_most_texts_use_and_other_words_stay_apart()
    {
        string[] texts =
        [
            .. Enumerable.Repeat("The export never finishes, the clock is wrong", 20),
            "The exprot never finishes", "Exprot stuck again", "exportt stuck", "The block editor is slow", "sending fails, ending soon",
        ];

        IReadOnlyDictionary<string, string> spelling = ClusterLabeler.CommonSpellings(texts);

        Assert.Equal("export", spelling["exprot"]);
        Assert.Equal("export", spelling["exportt"]);
        Assert.False(spelling.ContainsKey("block")); // another first letter: another word, not a typo of "clock"
        Assert.False(spelling.ContainsKey("export"));
        Assert.Equal(["export", "export stuck", "stuck"], ClusterLabeler.Terms("Exprot stuck", spelling).Order(StringComparer.Ordinal));
    }
}
