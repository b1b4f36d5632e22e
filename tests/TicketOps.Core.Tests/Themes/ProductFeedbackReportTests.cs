using System.Text.Json;
using TicketOps.Core.Cases;
using TicketOps.Core.Escalation;
using TicketOps.Core.Mining;
using TicketOps.Core.Notifications;
using TicketOps.Core.Storage;
using TicketOps.Core.Tests.Knowledge;
using TicketOps.Core.Themes;
using static TicketOps.Core.Tests.Knowledge.SupportCases;

namespace TicketOps.Core.Tests.Themes;

/// <summary>The product feedback report on hand-built cases: every figure from cases whose answer is known.</summary>
public sealed class ProductFeedbackReportTests
{
    private static readonly FeedbackReportQuery s_window = new(At("2026-01-01"), At("2026-04-01"), "cl-export");
    private static readonly Dictionary<string, string> s_playbooks = new(StringComparer.Ordinal) { ["PB-0007"] = "Export finishes with garbled characters" };

    [Fact]
    public void Figures_count_the_window_s_cases_customers_versions_escalations_and_engineering_hours()
    {
        List<SupportCase> cases = ExportCases();

        ProductFeedback report = ProductFeedbackReport.Compose("cl-export", "export, utf, excel", cases, new Dictionary<long, EscalationPacket>(), s_playbooks, s_window);

        // The December case is before the window and does not count anywhere.
        Assert.Equal((5, 1), (report.Cases, report.Open));
        Assert.Equal((3, 1), (report.Customers, report.CasesWithoutCustomer));
        Assert.Equal([new("v4.8.1", 3), new("v4.9.0", 2)], report.Versions);
        Assert.Equal([new("Data export", 5)], report.ProductAreas);
        Assert.Equal(new CountedValue("File is UTF-8 without BOM and Excel opens it as Windows-1252", 3), report.Causes[0]);

        // Two resolved escalations: 10 h and 30 h from escalation to resolution.
        Assert.Equal(new EngineeringTime(40, 20, 2, 0), report.EngineeringHours);
        Assert.Equal((2, 4), (report.EscalationShare.Numerator, report.EscalationShare.Denominator));
        Assert.Equal((1, 2), (report.ReworkShare.Numerator, report.ReworkShare.Denominator));
        Assert.Equal("File is UTF-8 without BOM and Excel opens it as Windows-1252: 5 cases from 3 customers in Data export, most on v4.8.1 and v4.9.0.", report.Friction);

        Assert.Equal([At("2026-01-01"), At("2026-02-01"), At("2026-03-01")], report.Volume.Select(v => v.Start));
        Assert.Equal([1, 2, 2], report.Volume.Select(v => v.Count));
        Assert.Equal([0, 2, 0], report.Volume.Select(v => v.Escalated));
    }

    [Fact]
    public void The_workaround_is_what_support_did_without_engineering_and_the_playbook_linked_most()
    {
        ProductFeedback report = ProductFeedbackReport.Compose("cl-export", "export", ExportCases(), new Dictionary<long, EscalationPacket>(), s_playbooks, s_window);

        Assert.Equal(2, report.Workaround.SolvedWithoutEngineering);
        Assert.Equal(new CountedValue("Opened the file through Data > From Text/CSV with UTF-8", 2), report.Workaround.Steps[0]);
        Assert.Equal(("PB-0007", "Export finishes with garbled characters", 2), (report.Workaround.PlaybookId, report.Workaround.PlaybookTitle, report.Workaround.PlaybookCases));
        Assert.False(report.Workaround.None);
    }

    [Fact]
    public void The_open_question_is_the_one_support_asked_most_in_escalation_packets_and_its_evidence_is_shown()
    {
        List<SupportCase> cases = ExportCases();
        var packets = new Dictionary<long, EscalationPacket>
        {
            [3] = Packet(cases[2], "Can exports write a BOM so Excel detects UTF-8?", "Opened the file in a hex editor: no EF BB BF"),
            [4] = Packet(cases[3], "Can exports write a BOM so Excel detects UTF-8 ?", "Reproduced with Excel 2021"),
        };

        ProductFeedback report = ProductFeedbackReport.Compose("cl-export", "export", cases, packets, s_playbooks, s_window);

        Assert.Equal(OpenQuestionSources.Escalation, report.OpenQuestion.Source);
        Assert.Equal(2, report.OpenQuestion.Asked);
        Assert.Equal("test:EX-4", report.OpenQuestion.CaseReference); // the newer of the two asked it first
        RepresentativeCase shown = Assert.Single(report.RepresentativeCases, c => c.Reference == "test:EX-3");
        Assert.Equal(["Asked for the exported file", "Opened the file in a hex editor: no EF BB BF"], shown.Evidence);
        Assert.True(shown.Escalated);
    }

