using System.ComponentModel.DataAnnotations;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TicketOps.Cli;
using TicketOps.Core.Storage;
using TicketOps.Core.Themes;
using TicketOps.Web.Access;

namespace TicketOps.Web.Pages.Lead;

/// <summary>One theme's product feedback report, to read and to download as Markdown (issue tracker) or JSON.</summary>
[Authorize(Policy = AccessPolicies.Lead)]
public sealed class FeedbackModel(TicketOpsDbContext db, TimeProvider timeProvider) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Id { get; set; } = "";

    /// <summary>First day of the window (UTC); default: twelve months before <see cref="To"/>.</summary>
    [BindProperty(SupportsGet = true)]
    [DataType(DataType.Date)]
    public DateOnly? From { get; set; }

    /// <summary>Last day of the window, included (UTC); default: today.</summary>
    [BindProperty(SupportsGet = true)]
    [DataType(DataType.Date)]
    public DateOnly? To { get; set; }

    public ProductFeedback? Report { get; private set; }

    /// <summary>The Markdown the download gives, shown for copying.</summary>
    public string Markdown { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken) ?? Page();

    /// <summary>The report as a file: <c>format=md</c> (default) or <c>format=json</c>.</summary>
    public async Task<IActionResult> OnGetDownloadAsync(string? format, CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is { } failed)
        {
            return failed;
        }

        if (Report is null)
        {
            return Page();
        }

        return format == "json"
            ? File(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(Report, CliOutput.Json)), "application/json", $"feedback-{Report.ThemeId}.json")
            : File(Encoding.UTF8.GetBytes(Markdown), "text/markdown; charset=utf-8", $"feedback-{Report.ThemeId}.md");
    }

    public string Query => $"from={From:yyyy-MM-dd}&to={To:yyyy-MM-dd}";

    private async Task<IActionResult?> LoadAsync(CancellationToken cancellationToken)
    {
        DateOnly today = DateOnly.FromDateTime(timeProvider.GetUtcNow().UtcDateTime);
        To ??= today;
        From ??= To.Value.AddMonths(-12).AddDays(1);
        if (To < From)
        {
            ModelState.AddModelError(nameof(To), $"The window is empty: 'to' ({To:yyyy-MM-dd}) is before 'from' ({From:yyyy-MM-dd}). Pick a 'to' day on or after 'from'.");
        }

        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return null;
        }

        var query = new FeedbackReportQuery(From!.Value.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), To!.Value.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), Id);
        FeedbackReportResult result = await ProductFeedbackReport.BuildAsync(db, query, cancellationToken);
        if (result.ThemeNotFound)
        {
            return NotFound();
        }

        Report = result.Reports[0];
        Markdown = ProductFeedbackReport.ToMarkdown(Report, query.Period);
        return null;
    }
}
