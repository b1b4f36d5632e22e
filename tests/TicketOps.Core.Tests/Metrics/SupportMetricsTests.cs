using System.Text.Json;
using TicketOps.Core.Cases;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Metrics;
using TicketOps.Core.Storage;
using TicketOps.Core.Tests.Knowledge;
using static TicketOps.Core.Tests.Knowledge.SupportCases;

namespace TicketOps.Core.Tests.Metrics;

/// <summary>
/// Every metric on one hand-built case set; the expected values are worked out in the comments.
///
/// Window: March 2026, [2026-03-01, 2026-04-01).
///
/// Knowledge:
///   PB-0001 playbook, validated, created 2026-01-10, mined from C-OLD1                 (SSO/Auth)
///   PB-0002 playbook, validated, created 2026-03-10, mined from C3                     (SSO/Auth)
///   PB-0003 playbook, DRAFT,     created 2026-03-15, no sources                        (Billing)
///   PB-0004 playbook, archived,  created 2025-12-01, superseded by PB-0001            (SSO/Auth)
///   IT-0001 template, validated, created 2026-01-05, no sources                        (SSO/Auth)
///
/// Cases (product, team; times UTC; TTFE = first evidence − assigned):
///   C-OLD1 SSO  T1  created 01-02, resolved 01-05, imported link PB-0001   -> before the window
///   C7     SSO  T1  created 02-20, TTFE 0.5h, resolved 03-01 00:00, imported link PB-0001 (timed at resolution)
///   C1     SSO  T1  created 03-02, TTFE 1h,   resolved 03-03; suggested PB-0001, used PB-0001 03-02
///   C2     SSO  T1  created 03-04, TTFE 3h,   escalated 03-05 and RETURNED, resolved 03-08; suggested PB-0001, not used
///   C9     SSO  T2  created 03-05, assigned, NO first evidence, resolved 03-06
///   C3     SSO  T2  created 03-09, TTFE 5h,   resolved 03-11; suggested PB-0002 (created AFTER the case opened), used PB-0002 03-10
///   C4     Bill T2  created 03-12, TTFE 10h,  escalated 03-13, resolved 03-20
///   C5     Bill T2  NOT technical, created 03-14, resolved 03-15
///   C6     SSO  T1  created 03-20, assigned, escalated 03-25, still open; suggested + used PB-0001 03-21
///   C8     SSO  T1  created 04-02                                          -> after the window
/// </summary>
public abstract class SupportMetricsTests : IDisposable
{
    private static readonly MetricsQuery s_march = new(At("2026-03-01"), At("2026-04-01"));

    private readonly KnowledgeTestDatabase _temp;

