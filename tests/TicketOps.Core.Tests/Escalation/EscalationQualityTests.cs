using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Cases;
using TicketOps.Core.Escalation;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Metrics;
using TicketOps.Core.Storage;
using TicketOps.Core.Tests.Knowledge;
using static TicketOps.Core.Tests.Knowledge.SupportCases;

namespace TicketOps.Core.Tests.Escalation;

/// <summary>Escalation quality on hand-built returned escalations: what was asked for, per template and month.</summary>
public sealed class EscalationQualityTests
{
    private static readonly MetricsQuery s_window = new(At("2026-01-01"), At("2026-04-01"));

    [Fact]
    public void Asks_count_per_template_in_the_template_s_words_when_it_has_the_item_and_in_the_ask_s_words_when_it_does_not()
    {
        KnowledgeArticle template = Template();
        List<SupportCase> cases =
        [
            Returned("R-1", "2026-01-10", Ask(EscalationAskKind.MissingEvidence, "the captured SAML response from a failed login", "IT-0001", "2026-01-11")),
            Returned("R-2", "2026-02-03", Ask(EscalationAskKind.MissingEvidence, "SAML response captured for one failed login attempt", "IT-0001", "2026-02-04"),
                Ask(EscalationAskKind.UnclearOwnership, null, "IT-0001", "2026-02-04")),
            // Imported: no template recorded, no time; its product area's template applies, it counts when it was escalated.
            Returned("R-3", "2026-03-05", Ask(EscalationAskKind.MissingEvidence, "Okta system log export for the user", null, null)),
            Returned("R-4", "2026-03-06"),
            // Returned after the window: not counted.
            Returned("R-5", "2026-03-30", Ask(EscalationAskKind.MissingEvidence, "the captured SAML response", "IT-0001", "2026-04-02")),
            Case("E-1", "2026-02-01", escalated: "2026-02-02"),
        ];

        EscalationQualityMetric quality = EscalationQualityMetric.Compute(cases, [template], new Dictionary<long, string?>(), s_window);

        Assert.Equal((3, 4), (quality.AsksRecorded.Numerator, quality.AsksRecorded.Denominator));
        Assert.Equal(1, quality.UnclearOwnership);
        TemplateAsks asks = Assert.Single(quality.Templates);
        Assert.Equal(("IT-0001", 4, 1), (asks.TemplateId, asks.Returned, asks.UnclearOwnership));
        MissedItem saml = asks.Items[0];
        Assert.Equal(("A captured SAML response or OIDC error redirect for one failed attempt (browser SAML tracer or HAR file).", true, "Evidence to gather first", 2), (saml.Item, saml.InTemplate, saml.Section, saml.Cases));
        Assert.Equal([1, 1, 0], saml.Months.Select(m => m.Cases));
        MissedItem okta = asks.Items[1];
        Assert.Equal(("Okta system log export for the user", false, 1), (okta.Item, okta.InTemplate, okta.Cases));
        Assert.Equal([0, 0, 1], okta.Months.Select(m => m.Cases));
        Assert.Equal([0, 1, 0], asks.UnclearOwnershipMonths.Select(m => m.Cases));
    }

    [Fact]
    public void A_case_outside_every_template_is_listed_under_no_template_and_an_empty_window_is_n_a()
    {
        SupportCase billing = Returned("B-1", "2026-02-03", Ask(EscalationAskKind.MissingEvidence, "invoice number", null, null));
        billing.Product = "Billing";

        EscalationQualityMetric quality = EscalationQualityMetric.Compute([billing], [Template()], new Dictionary<long, string?>(), s_window);
        EscalationQualityMetric empty = EscalationQualityMetric.Compute([billing], [Template()], new Dictionary<long, string?>(), new MetricsQuery(At("2025-01-01"), At("2025-02-01")));

        TemplateAsks none = Assert.Single(quality.Templates);
        Assert.Null(none.TemplateId);
        Assert.Equal("invoice number", Assert.Single(none.Items).Item);
        Assert.Null(empty.AsksRecorded.Value);
        Assert.Empty(empty.Templates);
    }

