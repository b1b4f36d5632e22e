namespace TicketOps.Core.Synthetic;

/// <summary>
/// A clock set to simulated time, so a replay's events, approvals and audit entries carry the dates they
/// would have had (a knowledge article approved in June is "known" for a case opened in July).
/// </summary>
public sealed class SimulatedClock : TimeProvider
{
    /// <summary>The simulated time (UTC).</summary>
    public DateTime Now { get; set; }

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => new(DateTime.SpecifyKind(Now, DateTimeKind.Utc));
}