    protected SupportMetricsTests(DatabaseProvider provider)
    {
        _temp = new(provider);
        using TicketOpsDbContext db = _temp.CreateContext();
        db.Set<KnowledgeArticle>().AddRange(
            Article("PB-0001", KnowledgeType.Playbook, KnowledgeState.Validated, "2026-01-10", "SSO/Auth", "C-OLD1"),
            Article("PB-0002", KnowledgeType.Playbook, KnowledgeState.Validated, "2026-03-10", "SSO/Auth", "C3"),
            Article("PB-0003", KnowledgeType.Playbook, KnowledgeState.Draft, "2026-03-15", "Billing"),
            Article("PB-0004", KnowledgeType.Playbook, KnowledgeState.Archived, "2025-12-01", "SSO/Auth", supersededBy: "PB-0001"),
            Article("IT-0001", KnowledgeType.Template, KnowledgeState.Validated, "2026-01-05", "SSO/Auth"));
        SupportCase[] cases =
        [
            Case("C-OLD1", "2026-01-02 08:00", resolved: "2026-01-05 08:00", linked: "PB-0001"),
            Case("C7", "2026-02-20 08:00", assigned: "2026-02-20 09:00", firstEvidence: "2026-02-20 09:30", resolved: "2026-03-01 00:00", linked: "PB-0001"),
            Case("C1", "2026-03-02 08:00", assigned: "2026-03-02 09:00", firstEvidence: "2026-03-02 10:00", resolved: "2026-03-03 08:00"),
            Case("C2", "2026-03-04 08:00", assigned: "2026-03-04 09:00", firstEvidence: "2026-03-04 12:00", escalated: "2026-03-05 08:00", returned: true, resolved: "2026-03-08 08:00"),
            Case("C9", "2026-03-05 08:00", team: "Tier 2 EMEA", assigned: "2026-03-05 09:00", resolved: "2026-03-06 08:00"),
            Case("C3", "2026-03-09 08:00", team: "Tier 2 EMEA", assigned: "2026-03-09 09:00", firstEvidence: "2026-03-09 14:00", resolved: "2026-03-11 08:00"),
            Case("C4", "2026-03-12 08:00", product: "Billing", team: "Tier 2 EMEA", assigned: "2026-03-12 10:00", firstEvidence: "2026-03-12 20:00", escalated: "2026-03-13 08:00", resolved: "2026-03-20 08:00"),
            Case("C5", "2026-03-14 08:00", product: "Billing", team: "Tier 2 EMEA", technical: false, resolved: "2026-03-15 08:00"),
            Case("C6", "2026-03-20 08:00", assigned: "2026-03-20 09:00", escalated: "2026-03-25 08:00"),
            Case("C8", "2026-04-02 08:00"),
        ];
        db.Cases.AddRange(cases);
        db.SaveChanges();
        long Id(string externalId) => cases.Single(c => c.ExternalId == externalId).Id;

        db.Set<KnowledgeEvent>().AddRange(
            Event(Id("C1"), "PB-0001", KnowledgeEventKind.Suggested, "2026-03-02 09:05"),
            Event(Id("C1"), "PB-0001", KnowledgeEventKind.Used, "2026-03-02 11:00"),
            Event(Id("C1"), "PB-0001", KnowledgeEventKind.Helped, "2026-03-03 08:00"),
            Event(Id("C2"), "PB-0001", KnowledgeEventKind.Suggested, "2026-03-04 09:05"),
            Event(Id("C2"), "PB-0001", KnowledgeEventKind.DidNotHelp, "2026-03-04 11:00"),
            Event(Id("C2"), "PB-0001", KnowledgeEventKind.Flagged, "2026-03-04 11:01", "Step 2 names a setting removed in v4.3"),
            Event(Id("C9"), "PB-0001", KnowledgeEventKind.DidNotHelp, "2026-03-05 11:00"),
            Event(Id("C6"), "PB-0001", KnowledgeEventKind.DidNotHelp, "2026-03-21 09:00"),
            Event(Id("C3"), "PB-0002", KnowledgeEventKind.Suggested, "2026-03-09 09:05"),
            Event(Id("C3"), "PB-0002", KnowledgeEventKind.Used, "2026-03-10 15:00"),
            Event(Id("C6"), "PB-0001", KnowledgeEventKind.Suggested, "2026-03-20 09:05"),
            Event(Id("C6"), "PB-0001", KnowledgeEventKind.Used, "2026-03-21 10:00"));
        db.SaveChanges();
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Time_to_first_evidence_is_the_median_and_nearest_rank_p90_over_resolved_technical_cases()
    {
        SupportMetricsReport report = await ComputeAsync(s_march);

        // Resolved technical in March: C7, C1, C2, C9, C3, C4 = 6 (C5 is not technical, C6 is open).
        // C9 has no first evidence: excluded. Hours: 0.5, 1, 3, 5, 10 -> median 3;
        // p90 nearest rank = value #ceil(0.9 * 5) = #5 = 10.
        Assert.Equal(new TimeToFirstEvidenceMetric(3, 10, Cases: 5, ResolvedTechnicalCases: 6, ExcludedCases: 1), report.TimeToFirstEvidence);
    }

    [Fact]
    public async Task Solve_without_engineering_rate_counts_resolved_technical_cases_never_escalated()
    {
        SupportMetricsReport report = await ComputeAsync(s_march);

        // Of C7, C1, C2, C9, C3, C4 only C2 and C4 involved engineering: 4 / 6.
        Assert.Equal(RateMetric.Of(4, 6), report.SolveWithoutEngineeringRate);
        Assert.Equal(4.0 / 6, report.SolveWithoutEngineeringRate.Value!.Value, 10);
    }

    [Fact]
    public async Task Escalation_rework_rate_is_returned_escalations_over_escalations_in_the_window()
    {
        SupportMetricsReport report = await ComputeAsync(s_march);

        // Escalated in March: C2 (returned), C4, C6 (still open, counts: the escalation happened) = 1 / 3.
        Assert.Equal(RateMetric.Of(1, 3), report.EscalationReworkRate);
    }

    [Fact]
    public async Task Workflow_reuse_counts_validated_knowledge_from_mined_cases_and_later_cases_per_playbook()
    {
        SupportMetricsReport report = await ComputeAsync(s_march);

        // Validated with source cases, created before April: PB-0001, PB-0002 = 2 (IT-0001 has no sources,
        // PB-0003 is a draft, PB-0004 archived); created in March: PB-0002 = 1.
        // PB-0001 links in March: C7 (imported, timed 03-01 00:00), C1, C6 -> 3 later cases.
        // PB-0002: only C3, which is its own source case (and opened before it) -> 0.
        Assert.Equal(2, report.WorkflowReuseCount.Value);
        Assert.Equal(1, report.WorkflowReuseCount.ConvertedInWindow);
        Assert.Equal(
            [("PB-0001", 3), ("PB-0002", 0)],
            report.WorkflowReuseCount.PerPlaybook.Select(p => (p.KnowledgeId, p.LaterCases)));
    }

    [Fact]
    public async Task Repeat_case_rate_is_new_cases_matching_an_existing_playbook_that_linked_it()
    {
        SupportMetricsReport report = await ComputeAsync(s_march);

        // New in March with a suggestion of a playbook that existed before the case opened: C1, C2, C6 (PB-0001).
        // C3's suggestion PB-0002 was created the day after C3 opened: not an existing pattern.
        // C7 was suggested nothing. Followed: C1, C6 -> 2 / 3.
        Assert.Equal(RateMetric.Of(2, 3), report.RepeatCaseRate);
    }

    [Fact]
    public async Task Link_rate_is_closed_cases_with_a_link_over_closed_cases()
    {
        SupportMetricsReport report = await ComputeAsync(s_march);

        // Closed in March: C7, C1, C2, C9, C3, C4, C5 = 7; linked: C7 (imported), C1, C3 = 3 / 7.
        Assert.Equal(RateMetric.Of(3, 7), report.LinkRate);
    }

    [Fact]
    public async Task Reuse_counts_links_to_cases_other_than_the_source_beside_new_knowledge()
    {
        SupportMetricsReport report = await ComputeAsync(s_march);

        // Links made in March: C7-PB1, C1-PB1, C6-PB1, C3-PB2 = 4; C3 is PB-0002's source -> reuse 3.
        // New knowledge created in March (not drafts): PB-0002 = 1. 3 >= 1 -> healthy.
        Assert.Equal(new ReuseMetric(3, LinksToKnowledge: 4, LinksToSourceCases: 1, NewKnowledge: 1, Healthy: true), report.Reuse);
    }

    [Fact]
    public async Task New_vs_known_splits_closed_cases_solved_with_knowledge_by_when_it_was_created()
    {
        SupportMetricsReport report = await ComputeAsync(s_march);

        // Closed in March with a link: C7 and C1 to PB-0001 (created 01-10, before they opened) -> known;
        // C3 to PB-0002 (created 03-10 from C3 itself) -> new. Known 2/3, new 1/3; 7 closed, 4 without knowledge.
        Assert.Equal(new NewVsKnownMetric(2.0 / 3, 1.0 / 3, KnownCases: 2, NewCases: 1, ClosedCases: 7, ClosedWithoutKnowledge: 4), report.NewVsKnown);
    }

    [Fact]
    public async Task Product_filter_keeps_only_that_product_and_reports_na_where_nothing_matched()
    {
        SupportMetricsReport report = await ComputeAsync(s_march with { ProductArea = "Billing" });

        // Billing in March: C4 (technical, escalated, TTFE 10h) and C5 (not technical); no links, no suggestions.
        Assert.Equal(new TimeToFirstEvidenceMetric(10, 10, 1, 1, 0), report.TimeToFirstEvidence);
        Assert.Equal(RateMetric.Of(0, 1), report.SolveWithoutEngineeringRate);
        Assert.Equal(RateMetric.Of(0, 1), report.EscalationReworkRate);
        Assert.Equal(new RateMetric(null, 0, 0), report.RepeatCaseRate);
        Assert.Equal(RateMetric.Of(0, 2), report.LinkRate);
        Assert.Equal(0, report.WorkflowReuseCount.Value);
        // PB-0003 is Billing but a draft: no new knowledge, no reuse -> healthy is n/a, not "true".
        Assert.Equal(new ReuseMetric(0, 0, 0, 0, null), report.Reuse);
        Assert.Equal(new NewVsKnownMetric(null, null, 0, 0, 2, 2), report.NewVsKnown);
    }

    [Fact]
    public async Task Team_filter_keeps_only_that_teams_cases()
    {
        SupportMetricsReport report = await ComputeAsync(s_march with { Team = "Tier 2 EMEA" });

        // Tier 2: C9, C3, C4, C5. Resolved technical C9, C3, C4; TTFE 5h, 10h -> median 7.5, p90 #ceil(1.8) = #2 = 10.
        Assert.Equal(new TimeToFirstEvidenceMetric(7.5, 10, 2, 3, 1), report.TimeToFirstEvidence);
        Assert.Equal(RateMetric.Of(2, 3), report.SolveWithoutEngineeringRate);
        Assert.Equal(RateMetric.Of(0, 1), report.EscalationReworkRate);
        // C3's only suggestion was not an existing playbook.
        Assert.Equal(new RateMetric(null, 0, 0), report.RepeatCaseRate);
        Assert.Equal(RateMetric.Of(1, 4), report.LinkRate);
        Assert.Equal(new NewVsKnownMetric(0, 1, 0, 1, 4, 3), report.NewVsKnown);
    }

    [Fact]
    public async Task Empty_window_reports_na_for_every_rate_never_a_good_looking_number()
    {
        SupportMetricsReport report = await ComputeAsync(new MetricsQuery(At("2027-01-01"), At("2027-02-01")));

        Assert.Equal(new TimeToFirstEvidenceMetric(null, null, 0, 0, 0), report.TimeToFirstEvidence);
        Assert.Equal(new RateMetric(null, 0, 0), report.SolveWithoutEngineeringRate);
        Assert.Equal(new RateMetric(null, 0, 0), report.EscalationReworkRate);
        Assert.Equal(new RateMetric(null, 0, 0), report.RepeatCaseRate);
        Assert.Equal(new RateMetric(null, 0, 0), report.LinkRate);
        Assert.Null(report.Reuse.Healthy);
        Assert.Null(report.NewVsKnown.Value);
        // Knowledge converted earlier still exists; it is simply not reused in this window.
        Assert.Equal(2, report.WorkflowReuseCount.Value);
        Assert.All(report.WorkflowReuseCount.PerPlaybook, p => Assert.Equal(0, p.LaterCases));
    }

    [Fact]
    public async Task Report_json_names_each_metric_by_its_snake_case_key_with_value_and_counts()
    {
        SupportMetricsReport report = await ComputeAsync(s_march with { ProductArea = "Billing" });

        using JsonDocument json = JsonDocument.Parse(report.ToJson());
        JsonElement root = json.RootElement;
        string[] keys = ["time_to_first_evidence", "solve_without_engineering_rate", "escalation_rework_rate", "workflow_reuse_count", "repeat_case_rate", "link_rate", "reuse", "new_vs_known"];
        Assert.All(keys, key => Assert.True(root.TryGetProperty(key, out _), key));
        Assert.Equal(10, root.GetProperty("time_to_first_evidence").GetProperty("p90_hours").GetDouble());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("repeat_case_rate").GetProperty("value").ValueKind);
        Assert.Equal(0, root.GetProperty("repeat_case_rate").GetProperty("denominator").GetInt32());
        Assert.Equal(2, root.GetProperty("link_rate").GetProperty("denominator").GetInt32());
    }

