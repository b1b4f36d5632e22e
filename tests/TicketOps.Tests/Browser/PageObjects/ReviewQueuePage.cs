using Microsoft.Playwright;

namespace TicketOps.Tests.Browser.PageObjects;

/// <summary>/knowledge/queue: candidates waiting for a knowledge owner.</summary>
internal sealed class ReviewQueuePage(IPage page)
{
    public ILocator Rows => page.Locator("#queue tbody tr");

    /// <summary>The help-content gaps section, apart from the candidates.</summary>
    public ILocator HelpGaps => page.Locator("#help-gaps");

    /// <summary>The help-gap rows: theme, area, owner, solved by explaining, the customers' questions, what support explained.</summary>
    public async Task<IReadOnlyList<string[]>> HelpGapRowsAsync()
    {
        var rows = new List<string[]>();
        foreach (ILocator row in await page.Locator("#help-gaps-table tbody tr").AllAsync())
        {
            rows.Add([.. (await row.Locator("th, td").AllInnerTextsAsync()).Select(t => t.Trim())]);
        }

        return rows;
    }

    public async Task GotoAsync() => await page.GotoAsync("/knowledge/queue");

    /// <summary>Opens a candidate from its row and returns its page.</summary>
    public async Task<CandidatePage> OpenAsync(long candidateId)
    {
        await page.Locator($"#queue tr[data-candidate-id='{candidateId}'] a").ClickAsync();
        await page.WaitForURLAsync($"**/knowledge/candidates/{candidateId}");
        return new CandidatePage(page);
    }
}
