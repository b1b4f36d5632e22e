using TicketOps.Core.Cases;
using TicketOps.Core.Routing;
using TicketOps.Core.Themes;

namespace TicketOps.Core.Tests.Routing;

/// <summary>The advice's decision on hand-built similar cases.</summary>
public sealed class OwnershipAdvisorTests
{
    private static readonly OwnershipAdvisorOptions s_options = OwnershipAdvisorOptions.Default;

    [Fact]
    public void Most_similar_cases_solved_by_engineering_advise_engineering_with_the_cases_behind_it()
    {
        AdviceCase[] cases = [Case("C1", OwnershipDepth.Engineering, 0.9), Case("C2", OwnershipDepth.Engineering, 0.88), Case("C3", OwnershipDepth.Engineering, 0.85), Case("C4", OwnershipDepth.Frontline, 0.8)];

        OwnershipAdvice advice = OwnershipAdvisor.Decide(cases, surge: null, escalateWhen: null, criteriaFrom: null, s_options);

        Assert.Equal(OwnershipDepth.Engineering, advice.Depth);
        Assert.Equal(["C1", "C2", "C3", "C4"], advice.Cases.Select(c => c.CaseId));
        Assert.Equal([new DepthVotes(OwnershipDepth.Engineering, 3), new DepthVotes(OwnershipDepth.Frontline, 1)], advice.Votes);
        Assert.InRange(advice.Agreement!.Value, 0.75, 0.77);
    }

    [Fact]
    public void Two_similar_cases_are_not_enough_evidence()
    {
        OwnershipAdvice advice = OwnershipAdvisor.Decide([Case("C1", OwnershipDepth.L2, 0.9), Case("C2", OwnershipDepth.L2, 0.9)], null, null, null, s_options);

        Assert.Null(advice.Depth);
        Assert.StartsWith("Not enough evidence: 2 similar resolved cases", advice.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Cases_that_disagree_give_no_advice_and_say_how_they_split()
    {
        AdviceCase[] cases = [Case("C1", OwnershipDepth.Frontline, 0.9), Case("C2", OwnershipDepth.Engineering, 0.9), Case("C3", OwnershipDepth.L2, 0.9), Case("C4", OwnershipDepth.Frontline, 0.9)];

        OwnershipAdvice advice = OwnershipAdvisor.Decide(cases, null, null, null, s_options);

        Assert.Null(advice.Depth);
        Assert.Equal(0.5, advice.Agreement);
        Assert.Contains("disagree (1 engineering, 1 l2, 2 frontline)", advice.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Cases_far_less_similar_than_the_best_do_not_vote()
    {
        AdviceCase[] cases = [Case("C1", OwnershipDepth.L2, 0.9), Case("C2", OwnershipDepth.L2, 0.85), Case("C3", OwnershipDepth.L2, 0.8), Case("C4", OwnershipDepth.Frontline, 0.5), Case("C5", OwnershipDepth.Frontline, 0.5)];

        OwnershipAdvice advice = OwnershipAdvisor.Decide(cases, null, null, null, s_options);

        Assert.Equal(OwnershipDepth.L2, advice.Depth);
        Assert.Equal(3, advice.Cases.Count);
    }

    [Fact]
    public void A_surge_of_the_tickets_identifier_advises_incident_handling_whatever_the_past_cases_say()
    {
        var surge = new IncidentSignal("ERR_EXPORT_QUOTA", "v4.10", "A-1", new DateTime(2026, 5, 4, 9, 0, 0, DateTimeKind.Utc), new DateTime(2026, 5, 4, 11, 0, 0, DateTimeKind.Utc), 4, 5, 5, 2.5, 0, ["1", "2", "3", "4", "5"]);

        OwnershipAdvice advice = OwnershipAdvisor.Decide([Case("C1", OwnershipDepth.Frontline, 0.9)], surge, null, null, s_options);

        Assert.Equal(OwnershipDepth.Incident, advice.Depth);
        Assert.Contains("5 cases quoting ERR_EXPORT_QUOTA on v4.10 from 5 customers", advice.Reason, StringComparison.Ordinal);
        Assert.Same(surge, advice.Surge);
    }

    [Fact]
    public void Past_incident_cases_vote_for_engineering_and_the_playbooks_criteria_are_named_when_some_went_deeper()
    {
        AdviceCase[] incident = [Case("C1", OwnershipDepth.Incident, 0.9), Case("C2", OwnershipDepth.Engineering, 0.9), Case("C3", OwnershipDepth.Incident, 0.9)];
        AdviceCase[] mostlyFrontline = [Case("C1", OwnershipDepth.Frontline, 0.9), Case("C2", OwnershipDepth.Frontline, 0.9), Case("C3", OwnershipDepth.Frontline, 0.9), Case("C4", OwnershipDepth.Engineering, 0.9)];

        OwnershipAdvice fromIncidents = OwnershipAdvisor.Decide(incident, null, null, null, s_options);
        OwnershipAdvice withCriteria = OwnershipAdvisor.Decide(mostlyFrontline, null, "Escalate when the clock is within skew and login still fails.", "IT-0001", s_options);

        Assert.Equal(OwnershipDepth.Engineering, fromIncidents.Depth);
        Assert.Equal(OwnershipDepth.Frontline, withCriteria.Depth);
        Assert.Contains("1 went deeper: escalate when IT-0001 says so", withCriteria.Reason, StringComparison.Ordinal);
        Assert.Equal("Escalate when the clock is within skew and login still fails.", withCriteria.EscalateWhen);
    }

    private static AdviceCase Case(string id, OwnershipDepth depth, double score) => new(id, "Case " + id, depth, score, 0);
}