    [Fact]
    public async Task Lines_show_na_and_the_counts_behind_every_value()
    {
        SupportMetricsReport report = await ComputeAsync(s_march with { ProductArea = "Billing" });

        IReadOnlyList<MetricLine> lines = report.Lines();

        Assert.Equal(13, lines.Count);
        MetricLine asks = Assert.Single(lines, l => l.Key == "escalation_asks_recorded_rate");
        Assert.Equal(("n/a", "0 of 0 returned escalations say what the receiving team asked for (0 unclear ownership)"), (asks.DisplayValue, asks.Counts));
        MetricLine repeat = Assert.Single(lines, l => l.Key == "repeat_case_rate");
        Assert.Equal(("n/a", "0 of 0 new cases matching a playbook followed it"), (repeat.DisplayValue, repeat.Counts));
        MetricLine links = Assert.Single(lines, l => l.Key == "link_rate");
        Assert.Equal(("0", "0 of 2 closed cases linked"), (links.DisplayValue, links.Counts));
    }

    [Fact]
    public async Task Content_health_lists_flagged_unused_unhelpful_and_retired_knowledge()
    {
        await using TicketOpsDbContext db = _temp.CreateContext();

        ContentHealthReport health = await SupportMetrics.ContentHealthAsync(db, At("2026-06-30"), unusedDays: 90, didNotHelpMinimum: 3);

        // Unused since 2026-04-01: IT-0001 never linked; PB-0001 last linked 03-21; PB-0002 last linked 03-10.
        // PB-0001: one open flag; 3 "did not help" (C2, C9, C6) vs 1 "helped". PB-0004 archived, superseded.
        Assert.Equal([("PB-0001", 1)], health.Flagged.Select(f => (f.KnowledgeId, f.OpenFlags)));
        Assert.Equal(
            [("IT-0001", (DateTime?)null), ("PB-0001", At("2026-03-21 10:00")), ("PB-0002", At("2026-03-10 15:00"))],
            health.Unused.Select(u => (u.KnowledgeId, u.LastUsed)));
        Assert.Equal([("PB-0001", 1, 3)], health.OftenDidNotHelp.Select(u => (u.KnowledgeId, u.Helped, u.DidNotHelp)));
        Assert.Equal([("PB-0004", "PB-0001")], health.ArchivedOrSuperseded.Select(r => (r.KnowledgeId, r.SupersededBy)));
    }

