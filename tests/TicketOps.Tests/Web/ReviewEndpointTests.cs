using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Cases;
using TicketOps.Core.Mining;
using TicketOps.Core.Review;
using TicketOps.Core.Storage;
using TicketOps.Web.Access;
using Xunit.Abstractions;

namespace TicketOps.Tests.Web;

/// <summary>The review workflow over HTTP against the real app: decisions write files, audit entries and the match index.</summary>
public abstract class ReviewEndpointTests<TFactory>(TFactory app, ITestOutputHelper output) : WebTest<TFactory>(app, output)
    where TFactory : TicketOpsWebFactory
{
    [Fact]
    public async Task Approve_writes_the_playbook_audits_it_and_makes_it_matchable_at_once()
    {
        long id = await ReviewApi.MineCandidateAsync(App, "cal", "Calendar sync duplicates every Outlook event after the daylight saving change", "Sync token reused across the DST boundary", "Reset the calendar sync token; Resync the Outlook calendar");
        using HttpClient owner = App.ClientFor(AccessRoles.KnowledgeOwner);
        using HttpClient agent = App.ClientFor(AccessRoles.Agent);

        JsonElement queue = await GetOkAsync(owner, "/api/review/queue");
        JsonElement candidate = await GetOkAsync(owner, $"/api/review/candidates/{id}");
        JsonElement decision = await WebApi.PostOkAsync(owner, $"/api/review/candidates/{id}/approve", new { });
        string knowledgeId = decision.GetProperty("knowledge_id").GetString()!;
        JsonElement match = await WebApi.PostOkAsync(agent, "/api/match", new { text = "Outlook calendar shows every event twice since the daylight saving change; calendar sync duplicates them" });
        JsonElement log = await GetOkAsync(owner, $"/api/review/log?subject={knowledgeId}");

        Assert.Contains(queue.EnumerateArray(), item => item.GetProperty("candidate_id").GetInt64() == id);
        Assert.StartsWith("---", candidate.GetProperty("proposed_article_markdown").GetString(), StringComparison.Ordinal);
        Assert.Equal(6, candidate.GetProperty("source_cases").GetArrayLength());
        Assert.True(candidate.TryGetProperty("similar_knowledge", out _));
        Assert.StartsWith("PB-", knowledgeId, StringComparison.Ordinal);
        Assert.True(decision.GetProperty("indexed").GetBoolean());
        Assert.True(File.Exists(Path.Combine(App.KnowledgeDir, "playbooks", knowledgeId + ".md")));
        Assert.Contains(knowledgeId, MatchedIds(match));
        JsonElement entry = Assert.Single(log.EnumerateArray());
        Assert.Equal("approve", entry.GetProperty("action").GetString());
        Assert.StartsWith("test knowledge-owner (tko_", entry.GetProperty("actor").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reject_with_a_reason_closes_the_candidate_and_a_second_decision_is_a_conflict()
    {
        long id = await ReviewApi.MineCandidateAsync(App, "rej", "Printer queue stalls when the spooler restarts overnight", "Spooler restart drops queued jobs", "Restart the print agent; Resubmit the jobs");
        using HttpClient owner = App.ClientFor(AccessRoles.KnowledgeOwner);

        JsonElement rejected = await WebApi.PostOkAsync(owner, $"/api/review/candidates/{id}/reject", new { reason = "customer misconfiguration only" });
        HttpResponseMessage again = await owner.PostAsJsonAsync(new Uri($"/api/review/candidates/{id}/approve", UriKind.Relative), new { });

        Assert.Equal("reject", rejected.GetProperty("action").GetString());
        JsonElement problem = await WebApi.ProblemAsync(again, HttpStatusCode.Conflict);
        Assert.Contains("rejected", problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Merge_adds_the_source_cases_to_the_suggested_target()
    {
        long id = await ReviewApi.MineCandidateAsync(App, "mrg", "Mobile app logs out after every push notification tap", "Session cookie not shared with the notification handler", "Update the app; Sign in once more");
        using HttpClient owner = App.ClientFor(AccessRoles.KnowledgeOwner);

        JsonElement merged = await WebApi.PostOkAsync(owner, $"/api/review/candidates/{id}/merge", new { target_id = "PB-0002", reason = "same session issue" });

        Assert.Equal("PB-0002", merged.GetProperty("knowledge_id").GetString());
        await using TicketOpsDbContext db = App.OpenDatabase();
        Assert.Equal(CandidateState.Merged, (await db.Set<MiningCandidate>().SingleAsync(c => c.Id == id)).State);
    }

    [Fact]
    public async Task A_not_validated_approval_stays_out_of_matching_until_validated_and_archiving_removes_it()
    {
        long id = await ReviewApi.MineCandidateAsync(App, "val", "Barcode scanner inputs doubled characters in the stock form", "Scanner suffix key sends Enter twice", "Set the scanner suffix to Tab; Rescan the item");
        using HttpClient owner = App.ClientFor(AccessRoles.KnowledgeOwner);
        using HttpClient agent = App.ClientFor(AccessRoles.Agent);
        const string ticket = "The barcode scanner types doubled characters into the stock form";

        JsonElement approved = await WebApi.PostOkAsync(owner, $"/api/review/candidates/{id}/approve", new { not_validated = true });
        string knowledgeId = approved.GetProperty("knowledge_id").GetString()!;
        JsonElement before = await WebApi.PostOkAsync(agent, "/api/match", new { text = ticket });
        JsonElement validated = await WebApi.PostOkAsync(owner, $"/api/knowledge/{knowledgeId}/validate", new { reason = "checked with the warehouse team" });
        JsonElement during = await WebApi.PostOkAsync(agent, "/api/match", new { text = ticket });
        JsonElement archived = await WebApi.PostOkAsync(owner, $"/api/knowledge/{knowledgeId}/archive", new { reason = "scanner firmware fixed" });
        JsonElement after = await WebApi.PostOkAsync(agent, "/api/match", new { text = ticket });

        Assert.False(approved.GetProperty("indexed").GetBoolean());
        Assert.DoesNotContain(knowledgeId, MatchedIds(before));
        Assert.Equal("validate", validated.GetProperty("action").GetString());
        Assert.Contains(knowledgeId, MatchedIds(during));
        Assert.Equal("archive", archived.GetProperty("action").GetString());
        Assert.DoesNotContain(knowledgeId, MatchedIds(after));
    }

    [Fact]
    public async Task Approvals_sent_at_once_get_distinct_articles()
    {
        long first = await ReviewApi.MineCandidateAsync(App, "par1", "Kiosk screensaver never starts on the lobby tablets", "Power policy overridden by the MDM profile", "Remove the MDM power override; Reboot the tablet");
        long second = await ReviewApi.MineCandidateAsync(App, "par2", "Timesheet totals round every entry up to the hour", "Rounding rule set on the project template", "Set rounding to none on the template; Recalculate the timesheets");
        using HttpClient owner = App.ClientFor(AccessRoles.KnowledgeOwner);

        JsonElement[] decisions = await Task.WhenAll(
            WebApi.PostOkAsync(owner, $"/api/review/candidates/{first}/approve", new { }),
            WebApi.PostOkAsync(owner, $"/api/review/candidates/{second}/approve", new { }));

        string[] ids = [.. decisions.Select(d => d.GetProperty("knowledge_id").GetString()!)];
        Assert.NotEqual(ids[0], ids[1]);
        Assert.All(ids, id => Assert.True(File.Exists(Path.Combine(App.KnowledgeDir, "playbooks", id + ".md"))));
    }

    [Theory]
    [InlineData(AccessRoles.Agent, HttpStatusCode.Forbidden)]
    [InlineData(AccessRoles.Lead, HttpStatusCode.Forbidden)]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    public async Task Review_routes_refuse_roles_that_may_not_decide(string? role, HttpStatusCode expected)
    {
        using HttpClient client = App.ClientFor(role);

        HttpResponseMessage queue = await client.GetAsync(new Uri("/api/review/queue", UriKind.Relative));
        HttpResponseMessage approve = await client.PostAsJsonAsync(new Uri("/api/review/candidates/1/approve", UriKind.Relative), new { });
        HttpResponseMessage archive = await client.PostAsJsonAsync(new Uri("/api/knowledge/PB-0001/archive", UriKind.Relative), new { reason = "x" });

        Assert.Equal((expected, expected, expected), (queue.StatusCode, approve.StatusCode, archive.StatusCode));
    }

    [Fact]
    public async Task Bad_decisions_are_problem_details_and_change_nothing()
    {
        long id = await ReviewApi.MineCandidateAsync(App, "bad", "Report export emails arrive without the attachment", "Attachment size over the mail relay limit", "Send the export as a link; Raise the relay limit");
        using HttpClient owner = App.ClientFor(AccessRoles.KnowledgeOwner);
        string[] filesBefore = Directory.GetFiles(App.KnowledgeDir, "*.md", SearchOption.AllDirectories);

        JsonElement noReason = await WebApi.ProblemAsync(await owner.PostAsJsonAsync(new Uri($"/api/review/candidates/{id}/reject", UriKind.Relative), new { reason = " " }), HttpStatusCode.BadRequest);
        JsonElement noTarget = await WebApi.ProblemAsync(await owner.PostAsJsonAsync(new Uri($"/api/review/candidates/{id}/merge", UriKind.Relative), new { }), HttpStatusCode.BadRequest);
        JsonElement invalid = await WebApi.ProblemAsync(
            await owner.PostAsJsonAsync(new Uri($"/api/review/candidates/{id}/approve", UriKind.Relative), new { edited_markdown = "---\nid: PB-0999\ntype: playbook\n---\n# Only a title\n" }),
            HttpStatusCode.UnprocessableEntity);
        JsonElement missing = await WebApi.ProblemAsync(await owner.PostAsJsonAsync(new Uri("/api/review/candidates/999999/approve", UriKind.Relative), new { }), HttpStatusCode.NotFound);
        JsonElement archive = await WebApi.ProblemAsync(await owner.PostAsJsonAsync(new Uri("/api/knowledge/PB-0003/archive", UriKind.Relative), new { }), HttpStatusCode.BadRequest);

        Assert.Contains("reason", noReason.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("target_id", noTarget.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.NotEmpty(invalid.GetProperty("errors").GetProperty("edited_markdown").EnumerateArray());
        Assert.All(invalid.GetProperty("errors").GetProperty("edited_markdown").EnumerateArray(), e => Assert.StartsWith("line ", e.GetString(), StringComparison.Ordinal));
        Assert.Contains("999999", missing.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("reason", archive.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(filesBefore.Order(), Directory.GetFiles(App.KnowledgeDir, "*.md", SearchOption.AllDirectories).Order());
        await using TicketOpsDbContext db = App.OpenDatabase();
        Assert.Equal(CandidateState.Draft, (await db.Set<MiningCandidate>().SingleAsync(c => c.Id == id)).State);
        Assert.False(await db.Set<AuditEntry>().AnyAsync(e => e.CandidateId == id || e.KnowledgeId == "PB-0003"));
    }

    private static async Task<JsonElement> GetOkAsync(HttpClient client, string path)
    {
        HttpResponseMessage response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static string[] MatchedIds(JsonElement match) =>
        [.. match.GetProperty("groups").EnumerateArray().SelectMany(g => g.GetProperty("items").EnumerateArray()).Select(i => i.GetProperty("id").GetString()!)];
}

/// <summary>The review tests on the embedded SQLite file.</summary>
public sealed class SqliteReviewEndpointTests(TicketOpsWebFactory app, ITestOutputHelper output) : ReviewEndpointTests<TicketOpsWebFactory>(app, output);

/// <summary>The review tests on a fresh PostgreSQL database.</summary>
public sealed class PostgreSqlReviewEndpointTests(PostgreSqlWebFactory app, ITestOutputHelper output) : ReviewEndpointTests<PostgreSqlWebFactory>(app, output);

/// <summary>The app without a knowledge folder: reads work, decisions say to configure one.</summary>
public sealed class NoKnowledgeFolderWebFactory : TicketOpsWebFactory
{
    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?> { ["TicketOps:KnowledgeDir"] = "" };
}

public sealed class ReviewWithoutKnowledgeFolderTests(NoKnowledgeFolderWebFactory app, ITestOutputHelper output) : WebTest<NoKnowledgeFolderWebFactory>(app, output)
{
    [Fact]
    public async Task Decisions_without_a_knowledge_folder_say_to_configure_it_and_write_nothing()
    {
        long id = await ReviewApi.MineCandidateAsync(App, "nf", "Webhook signatures fail after the secret rotation", "Old secret cached by the sender", "Rotate the secret on both sides; Replay the failed deliveries");
        using HttpClient owner = App.ClientFor(AccessRoles.KnowledgeOwner);

        HttpResponseMessage queue = await owner.GetAsync(new Uri("/api/review/queue", UriKind.Relative));
        JsonElement problem = await WebApi.ProblemAsync(await owner.PostAsJsonAsync(new Uri($"/api/review/candidates/{id}/approve", UriKind.Relative), new { }), HttpStatusCode.ServiceUnavailable);

        Assert.Equal(HttpStatusCode.OK, queue.StatusCode);
        Assert.Contains("TicketOps:KnowledgeDir", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await using TicketOpsDbContext db = App.OpenDatabase();
        Assert.Equal(CandidateState.Draft, (await db.Set<MiningCandidate>().SingleAsync(c => c.Id == id)).State);
        Assert.False(await db.Set<AuditEntry>().AnyAsync());
    }
}

/// <summary>Arranges review state in a test app's database.</summary>
internal static class ReviewApi
{
    /// <summary>Stores six resolved cases about one issue and a candidate mined from them (as a mining run would); returns its id.</summary>
    public static async Task<long> MineCandidateAsync(TicketOpsWebFactory app, string prefix, string title, string cause, string resolution)
    {
        app.KeyFor(AccessRoles.KnowledgeOwner); // starts the app, which migrates the database
        await using TicketOpsDbContext db = app.OpenDatabase();
        DateTime created = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);
        List<SupportCase> cases = [.. Enumerable.Range(0, 6).Select(i => new SupportCase
        {
            Source = "review-test",
            ExternalId = $"{prefix}-{i}",
            Title = title,
            Description = $"{title}. Seen by several users since this week.",
            Product = "Integrations",
            Status = CaseStatus.Resolved,
            CreatedAt = created.AddDays(i),
            ResolvedAt = created.AddDays(i).AddHours(3),
            Cause = cause,
            Resolution = resolution,
        })];
        db.Cases.AddRange(cases);
        await db.SaveChangesAsync();
        string clusterId = "cl-" + prefix;
        var cluster = new CaseCluster
        {
            Id = clusterId,
            Members = [.. cases.Select(c => new ClusterMember(CandidateDrafter.CaseKey(c), 0.9))],
            Cohesion = 0.85,
        };
        var labels = new Dictionary<string, ClusterLabel> { [clusterId] = new() { Terms = [], RepresentativeTitles = [], Text = title } };
        await new MiningStore(db).SaveRunAsync(
            new ClusteringResult { Clusters = [cluster], Unclustered = [], RetiredClusterIds = [] },
            labels,
            [new CandidateDrafter().Draft(cluster, cases, title)]);
        return await db.Set<MiningCandidate>().Where(c => c.ClusterId == clusterId).Select(c => c.Id).SingleAsync();
    }
}
