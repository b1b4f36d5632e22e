using Microsoft.Playwright;

namespace TicketOps.Tests.Browser.PageObjects;

/// <summary>/knowledge/queue: candidates waiting for a knowledge owner.</summary>
internal sealed class ReviewQueuePage(IPage page)
{
    public ILocator Rows => page.Locator("#queue tbody tr");

    public async Task GotoAsync() => await page.GotoAsync("/knowledge/queue");

    /// <summary>Opens a candidate from its row and returns its page.</summary>
    public async Task<CandidatePage> OpenAsync(long candidateId)
    {
        await page.Locator($"#queue tr[data-candidate-id='{candidateId}'] a").ClickAsync();
        await page.WaitForURLAsync($"**/knowledge/candidates/{candidateId}");
        return new CandidatePage(page);
    }
}
