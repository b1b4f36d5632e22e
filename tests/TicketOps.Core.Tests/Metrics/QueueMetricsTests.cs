using TicketOps.Core.Cases;
using TicketOps.Core.Metrics;
using TicketOps.Core.Routing;
using TicketOps.Core.Storage;
using TicketOps.Core.Tests.Knowledge;
using static TicketOps.Core.Tests.Knowledge.SupportCases;

namespace TicketOps.Core.Tests.Metrics;

/// <summary>
/// Bounce rate and the advice rates on hand-built cases (window: March 2026).
///   R1 resolved, T1 → T2 → T1            : 2 changes, bounced; advised l2, sent l2 (followed), solved at frontline (miss)
///   R2 resolved, T1 → T2                 : 1 change; advised engineering (sent l2, not followed) then l2 (sent l2, followed); solved at l2 (hit)
///   R3 resolved, T1 → Eng → T1 → Eng     : 3 changes, bounced; advice "not enough evidence", sent engineering
///   R4 resolved, no history              : not counted for bounce
///   O1 open, T1 → T2 → T1                : open, not counted; advised frontline, sent l2 (not followed)
/// </summary>
public abstract class QueueMetricsTests(DatabaseProvider provider) : IDisposable
{
    private static readonly MetricsQuery s_march = new(At("2026-03-01"), At("2026-04-01"));

    private readonly KnowledgeTestDatabase _temp = new(provider);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Bounce_rate_counts_resolved_cases_whose_owner_changed_twice_or_more_among_those_with_a_history()
    {
        SupportMetricsReport report = await SeedAndComputeAsync();

        Assert.Equal(RateMetric.Of(2, 3), report.BounceRate);
    }

    [Fact]
    public async Task Advice_followed_counts_decisions_made_with_advice_and_advice_matched_uses_the_last_advice_per_resolved_case()
    {
        SupportMetricsReport report = await SeedAndComputeAsync();

        Assert.Equal(RateMetric.Of(2, 4), report.AdviceFollowedRate);
        Assert.Equal(RateMetric.Of(1, 2), report.AdviceMatchedFinalRate);
        Assert.Contains(report.Lines(), l => l.Key == "bounce_rate" && l.Counts == "2 of 3 resolved cases with an ownership history changed owner twice or more");
    }

    [Fact]
    public async Task Without_histories_or_decisions_the_queue_rates_are_not_available()
    {
        await using (TicketOpsDbContext db = _temp.CreateContext())
        {
            db.Cases.Add(Case("R9", "2026-03-02 09:00", resolved: "2026-03-03 09:00"));
            await db.SaveChangesAsync();
        }

        await using TicketOpsDbContext read = _temp.CreateContext();
        SupportMetricsReport report = await SupportMetrics.ComputeAsync(read, s_march);

        Assert.Null(report.BounceRate.Value);
        Assert.Null(report.AdviceFollowedRate.Value);
        Assert.Equal("n/a", report.Lines().Single(l => l.Key == "advice_matched_final_rate").DisplayValue);
    }

    private async Task<SupportMetricsReport> SeedAndComputeAsync()
    {
        await using (TicketOpsDbContext db = _temp.CreateContext())
        {
            SupportCase r1 = With(Case("R1", "2026-03-02 09:00", resolved: "2026-03-03 09:00"), "Tier 1 EMEA", "Tier 2 EMEA", "Tier 1 EMEA");
            SupportCase r2 = With(Case("R2", "2026-03-04 09:00", resolved: "2026-03-05 09:00"), "Tier 1 EMEA", "Tier 2 EMEA");
            r2.Team = "Tier 2 EMEA";
            SupportCase r3 = With(Case("R3", "2026-03-06 09:00", escalated: "2026-03-06 12:00", returned: true, resolved: "2026-03-09 09:00"), "Tier 1 EMEA", "Engineering", "Tier 1 EMEA", "Engineering");
            SupportCase r4 = Case("R4", "2026-03-07 09:00", resolved: "2026-03-08 09:00");
            SupportCase o1 = With(Case("O1", "2026-03-20 09:00"), "Tier 1 EMEA", "Tier 2 EMEA", "Tier 1 EMEA");
            db.Cases.AddRange(r1, r2, r3, r4, o1);
            await db.SaveChangesAsync();
            Decide(db, r1, OwnershipDepth.L2, OwnershipDepth.L2, "2026-03-02 10:00");
            Decide(db, r2, OwnershipDepth.Engineering, OwnershipDepth.L2, "2026-03-04 10:00");
            Decide(db, r2, OwnershipDepth.L2, OwnershipDepth.L2, "2026-03-04 11:00");
            Decide(db, r3, null, OwnershipDepth.Engineering, "2026-03-06 10:00");
            Decide(db, o1, OwnershipDepth.Frontline, OwnershipDepth.L2, "2026-03-20 10:00");
            await db.SaveChangesAsync();
        }

        await using TicketOpsDbContext read = _temp.CreateContext();
        return await SupportMetrics.ComputeAsync(read, s_march);
    }

    private static SupportCase With(SupportCase c, params string[] teams)
    {
        c.Handoffs = [.. teams.Select((t, i) => new CaseHandoff { At = c.CreatedAt.AddHours(i), Team = t, Depth = OwnershipDepths.OfTeam(t) })];
        return c;
    }

    private static void Decide(TicketOpsDbContext db, SupportCase c, OwnershipDepth? advised, OwnershipDepth chosen, string at) =>
        db.Set<OwnershipDecision>().Add(new OwnershipDecision { CaseId = c.Id, Advised = advised, Chosen = chosen, At = At(at), Actor = "ana" });
}

public sealed class SqliteQueueMetricsTests() : QueueMetricsTests(DatabaseProvider.Sqlite);

public sealed class PostgreSqlQueueMetricsTests() : QueueMetricsTests(DatabaseProvider.PostgreSql);
