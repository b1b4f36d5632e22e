using Microsoft.Playwright;

namespace TicketOps.Tests.Browser.PageObjects;

/// <summary>What the lead's pages share: charts drawn from JSON beside tables holding the same numbers.</summary>
internal abstract class ChartPage(IPage page)
{
    protected IPage Page { get; } = page;

    /// <summary>The values Chart.js drew on a canvas, per dataset; null when no chart was drawn on it.</summary>
    public async Task<double?[][]?> ChartValuesAsync(string chartId) =>
        await Page.EvaluateAsync<double?[][]?>(
            "id => { const chart = Chart.getChart(document.querySelector(`canvas[data-chart='${id}']`)); return chart ? chart.data.datasets.map(d => d.data) : null; }",
            chartId);

    /// <summary>A table's body as text cells, row by row (the row header first).</summary>
    public async Task<IReadOnlyList<string[]>> TableAsync(string tableId)
    {
        var rows = new List<string[]>();
        foreach (ILocator row in await Page.Locator($"#{tableId} tbody tr").AllAsync())
        {
            rows.Add([.. (await row.Locator("th, td").AllInnerTextsAsync()).Select(t => t.Trim())]);
        }

        return rows;
    }
}

/// <summary>/lead/themes.</summary>
internal sealed class ThemesPage(IPage page) : ChartPage(page)
{
    public async Task GotoAsync(string query = "") => await Page.GotoAsync("/lead/themes" + query);
}

/// <summary>/lead/metrics.</summary>
internal sealed class MetricsPage(IPage page) : ChartPage(page)
{
    public ILocator ErrorSummary => Page.Locator("[data-testid=error-summary]");

    public async Task GotoAsync(string query = "") => await Page.GotoAsync("/lead/metrics" + query);
}

/// <summary>/lead/themes/{id}/feedback: one theme's product feedback report with its downloads.</summary>
internal sealed class FeedbackReportPage(IPage page) : ChartPage(page)
{
    public ILocator Report => Page.Locator("#feedback-report");

    public ILocator Markdown => Page.Locator("#feedback-markdown");

    /// <summary>Opens the report from the themes table by clicking the theme's name.</summary>
    public async Task OpenFromThemesAsync(string clusterId)
    {
        await Page.GotoAsync("/lead/themes");
        await Page.Locator($"#themes-table tr[data-cluster-id='{clusterId}'] th a").ClickAsync();
        await Report.WaitForAsync();
    }

    /// <summary>The rows of the report's figures table (the first table in it): label and value.</summary>
    public async Task<IReadOnlyDictionary<string, string>> FiguresAsync()
    {
        var figures = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (ILocator row in await Report.Locator("table").First.Locator("tbody tr").AllAsync())
        {
            IReadOnlyList<string> cells = await row.Locator("td").AllInnerTextsAsync();
            figures[cells[0].Trim()] = cells[1].Trim();
        }

        return figures;
    }

    /// <summary>What a download link gives, fetched with the page's session.</summary>
    public async Task<(string ContentType, string Body)> DownloadAsync(string linkId)
    {
        string href = await Page.Locator($"#{linkId}").GetAttributeAsync("href") ?? throw new InvalidOperationException($"#{linkId} has no href");
        IAPIResponse response = await Page.Context.APIRequest.GetAsync(href);
        return (response.Headers["content-type"], await response.TextAsync());
    }
}
