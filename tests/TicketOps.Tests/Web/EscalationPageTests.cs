using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Escalation;
using TicketOps.Core.Storage;
using TicketOps.Web.Access;
using Xunit.Abstractions;

namespace TicketOps.Tests.Web;

/// <summary>The agent page's escalation packet form, posted as a browser would (session cookie, antiforgery token).</summary>
public sealed class EscalationPageTests(TicketOpsWebFactory app, ITestOutputHelper output) : WebTest<TicketOpsWebFactory>(app, output)
{
    [Fact]
    public async Task The_agent_page_stores_an_incomplete_packet_and_lists_what_is_missing()
    {
        using HttpClient admin = App.ClientFor(AccessRoles.Admin);
        JsonElement received = await WebApi.PostOkAsync(admin, "/api/cases", WebApi.Case("P-1", "Slack posts stopped after the admin left"));
        long caseId = received.GetProperty("case_ids")[0].GetInt64();
        using PageSession browser = await PageSession.SignInAsync(App, AccessRoles.Agent);

        (HttpResponseMessage posted, string page) = await browser.PostFormAsync("/agent", "/agent?handler=Escalation", new Dictionary<string, string>
        {
            ["Case"] = "P-1",
            ["Hypothesis"] = "The Slack token was revoked when the installing admin left",
            ["Question"] = "",
            ["Impact"] = "On-call alerts are missed",
        });

        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Contains("incomplete (template IT-0003)", page, StringComparison.Ordinal);
        Assert.Contains("open question", page, StringComparison.OrdinalIgnoreCase);
        await using TicketOpsDbContext db = App.OpenDatabase();
        StoredEscalationPacket stored = await db.Set<StoredEscalationPacket>().SingleAsync(p => p.CaseId == caseId);
        Assert.False(stored.IsComplete);
        Assert.StartsWith("test agent (tko_", stored.CreatedBy, StringComparison.Ordinal);
    }
}
