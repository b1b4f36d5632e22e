using TicketOps.Core.Cases;
using TicketOps.Core.Import;
using TicketOps.Core.Synthetic;

namespace TicketOps.Core.Tests.Synthetic;

/// <summary>The generator's queue ground truth: ownership history and the sudden families' incident bursts.</summary>
public sealed class QueueHistoryTests
{
    [Fact]
    public void Every_sudden_family_opens_with_one_incident_burst_of_different_customers_within_hours()
    {
        var byFamily = DemoSamples.ByFamily(DemoSamples.Small);

        foreach (IssueFamily family in IssueFamilies.All.Where(f => f.Trend == FamilyTrend.Sudden))
        {
            var incident = byFamily[family.Id].Where(c => c.IncidentId is not null).ToList();
            Assert.True(incident.Count >= QueueHistory.MinBurstCases, $"{family.Id}: {incident.Count} incident cases");
            Assert.Single(incident.Select(c => c.IncidentId).Distinct());
            TimeSpan spread = incident.Max(c => c.CreatedAt!.Value) - incident.Min(c => c.CreatedAt!.Value);
            Assert.True(spread <= QueueHistory.BurstLength, $"{family.Id}: burst spread {spread}");
            Assert.True(incident.Select(c => c.Customer).Distinct().Count() >= incident.Count - 1, $"{family.Id}: customers repeat");
            DateTime release = DemoSamples.Options(DemoSamples.Small.Count).MonthStart(family.StartMonth);
            Assert.InRange(incident[0].CreatedAt!.Value, release, release.AddDays(3));
        }
    }

    [Fact]
    public void Only_sudden_families_have_incidents()
    {
        var incidentFamilies = DemoSamples.Small.Where(c => c.IncidentId is not null).Select(c => c.EvalFamily).Distinct().ToList();

        Assert.All(incidentFamilies, id => Assert.Equal(FamilyTrend.Sudden, IssueFamilies.Find(id!)!.Trend));
    }

    [Fact]
    public void Handoffs_start_at_assignment_follow_time_and_stop_at_resolution()
    {
        foreach (CaseRecord c in DemoSamples.Small.Where(c => c.AssignedAt is not null))
        {
            Assert.NotNull(c.Handoffs);
            Assert.NotEmpty(c.Handoffs);
            Assert.True(c.Handoffs[0].At >= c.CreatedAt, c.ExternalId);
            for (int i = 1; i < c.Handoffs.Count; i++)
            {
                Assert.True(c.Handoffs[i - 1].At <= c.Handoffs[i].At, $"{c.ExternalId}: handoffs out of order");
            }

            Assert.True(c.ResolvedAt is null || c.Handoffs[^1].At <= c.ResolvedAt, c.ExternalId);
        }
    }

    [Fact]
    public void Escalated_cases_pass_to_engineering_and_returned_escalations_bounce()
    {
        var escalated = DemoSamples.Small.Where(c => c.EscalatedAt is not null && c.IncidentId is null && c.ResolvedAt is not null).ToList();
        Assert.NotEmpty(escalated);

        Assert.All(escalated, c => Assert.Contains(c.Handoffs!, h => h.Team == QueueHistory.EngineeringTeam));
        Assert.All(escalated.Where(c => c.EscalationReturned == true), c => Assert.True(OwnerChanges(c) >= 2, c.ExternalId));
        Assert.All(escalated, c => Assert.Equal(OwnershipDepth.Engineering, FinalDepth(c)));
    }

    [Fact]
    public void Some_frontline_cases_are_misrouted_and_bounce_but_most_do_not()
    {
        var frontline = DemoSamples.Small.Where(c => c.EscalatedAt is null && c.IncidentId is null && c.Team!.StartsWith("Tier 1", StringComparison.Ordinal)).ToList();
        double bounced = frontline.Count(c => OwnerChanges(c) >= 2) / (double)frontline.Count;

        Assert.InRange(bounced, 0.03, 0.12);
    }

    [Fact]
    public void Cases_of_families_that_need_engineering_mostly_end_at_engineering_depth()
    {
        var deep = DemoSamples.Small.Where(c => c.ResolvedAt is not null && c.IncidentId is null
            && c.EvalFamily is { } f && IssueFamilies.Find(f)!.EscalationShare >= 0.5).ToList();
        var shallow = DemoSamples.Small.Where(c => c.ResolvedAt is not null && c.IncidentId is null
            && c.EvalFamily is { } f && IssueFamilies.Find(f)!.EscalationShare <= 0.1).ToList();

        Assert.True(deep.Count(c => FinalDepth(c) == OwnershipDepth.Engineering) > deep.Count / 2);
        Assert.True(shallow.Count(c => FinalDepth(c) == OwnershipDepth.Frontline) > shallow.Count / 2);
    }

    private static List<CaseHandoff> Handoffs(CaseRecord c) =>
        [.. c.Handoffs!.Select(h => new CaseHandoff { At = h.At!.Value, Team = h.Team!, Depth = OwnershipDepths.Parse(h.Tier) ?? OwnershipDepths.OfTeam(h.Team) })];

    private static int OwnerChanges(CaseRecord c) => OwnershipDepths.OwnerChanges(Handoffs(c));

    private static OwnershipDepth FinalDepth(CaseRecord c) =>
        OwnershipDepths.FinalDepth(c.IncidentId, c.EngineeringInvolved == true, Handoffs(c), c.Team);
}