    [Fact]
    public async Task A_returned_outcome_keeps_what_was_asked_for_with_the_packet_s_template_and_refuses_asks_elsewhere()
    {
        using var temp = new KnowledgeTestDatabase();
        long caseId;
        await using (TicketOpsDbContext db = temp.CreateContext())
        {
            db.Set<KnowledgeArticle>().Add(Template());
            SupportCase supportCase = Case("C-1", "2026-03-02 08:00", escalated: "2026-03-02 10:00");
            db.Cases.Add(supportCase);
            await db.SaveChangesAsync();
            caseId = supportCase.Id;
            await new EscalationService(db, TimeProvider.System).PrepareAsync(caseId, new EscalationDraft("h", "q", "i"), "ana", "IT-0001", At("2026-03-02 09:00"));
        }

        await using (TicketOpsDbContext db = temp.CreateContext())
        {
            var feedback = new FeedbackService(db, TimeProvider.System);
            FeedbackResult wrongOutcome = await feedback.RecordOutcomeAsync(caseId, CaseOutcome.SolvedByEngineering, "eng", asks: [new EscalationAsk { Kind = EscalationAskKind.UnclearOwnership }]);
            FeedbackResult noItem = await feedback.RecordOutcomeAsync(caseId, CaseOutcome.EscalationReturned, "eng", asks: [new EscalationAsk { Kind = EscalationAskKind.MissingEvidence, Item = " " }]);
            FeedbackResult returned = await feedback.RecordOutcomeAsync(
                caseId, CaseOutcome.EscalationReturned, "eng", At("2026-03-03 09:00"),
                [new EscalationAsk { Kind = EscalationAskKind.MissingEvidence, Item = "HAR file, ask jo@example.com" }, new EscalationAsk { Kind = EscalationAskKind.UnclearOwnership }]);

            Assert.Equal(FeedbackErrorCode.InvalidAsk, wrongOutcome.ErrorCode);
            Assert.Equal(FeedbackErrorCode.InvalidAsk, noItem.ErrorCode);
            Assert.True(returned.Succeeded, returned.Message);
        }

        await using TicketOpsDbContext read = temp.CreateContext();
        SupportCase stored = await read.Cases.SingleAsync(c => c.Id == caseId);
        Assert.True(stored.EscalationReturnedForMissingContext);
        Assert.Equal([EscalationAskKind.MissingEvidence, EscalationAskKind.UnclearOwnership], stored.EscalationAsks.Select(a => a.Kind));
        Assert.All(stored.EscalationAsks, a => Assert.Equal(("IT-0001", At("2026-03-03 09:00")), (a.TemplateId, a.At)));
        Assert.DoesNotContain("jo@example.com", stored.EscalationAsks[0].Item, StringComparison.Ordinal);
        SupportMetricsReport report = await SupportMetrics.ComputeAsync(read, new MetricsQuery(At("2026-03-01"), At("2026-04-01")));
        Assert.Equal((1, 1), (report.EscalationQuality.AsksRecorded.Numerator, report.EscalationQuality.UnclearOwnership));
        Assert.Contains(report.Lines(), l => l.Key == "escalation_asks_recorded_rate" && l.Value == 1);
    }

    private static KnowledgeArticle Template()
    {
        KnowledgeArticle template = KnowledgeArticles.Template();
        template.Sections =
        [
            new("Evidence to gather first", "1. The exact error code from the login audit log for one affected user.\n2. A captured SAML response or OIDC error redirect for one failed attempt (browser SAML tracer or HAR file).\n3. What changed recently on the customer side: certificate rotation, IdP upgrade, server moves."),
            new("Escalation packet", "- Workspace id and SSO connection id.\n- The open question for engineering, in one sentence."),
        ];
        return template;
    }

    private static SupportCase Returned(string id, string escalated, params EscalationAsk[] asks)
    {
        SupportCase supportCase = Case(id, escalated, escalated: escalated, returned: true);
        supportCase.Id = Math.Abs(id.GetHashCode(StringComparison.Ordinal)) % 100_000;
        supportCase.EscalationAsks = [.. asks];
        return supportCase;
    }

    private static EscalationAsk Ask(EscalationAskKind kind, string? item, string? template, string? at) =>
        new() { Kind = kind, Item = item, TemplateId = template, At = at is null ? null : At(at) };
}
