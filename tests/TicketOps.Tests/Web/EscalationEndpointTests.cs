using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Escalation;
using TicketOps.Core.Storage;
using TicketOps.Web.Access;
using Xunit.Abstractions;

namespace TicketOps.Tests.Web;

/// <summary>Escalation packets over HTTP: checked against the investigation template, stored, and required before escalating.</summary>
public sealed class EscalationEndpointTests(TicketOpsWebFactory app, ITestOutputHelper output) : WebTest<TicketOpsWebFactory>(app, output)
{
    [Fact]
    public async Task An_incomplete_packet_is_stored_with_its_missing_pieces_and_escalating_is_refused_naming_them()
    {
        long caseId = await ReceiveAsync("E-1", "Slack alerts stopped arriving in the ops channel");
        using HttpClient agent = App.ClientFor(AccessRoles.Agent);

        JsonElement packet = await WebApi.PostOkAsync(agent, $"/api/cases/{caseId}/escalation-packet", new { hypothesis = "The Slack token was revoked", question = "", impact = "" });
        HttpResponseMessage escalate = await agent.PostAsJsonAsync(new Uri($"/api/cases/{caseId}/outcome", UriKind.Relative), new { outcome = "escalated" });

        Assert.False(packet.GetProperty("complete").GetBoolean());
        Assert.Equal("IT-0003", packet.GetProperty("template_id").GetString());
        string[] missing = [.. packet.GetProperty("missing").EnumerateArray().Select(m => m.GetString()!)];
        Assert.Contains(missing, m => m.Contains("open question", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(missing, m => m.Contains("impact", StringComparison.OrdinalIgnoreCase));
        JsonElement problem = await WebApi.ProblemAsync(escalate, HttpStatusCode.Conflict);
        Assert.Contains("incomplete", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("impact", problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
        await using TicketOpsDbContext db = App.OpenDatabase();
        StoredEscalationPacket stored = await db.Set<StoredEscalationPacket>().SingleAsync(p => p.CaseId == caseId);
        Assert.False(stored.IsComplete);
        Assert.StartsWith("test agent (tko_", stored.CreatedBy, StringComparison.Ordinal);
        Assert.Null((await db.Cases.SingleAsync(c => c.Id == caseId)).EscalatedAt);
    }

    [Fact]
    public async Task A_complete_packet_lets_the_case_be_escalated()
    {
        long caseId = await ReceiveAsync("E-2", "Teams cards no longer posted after the workspace move");
        using HttpClient agent = App.ClientFor(AccessRoles.Agent);

        JsonElement packet = await WebApi.PostOkAsync(agent, $"/api/cases/{caseId}/escalation-packet", EscalationApi.CompletePacket);
        HttpResponseMessage escalate = await agent.PostAsJsonAsync(new Uri($"/api/cases/{caseId}/outcome", UriKind.Relative), new { outcome = "escalated" });

        Assert.True(packet.GetProperty("complete").GetBoolean(), packet.GetProperty("missing").ToString());
        Assert.Equal(HttpStatusCode.OK, escalate.StatusCode);
    }

    [Fact]
    public async Task A_packet_for_an_unknown_case_or_template_is_a_problem_and_a_lead_may_not_write_one()
    {
        long caseId = await ReceiveAsync("E-3", "E-mail notifications bounce with 550 5.7.1");
        using HttpClient agent = App.ClientFor(AccessRoles.Agent);
        using HttpClient lead = App.ClientFor(AccessRoles.Lead);

        HttpResponseMessage unknownCase = await agent.PostAsJsonAsync(new Uri("/api/cases/987654/escalation-packet", UriKind.Relative), EscalationApi.CompletePacket);
        HttpResponseMessage notATemplate = await agent.PostAsJsonAsync(new Uri($"/api/cases/{caseId}/escalation-packet", UriKind.Relative), new { hypothesis = "h", question = "q", impact = "i", template = "PB-0001" });
        HttpResponseMessage byLead = await lead.PostAsJsonAsync(new Uri($"/api/cases/{caseId}/escalation-packet", UriKind.Relative), EscalationApi.CompletePacket);

        await WebApi.ProblemAsync(unknownCase, HttpStatusCode.NotFound);
        JsonElement template = await WebApi.ProblemAsync(notATemplate, HttpStatusCode.BadRequest);
        Assert.Contains("PB-0001", template.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, byLead.StatusCode);
        await using TicketOpsDbContext db = App.OpenDatabase();
        Assert.False(await db.Set<StoredEscalationPacket>().AnyAsync(p => p.CaseId == caseId));
    }

    private async Task<long> ReceiveAsync(string id, string title)
    {
        using HttpClient admin = App.ClientFor(AccessRoles.Admin);
        JsonElement received = await WebApi.PostOkAsync(admin, "/api/cases", WebApi.Case(id, title));
        return received.GetProperty("case_ids")[0].GetInt64();
    }
}

/// <summary>Escalation packets for tests.</summary>
internal static class EscalationApi
{
    /// <summary>A packet that shows every item of IT-0003 (messages that never arrive), the template of an Integrations case.</summary>
    public static object CompletePacket { get; } = new
    {
        hypothesis = "Posts stopped when the installing user was deactivated and the token was revoked",
        question = "Why does the delivery log show the message accepted when it never appears?",
        impact = "The ops team misses its on-call alerts",
        template = "IT-0003",
        evidence = new[]
        {
            "Integration status page delivery log: last error code invalid_auth at 08:02 UTC",
            "The account that installed and authorised the integration was deactivated; it no longer exists",
            "Sender domain SPF, DKIM and DMARC records pass; the recipient gateway quarantine is empty",
            "Target channel and workspace unchanged: not renamed, archived or made private; mailbox unchanged",
            "Workspace id T0123, integration sender domain alerts.example.org, channel #ops recipient affected",
            "Event ids and message ids with UTC timestamps: evt-81 2026-10-01T08:00Z, evt-82 2026-10-01T08:05Z",
            "Delivery log lines and the receiving service response: 200 ok, message accepted",
            "Checked and ruled out: rate limits and channel permissions; current hypothesis as above",
        },
    };
}
