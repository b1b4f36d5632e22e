using Microsoft.Playwright;
using TicketOps.Core.Metrics;
using TicketOps.Core.Themes;
using TicketOps.Tests.Browser.PageObjects;
using TicketOps.Web.Access;
using TicketOps.Web.Pages;
using TicketOps.Web.Pages.Lead;
using Xunit.Abstractions;

namespace TicketOps.Tests.Browser;

[Collection(BrowserTestGroup.Name)]
public sealed class LeadJourneyTests(BrowserApp app, ITestOutputHelper output)
{
    [Fact]
    public async Task Themes_draw_the_volume_chart_and_list_the_same_counts_as_the_theme_report()
    {
        IPage page = await app.NewPageAsync();
        await SignInPage.AsAsync(page, app, AccessRoles.Lead);
        var themes = new ThemesPage(page);

        await themes.GotoAsync("?period=month&periods=12");
        output.WriteLine("screenshot: " + await BrowserApp.ScreenshotAsync(page, "lead-themes"));

        IReadOnlyList<Theme> expected;
        await using (var db = app.OpenDatabase())
        {
            expected = await ThemeReport.BuildAsync(db, new ThemeTrackerOptions { Period = ThemePeriod.Month, Periods = 12 }, DateTime.UtcNow);
        }

        Assert.NotEmpty(expected);
        var charted = expected.Take(ThemesModel.Charted).ToList();
        double?[][]? drawn = await themes.ChartValuesAsync("chart-volume");
        Assert.NotNull(drawn);
        Assert.Equal(charted.Select(t => t.Series.Select(s => (double?)s.Count)), drawn);

        IReadOnlyList<string[]> volume = await themes.TableAsync("volume-table");
        Assert.Equal(12, volume.Count);
        for (int month = 0; month < 12; month++)
        {
            Assert.Equal(PageText.Month(charted[0].Series[month].Start), volume[month][0]);
            Assert.Equal(charted.Select(t => t.Series[month].Count.ToString(System.Globalization.CultureInfo.InvariantCulture)), volume[month].Skip(1));
        }

        IReadOnlyList<string[]> summary = await themes.TableAsync("themes-table");
        Assert.Equal(expected.Take(15).Select(t => t.Label), summary.Select(r => r[0]));
        Assert.Equal(expected.Take(15).Select(t => t.Total.ToString(System.Globalization.CultureInfo.InvariantCulture)), summary.Select(r => r[1]));
        Assert.Equal(expected.Take(15).Select(t => t.Open.ToString(System.Globalization.CultureInfo.InvariantCulture)), summary.Select(r => r[2]));
        Assert.Equal(expected.Take(15).Select(t => PageText.Percent(t.EscalationShare)), summary.Select(r => r[5]));
    }

