using System.Globalization;
using System.Net;
using System.Text.Json;
using TicketOps.Core.Cases;
using TicketOps.Core.Mining;
using TicketOps.Core.Storage;
using TicketOps.Web.Access;
using Xunit.Abstractions;

namespace TicketOps.Tests.Web;

/// <summary>The product feedback report through HTTP: JSON for integrations, Markdown for an issue tracker, ProblemDetails for mistakes.</summary>
public sealed class FeedbackReportEndpointTests(TicketOpsWebFactory app, ITestOutputHelper output) : WebTest<TicketOpsWebFactory>(app, output)
{
    [Fact]
    public async Task A_theme_s_report_comes_as_json_and_as_markdown_with_the_same_figures()
    {
        string themeId = await StoreThemeAsync("cl-feedback-api", ("FB-1", true), ("FB-2", true), ("FB-3", false));
        using HttpClient lead = App.ClientFor(AccessRoles.Lead);

        JsonElement report = await WebApi.GetOkAsync(lead, $"/api/themes/{themeId}/feedback-report?from=2026-09-01&to=2026-11-01");
        HttpResponseMessage markdown = await lead.GetAsync(new Uri($"/api/themes/{themeId}/feedback-report?from=2026-09-01&to=2026-11-01&format=md", UriKind.Relative));
        JsonElement all = await WebApi.GetOkAsync(lead, "/api/feedback-reports?from=2026-09-01&to=2026-11-01&top=3");

        Assert.Equal(themeId, report.GetProperty("theme_id").GetString());
        Assert.Equal((3, 1), (report.GetProperty("cases").GetInt32(), report.GetProperty("open").GetInt32()));
        Assert.Equal(["2026-09-01", "2026-10-01"], report.GetProperty("volume").EnumerateArray().Select(v => v.GetProperty("start").GetDateTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        Assert.Equal("composed", report.GetProperty("open_question").GetProperty("source").GetString());
        Assert.Equal(HttpStatusCode.OK, markdown.StatusCode);
        Assert.Equal("text/markdown", markdown.Content.Headers.ContentType?.MediaType);
        string text = await markdown.Content.ReadAsStringAsync();
        Assert.StartsWith("## Product feedback: feedback api theme\n\n**Friction:** " + report.GetProperty("friction").GetString(), text, StringComparison.Ordinal);
        Assert.Contains("| Cases | 3 (1 still open) |", text, StringComparison.Ordinal);
        Assert.Contains(all.EnumerateArray(), r => r.GetProperty("theme_id").GetString() == themeId);
    }

    [Fact]
    public async Task An_unknown_theme_is_404_and_a_bad_format_or_window_names_the_parameter()
    {
        using HttpClient lead = App.ClientFor(AccessRoles.Lead);
        using HttpClient agent = App.ClientFor(AccessRoles.Agent);

        HttpResponseMessage unknown = await lead.GetAsync(new Uri("/api/themes/cl-none/feedback-report", UriKind.Relative));
        HttpResponseMessage format = await lead.GetAsync(new Uri("/api/themes/cl-none/feedback-report?format=pdf", UriKind.Relative));
        HttpResponseMessage window = await lead.GetAsync(new Uri("/api/feedback-reports?from=2026-05-01&to=2026-04-01", UriKind.Relative));
        HttpResponseMessage refused = await agent.GetAsync(new Uri("/api/feedback-reports", UriKind.Relative));

        Assert.Contains("No active theme 'cl-none'", (await WebApi.ProblemAsync(unknown, HttpStatusCode.NotFound)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True((await WebApi.ProblemAsync(format, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("format", out _));
        Assert.True((await WebApi.ProblemAsync(window, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("to", out _));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task Help_gaps_list_a_theme_solved_by_explaining_for_knowledge_owners_only()
    {
        using HttpClient owner = App.ClientFor(AccessRoles.KnowledgeOwner); // starts the app, which migrates the database
        using HttpClient lead = App.ClientFor(AccessRoles.Lead);
        await using (TicketOpsDbContext db = App.OpenDatabase())
        {
            List<SupportCase> cases = [.. Enumerable.Range(1, 5).Select(i => new SupportCase
            {
                Source = "api-test",
                ExternalId = $"HG-{i}",
                Title = $"API token gets 403 on write {i}",
                Product = "Webhooks/API",
                CreatedAt = new DateTime(2026, 10, i, 8, 0, 0, DateTimeKind.Utc),
                ResolvedAt = new DateTime(2026, 10, i, 12, 0, 0, DateTimeKind.Utc),
                Status = CaseStatus.Resolved,
                Cause = "Token was created with read-only scopes",
                Resolution = "Explained token scopes and created a token with write scope",
            })];
            db.Cases.AddRange(cases);
            await db.SaveChangesAsync();
            db.Set<MinedCluster>().Add(new MinedCluster { Id = "cl-help-api", Label = "token, scope, 403", MemberCaseIds = [.. cases.Select(c => c.Id.ToString(CultureInfo.InvariantCulture))] });
            await db.SaveChangesAsync();
        }

        JsonElement gaps = await WebApi.GetOkAsync(owner, "/api/review/help-gaps");
        HttpResponseMessage refused = await lead.GetAsync(new Uri("/api/review/help-gaps", UriKind.Relative));

        JsonElement gap = gaps.EnumerateArray().Single(g => g.GetProperty("cluster_id").GetString() == "cl-help-api");
        Assert.Equal((5, 0, 5), (gap.GetProperty("resolved_cases").GetInt32(), gap.GetProperty("engineering_cases").GetInt32(), gap.GetProperty("explained_cases").GetInt32()));
        Assert.Equal("API token gets 403 on write 1", gap.GetProperty("questions")[0].GetString());
        Assert.Equal("Explained token scopes and created a token with write scope", gap.GetProperty("explanation")[0].GetProperty("step").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    /// <summary>Receives the cases through the API and stores a mined cluster holding them, as a mining run would.</summary>
    private async Task<string> StoreThemeAsync(string themeId, params (string Id, bool Resolved)[] cases)
    {
        using HttpClient admin = App.ClientFor(AccessRoles.Admin);
        var resolved = new List<string>();
        var open = new List<string>();
        foreach ((string id, bool isResolved) in cases)
        {
            JsonElement received = await WebApi.PostOkAsync(admin, "/api/cases", WebApi.Case(id, "Salesforce sync drops the owner field " + id, isResolved));
            (isResolved ? resolved : open).Add(received.GetProperty("case_ids")[0].GetInt64().ToString(CultureInfo.InvariantCulture));
        }

        await using TicketOpsDbContext db = App.OpenDatabase();
        db.Set<MinedCluster>().Add(new MinedCluster { Id = themeId, Label = "feedback api theme", MemberCaseIds = resolved, OpenCaseIds = open, Size = resolved.Count });
        await db.SaveChangesAsync();
        return themeId;
    }
}
