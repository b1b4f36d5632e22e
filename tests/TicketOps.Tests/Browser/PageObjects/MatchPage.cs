using Microsoft.Playwright;

namespace TicketOps.Tests.Browser.PageObjects;

/// <summary>/agent: paste a ticket, read the suggestions, record feedback with one click.</summary>
internal sealed class MatchPage(IPage page)
{
    public ILocator Results => page.Locator("#results");

    public ILocator NoGoodMatch => page.Locator("[data-testid=no-good-match]");

    public ILocator Items => page.Locator("li.match");

    /// <summary>Suggested playbooks and templates (the items feedback can be recorded on).</summary>
    public ILocator KnowledgeItems => page.Locator("li.match[data-kind=playbook], li.match[data-kind=template]");

    public ILocator CaseItems => page.Locator("li.match[data-kind=case]");

    public ILocator ErrorSummary => page.Locator("[data-testid=error-summary]");

    public async Task GotoAsync() => await page.GotoAsync("/agent");

    public async Task MatchAsync(string ticket, string? caseRef = null, string? product = null)
    {
        await page.GetByLabel("Ticket text").FillAsync(ticket);
        await page.GetByLabel("Product area").FillAsync(product ?? "");
        await page.GetByLabel("Case you are working on").FillAsync(caseRef ?? "");
        await page.GetByRole(AriaRole.Button, new() { Name = "Match", Exact = true }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
    }

    /// <summary>Clicks a feedback button (used, helped, did-not-help or flag) on a suggested article and returns the message shown beside it.</summary>
    public async Task<string> RecordAsync(string knowledgeId, string kind, string? reason = null)
    {
        ILocator item = page.Locator($"li.match[data-id='{knowledgeId}']");
        if (reason is not null)
        {
            await item.Locator("input[name=Reason]").FillAsync(reason);
        }

        await item.Locator($"button[name=Kind][value={kind}]").ClickAsync();
        ILocator outcome = item.Locator("[data-testid=feedback-outcome]");
        await outcome.WaitForAsync();
        return await outcome.InnerTextAsync();
    }

    /// <summary>The ownership advice panel above the matches.</summary>
    public ILocator Ownership => page.Locator("#ownership");

    /// <summary>Clicks "Sent to: DEPTH" under the advice and returns the outcome line.</summary>
    public async Task<string> RouteAsync(string depth)
    {
        await Ownership.Locator($"button[name=Chosen][value={depth}]").ClickAsync();
        ILocator outcome = Ownership.Locator("[data-testid=feedback-outcome]");
        await outcome.WaitForAsync();
        return await outcome.InnerTextAsync();
    }
}
