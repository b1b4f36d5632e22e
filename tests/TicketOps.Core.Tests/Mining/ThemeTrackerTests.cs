using TicketOps.Core.Mining;
using TicketOps.Core.Themes;

namespace TicketOps.Core.Tests.Mining;

public class ThemeTrackerTests
{
    private static readonly DateTime s_asOf = new(2026, 3, 2, 12, 0, 0, DateTimeKind.Utc); // a Monday

    /// <summary>Cases of one cluster: perWeek[i] cases in week i back from the report date (0 = the latest week).</summary>
    private static (CaseCluster Cluster, List<ThemeCase> Cases) Cluster(string id, int[] perWeek, int escalatedLatest = 0, string product = "SSO")
    {
        var cases = new List<ThemeCase>();
        for (int week = 0; week < perWeek.Length; week++)
        {
            for (int i = 0; i < perWeek[week]; i++)
            {
                bool escalated = week == 0 && i < escalatedLatest;
                cases.Add(new ThemeCase($"{id}-{week}-{i}", $"{id} case", s_asOf.AddDays(-(7 * week) - 1 - (i * 0.1)), escalated, product));
            }
        }

        var cluster = new CaseCluster { Id = id, Members = cases.Select(c => new ClusterMember(c.CaseId, 0.9)).ToList(), Cohesion = 0.8 };
        return (cluster, cases);
    }

    private static IReadOnlyList<Theme> Track(params (CaseCluster Cluster, List<ThemeCase> Cases)[] clusters) =>
        new ThemeTracker(new ThemeTrackerOptions { Periods = 8 }).Track(
            clusters.Select(c => c.Cluster).ToList(),
            clusters.ToDictionary(c => c.Cluster.Id, c => c.Cluster.Id + " label"),
            clusters.SelectMany(c => c.Cases).ToList(),
            s_asOf);

    [Fact]
    public void A_theme_whose_cases_from_several_customers_arrive_within_hours_is_flagged_as_a_possible_incident_first()
    {
        var (steady, steadyCases) = Cluster("steady", [3, 3, 3, 3, 3, 3, 3, 3]);
        var burstCases = Enumerable.Range(0, 6)
            .Select(i => new ThemeCase($"b-{i}", "Teams messages stopped", s_asOf.AddDays(-3).AddMinutes(i * 25), false, "Integrations",
                ExternalId: $"T-{i}", Text: "Teams messages stopped arriving, error MSTEAMS-410", Version: "v4.11.2", Customer: $"customer-{i}"))
            .ToList();
        var burst = new CaseCluster { Id = "burst", Members = [.. burstCases.Select(c => new ClusterMember(c.CaseId, 0.9))], Cohesion = 0.8 };

        IReadOnlyList<Theme> themes = Track((steady, steadyCases), (burst, burstCases));

        Theme flagged = themes[0];
        Assert.Equal("burst", flagged.ClusterId);
        Assert.True(flagged.Signals.HasFlag(ThemeSignal.Incident));
        IncidentSignal incident = Assert.Single(flagged.Incidents);
        Assert.Equal(("MSTEAMS-410", "v4.11", "T-0", 6, 6, 4), (incident.Identifier, incident.VersionLine, incident.FirstCase, incident.Cases, incident.Customers, incident.CasesToFlag));
        Assert.Empty(themes.Single(t => t.ClusterId == "steady").Incidents);
    }

    [Fact]
    public void A_burst_before_the_report_window_is_not_flagged_again()
    {
        var cases = Enumerable.Range(0, 6)
            .Select(i => new ThemeCase($"o-{i}", "Old burst", s_asOf.AddDays(-70).AddMinutes(i * 10), false, "SSO", Text: "ERR_OLD_BURST", Version: "v4.1.0", Customer: $"c{i}"))
            .ToList();
        var cluster = new CaseCluster { Id = "old", Members = [.. cases.Select(c => new ClusterMember(c.CaseId, 0.9))], Cohesion = 0.8 };

        Theme theme = Assert.Single(Track((cluster, cases)));

        Assert.Empty(theme.Incidents);
        Assert.False(theme.Signals.HasFlag(ThemeSignal.Incident));
    }

    [Fact]
    public void Track_flags_a_theme_whose_last_third_doubles_its_first_third_as_growing()
    {
        var themes = Track(Cluster("growing", [4, 4, 1, 2, 1, 1, 1, 1]));

        Theme theme = Assert.Single(themes);
        Assert.Equal(ThemeSignal.Growing, theme.Signals);
        Assert.Equal(8, theme.Recent); // weeks 0-1
        Assert.Equal(2, theme.Early); // weeks 6-7
        Assert.Equal(4, theme.Growth);
    }

    [Fact]
    public void Track_flags_a_theme_absent_from_the_first_third_as_sudden()
    {
        var themes = Track(Cluster("sudden", [5, 2]));

        Assert.Equal(ThemeSignal.Sudden, Assert.Single(themes).Signals);
    }

