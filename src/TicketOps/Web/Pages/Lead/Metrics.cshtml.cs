using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TicketOps.Core.Metrics;
using TicketOps.Core.Storage;
using TicketOps.Web.Access;

namespace TicketOps.Web.Pages.Lead;

/// <summary>The support metrics for a window, month by month, each with the counts behind it.</summary>
[Authorize(Policy = AccessPolicies.Lead)]
public sealed class MetricsModel(TicketOpsDbContext db, TimeProvider timeProvider) : PageModel
{
    /// <summary>First day of the window (UTC); default: the first of the month eleven months ago.</summary>
    [BindProperty(SupportsGet = true)]
    [DataType(DataType.Date)]
    public DateOnly? From { get; set; }

    /// <summary>Last day of the window, included (UTC); default: today.</summary>
    [BindProperty(SupportsGet = true)]
    [DataType(DataType.Date)]
    public DateOnly? To { get; set; }

    [BindProperty(SupportsGet = true)]
    [StringLength(100)]
    public string? Product { get; set; }

    [BindProperty(SupportsGet = true)]
    [StringLength(100)]
    public string? Team { get; set; }

    public SupportMetricsReport? Window { get; private set; }

    public IReadOnlyList<SupportMetricsReport> Months { get; private set; } = [];

    internal ChartData? Rates { get; private set; }

    internal ChartData? FirstEvidence { get; private set; }

    /// <summary>The rates charted month by month, with how to read their counts.</summary>
    internal static IReadOnlyList<(string Label, Func<SupportMetricsReport, RateMetric> Of)> RateSeries { get; } =
    [
        ("Solve without engineering", r => r.SolveWithoutEngineeringRate),
        ("Escalation rework", r => r.EscalationReworkRate),
        ("Link rate", r => r.LinkRate),
        ("Repeat-case rate", r => r.RepeatCaseRate),
    ];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        DateOnly today = DateOnly.FromDateTime(timeProvider.GetUtcNow().UtcDateTime);
        From ??= new DateOnly(today.Year, today.Month, 1).AddMonths(-11);
        To ??= today;
        if (To < From)
        {
            ModelState.AddModelError(nameof(To), $"The window is empty: 'to' ({To:yyyy-MM-dd}) is before 'from' ({From:yyyy-MM-dd}). Pick a 'to' day on or after 'from'.");
        }
        else if (To.Value.DayNumber - From.Value.DayNumber > 3 * 366)
        {
            ModelState.AddModelError(nameof(From), "The window is longer than three years; pick a shorter one (the page computes every month of it).");
        }

        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        var query = new MetricsQuery(
            From.Value.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
            To.Value.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
            string.IsNullOrWhiteSpace(Product) ? null : Product.Trim(),
            string.IsNullOrWhiteSpace(Team) ? null : Team.Trim());
        Window = await SupportMetrics.ComputeAsync(db, query, cancellationToken);
        Months = await SupportMetrics.ComputeMonthlyAsync(db, query, cancellationToken);
        string[] labels = [.. Months.Select(m => PageText.Month(m.From))];
        Rates = new ChartData(
            "line",
            labels,
            [.. RateSeries.Select(s => new ChartSeries(s.Label, [.. Months.Select(m => s.Of(m).Value is { } v ? Math.Round(v * 100, 1) : (double?)null)]))],
            "% of the cases counted");
        FirstEvidence = new ChartData(
            "bar",
            labels,
            [
                new ChartSeries("Median hours", [.. Months.Select(m => Round(m.TimeToFirstEvidence.MedianHours))]),
                new ChartSeries("p90 hours", [.. Months.Select(m => Round(m.TimeToFirstEvidence.P90Hours))]),
            ],
            "hours from assignment to first evidence");
        return Page();
    }

    /// <summary>A rate for a table cell: the percentage and the counts behind it.</summary>
    public static string RateCell(RateMetric rate)
    {
        ArgumentNullException.ThrowIfNull(rate);
        return $"{PageText.Percent(rate.Value)} ({rate.Numerator}/{rate.Denominator})";
    }

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 1) : null;
}
