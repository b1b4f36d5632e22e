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
