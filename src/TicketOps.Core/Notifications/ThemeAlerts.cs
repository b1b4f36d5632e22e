using System.Globalization;
using System.Text.Json;
using TicketOps.Core.Themes;

namespace TicketOps.Core.Notifications;

/// <summary>
/// The webhook events a theme report gives rise to: one <c>theme.incident_suspected</c> per incident
/// signal, one <c>theme.growth_threshold</c> per theme whose growth reached the threshold (once per ISO
/// week, so a theme that keeps growing is announced again the next week, not every time themes are built).
/// </summary>
public static class ThemeAlerts
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The events of <paramref name="themes"/> as of <paramref name="asOf"/>.</summary>
    /// <param name="themes">The current themes.</param>
    /// <param name="growthThreshold">Growth at which a theme is announced; null for never.</param>
    /// <param name="asOf">The report time.</param>
    /// <param name="publicUrl">Where people reach the web app (<see cref="WebhookOptions.PublicUrl"/>): links to a theme's product feedback report are absolute under it; relative when null.</param>
    public static IReadOnlyList<WebhookEvent> From(IReadOnlyList<Theme> themes, double? growthThreshold, DateTime asOf, Uri? publicUrl = null)
    {
        ArgumentNullException.ThrowIfNull(themes);
        var events = new List<WebhookEvent>();
        foreach (Theme theme in themes)
        {
            foreach (IncidentSignal incident in theme.Incidents)
            {
                events.Add(new WebhookEvent(
                    WebhookEvents.IncidentSuspected,
                    $"{theme.ClusterId}:{incident.VersionLine}:{incident.FirstCase}",
                    Payload(WebhookEvents.IncidentSuspected, asOf, theme, new
                    {
                        incident.Identifier,
                        incident.VersionLine,
                        incident.FirstCase,
                        incident.FirstAt,
                        incident.FlaggedAt,
                        incident.Cases,
                        incident.Customers,
                        incident.PerHour,
                        incident.BaselinePerHour,
                    })));
            }

            if (growthThreshold is { } threshold && theme.Growth is { } growth && growth >= threshold)
            {
                string week = $"{ISOWeek.GetYear(asOf)}-W{ISOWeek.GetWeekOfYear(asOf):00}";
                events.Add(new WebhookEvent(
                    WebhookEvents.GrowthThreshold,
                    $"{theme.ClusterId}:{week}",
                    Payload(WebhookEvents.GrowthThreshold, asOf, theme, new { Threshold = threshold, Growth = growth, theme.Early, theme.Recent, Report = ReportLinks(theme.ClusterId, publicUrl) })));
            }
        }

        return events;
    }

    /// <summary>
    /// Where the theme's product feedback report is: the page (with Markdown and JSON downloads), the API and
    /// the command. A growing theme is what product should hear about, so the event points at the write-up.
    /// </summary>
    public static FeedbackReportLinks ReportLinks(string themeId, Uri? publicUrl)
    {
        string id = Uri.EscapeDataString(themeId);
        string Link(string path) => publicUrl is null ? path : new Uri(publicUrl, path).ToString();
        return new FeedbackReportLinks(
            Link($"/lead/themes/{id}/feedback"),
            Link($"/api/themes/{id}/feedback-report?format=md"),
            Link($"/api/themes/{id}/feedback-report"),
            $"ticketops feedback-report --theme {themeId}");
    }

    private static string Payload(string name, DateTime asOf, Theme theme, object details) => JsonSerializer.Serialize(
        new
        {
            Event = name,
            OccurredAt = asOf,
            Theme = new
            {
                Id = theme.ClusterId,
                theme.Label,
                theme.Total,
                theme.Open,
                theme.Growth,
                theme.EscalationShare,
                theme.FirstSeen,
                ProductAreas = theme.ProductAreas.Select(p => new { p.Product, p.Cases }),
                Examples = theme.Examples.Select(e => new { e.CaseId, e.Title }),
            },
            Details = details,
        },
        s_json);
}

/// <summary>Where a theme's product feedback report can be read.</summary>
/// <param name="Page">The leads' page (sign-in as a lead), with Markdown and JSON downloads.</param>
/// <param name="Markdown">The API's Markdown (a lead key).</param>
/// <param name="Json">The API's JSON (a lead key).</param>
/// <param name="Command">The CLI command.</param>
public sealed record FeedbackReportLinks(string Page, string Markdown, string Json, string Command);
