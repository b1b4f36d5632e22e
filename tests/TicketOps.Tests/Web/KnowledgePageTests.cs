using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Mining;
using TicketOps.Core.Review;
using TicketOps.Core.Storage;
using TicketOps.Web;
using TicketOps.Web.Access;
using Xunit.Abstractions;

namespace TicketOps.Tests.Web;

/// <summary>The knowledge owner's pages posted as a browser would: validate and archive on content health, edit then approve or merge on a candidate.</summary>
public sealed class KnowledgePageTests(TicketOpsWebFactory app, ITestOutputHelper output) : WebTest<TicketOpsWebFactory>(app, output)
{
    private readonly ITestOutputHelper _output = output;

    [Fact]
    public async Task Content_health_validates_a_waiting_article_and_archives_it_only_with_a_reason()
    {
        long id = await ReviewApi.MineCandidateAsync(App, "hv", "Shared mailbox rules stop forwarding after the licence change", "Forwarding needs a licensed mailbox", "Assign a licence to the shared mailbox; Re-enable the rule");
        using HttpClient api = App.ClientFor(AccessRoles.KnowledgeOwner);
        string knowledgeId = (await WebApi.PostOkAsync(api, $"/api/review/candidates/{id}/approve", new { not_validated = true })).GetProperty("knowledge_id").GetString()!;
        using PageSession owner = await PageSession.SignInAsync(App, AccessRoles.KnowledgeOwner);

        string health = await (await owner.GetAsync("/knowledge/health")).Content.ReadAsStringAsync();
        (HttpResponseMessage validated, string validatedPage) = await owner.PostFormAsync("/knowledge/health", "/knowledge/health?handler=Validate", new Dictionary<string, string> { ["KnowledgeId"] = knowledgeId });
        (HttpResponseMessage noReason, string noReasonPage) = await owner.PostFormAsync("/knowledge/health", "/knowledge/health?handler=Archive", new Dictionary<string, string> { ["KnowledgeId"] = knowledgeId, ["Reason"] = " " });
        KnowledgeState afterRefusal = await StateOfAsync(knowledgeId);
        (HttpResponseMessage archived, string archivedPage) = await owner.PostFormAsync("/knowledge/health", "/knowledge/health?handler=Archive", new Dictionary<string, string> { ["KnowledgeId"] = knowledgeId, ["Reason"] = "licence rules changed upstream" });

        Assert.Contains($"data-article-id=\"{knowledgeId}\"", health, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, validated.StatusCode);
        Assert.Contains("not_validated → validated", validatedPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noReason.StatusCode);
        Assert.Contains("Archiving needs a reason", noReasonPage, StringComparison.Ordinal);
        Assert.Equal(KnowledgeState.Validated, afterRefusal);
        Assert.Equal(HttpStatusCode.OK, archived.StatusCode);
        Assert.Contains("validated → archived", archivedPage, StringComparison.Ordinal);
        Assert.Equal(KnowledgeState.Archived, await StateOfAsync(knowledgeId));
        Assert.Contains("state: archived", await File.ReadAllTextAsync(Path.Combine(App.KnowledgeDir, "playbooks", knowledgeId + ".md")), StringComparison.Ordinal);
        await using TicketOpsDbContext db = App.OpenDatabase();
        List<AuditEntry> entries = await db.Set<AuditEntry>().Where(e => e.KnowledgeId == knowledgeId).OrderBy(e => e.Id).ToListAsync();
        Assert.Equal([ReviewAction.Approve, ReviewAction.Validate, ReviewAction.Archive], entries.Select(e => e.Action));
        Assert.Equal("licence rules changed upstream", entries[2].Reason);
        Assert.All(entries, e => Assert.StartsWith("test knowledge-owner (tko_", e.Actor, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(AccessRoles.Agent)]
    [InlineData(AccessRoles.Lead)]
    public async Task Knowledge_page_decisions_are_refused_to_other_roles_and_change_nothing(string role)
    {
        long id = await ReviewApi.MineCandidateAsync(App, "rr" + role, "Guest links expire a day early for teams abroad", "Expiry computed in server time", "Set the tenant time zone; Reissue the links");
        string before = await File.ReadAllTextAsync(Path.Combine(App.KnowledgeDir, "playbooks", "PB-0003.md"));
        using PageSession other = await PageSession.SignInAsync(App, role);
        string formPage = role == AccessRoles.Agent ? "/agent" : "/lead/metrics";

        (HttpResponseMessage archive, _) = await other.PostFormAsync(formPage, "/knowledge/health?handler=Archive", new Dictionary<string, string> { ["KnowledgeId"] = "PB-0003", ["Reason"] = "not mine to retire" });
        (HttpResponseMessage merge, _) = await other.PostFormAsync(formPage, $"/knowledge/candidates/{id}?handler=MergeEdited", new Dictionary<string, string> { ["MergeTarget"] = "PB-0003", ["MergeMarkdown"] = before });

        Assert.All([archive, merge], r => Assert.Equal((HttpStatusCode.Redirect, "/denied"), (r.StatusCode, r.Headers.Location?.AbsolutePath ?? r.Headers.Location?.OriginalString.Split('?')[0])));
        Assert.Equal(before, await File.ReadAllTextAsync(Path.Combine(App.KnowledgeDir, "playbooks", "PB-0003.md")));
        await using TicketOpsDbContext db = App.OpenDatabase();
        Assert.Equal(CandidateState.Draft, (await db.Set<MiningCandidate>().SingleAsync(c => c.Id == id)).State);
        Assert.False(await db.Set<AuditEntry>().AnyAsync(e => e.KnowledgeId == "PB-0003" || e.CandidateId == id));
    }

    [Fact]
    public async Task Edit_then_merge_checks_the_text_line_by_line_beside_the_text_area_and_writes_nothing_on_error()
    {
        long id = await ReviewApi.MineCandidateAsync(App, "em", "Zapier zaps fail with HTTP 429 during the nightly sync", "Nightly sync bursts over the API rate limit", "Spread the sync over the hour; Add a retry with back-off");
        string path = Path.Combine(App.KnowledgeDir, "playbooks", "PB-0004.md");
        string original = await File.ReadAllTextAsync(path);
        string candidatePage = $"/knowledge/candidates/{id}?target=PB-0004";
        using PageSession owner = await PageSession.SignInAsync(App, AccessRoles.KnowledgeOwner);

        string form = await (await owner.GetAsync(candidatePage)).Content.ReadAsStringAsync();
        (HttpResponseMessage invalid, string invalidPage) = await owner.PostFormAsync(candidatePage, $"/knowledge/candidates/{id}?handler=MergeEdited", new Dictionary<string, string>
        {
            ["MergeTarget"] = "PB-0004",
            ["MergeMarkdown"] = "---\nid: PB-0004\ntype: playbook\n---\n# Only a title\n",
        });
        bool untouched = original == await File.ReadAllTextAsync(path);
        string edited = original.Replace("# API clients hit rate limits (HTTP 429 RATE_LIMIT_EXCEEDED)", "# API clients and nightly syncs hit rate limits (HTTP 429 RATE_LIMIT_EXCEEDED)", StringComparison.Ordinal);
        (HttpResponseMessage merged, string mergedPage) = await owner.PostFormAsync(candidatePage, $"/knowledge/candidates/{id}?handler=MergeEdited", new Dictionary<string, string>
        {
            ["MergeTarget"] = "PB-0004",
            ["MergeMarkdown"] = edited,
            ["Reason"] = "same rate limit, new trigger",
        });

        Assert.Contains("Edit PB-0004, then merge", form, StringComparison.Ordinal);
        Assert.Contains("id: PB-0004", form, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.StatusCode);
        Assert.Matches("id=\"merge-errors\"[^>]*>\\s*<li>line \\d+: ", invalidPage);
        Assert.Contains("# Only a title", invalidPage, StringComparison.Ordinal); // the text typed is kept
        Assert.True(untouched);
        Assert.Equal(HttpStatusCode.OK, merged.StatusCode);
        Assert.Contains("merged into PB-0004", mergedPage, StringComparison.Ordinal);
        string written = await File.ReadAllTextAsync(path);
        Assert.Contains("# API clients and nightly syncs hit rate limits", written, StringComparison.Ordinal);
        Assert.Contains("em-0", written, StringComparison.Ordinal);
        await using TicketOpsDbContext db = App.OpenDatabase();
        AuditEntry entry = Assert.Single(await db.Set<AuditEntry>().Where(e => e.CandidateId == id).ToListAsync());
        Assert.Equal(ReviewAction.Merge, entry.Action);
        Assert.Contains("title '", entry.Summary, StringComparison.Ordinal);
        Assert.Equal(CandidateState.Merged, (await db.Set<MiningCandidate>().SingleAsync(c => c.Id == id)).State);
    }

    [Fact]
    public async Task Edit_then_approve_with_an_invalid_text_shows_each_line_problem_and_writes_nothing()
    {
        long id = await ReviewApi.MineCandidateAsync(App, "ea", "Dashboard tiles show yesterday's numbers until a manual refresh", "Tile cache not invalidated by the nightly load", "Clear the tile cache; Schedule the refresh after the load");
        string[] filesBefore = Directory.GetFiles(App.KnowledgeDir, "*.md", SearchOption.AllDirectories);
        using PageSession owner = await PageSession.SignInAsync(App, AccessRoles.KnowledgeOwner);

        (HttpResponseMessage refused, string page) = await owner.PostFormAsync($"/knowledge/candidates/{id}", $"/knowledge/candidates/{id}?handler=ApproveEdited", new Dictionary<string, string>
        {
            ["EditedMarkdown"] = "---\nid: PB-0001\ntype: playbook\nstate: validated\n---\n# Taken id\n\n## Issue\n\nx\n",
        });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Matches("id=\"edited-errors\"[^>]*>\\s*<li>line \\d+: ", page);
        Assert.Equal(filesBefore.Order(), Directory.GetFiles(App.KnowledgeDir, "*.md", SearchOption.AllDirectories).Order());
        await using TicketOpsDbContext db = App.OpenDatabase();
        Assert.Equal(CandidateState.Draft, (await db.Set<MiningCandidate>().SingleAsync(c => c.Id == id)).State);
        Assert.False(await db.Set<AuditEntry>().AnyAsync(e => e.CandidateId == id));
    }

    [Fact]
    public async Task A_second_view_of_a_candidate_reuses_its_duplicate_check_and_an_approval_recomputes_it()
    {
        long viewed = await ReviewApi.MineCandidateAsync(App, "cv", "Single sign-on loops back to the login page in Safari", "Third-party cookies blocked by Safari ITP", "Use the first-party login domain; Clear the site data");
        long approved = await ReviewApi.MineCandidateAsync(App, "ca", "CSV export drops accented characters in Excel", "Export written without a byte order mark", "Export as UTF-8 with BOM; Open through Data > From Text");
        CandidateReviewCache cache = App.Services.GetRequiredService<CandidateReviewCache>();
        using PageSession owner = await PageSession.SignInAsync(App, AccessRoles.KnowledgeOwner);
        using HttpClient api = App.ClientFor(AccessRoles.KnowledgeOwner);

        var clock = Stopwatch.StartNew();
        await AssertOkAsync(owner.GetAsync($"/knowledge/candidates/{viewed}"));
        TimeSpan first = clock.Elapsed;
        long afterFirst = cache.Computed;
        clock.Restart();
        await AssertOkAsync(owner.GetAsync($"/knowledge/candidates/{viewed}"));
        TimeSpan second = clock.Elapsed;
        JsonElement fromApi = await WebApi.GetOkAsync(api, $"/api/review/candidates/{viewed}");
        long afterSecond = cache.Computed;
        (HttpResponseMessage approval, _) = await owner.PostFormAsync($"/knowledge/candidates/{approved}", $"/knowledge/candidates/{approved}?handler=Approve", new Dictionary<string, string>());
        long afterApproval = cache.Computed;
        await AssertOkAsync(owner.GetAsync($"/knowledge/candidates/{viewed}"));
        _output.WriteLine($"candidate page: first view {first.TotalMilliseconds:0} ms, second view {second.TotalMilliseconds:0} ms");

        Assert.Equal(afterFirst, afterSecond);
        Assert.Equal(viewed, fromApi.GetProperty("candidate_id").GetInt64());
        Assert.Equal(HttpStatusCode.OK, approval.StatusCode);
        Assert.Equal(afterApproval + 1, cache.Computed);
    }

    [Fact]
    public async Task The_candidate_page_shows_who_recorded_a_source_cases_outcome()
    {
        long id = await ReviewApi.MineCandidateAsync(App, "oc", "Audit export times out for tenants with a year of history", "Export query scans the whole audit table", "Export by month; Add the tenant date index");
        long caseId;
        await using (TicketOpsDbContext db = App.OpenDatabase())
        {
            caseId = (await db.Cases.SingleAsync(c => c.ExternalId == "oc-0")).Id;
        }

        using HttpClient agent = App.ClientFor(AccessRoles.Agent);
        await WebApi.PostOkAsync(agent, $"/api/cases/{caseId}/escalation-packet", EscalationApi.CompletePacket);
        JsonElement recorded = await WebApi.PostOkAsync(agent, $"/api/cases/{caseId}/outcome", new { outcome = "escalated" });
        using PageSession owner = await PageSession.SignInAsync(App, AccessRoles.KnowledgeOwner);

        string page = WebUtility.HtmlDecode(await (await owner.GetAsync($"/knowledge/candidates/{id}")).Content.ReadAsStringAsync());

        string actor = recorded.GetProperty("recorded_by").GetString()!;
        Assert.StartsWith("test agent (tko_", actor, StringComparison.Ordinal);
        Assert.Contains($"escalated {recorded.GetProperty("at").GetDateTime():yyyy-MM-dd} by {actor}", page, StringComparison.Ordinal);
    }

    private async Task<KnowledgeState> StateOfAsync(string knowledgeId)
    {
        await using TicketOpsDbContext db = App.OpenDatabase();
        return (await db.Set<KnowledgeArticle>().SingleAsync(a => a.Id == knowledgeId)).State;
    }

    private static async Task AssertOkAsync(Task<HttpResponseMessage> request)
    {
        HttpResponseMessage response = await request;
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
