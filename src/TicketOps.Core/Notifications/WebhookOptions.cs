namespace TicketOps.Core.Notifications;

/// <summary>
/// Outbound webhooks (<c>TicketOps:Webhooks</c> in <c>ticketops.json</c>): who is told about which theme
/// events, and how hard to try.
/// </summary>
public sealed class WebhookOptions
{
    /// <summary>The receivers; none by default, so nothing is sent.</summary>
    public List<WebhookEndpoint> Endpoints { get; set; } = [];

    /// <summary>A theme whose growth (last third of the report ÷ first third) reaches this is announced as <c>theme.growth_threshold</c>; null for never.</summary>
    public double? GrowthThreshold { get; set; } = 3.0;

    /// <summary>
    /// Where people reach the TicketOps web app (e.g. <c>https://ticketops.example.internal/</c>): the links to a
    /// theme's product feedback report in <c>theme.growth_threshold</c> are absolute under it; relative paths when null.
    /// </summary>
    public Uri? PublicUrl { get; set; }

    /// <summary>Tries per delivery, the first included.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Wait before the second try; doubled before each further one.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long one try may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The problem with the settings in words, or null.</summary>
    public string? Problem()
    {
        foreach (WebhookEndpoint endpoint in Endpoints)
        {
            if (endpoint.Url is not { IsAbsoluteUri: true } url || url.Scheme is not ("http" or "https"))
            {
                return $"Endpoints: '{endpoint.Url}' is not an absolute http(s) URL.";
            }

            string? unknown = endpoint.Events.FirstOrDefault(e => !WebhookEvents.All.Contains(e));
            if (unknown is not null)
            {
                return $"Endpoints: {url}: unknown event '{unknown}'; use {string.Join(" or ", WebhookEvents.All)}.";
            }
        }

        if (PublicUrl is not null && (!PublicUrl.IsAbsoluteUri || PublicUrl.Scheme is not ("http" or "https")))
        {
            return $"PublicUrl: '{PublicUrl}' is not an absolute http(s) URL.";
        }

        return MaxAttempts is < 1 or > 10 ? "MaxAttempts must be between 1 and 10."
            : Timeout <= TimeSpan.Zero || Timeout > TimeSpan.FromMinutes(2) ? "Timeout must be between 00:00:01 and 00:02:00."
            : RetryDelay < TimeSpan.Zero || RetryDelay > TimeSpan.FromMinutes(5) ? "RetryDelay must be between 00:00:00 and 00:05:00."
            : GrowthThreshold is <= 1.0 ? "GrowthThreshold must be above 1 (a theme that merely holds steady is no news)."
            : null;
    }
}

/// <summary>One receiver of webhook events.</summary>
public sealed class WebhookEndpoint
{
    /// <summary>Where the events are POSTed.</summary>
    public Uri? Url { get; set; }

    /// <summary>Which events it wants; empty for all.</summary>
    public List<string> Events { get; set; } = [];

    /// <summary>
    /// The environment variable holding the shared secret; when set, each delivery carries
    /// <c>X-TicketOps-Signature: sha256=HEX</c>, the HMAC-SHA256 of the body under that secret.
    /// </summary>
    public string? SecretVariable { get; set; }

    /// <summary>Whether it wants <paramref name="eventName"/>.</summary>
    public bool Wants(string eventName) => Events.Count == 0 || Events.Contains(eventName);
}

/// <summary>The events TicketOps sends.</summary>
public static class WebhookEvents
{
    /// <summary>A theme's cases arrived in a burst (the incident rule held): open incident handling.</summary>
    public const string IncidentSuspected = "theme.incident_suspected";

    /// <summary>A theme's growth reached <see cref="WebhookOptions.GrowthThreshold"/>.</summary>
    public const string GrowthThreshold = "theme.growth_threshold";

    /// <summary>Every event name.</summary>
    public static IReadOnlyList<string> All { get; } = [IncidentSuspected, GrowthThreshold];
}
