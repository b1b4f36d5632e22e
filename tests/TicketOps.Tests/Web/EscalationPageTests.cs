using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Escalation;
using TicketOps.Core.Storage;
using TicketOps.Web.Access;
using Xunit.Abstractions;

namespace TicketOps.Tests.Web;

/// <summary>The agent page's escalation packet form, posted as a browser would (session cookie, antiforgery token).</summary>
public sealed partial class EscalationPageTests(TicketOpsWebFactory app, ITestOutputHelper output) : WebTest<TicketOpsWebFactory>(app, output)
{
    [Fact]
    public async Task The_agent_page_stores_an_incomplete_packet_and_lists_what_is_missing()
    {
        using HttpClient admin = App.ClientFor(AccessRoles.Admin);
        JsonElement received = await ApiEndpointTests.PostOkAsync(admin, "/api/cases", ApiEndpointTests.Case("P-1", "Slack posts stopped after the admin left"));
        long caseId = received.GetProperty("case_ids")[0].GetInt64();
        using HttpClient browser = App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        HttpResponseMessage signIn = await browser.PostAsJsonAsync(new Uri("/auth/signin", UriKind.Relative), new { key = App.KeyFor(AccessRoles.Agent) });
        Assert.Equal(HttpStatusCode.NoContent, signIn.StatusCode);
        string form = await browser.GetStringAsync(new Uri("/agent", UriKind.Relative));
        string token = Token().Match(form).Groups[1].Value;

        using var body = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["Case"] = "P-1",
            ["Hypothesis"] = "The Slack token was revoked when the installing admin left",
            ["Question"] = "",
            ["Impact"] = "On-call alerts are missed",
        });
        HttpResponseMessage posted = await browser.PostAsync(new Uri("/agent?handler=Escalation", UriKind.Relative), body);
        string page = await posted.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Contains("incomplete (template IT-0003)", page, StringComparison.Ordinal);
        Assert.Contains("open question", page, StringComparison.OrdinalIgnoreCase);
        await using TicketOpsDbContext db = App.OpenDatabase();
        StoredEscalationPacket stored = await db.Set<StoredEscalationPacket>().SingleAsync(p => p.CaseId == caseId);
        Assert.False(stored.IsComplete);
        Assert.StartsWith("test agent (tko_", stored.CreatedBy, StringComparison.Ordinal);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