    [Fact]
    public void Track_does_not_flag_a_fading_theme()
    {
        var themes = Track(Cluster("fading", [1, 1, 2, 2, 3, 3, 4, 4]));

        Assert.Equal(ThemeSignal.None, Assert.Single(themes).Signals);
    }

    [Fact]
    public void Track_does_not_flag_a_steady_theme_or_a_small_new_one()
    {
        var themes = Track(Cluster("steady", [3, 2, 3, 3, 2, 3, 3, 2]), Cluster("tiny", [2]));

        Assert.All(themes, t => Assert.Equal(ThemeSignal.None, t.Signals));
    }

    [Fact]
    public void Track_reports_weekly_counts_escalation_share_and_product_areas()
    {
        var themes = Track(Cluster("steady", [4, 2, 0, 1, 0, 0, 0, 1], escalatedLatest: 2, product: "Billing"));

        Theme theme = Assert.Single(themes);
        // Calendar weeks from Monday 12 January; the latest rolling week's cases fall on the weekend before
        // the report date (week of 23 February); the 8-weeks-back case is before the series.
        Assert.Equal([0, 0, 0, 1, 0, 2, 4, 0], theme.Series.Select(s => s.Count));
        Assert.Equal(new DateTime(2026, 1, 12, 0, 0, 0, DateTimeKind.Utc), theme.Series[0].Start);
        Assert.Equal(new DateTime(2026, 3, 2, 0, 0, 0, DateTimeKind.Utc), theme.Series[^1].Start);
        Assert.Equal(2, theme.Series[^2].Escalated);
        Assert.Equal(0.25, theme.EscalationShare);
        Assert.Equal([("Billing", 8)], theme.ProductAreas);
        Assert.Equal(3, theme.Examples.Count);
    }

    [Fact]
    public void Open_cases_count_in_the_volume_and_growth_but_not_in_the_escalation_share()
    {
        // Resolved: 2 a week for 8 weeks, the latest one escalated. Open: 4 more in each of the last 2 weeks
        // (still being worked), two of them with engineering already involved.
        var (cluster, cases) = Cluster("busy", [2, 2, 2, 2, 2, 2, 2, 2], escalatedLatest: 1);
        var open = Enumerable.Range(0, 8)
            .Select(i => new ThemeCase($"open-{i}", "busy case", s_asOf.AddDays(-1 - (7 * (i / 4)) - (i * 0.1)), Escalated: i < 2, "SSO", Open: true))
            .ToList();
        cluster = new CaseCluster { Id = cluster.Id, Members = [.. cluster.Members, .. open.Select(c => new ClusterMember(c.CaseId, 0))], Cohesion = 0.8 };

        Theme withOpen = Assert.Single(Track((cluster, [.. cases, .. open])));
        Theme resolvedOnly = Assert.Single(Track(Cluster("busy", [2, 2, 2, 2, 2, 2, 2, 2], escalatedLatest: 1)));

        Assert.Equal(24, withOpen.Total);
        Assert.Equal(8, withOpen.Open);
        Assert.Equal([0, 0, 0, 0, 0, 4, 4, 0], withOpen.Series.Zip(resolvedOnly.Series, (a, b) => a.Count - b.Count)); // the current week is empty
        Assert.Equal(ThemeSignal.Growing, withOpen.Signals); // 4 + 12 recent against 4 early
        Assert.Equal(ThemeSignal.None, resolvedOnly.Signals);
        Assert.Equal(1 / 16.0, withOpen.EscalationShare!.Value, 3);
        Assert.All(withOpen.Examples, e => Assert.False(e.Open));
    }

    [Fact]
    public void A_theme_far_less_cohesive_than_the_others_is_marked_mixed()
    {
        (CaseCluster Cluster, List<ThemeCase> Cases) WithCohesion(string id, double cohesion)
        {
            var (cluster, cases) = Cluster(id, [3, 3, 3]);
            return (new CaseCluster { Id = cluster.Id, Members = cluster.Members, Cohesion = cohesion }, cases);
        }

        var themes = Track(WithCohesion("a", 0.9), WithCohesion("b", 0.88), WithCohesion("c", 0.85), WithCohesion("grab-bag", 0.61));
        var allLoose = Track(WithCohesion("a", 0.62), WithCohesion("b", 0.6), WithCohesion("c", 0.61));

        Assert.Equal(["grab-bag"], themes.Where(t => t.Mixed).Select(t => t.ClusterId));
        Assert.DoesNotContain(allLoose, t => t.Mixed); // relative to the report, not an absolute floor
    }

    [Fact]
    public void Track_lists_flagged_themes_first()
    {
        var themes = Track(Cluster("steady", [3, 3, 3, 3, 3, 3, 3, 3]), Cluster("sudden", [4]));

        Assert.Equal(["sudden", "steady"], themes.Select(t => t.ClusterId));
    }
}
