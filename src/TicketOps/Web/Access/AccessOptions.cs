using System.ComponentModel.DataAnnotations;

namespace TicketOps.Web.Access;

/// <summary>Per-key request rate (section <c>TicketOps:RateLimit</c>): a token bucket per API key.</summary>
internal sealed class RateLimitOptions
{
    public const string Section = "TicketOps:RateLimit";

    /// <summary>Requests a key may make per second, sustained.</summary>
    [Range(1, 1_000_000)]
    public int RequestsPerSecond { get; set; } = 20;

    /// <summary>Requests a key may make at once after being idle (the bucket size).</summary>
    [Range(1, 1_000_000)]
    public int Burst { get; set; } = 100;
}
