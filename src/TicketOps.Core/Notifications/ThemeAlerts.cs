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
    public static IReadOnlyList<WebhookEvent> From(IReadOnlyList<Theme> themes, double? growthThreshold, DateTime asOf)
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
                    Payload(WebhookEvents.GrowthThreshold, asOf, theme, new { Threshold = threshold, Growth = growth, theme.Early, theme.Recent })));
            }
        }

        return events;
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
