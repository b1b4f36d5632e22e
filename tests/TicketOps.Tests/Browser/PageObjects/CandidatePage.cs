using Microsoft.Playwright;

namespace TicketOps.Tests.Browser.PageObjects;

/// <summary>
/// /knowledge/candidates/{id}: the candidate beside the most similar existing article, and its source cases.
/// When the review decisions are wired, add the actions here (e.g. <c>ApproveAsync()</c> clicking
/// <see cref="Decision"/>("approve") and waiting for the result) and extend the knowledge owner's journey.
/// </summary>
internal sealed class CandidatePage(IPage page)
{
    public ILocator Title => page.Locator("main > h1");

    public ILocator Candidate => page.Locator("#candidate");

    public ILocator Nearest => page.Locator("#nearest");

    public ILocator SourceCaseRows => page.Locator("#source-cases tbody tr");

    /// <summary>A decision button: approve, edit, reject or merge.</summary>
    public ILocator Decision(string decision) => page.Locator($"[data-testid=decisions] [data-decision={decision}]");
}