    [Fact]
    public async Task Metrics_draw_the_monthly_charts_and_tables_with_the_numbers_the_metrics_compute()
    {
        IPage page = await app.NewPageAsync();
        await SignInPage.AsAsync(page, app, AccessRoles.Lead);
        var metrics = new MetricsPage(page);
        DateOnly to = DateOnly.FromDateTime(BrowserApp.DataEnd);
        DateOnly from = new DateOnly(to.Year, to.Month, 1).AddMonths(-5);

        await metrics.GotoAsync($"?from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}");
        output.WriteLine("screenshot: " + await BrowserApp.ScreenshotAsync(page, "lead-metrics"));

        var query = new MetricsQuery(from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
        SupportMetricsReport window;
        IReadOnlyList<SupportMetricsReport> months;
        await using (var db = app.OpenDatabase())
        {
            window = await SupportMetrics.ComputeAsync(db, query);
            months = await SupportMetrics.ComputeMonthlyAsync(db, query);
        }

        Assert.Equal(6, months.Count);
        IReadOnlyList<string[]> rates = await metrics.TableAsync("rates-table");
        Assert.Equal(months.Select(m => PageText.Month(m.From)), rates.Select(r => r[0]));
        Assert.Equal(months.Select(m => MetricsModel.RateCell(m.SolveWithoutEngineeringRate)), rates.Select(r => r[1]));
        Assert.Equal(months.Select(m => MetricsModel.RateCell(m.EscalationReworkRate)), rates.Select(r => r[2]));
        Assert.Contains(months, m => m.SolveWithoutEngineeringRate.Denominator > 0);

        double?[][]? drawnRates = await metrics.ChartValuesAsync("chart-rates");
        Assert.NotNull(drawnRates);
        Assert.Equal(months.Select(m => m.SolveWithoutEngineeringRate.Value is { } v ? Math.Round(v * 100, 1) : (double?)null), drawnRates[0]);
        double?[][]? drawnEvidence = await metrics.ChartValuesAsync("chart-evidence");
        Assert.NotNull(drawnEvidence);
        IReadOnlyList<string[]> evidence = await metrics.TableAsync("evidence-table");
        Assert.Equal(months.Select(m => PageText.Number(m.TimeToFirstEvidence.MedianHours, 1)), evidence.Select(r => r[1]));

        IReadOnlyList<string[]> lines = await metrics.TableAsync("window-table");
        Assert.Equal(window.Lines().Select(l => new[] { l.Key, l.DisplayValue, l.Counts }), lines);
    }

    [Fact]
    public async Task A_theme_s_name_opens_its_product_feedback_report_whose_downloads_hold_the_same_report()
    {
        IPage page = await app.NewPageAsync();
        await SignInPage.AsAsync(page, app, AccessRoles.Lead);
        var feedback = new FeedbackReportPage(page);
        Theme theme;
        await using (var db = app.OpenDatabase())
        {
            theme = (await ThemeReport.BuildAsync(db, new ThemeTrackerOptions { Period = ThemePeriod.Month, Periods = 12 }, DateTime.UtcNow)).Take(15).First(t => !t.Mixed);
        }

        await feedback.OpenFromThemesAsync(theme.ClusterId);
        output.WriteLine("screenshot: " + await BrowserApp.ScreenshotAsync(page, "lead-feedback-report"));

        // The page's default window: the twelve months up to and including today.
        DateTime today = DateTime.UtcNow.Date;
        var query = new FeedbackReportQuery(today.AddMonths(-12).AddDays(1), today.AddDays(1), theme.ClusterId);
        FeedbackReportResult expected;
        await using (var db = app.OpenDatabase())
        {
            expected = await ProductFeedbackReport.BuildAsync(db, query);
        }

        ProductFeedback report = Assert.Single(expected.Reports);
        Assert.Contains(report.Friction, await feedback.Report.Locator("p").First.InnerTextAsync(), StringComparison.Ordinal);
        IReadOnlyDictionary<string, string> figures = await feedback.FiguresAsync();
        Assert.Equal($"{report.Cases} ({report.Open} still open)", figures["Cases"]);
        Assert.StartsWith(report.Customers.ToString(System.Globalization.CultureInfo.InvariantCulture), figures["Customers affected"], StringComparison.Ordinal);
        Assert.Equal(report.RepresentativeCases.Count, await feedback.Report.Locator("h4").CountAsync());

        string markdown = ProductFeedbackReport.ToMarkdown(report);
        (string markdownType, string markdownBody) = await feedback.DownloadAsync("download-md");
        (string jsonType, string jsonBody) = await feedback.DownloadAsync("download-json");
        Assert.StartsWith("text/markdown", markdownType, StringComparison.Ordinal);
        Assert.Equal(markdown, markdownBody);
        Assert.Equal(markdown, (await feedback.Markdown.InputValueAsync()).Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.StartsWith("application/json", jsonType, StringComparison.Ordinal);
        using System.Text.Json.JsonDocument json = System.Text.Json.JsonDocument.Parse(jsonBody);
        Assert.Equal(report.Cases, json.RootElement.GetProperty("cases").GetInt32());
        Assert.Equal(theme.ClusterId, json.RootElement.GetProperty("theme_id").GetString());
    }

    [Fact]
    public async Task Metrics_list_what_the_receiving_team_asked_for_per_template_and_month_as_the_metric_counts_it()
    {
        IPage page = await app.NewPageAsync();
        await SignInPage.AsAsync(page, app, AccessRoles.Lead);
        var metrics = new MetricsPage(page);
        DateOnly to = DateOnly.FromDateTime(BrowserApp.DataEnd);
        DateOnly from = to.AddMonths(-12).AddDays(1);

        await metrics.GotoAsync($"?from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}");
        await page.Locator("#asks-heading").ScrollIntoViewIfNeededAsync();
        output.WriteLine("screenshot: " + await BrowserApp.ScreenshotAsync(page, "lead-metrics-escalation-asks"));

        Core.Escalation.EscalationQualityMetric quality;
        await using (var db = app.OpenDatabase())
        {
            quality = (await SupportMetrics.ComputeAsync(db, new MetricsQuery(from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc)))).EscalationQuality;
        }

        // The generator says what engineering asked for on every returned escalation.
        Assert.True(quality.AsksRecorded.Denominator > 0, "the seeded data has returned escalations");
        Assert.Equal(quality.AsksRecorded.Denominator, quality.AsksRecorded.Numerator);
        Assert.StartsWith($"{quality.AsksRecorded.Numerator} of {quality.AsksRecorded.Denominator} returned escalations", await page.Locator("[data-testid=asks-summary]").InnerTextAsync(), StringComparison.Ordinal);
        IReadOnlyList<string[]> rows = await metrics.TableAsync("escalation-asks-table");
        var expected = quality.Templates.SelectMany(t =>
            (t.UnclearOwnership > 0 ? [(Item: "clear ownership", Cases: t.UnclearOwnership, Months: t.UnclearOwnershipMonths)] : Array.Empty<(string Item, int Cases, IReadOnlyList<Core.Escalation.MonthCount> Months)>())
                .Concat(t.Items.Select(i => (i.Item, i.Cases, i.Months)))).ToList();
        Assert.Equal(expected.Select(e => e.Item), rows.Select(r => r[1]));
        Assert.Equal(expected.Select(e => e.Cases.ToString(System.Globalization.CultureInfo.InvariantCulture)), rows.Select(r => r[3]));
        Assert.Equal(expected.Select(e => string.Join(' ', e.Months.Select(m => m.Cases))), rows.Select(r => string.Join(' ', r.Skip(4))));
    }

    [Fact]
    public async Task Metrics_for_a_window_that_ends_before_it_starts_say_what_to_fix()
    {
        IPage page = await app.NewPageAsync();
        await SignInPage.AsAsync(page, app, AccessRoles.Lead);
        var metrics = new MetricsPage(page);

        await metrics.GotoAsync("?from=2026-05-01&to=2026-04-01");

        Assert.Contains("'to' (2026-04-01) is before 'from' (2026-05-01)", await metrics.ErrorSummary.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("canvas").CountAsync());
    }
}
