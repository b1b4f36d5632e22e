using Microsoft.Playwright;

namespace TicketOps.Tests.Browser.PageObjects;

/// <summary>
/// /knowledge/candidates/{id}: the candidate beside the most similar existing article, its source cases, and
/// the review decisions (approve, edit then approve, reject with a reason, merge into an article).
/// </summary>
internal sealed class CandidatePage(IPage page)
{
    public ILocator Title => page.Locator("main > h1");

    public ILocator Candidate => page.Locator("#candidate");

    public ILocator Nearest => page.Locator("#nearest");

    public ILocator SourceCaseRows => page.Locator("#source-cases tbody tr");

    /// <summary>A decision control: approve, edit, approve-edited, reject or merge.</summary>
    public ILocator Decision(string decision) => page.Locator($"[data-decision={decision}]");

    /// <summary>The answer to the last decision (what was done, or why it was refused).</summary>
    public ILocator Outcome => page.Locator("[data-testid=decision-outcome]");

    /// <summary>The article a successful decision created or changed.</summary>
    public ILocator DecidedId => page.Locator("[data-testid=decided-id]");

    /// <summary>The merge target field, prefilled with the suggested target.</summary>
    public ILocator MergeTarget => page.Locator("[data-field=merge-target]");

    /// <summary>The article text an edited approval sends, prefilled with the proposed article.</summary>
    public ILocator EditedMarkdown => page.Locator("[data-field=edited-markdown]");

    /// <summary>Approves the candidate as it is and returns the answer shown.</summary>
    public async Task<string> ApproveAsync()
    {
        await Decision("approve").ClickAsync();
        await Outcome.WaitForAsync();
        return await Outcome.InnerTextAsync();
    }

    /// <summary>Rejects the candidate with a reason (empty to see the refusal) and returns the answer shown.</summary>
    public async Task<string> RejectAsync(string reason)
    {
        await page.Locator("[data-field=reason]").FillAsync(reason);
        await Decision("reject").ClickAsync();
        await Outcome.WaitForAsync();
        return await Outcome.InnerTextAsync();
    }
}
