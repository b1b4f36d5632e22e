using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using TicketOps.Core.Metrics;
using TicketOps.Core.Storage;
using TicketOps.Core.Themes;
using TicketOps.Web.Access;

namespace TicketOps.Web;

/// <summary>What leads look at: the support metrics and the recurring themes.</summary>
internal static class InsightEndpoints
{
    public static IEndpointRouteBuilder MapInsightEndpoints(this IEndpointRouteBuilder endpoints)
    {
        RouteGroupBuilder insights = endpoints.MapGroup("/api").WithTags("Insights").RequireAuthorization(AccessPolicies.Lead);
        insights.MapGet("/metrics", MetricsAsync)
            .WithName("GetMetrics")
            .WithSummary("The support metrics for a window (from inclusive, to exclusive; yyyy-MM-dd), product area and team; the same JSON as 'ticketops report --format json'.");
        insights.MapGet("/themes", ThemesAsync)
            .WithName("GetThemes")
            .WithSummary("Recurring themes from the last mining run: volume per period, growth, escalation share, product areas, examples.");
        insights.MapGet("/themes/{id}/feedback-report", FeedbackReportAsync)
            .WithName("GetProductFeedbackReport")
            .WithSummary("One theme written up for the product team (from inclusive, to exclusive; yyyy-MM-dd): JSON, or Markdown for an issue tracker with format=md; the same as 'ticketops feedback-report --theme ID'.");
        insights.MapGet("/feedback-reports", FeedbackReportsAsync)
            .WithName("GetProductFeedbackReports")
            .WithSummary("The product feedback reports of the themes with the most cases in the window (top, default 5): JSON, or Markdown with format=md.");
        return endpoints;
    }

    private static async Task<Results<Ok<SupportMetricsReport>, ValidationProblem>> MetricsAsync(
        TicketOpsDbContext db, TimeProvider timeProvider, string? from, string? to, string? product, string? team, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        DateTime? toDate = ParseDate("to", to, errors);
        DateTime? fromDate = ParseDate("from", from, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        // The same default window as 'ticketops report': the twelve months up to and including today.
        DateTime end = toDate ?? timeProvider.GetUtcNow().UtcDateTime.Date.AddDays(1);
        var query = new MetricsQuery(fromDate ?? end.AddMonths(-12), end, product, team);
        if (query.Problem is { } problem)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["to"] = [problem] });
        }

        return TypedResults.Ok(await SupportMetrics.ComputeAsync(db, query, cancellationToken));
    }

    private static async Task<Results<Ok<IReadOnlyList<ThemeView>>, ValidationProblem>> ThemesAsync(
        TicketOpsDbContext db, TimeProvider timeProvider, string? period, int? periods, int? top, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (period is not (null or "week" or "month"))
        {
            errors["period"] = ["must be week or month."];
        }

        if (periods is < 2 or > 104)
        {
            errors["periods"] = ["must be between 2 and 104."];
        }

        if (top is < 1 or > 200)
        {
            errors["top"] = ["must be between 1 and 200."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var options = new ThemeTrackerOptions { Period = period == "week" ? ThemePeriod.Week : ThemePeriod.Month, Periods = periods ?? 12 };
        IReadOnlyList<Theme> themes = await ThemeReport.BuildAsync(db, options, timeProvider.GetUtcNow().UtcDateTime, cancellationToken);
        IReadOnlyList<ThemeView> views = [.. themes.Take(top ?? 15).Select(ThemeView.Of)];
        return TypedResults.Ok(views);
    }

    private static async Task<Results<Ok<ProductFeedback>, ContentHttpResult, ProblemHttpResult, ValidationProblem>> FeedbackReportAsync(
        TicketOpsDbContext db, TimeProvider timeProvider, string id, string? from, string? to, string? period, string? format, CancellationToken cancellationToken)
    {
        (FeedbackReportQuery? query, Dictionary<string, string[]> errors) = FeedbackQuery(timeProvider, id, from, to, period, null, format);
        if (query is null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        FeedbackReportResult result = await ProductFeedbackReport.BuildAsync(db, query, cancellationToken);
        if (result.ThemeNotFound)
        {
            return TypedResults.Problem(title: "Not found", detail: result.Problem, statusCode: StatusCodes.Status404NotFound);
        }

        return format == "md"
            ? TypedResults.Text(ProductFeedbackReport.ToMarkdown(result.Reports[0], query.Period), "text/markdown; charset=utf-8")
            : TypedResults.Ok(result.Reports[0]);
    }

    private static async Task<Results<Ok<IReadOnlyList<ProductFeedback>>, ContentHttpResult, ValidationProblem>> FeedbackReportsAsync(
        TicketOpsDbContext db, TimeProvider timeProvider, string? from, string? to, string? period, int? top, string? format, CancellationToken cancellationToken)
    {
        (FeedbackReportQuery? query, Dictionary<string, string[]> errors) = FeedbackQuery(timeProvider, null, from, to, period, top, format);
        if (query is null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        FeedbackReportResult result = await ProductFeedbackReport.BuildAsync(db, query, cancellationToken);
        return format == "md"
            ? TypedResults.Text(string.Join("\n", result.Reports.Select(r => ProductFeedbackReport.ToMarkdown(r, query.Period))), "text/markdown; charset=utf-8")
            : TypedResults.Ok(result.Reports);
    }

    /// <summary>The report's query from the request, with the default window of 'ticketops feedback-report' (twelve months up to today).</summary>
    internal static (FeedbackReportQuery? Query, Dictionary<string, string[]> Errors) FeedbackQuery(
        TimeProvider timeProvider, string? themeId, string? from, string? to, string? period, int? top, string? format)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        DateTime? toDate = ParseDate("to", to, errors);
        DateTime? fromDate = ParseDate("from", from, errors);
        if (period is not (null or "week" or "month"))
        {
            errors["period"] = ["must be week or month."];
        }

        if (format is not (null or "md" or "json"))
        {
            errors["format"] = ["must be md or json."];
        }

        DateTime end = toDate ?? timeProvider.GetUtcNow().UtcDateTime.Date.AddDays(1);
        var query = new FeedbackReportQuery(fromDate ?? end.AddMonths(-12), end, themeId, period == "week" ? ThemePeriod.Week : ThemePeriod.Month, top ?? 5);
        if (errors.Count == 0 && query.Problem is { } problem)
        {
            errors[top is < 1 or > 200 ? "top" : "to"] = [problem];
        }

        return (errors.Count == 0 ? query : null, errors);
    }

    internal static DateTime? ParseDate(string name, string? text, Dictionary<string, string[]> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime date))
        {
            return DateTime.SpecifyKind(date, DateTimeKind.Utc);
        }

        errors[name] = [$"must be a date like 2026-01-31, not '{text}'."];
        return null;
    }
}