    [Fact]
    public void Without_escalations_the_question_is_composed_from_the_figures_and_no_workaround_is_said_plainly()
    {
        List<SupportCase> cases =
        [
            Resolved(1, "2026-02-03", "Proration credit dropped on plan change", escalatedHoursBefore: 5),
            Resolved(2, "2026-02-04", "Proration credit dropped on plan change", escalatedHoursBefore: 7),
        ];

        ProductFeedback report = ProductFeedbackReport.Compose("cl-billing", "proration", cases, new Dictionary<long, EscalationPacket>(), s_playbooks, s_window);

        Assert.Equal(OpenQuestionSources.Composed, report.OpenQuestion.Source);
        Assert.Contains("\"Proration credit dropped on plan change\"", report.OpenQuestion.Text, StringComparison.Ordinal);
        Assert.Contains("2 cases from 2 customers and 12 hours with engineering", report.OpenQuestion.Text, StringComparison.Ordinal);
        Assert.True(report.Workaround.None);
        Assert.Contains("None: no case was solved without engineering", ProductFeedbackReport.ToMarkdown(report), StringComparison.Ordinal);
    }

    [Fact]
    public void A_theme_with_no_cases_in_the_window_reports_n_a_never_a_good_share()
    {
        ProductFeedback report = ProductFeedbackReport.Compose("cl-export", "export", [ExportCases()[0]], new Dictionary<long, EscalationPacket>(), s_playbooks, s_window);

        Assert.Equal(0, report.Cases);
        Assert.Null(report.EscalationShare.Value);
        Assert.Null(report.ReworkShare.Value);
        Assert.Null(report.EngineeringHours.TotalHours);
        Assert.Contains("| Escalated to engineering | n/a (0 resolved cases) |", ProductFeedbackReport.ToMarkdown(report), StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_has_the_sections_an_issue_tracker_shows_and_escapes_table_pipes()
    {
        List<SupportCase> cases = ExportCases();
        cases[1].Component = "CSV | scheduled";

        string markdown = ProductFeedbackReport.ToMarkdown(ProductFeedbackReport.Compose("cl-export", "export, utf, excel", cases, new Dictionary<long, EscalationPacket>(), s_playbooks, s_window));

        Assert.StartsWith("## Product feedback: export, utf, excel\n\n**Friction:** File is UTF-8", markdown, StringComparison.Ordinal);
        Assert.Contains("| Window | 2026-01-01 to 2026-03-31 |", markdown, StringComparison.Ordinal);
        Assert.Contains("| Customers affected | 3 (+1 case without a customer) |", markdown, StringComparison.Ordinal);
        Assert.Contains("| Engineering hours (escalation to resolution) | 40 h over 2 escalated cases (median 20 h) |", markdown, StringComparison.Ordinal);
        Assert.Contains("| Escalations returned for missing context | 1 of 2 escalations (50 %) |", markdown, StringComparison.Ordinal);
        Assert.Contains("CSV \\| scheduled (1)", markdown, StringComparison.Ordinal);
        Assert.Contains("| 2026-02 | 2 | 2 |", markdown, StringComparison.Ordinal);
        Assert.Contains("#### test:EX-2: Export EX-2", markdown, StringComparison.Ordinal);
        Assert.Contains("### Workaround in use", markdown, StringComparison.Ordinal);
        Assert.Contains("### Open question for the product team\n\n> Should the product prevent or explain", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stored_themes_give_one_report_each_and_an_unknown_theme_says_so()
    {
        using var temp = new KnowledgeTestDatabase();
        await using (TicketOpsDbContext db = temp.CreateContext())
        {
            List<SupportCase> cases = [.. ExportCases().Select(c => { c.Id = 0; return c; })];
            db.Cases.AddRange(cases);
            await db.SaveChangesAsync();
            db.Set<MinedCluster>().AddRange(
                new MinedCluster { Id = "cl-export", Label = "export, utf", MemberCaseIds = [.. cases.Where(c => c.IsResolved).Select(c => c.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))], OpenCaseIds = [.. cases.Where(c => !c.IsResolved).Select(c => c.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))] },
                new MinedCluster { Id = "cl-retired", Label = "old", MemberCaseIds = [cases[1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], RetiredAt = At("2026-03-01") });
            db.Set<StoredEscalationPacket>().Add(new StoredEscalationPacket
            {
                CaseId = cases[2].Id,
                PacketJson = JsonSerializer.Serialize(Packet(cases[2], "Can exports write a BOM?", "Hex dump attached"), EscalationService.PacketJson),
                IsComplete = true,
                CreatedBy = "ana",
                CreatedAt = At("2026-02-10"),
            });
            await db.SaveChangesAsync();
        }

        await using TicketOpsDbContext read = temp.CreateContext();
        FeedbackReportResult all = await ProductFeedbackReport.BuildAsync(read, s_window with { ThemeId = null });
        FeedbackReportResult missing = await ProductFeedbackReport.BuildAsync(read, s_window with { ThemeId = "cl-retired" });

        ProductFeedback report = Assert.Single(all.Reports);
        Assert.Equal(("cl-export", 5, 1), (report.ThemeId, report.Cases, report.Open));
        Assert.Equal("Can exports write a BOM?", report.OpenQuestion.Text);
        Assert.Contains(report.RepresentativeCases, c => c.Evidence.Contains("Hex dump attached"));
        Assert.True(missing.ThemeNotFound);
        Assert.Contains("No active theme 'cl-retired'", missing.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_growth_threshold_event_links_the_theme_s_product_feedback_report()
    {
        var theme = new Theme
        {
            ClusterId = "cl-export",
            Label = "export",
            Series = [],
            ProductAreas = [],
            Examples = [],
            Early = 2,
            Recent = 8,
            Growth = 4,
        };

        WebhookEvent relative = Assert.Single(ThemeAlerts.From([theme], 3.0, At("2026-03-02")));
        WebhookEvent absolute = Assert.Single(ThemeAlerts.From([theme], 3.0, At("2026-03-02"), new Uri("https://ticketops.example.internal/")));

        using JsonDocument body = JsonDocument.Parse(relative.Payload);
        JsonElement report = body.RootElement.GetProperty("details").GetProperty("report");
        Assert.Equal("/lead/themes/cl-export/feedback", report.GetProperty("page").GetString());
        Assert.Equal("/api/themes/cl-export/feedback-report?format=md", report.GetProperty("markdown").GetString());
        Assert.Equal("ticketops feedback-report --theme cl-export", report.GetProperty("command").GetString());
        using JsonDocument absoluteBody = JsonDocument.Parse(absolute.Payload);
        Assert.Equal("https://ticketops.example.internal/api/themes/cl-export/feedback-report", absoluteBody.RootElement.GetProperty("details").GetProperty("report").GetProperty("json").GetString());
    }

    /// <summary>
    /// One December case (outside the window), then in the window: two solved by support with the same fix
    /// (one reworded), two escalated (10 h and 30 h with engineering, one returned), one still open.
    /// </summary>
    private static List<SupportCase> ExportCases()
    {
        const string Cause = "File is UTF-8 without BOM and Excel opens it as Windows-1252";
        SupportCase before = Export(1, "2025-12-20", "v4.8.1", "acme", Cause);
        SupportCase a = Export(2, "2026-01-10", "v4.8.1", "acme", Cause, resolution: "Opened the file through Data > From Text/CSV with UTF-8; Sent the customer the import steps");
        SupportCase b = Export(3, "2026-02-03", "v4.9.0", "globex", "Root cause: " + Cause + " (seen on v4.9.0)", escalated: "2026-02-04 08:00", resolved: "2026-02-04 18:00", returned: true);
        b.EvidenceSteps = ["Asked for the exported file"];
        SupportCase c = Export(4, "2026-02-20", "v4.8.1", "initech", "Export job wrote a truncated file", escalated: "2026-02-21 00:00", resolved: "2026-02-22 06:00");
        SupportCase d = Export(5, "2026-03-05", "v4.9.0", null, Cause, resolution: "Opened the file through Data > From Text/CSV with UTF-8.");
        SupportCase open = Export(6, "2026-03-28", "v4.8.1", "acme", null, open: true);
        a.LinkedKnowledgeIds = ["PB-0007"];
        d.LinkedKnowledgeIds = ["PB-0007", "PB-9999"];
        return [before, a, b, c, d, open];
    }

    private static SupportCase Export(
        long id, string created, string version, string? customer, string? cause, string? resolution = null, string? escalated = null,
        string? resolved = null, bool returned = false, bool open = false)
    {
        SupportCase supportCase = Case($"EX-{id}", created, product: "Data export", escalated: escalated, returned: returned,
            resolved: open ? null : resolved ?? At(created).AddHours(6).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture));
        supportCase.Id = id;
        supportCase.Title = $"Export EX-{id}";
        supportCase.Version = version;
        supportCase.Customer = customer;
        supportCase.Component = "CSV export";
        supportCase.Cause = open ? null : cause;
        supportCase.Resolution = open ? null : resolution ?? "Engineering shipped a fix";
        return supportCase;
    }

    private static SupportCase Resolved(long id, string created, string cause, double escalatedHoursBefore)
    {
        SupportCase supportCase = Case($"BL-{id}", created, product: "Billing", escalated: created, resolved: At(created).AddHours(escalatedHoursBefore).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture));
        supportCase.Id = id;
        supportCase.Customer = "customer-" + id;
        supportCase.Cause = cause;
        return supportCase;
    }

    private static EscalationPacket Packet(SupportCase supportCase, string question, string addedEvidence) =>
        EscalationPacket.For(supportCase, new EscalationDraft("BOM missing", question, "Finance team cannot read exports", [addedEvidence]), null);
}