    [Fact]
    public async Task Monthly_reports_cut_the_window_into_calendar_months()
    {
        await using TicketOpsDbContext db = _temp.CreateContext();

        IReadOnlyList<SupportMetricsReport> months = await SupportMetrics.ComputeMonthlyAsync(db, new MetricsQuery(At("2026-01-15"), At("2026-04-01")));

        // January from the 15th (C-OLD1 closed on the 5th: nothing), February (nothing closed), March as above.
        Assert.Equal([At("2026-01-15"), At("2026-02-01"), At("2026-03-01")], months.Select(m => m.From));
        Assert.Equal([new RateMetric(null, 0, 0), new RateMetric(null, 0, 0), RateMetric.Of(3, 7)], months.Select(m => m.LinkRate));
    }

    [Fact]
    public async Task Window_where_to_is_not_after_from_is_a_query_problem()
    {
        var query = new MetricsQuery(At("2026-03-01"), At("2026-03-01"));
        await using TicketOpsDbContext db = _temp.CreateContext();

        Assert.NotNull(query.Problem);
        await Assert.ThrowsAsync<ArgumentException>(() => SupportMetrics.ComputeAsync(db, query));
    }

    private async Task<SupportMetricsReport> ComputeAsync(MetricsQuery query)
    {
        await using TicketOpsDbContext db = _temp.CreateContext();
        return await SupportMetrics.ComputeAsync(db, query);
    }

    private static KnowledgeArticle Article(string id, KnowledgeType type, KnowledgeState state, string created, string product, string? source = null, string? supersededBy = null)
    {
        KnowledgeArticle article = type == KnowledgeType.Playbook ? KnowledgeArticles.Playbook(id) : KnowledgeArticles.Template(id);
        article.State = state;
        article.Created = DateOnly.FromDateTime(At(created));
        article.ProductAreas = [product];
        article.SourceCaseIds = source is null ? [] : [source];
        article.SupersededBy = supersededBy;
        article.TemplateId = null;
        return article;
    }

    private static KnowledgeEvent Event(long caseId, string knowledgeId, KnowledgeEventKind kind, string at, string? reason = null) => new()
    {
        CaseId = caseId,
        KnowledgeId = knowledgeId,
        Kind = kind,
        At = At(at),
        Actor = "agent-a",
        Reason = reason,
    };
}

/// <summary>The tests above on the embedded SQLite file.</summary>
public sealed class SqliteSupportMetricsTests() : SupportMetricsTests(DatabaseProvider.Sqlite);

/// <summary>The tests above on a fresh PostgreSQL database.</summary>
public sealed class PostgreSqlSupportMetricsTests() : SupportMetricsTests(DatabaseProvider.PostgreSql);
