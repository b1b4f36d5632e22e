using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using TicketOps.Core.Cases;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Synthetic;
using TicketOps.Tests.Browser.PageObjects;
using TicketOps.Web.Access;
using Xunit.Abstractions;

namespace TicketOps.Tests.Browser;

[Collection(BrowserTestGroup.Name)]
public sealed class AgentJourneyTests(BrowserApp app, ITestOutputHelper output)
{
    [Fact]
    public async Task Agent_pastes_a_ticket_sees_why_it_matched_and_records_a_link_that_is_stored()
    {
        SupportCase workedOn = await OpenCaseAsync();
        (IPage page, MatchPage match) = await OpenMatchPageAsync();

        await match.MatchAsync(CoveredTicket(), caseRef: workedOn.ExternalId);

        Assert.True(await match.KnowledgeItems.CountAsync() > 0, "a playbook or template is suggested");
        Assert.True(await match.CaseItems.CountAsync() > 0, "similar resolved cases are listed");
        ILocator first = match.KnowledgeItems.First;
        Assert.Matches("^(strong|possible|weak)$", (await first.Locator(".band").TextContentAsync())!);
        Assert.Contains("Semantic similarity", await first.Locator("dl.why").InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await first.Locator("dl.why .chip").CountAsync() > 0, "matched terms or identifiers are shown");
        string knowledgeId = (await first.GetAttributeAsync("data-id"))!;

        string message = await match.RecordAsync(knowledgeId, "used");
        output.WriteLine("screenshot: " + await BrowserApp.ScreenshotAsync(page, "agent-match"));

        Assert.Contains($"Recorded: used {knowledgeId} on case {workedOn.ExternalId}", message, StringComparison.Ordinal);
        await using var db = app.OpenDatabase();
        KnowledgeEvent stored = await db.Set<KnowledgeEvent>().SingleAsync(e => e.CaseId == workedOn.Id && e.KnowledgeId == knowledgeId && e.Kind == KnowledgeEventKind.Used);
        Assert.StartsWith("browser agent", stored.Actor, StringComparison.Ordinal);
        Assert.Contains(knowledgeId, (await db.Cases.SingleAsync(c => c.Id == workedOn.Id)).LinkedKnowledgeIds);
    }

    [Fact]
    public async Task Agent_sees_where_the_ticket_belongs_and_records_where_it_was_sent()
    {
        SupportCase workedOn = await OpenCaseAsync();
        (IPage page, MatchPage match) = await OpenMatchPageAsync();
        await match.MatchAsync(CoveredTicket(), caseRef: workedOn.ExternalId);

        Assert.True(await match.Ownership.IsVisibleAsync());
        string shown = (await match.Ownership.GetAttributeAsync("data-depth"))!;
        Assert.Contains(shown, (string[])["frontline", "l2", "engineering", "incident", "none"]);
        Assert.False(string.IsNullOrWhiteSpace(await match.Ownership.Locator(".reason").InnerTextAsync()));

        string message = await match.RouteAsync("l2");
        output.WriteLine("screenshot: " + await BrowserApp.ScreenshotAsync(page, "agent-ownership"));

        Assert.Contains($"case {workedOn.ExternalId} sent to l2", message, StringComparison.Ordinal);
        await using var db = app.OpenDatabase();
        TicketOps.Core.Routing.OwnershipDecision stored = await db.Set<TicketOps.Core.Routing.OwnershipDecision>().SingleAsync(d => d.CaseId == workedOn.Id);
        Assert.Equal(OwnershipDepth.L2, stored.Chosen);
        Assert.Equal(shown == "none" ? null : OwnershipDepths.Parse(shown), stored.Advised);
    }

    [Fact]
    public async Task A_flag_without_a_reason_is_refused_beside_the_button_and_nothing_is_stored()
    {
        SupportCase workedOn = await OpenCaseAsync();
        (_, MatchPage match) = await OpenMatchPageAsync();
        await match.MatchAsync(CoveredTicket(), caseRef: workedOn.ExternalId);

        string message = await match.RecordAsync((await match.KnowledgeItems.First.GetAttributeAsync("data-id"))!, "flag");

        Assert.Contains("A flag needs a reason", message, StringComparison.Ordinal);
        await using var db = app.OpenDatabase();
        Assert.False(await db.Set<KnowledgeEvent>().AnyAsync(e => e.CaseId == workedOn.Id && e.Kind == KnowledgeEventKind.Flagged));
    }

    [Fact]
    public async Task A_ticket_about_something_else_says_no_good_match()
    {
        (_, MatchPage match) = await OpenMatchPageAsync();

        await match.MatchAsync("The espresso machine in our office kitchen shows a blinking descale light and makes a grinding noise.");

        Assert.True(await match.NoGoodMatch.IsVisibleAsync());
        Assert.Contains("Treat this ticket as new", await match.NoGoodMatch.InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_ticket_shows_what_to_fix()
    {
        (IPage page, MatchPage match) = await OpenMatchPageAsync();
        await page.Locator("#Ticket").EvaluateAsync("t => t.removeAttribute('required')");

        await match.MatchAsync("");

        Assert.Contains("Paste the ticket text", await match.ErrorSummary.InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_agent_key_sees_only_agent_pages_and_is_turned_away_from_the_lead_pages()
    {
        IPage page = await app.NewPageAsync();
        await SignInPage.AsAsync(page, app, AccessRoles.Agent);

        string nav = await page.Locator("header nav").InnerTextAsync();
        IResponse? response = await page.GotoAsync("/lead/metrics");

        Assert.Contains("Match a ticket", nav, StringComparison.Ordinal);
        Assert.DoesNotContain("Metrics", nav, StringComparison.Ordinal);
        Assert.Equal(403, response!.Status);
        Assert.Contains("Not for your role", await page.Locator("h1").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_key_is_refused_and_signing_out_ends_the_session()
    {
        IPage page = await app.NewPageAsync();
        var signIn = new SignInPage(page);
        await signIn.GotoAsync();

        await signIn.SignInAsync("tko_not-a-real-key");

        Assert.Contains("unknown or revoked", await signIn.Error.InnerTextAsync(), StringComparison.Ordinal);
        await signIn.SignInAsync(app.KeyFor(AccessRoles.Agent));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.GotoAsync("/agent");
        Assert.Contains("/signin", page.Url, StringComparison.Ordinal);
    }

    private async Task<(IPage Page, MatchPage Match)> OpenMatchPageAsync()
    {
        IPage page = await app.NewPageAsync();
        await SignInPage.AsAsync(page, app, AccessRoles.Agent);
        var match = new MatchPage(page);
        await match.GotoAsync();
        return (page, match);
    }

    /// <summary>A new ticket of an issue family the repository's playbooks cover (another seed than the data set).</summary>
    private static string CoveredTicket()
    {
        var ticket = DemoCaseGenerator.Generate(new DemoDataOptions(1_000, 12, BrowserApp.DataEnd))
            .First(c => c.EvalFamily == "sso-saml-clock-skew");
        return $"{ticket.Title}\n{ticket.Description}";
    }

    private async Task<SupportCase> OpenCaseAsync()
    {
        await using var db = app.OpenDatabase();
        return await db.Cases.AsNoTracking().Where(c => c.ResolvedAt == null).OrderBy(c => c.Id).FirstAsync();
    }
}
