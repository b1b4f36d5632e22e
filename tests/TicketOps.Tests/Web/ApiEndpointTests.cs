using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Cases;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Storage;
using TicketOps.Web.Access;
using Xunit.Abstractions;

namespace TicketOps.Tests.Web;

/// <summary>Every endpoint's job, through HTTP, against the real app (SQLite, Lucene, the embedding model).</summary>
public abstract class ApiEndpointTests<TFactory>(TFactory app, ITestOutputHelper output) : WebTest<TFactory>(app, output)
    where TFactory : TicketOpsWebFactory
{
    [Fact]
    public async Task Match_returns_the_playbook_a_ticket_describes_grouped_by_kind_with_why_it_matched()
    {
        using HttpClient agent = App.ClientFor(AccessRoles.Agent);

        JsonElement result = await WebApi.PostOkAsync(agent, "/api/match", new { text = "Users get ERR_SAML_CLOCK_SKEW when logging in with SSO since this morning", top = 3 });

        Assert.True(result.GetProperty("has_good_match").GetBoolean());
        JsonElement playbooks = result.GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("kind").GetString() == "playbook");
        JsonElement best = playbooks.GetProperty("items")[0];
        Assert.Equal("PB-0001", best.GetProperty("id").GetString());
        Assert.Contains("err_saml_clock_skew", best.GetProperty("explanation").GetProperty("shared_identifiers").EnumerateArray().Select(i => i.GetString()!.ToLowerInvariant()));
    }

    [Fact]
    public async Task Match_explains_a_playbook_with_its_usage_history_and_a_case_without_one()
    {
        using HttpClient agent = App.ClientFor(AccessRoles.Agent);
        const string ticket = "Users get ERR_SAML_CLOCK_SKEW when logging in with SSO since this morning";
        int helpedBefore = UsageOf(await WebApi.PostOkAsync(agent, "/api/match", new { text = ticket }), "PB-0001").GetProperty("helped").GetInt32();
        long caseId = await ReceiveAsync("H-1", "SAML sign-in rejected with clock skew error");

        HttpResponseMessage helped = await agent.PostAsJsonAsync(new Uri("/api/feedback", UriKind.Relative), new { case_id = caseId, knowledge_id = "PB-0001", kind = "helped" });
        JsonElement match = await WebApi.PostOkAsync(agent, "/api/match", new { text = ticket });

        Assert.Equal(HttpStatusCode.Created, helped.StatusCode);
        JsonElement usage = UsageOf(match, "PB-0001");
        Assert.Equal(helpedBefore + 1, usage.GetProperty("helped").GetInt32());
        Assert.Contains($"helped {helpedBefore + 1}", usage.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.All(
            Items(match).Where(i => i.GetProperty("kind").GetString() == "case"),
            i => Assert.Equal(JsonValueKind.Null, i.GetProperty("explanation").GetProperty("usage").ValueKind));
    }

    [Fact]
    public async Task Match_comes_with_ownership_advice_naming_the_similar_cases_behind_it()
    {
        using HttpClient agent = App.ClientFor(AccessRoles.Agent);

        JsonElement ownership = (await WebApi.PostOkAsync(agent, "/api/match", new { text = "Users get ERR_SAML_CLOCK_SKEW when logging in with SSO since this morning" })).GetProperty("ownership");

        Assert.False(string.IsNullOrWhiteSpace(ownership.GetProperty("reason").GetString()));
        string[] depths = ["frontline", "l2", "engineering", "incident"];
        Assert.All(ownership.GetProperty("cases").EnumerateArray(), c => Assert.Contains(c.GetProperty("solved_at").GetString(), depths));
        int voted = ownership.GetProperty("votes").EnumerateObject().Sum(v => v.Value.GetInt32());
        Assert.Equal(ownership.GetProperty("cases").GetArrayLength(), voted);
        if (ownership.GetProperty("depth").ValueKind == JsonValueKind.Null)
        {
            Assert.StartsWith("Not enough evidence", ownership.GetProperty("reason").GetString(), StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains(ownership.GetProperty("depth").GetString(), depths);
        }
    }

    [Fact]
    public async Task A_routing_decision_is_recorded_with_whether_it_followed_the_advice_and_bad_depths_are_named()
    {
        using HttpClient agent = App.ClientFor(AccessRoles.Agent);
        long caseId = await ReceiveAsync("RT-1", "Webhook deliveries fail with HTTP 410");

        JsonElement followed = await ReadCreatedAsync(await agent.PostAsJsonAsync(new Uri("/api/ownership/decisions", UriKind.Relative), new { case_id = caseId, chosen = "engineering", advised = "engineering" }));
        JsonElement against = await ReadCreatedAsync(await agent.PostAsJsonAsync(new Uri("/api/ownership/decisions", UriKind.Relative), new { case_id = caseId, chosen = "l2", advised = "engineering" }));
        JsonElement bad = await WebApi.ProblemAsync(await agent.PostAsJsonAsync(new Uri("/api/ownership/decisions", UriKind.Relative), new { case_id = caseId, chosen = "tier 9", advised = "sideways" }), HttpStatusCode.BadRequest);
        await WebApi.ProblemAsync(await agent.PostAsJsonAsync(new Uri("/api/ownership/decisions", UriKind.Relative), new { case_id = 999_999, chosen = "l2" }), HttpStatusCode.NotFound);

        Assert.True(followed.GetProperty("followed").GetBoolean());
        Assert.False(against.GetProperty("followed").GetBoolean());
        Assert.True(bad.GetProperty("errors").TryGetProperty("chosen", out _));
        Assert.True(bad.GetProperty("errors").TryGetProperty("advised", out _));
        await using TicketOpsDbContext db = App.OpenDatabase();
        Assert.Equal(2, await db.Set<TicketOps.Core.Routing.OwnershipDecision>().CountAsync(d => d.CaseId == caseId));
    }

    private static async Task<JsonElement> ReadCreatedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static JsonElement UsageOf(JsonElement match, string id) =>
        Items(match).Single(i => i.GetProperty("id").GetString() == id).GetProperty("explanation").GetProperty("usage");

    [Fact]
    public async Task Match_without_text_is_a_validation_problem_naming_the_field()
    {
        using HttpClient agent = App.ClientFor(AccessRoles.Agent);

        HttpResponseMessage response = await agent.PostAsJsonAsync(new Uri("/api/match", UriKind.Relative), new { text = " ", top = 500 });

        JsonElement problem = await WebApi.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("text", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("top", out _));
    }

    [Fact]
    public async Task A_received_resolved_case_is_stored_redacted_and_matchable_at_once()
    {
        using HttpClient admin = App.ClientFor(AccessRoles.Admin);
        using HttpClient agent = App.ClientFor(AccessRoles.Agent);

        JsonElement received = await WebApi.PostOkAsync(admin, "/api/cases", WebApi.Case("R-1", "Webhook retries flood the Quasarhook endpoint with HTTP 429", resolved: true, description: "Contact me at jane.doe@example.com; the endpoint returns 429 after each deploy."));
        JsonElement match = await WebApi.PostOkAsync(agent, "/api/match", new { text = "Quasarhook endpoint returns 429 and webhook retries flood it" });

        Assert.Equal((1, 1), (received.GetProperty("inserted").GetInt32(), received.GetProperty("indexed").GetInt32()));
        SupportCase stored = await SingleCaseAsync("R-1");
        Assert.DoesNotContain("jane.doe@example.com", stored.Description, StringComparison.Ordinal);
        Assert.Contains(Items(match), i => i.GetProperty("id").GetString() == "case:api-test:R-1");
        Assert.Equal("fused", match.GetProperty("ranked_by").GetString());
    }

    [Fact]
    public async Task A_received_case_is_matched_by_its_terms_at_once_and_gains_its_vector_in_the_background()
    {
        using HttpClient admin = App.ClientFor(AccessRoles.Admin);
        using HttpClient agent = App.ClientFor(AccessRoles.Agent);
        const string Ticket = "Nebulafax relay drops attachments larger than 12 MB with error NFX-4471";

        JsonElement received = await WebApi.PostOkAsync(admin, "/api/cases", WebApi.Case("V-1", "Nebulafax relay drops large attachments (NFX-4471)", resolved: true));

        Assert.True(received.TryGetProperty("pending_vectors", out _));
        JsonElement item = default;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        do
        {
            JsonElement match = await WebApi.PostOkAsync(agent, "/api/match", new { text = Ticket });
            Assert.True(match.TryGetProperty("pending_vectors", out _));
            item = Items(match).Single(i => i.GetProperty("id").GetString() == "case:api-test:V-1");
            if (!item.GetProperty("explanation").GetProperty("vector_pending").GetBoolean())
            {
                break;
            }

            await Task.Delay(200);
        }
        while (waited.Elapsed < TimeSpan.FromSeconds(60));

        Assert.False(item.GetProperty("explanation").GetProperty("vector_pending").GetBoolean(), "the vector is computed within a minute");
        Assert.True(item.GetProperty("explanation").GetProperty("semantic_similarity").GetDouble() > 0.3);
    }

    [Fact]
    public async Task A_batch_with_one_invalid_record_stores_nothing_and_names_the_record_and_field()
    {
        using HttpClient admin = App.ClientFor(AccessRoles.Admin);
        object bad = new { external_id = "B-2", source = "api-test", title = "Export times out", created_at = "yesterday-ish" };

        HttpResponseMessage response = await admin.PostAsJsonAsync(new Uri("/api/cases/batch", UriKind.Relative), new { cases = new[] { WebApi.Case("B-1", "Export times out on large projects"), bad } });

        JsonElement problem = await WebApi.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("cases[1].created_at", out _), problem.ToString());
        Assert.Null(await FindCaseAsync("B-1"));
    }

    [Fact]
    public async Task A_valid_batch_is_stored_in_one_request()
    {
        using HttpClient admin = App.ClientFor(AccessRoles.Admin);

        JsonElement received = await WebApi.PostOkAsync(admin, "/api/cases/batch", new[] { WebApi.Case("C-1", "Dashboard charts blank after upgrade"), WebApi.Case("C-2", "Dashboard charts blank in Safari", resolved: true) });

        Assert.Equal(2, received.GetProperty("inserted").GetInt32());
        Assert.Equal(1, received.GetProperty("indexed").GetInt32());
        Assert.NotNull(await FindCaseAsync("C-1"));
    }

    [Fact]
    public async Task The_generic_ticket_webhook_resolves_a_ticket_it_was_sent_before()
    {
        using HttpClient admin = App.ClientFor(AccessRoles.Admin);
        object ticket = WebApi.Case("W-1", "CSV import rejects semicolon separated files");

        await WebApi.PostOkAsync(admin, "/api/webhooks/tickets", new { @event = "ticket.created", ticket });
        JsonElement resolved = await WebApi.PostOkAsync(admin, "/api/webhooks/tickets", new { @event = "ticket.resolved", ticket });

        Assert.Equal((1, 1), (resolved.GetProperty("updated").GetInt32(), resolved.GetProperty("indexed").GetInt32()));
        Assert.NotNull((await SingleCaseAsync("W-1")).ResolvedAt);
    }

    [Fact]
    public async Task The_zendesk_webhook_stores_an_event_ticket_as_a_zendesk_case()
    {
        using HttpClient admin = App.ClientFor(AccessRoles.Admin);
        var body = new
        {
            type = "zen:event-type:ticket.status_changed",
            detail = new
            {
                id = "90210",
                subject = "SCIM provisioning stopped creating users",
                description = "Since Monday new hires are not provisioned; call +1 415 555 0100.",
                status = "SOLVED",
                created_at = "2026-10-01T08:00:00Z",
                updated_at = "2026-10-02T09:30:00Z",
                tags = new[] { "scim" },
            },
        };

        JsonElement received = await WebApi.PostOkAsync(admin, "/api/webhooks/zendesk", body);

        Assert.Equal(1, received.GetProperty("indexed").GetInt32());
        await using TicketOpsDbContext db = App.OpenDatabase();
        SupportCase stored = await db.Cases.SingleAsync(c => c.Source == "zendesk" && c.ExternalId == "90210");
        Assert.Equal(new DateTime(2026, 10, 2, 9, 30, 0, DateTimeKind.Utc), stored.ResolvedAt);
        Assert.DoesNotContain("555 0100", stored.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Knowledge_is_listed_read_by_id_and_an_unknown_id_is_a_404_problem()
    {
        using HttpClient lead = App.ClientFor(AccessRoles.Lead);

        JsonElement list = await WebApi.GetOkAsync(lead, "/api/knowledge?type=playbook");
        JsonElement article = await WebApi.GetOkAsync(lead, "/api/knowledge/PB-0001");
        HttpResponseMessage missing = await lead.GetAsync(new Uri("/api/knowledge/PB-9999", UriKind.Relative));

        Assert.All(list.EnumerateArray(), a => Assert.Equal("playbook", a.GetProperty("type").GetString()));
        Assert.Contains(list.EnumerateArray(), a => a.GetProperty("id").GetString() == "PB-0001");
        Assert.Contains(article.GetProperty("sections").EnumerateArray(), s => s.GetProperty("heading").GetString() == "Resolution");
        await WebApi.ProblemAsync(missing, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Flagging_knowledge_records_a_flag_with_the_key_as_actor_and_a_flag_without_reason_is_refused()
    {
        using HttpClient agent = App.ClientFor(AccessRoles.Agent);
        long caseId = await ReceiveAsync("F-1", "SAML login fails for some users");

        HttpResponseMessage flagged = await agent.PostAsJsonAsync(new Uri("/api/knowledge/PB-0001/flag", UriKind.Relative), new { case_id = caseId, reason = "Step 4: the skew setting moved to Security > SSO in v4.3" });
        HttpResponseMessage noReason = await agent.PostAsJsonAsync(new Uri("/api/knowledge/PB-0001/flag", UriKind.Relative), new { case_id = caseId });

        Assert.Equal(HttpStatusCode.Created, flagged.StatusCode);
        await WebApi.ProblemAsync(noReason, HttpStatusCode.BadRequest);
        await using TicketOpsDbContext db = App.OpenDatabase();
        KnowledgeEvent flag = await db.Set<KnowledgeEvent>().SingleAsync(e => e.CaseId == caseId);
        Assert.Equal(KnowledgeEventKind.Flagged, flag.Kind);
        Assert.StartsWith("test agent (tko_", flag.Actor, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feedback_that_knowledge_was_used_links_it_to_the_case_and_an_unknown_case_is_a_404_problem()
    {
        using HttpClient agent = App.ClientFor(AccessRoles.Agent);
        long caseId = await ReceiveAsync("U-1", "SSO users locked out after IdP certificate rollover");

        HttpResponseMessage used = await agent.PostAsJsonAsync(new Uri("/api/feedback", UriKind.Relative), new { case_id = caseId, knowledge_id = "PB-0001", kind = "used" });
        HttpResponseMessage unknown = await agent.PostAsJsonAsync(new Uri("/api/feedback", UriKind.Relative), new { case_id = 999_999, knowledge_id = "PB-0001", kind = "helped" });

        Assert.Equal(HttpStatusCode.Created, used.StatusCode);
        await WebApi.ProblemAsync(unknown, HttpStatusCode.NotFound);
        Assert.Contains("PB-0001", (await SingleCaseAsync("U-1")).LinkedKnowledgeIds);
    }

    [Fact]
    public async Task A_returned_escalation_keeps_what_the_receiving_team_asked_for_and_asks_on_another_outcome_are_a_400()
    {
        using HttpClient agent = App.ClientFor(AccessRoles.Agent);
        long caseId = await ReceiveAsync("RA-1", "Reports export stuck at 99 percent again");
        await WebApi.PostOkAsync(agent, $"/api/cases/{caseId}/escalation-packet", EscalationApi.CompletePacket);
        await WebApi.PostOkAsync(agent, $"/api/cases/{caseId}/outcome", new { outcome = "escalated" });

        HttpResponseMessage misplaced = await agent.PostAsJsonAsync(new Uri($"/api/cases/{caseId}/outcome", UriKind.Relative), new { outcome = "solved_by_engineering", asks = new[] { new { kind = "unclear_ownership" } } });
        JsonElement returned = await WebApi.PostOkAsync(agent, $"/api/cases/{caseId}/outcome", new
        {
            outcome = "escalation_returned",
            asks = new object[] { new { kind = "missing_evidence", item = "export job id and the worker log" }, new { kind = "unclear_ownership" } },
        });

        Assert.Contains("returned escalation only", (await WebApi.ProblemAsync(misplaced, HttpStatusCode.BadRequest)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("escalation_returned", returned.GetProperty("outcome").GetString());
        SupportCase stored = await SingleCaseAsync("RA-1");
        Assert.Equal([(EscalationAskKind.MissingEvidence, "export job id and the worker log"), (EscalationAskKind.UnclearOwnership, (string?)null)], stored.EscalationAsks.Select(a => (a.Kind, a.Item)));
    }

    [Fact]
    public async Task An_outcome_is_recorded_once_and_a_repeated_escalation_is_a_409_problem()
    {
        using HttpClient agent = App.ClientFor(AccessRoles.Agent);
        long caseId = await ReceiveAsync("O-1", "Reports export stuck at 99 percent");
        await WebApi.PostOkAsync(agent, $"/api/cases/{caseId}/escalation-packet", EscalationApi.CompletePacket);

        HttpResponseMessage escalated = await agent.PostAsJsonAsync(new Uri($"/api/cases/{caseId}/outcome", UriKind.Relative), new { outcome = "escalated" });
        HttpResponseMessage again = await agent.PostAsJsonAsync(new Uri($"/api/cases/{caseId}/outcome", UriKind.Relative), new { outcome = "escalated" });
        HttpResponseMessage solved = await agent.PostAsJsonAsync(new Uri($"/api/cases/{caseId}/outcome", UriKind.Relative), new { outcome = "solved_by_engineering" });

        Assert.Equal(HttpStatusCode.OK, escalated.StatusCode);
        JsonElement recorded = await escalated.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("escalated", recorded.GetProperty("outcome").GetString());
        Assert.StartsWith("test agent (tko_", recorded.GetProperty("recorded_by").GetString(), StringComparison.Ordinal);
        await WebApi.ProblemAsync(again, HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.OK, solved.StatusCode);
        SupportCase stored = await SingleCaseAsync("O-1");
        Assert.True(stored.EngineeringInvolved);
        Assert.NotNull(stored.ResolvedAt);
    }

    [Fact]
    public async Task Metrics_have_the_report_verbs_json_keys_and_a_bad_date_is_a_validation_problem()
    {
        using HttpClient lead = App.ClientFor(AccessRoles.Lead);

        JsonElement metrics = await WebApi.GetOkAsync(lead, "/api/metrics?from=2026-01-01&to=2027-01-01&product=SSO/Auth");
        HttpResponseMessage bad = await lead.GetAsync(new Uri("/api/metrics?from=01/02/2026", UriKind.Relative));

        foreach (string key in new[] { "from", "to", "product_area", "team", "time_to_first_evidence", "solve_without_engineering_rate", "escalation_rework_rate", "workflow_reuse_count", "repeat_case_rate", "link_rate", "reuse", "new_vs_known" })
        {
            Assert.True(metrics.TryGetProperty(key, out _), key);
        }

        Assert.Equal("SSO/Auth", metrics.GetProperty("product_area").GetString());
        Assert.True((await WebApi.ProblemAsync(bad, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("from", out _));
    }

    [Fact]
    public async Task Themes_answer_with_a_list_even_before_the_first_mining_run()
    {
        using HttpClient lead = App.ClientFor(AccessRoles.Lead);

        JsonElement themes = await WebApi.GetOkAsync(lead, "/api/themes?period=week&periods=8");

        Assert.Equal(JsonValueKind.Array, themes.ValueKind);
    }

    [Fact]
    public async Task Ready_health_checks_the_database_and_the_match_index()
    {
        using HttpClient anonymous = App.ClientFor(null);

        HttpResponseMessage response = await anonymous.GetAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<long> ReceiveAsync(string id, string title)
    {
        using HttpClient admin = App.ClientFor(AccessRoles.Admin);
        JsonElement received = await WebApi.PostOkAsync(admin, "/api/cases", WebApi.Case(id, title));
        return received.GetProperty("case_ids")[0].GetInt64();
    }

    private async Task<SupportCase?> FindCaseAsync(string externalId)
    {
        await using TicketOpsDbContext db = App.OpenDatabase();
        return await db.Cases.AsNoTracking().SingleOrDefaultAsync(c => c.Source == "api-test" && c.ExternalId == externalId);
    }

    private async Task<SupportCase> SingleCaseAsync(string externalId) =>
        await FindCaseAsync(externalId) ?? throw new InvalidOperationException($"case {externalId} not stored");

    private static IEnumerable<JsonElement> Items(JsonElement match) =>
        match.GetProperty("groups").EnumerateArray().SelectMany(g => g.GetProperty("items").EnumerateArray());
}

/// <summary>The API tests on the embedded SQLite file.</summary>
public sealed class SqliteApiEndpointTests(TicketOpsWebFactory app, ITestOutputHelper output) : ApiEndpointTests<TicketOpsWebFactory>(app, output);

/// <summary>The API tests on a fresh PostgreSQL database.</summary>
public sealed class PostgreSqlApiEndpointTests(PostgreSqlWebFactory app, ITestOutputHelper output) : ApiEndpointTests<PostgreSqlWebFactory>(app, output);

/// <summary>Calls and checks shared by the web tests.</summary>
internal static class WebApi
{
    internal static object Case(string id, string title, bool resolved = false, string? description = null) => new
    {
        external_id = id,
        source = "api-test",
        title,
        description = description ?? title + ". It started after the last release.",
        product = "Integrations",
        created_at = "2026-10-01T08:00:00Z",
        resolved_at = resolved ? "2026-10-03T08:00:00Z" : null,
        resolution = resolved ? "Raised the retry back-off and whitelisted the sender." : null,
    };

    internal static async Task<JsonElement> PostOkAsync(HttpClient client, string path, object body)
    {
        HttpResponseMessage response = await client.PostAsJsonAsync(new Uri(path, UriKind.Relative), body);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    internal static async Task<JsonElement> GetOkAsync(HttpClient client, string path)
    {
        HttpResponseMessage response = await client.GetAsync(new Uri(path, UriKind.Relative));
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    internal static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        JsonElement problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }
}