/// <summary>A theme as the API and <c>ticketops themes --format json</c> show it.</summary>
internal sealed record ThemeView(
    string ClusterId, string Label, int Total, int Open, string Signals, bool Mixed, double? Growth, double? EscalationShare, DateTime FirstSeen,
    IReadOnlyList<ThemeProductArea> ProductAreas, IReadOnlyList<ThemePeriodCount> Series, IReadOnlyList<ThemeExample> Examples)
{
    /// <summary>Bursts of the theme's cases the incident rule flagged inside the report's window.</summary>
    public IReadOnlyList<IncidentSignalView> Incidents { get; init; } = [];

    public static ThemeView Of(Theme t) => new(
        t.ClusterId,
        t.Label,
        t.Total,
        t.Open,
        t.Signals.ToString().ToLowerInvariant(),
        t.Mixed,
        t.Growth,
        t.EscalationShare,
        t.FirstSeen,
        [.. t.ProductAreas.Select(p => new ThemeProductArea(p.Product, p.Cases))],
        [.. t.Series.Select(s => new ThemePeriodCount(s.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), s.Count, s.Escalated))],
        [.. t.Examples.Select(e => new ThemeExample(e.CaseId, e.Title, e.CreatedAt))])
    {
        Incidents = [.. t.Incidents.Select(IncidentSignalView.Of)],
    };
}

/// <summary>Cases of a theme in one product area.</summary>
internal sealed record ThemeProductArea(string Product, int Cases);

/// <summary>Cases of a theme in one period.</summary>
internal sealed record ThemePeriodCount(string Start, int Count, int Escalated);

/// <summary>An example case of a theme.</summary>
internal sealed record ThemeExample(string CaseId, string Title, DateTime CreatedAt);
