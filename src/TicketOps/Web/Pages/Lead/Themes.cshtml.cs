using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TicketOps.Core.Storage;
using TicketOps.Core.Themes;
using TicketOps.Web.Access;

namespace TicketOps.Web.Pages.Lead;

/// <summary>Recurring product-friction themes for leads: volume over time, growth, escalation share, product areas.</summary>
[Authorize(Policy = AccessPolicies.Lead)]
public sealed class ThemesModel(TicketOpsDbContext db, TimeProvider timeProvider) : PageModel
{
    /// <summary>Themes drawn in the chart; the table lists all of <see cref="Top"/>.</summary>
    public const int Charted = 6;

    [BindProperty(SupportsGet = true)]
    [RegularExpression("^(week|month)$", ErrorMessage = "Period must be week or month.")]
    // Nullable so that a request without ?period= (the navigation link) keeps the default: a non-nullable
    // string is implicitly required, and an unbound required page property failed the page with 422.
    public string? Period { get; set; } = "month";

    [BindProperty(SupportsGet = true)]
    [Range(2, 104, ErrorMessage = "Periods must be between {1} and {2}.")]
    public int Periods { get; set; } = 12;

    [BindProperty(SupportsGet = true)]
    [Range(1, 100, ErrorMessage = "Top must be between {1} and {2}.")]
    public int Top { get; set; } = 15;

    public IReadOnlyList<Theme> Themes { get; private set; } = [];

    /// <summary>All themes found (before <see cref="Top"/>).</summary>
    public int Found { get; private set; }

    internal ChartData? Volume { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        var options = new ThemeTrackerOptions { Period = Period == "week" ? ThemePeriod.Week : ThemePeriod.Month, Periods = Periods };
        IReadOnlyList<Theme> all = await ThemeReport.BuildAsync(db, options, timeProvider.GetUtcNow().UtcDateTime, cancellationToken);
        Found = all.Count;
        Themes = [.. all.Take(Top)];
        if (Themes.Count > 0)
        {
            Volume = new ChartData(
                "line",
                [.. Themes[0].Series.Select(s => PeriodLabel(s.Start))],
                [.. Themes.Take(Charted).Select(t => new ChartSeries(t.Label, [.. t.Series.Select(s => (double?)s.Count)]))],
                "cases opened");
        }

        return Page();
    }

    public string PeriodLabel(DateTime start) => Period == "week" ? PageText.Day(start) : PageText.Month(start);

    public static string Signals(ThemeSignal signals) =>
        signals == ThemeSignal.None ? "" : string.Join(", ", Enum.GetValues<ThemeSignal>().Where(s => s != ThemeSignal.None && signals.HasFlag(s)).Select(s => s.ToString().ToLowerInvariant()));
}
