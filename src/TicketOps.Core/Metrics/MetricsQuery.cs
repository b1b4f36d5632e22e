namespace TicketOps.Core.Metrics;

/// <summary>Which slice of support the metrics are computed for.</summary>
/// <param name="From">Start of the window (UTC, inclusive).</param>
/// <param name="To">End of the window (UTC, exclusive).</param>
/// <param name="ProductArea">Only cases of this product area (<see cref="Cases.SupportCase.Product"/>); all when null.</param>
/// <param name="Team">Only cases of this team (<see cref="Cases.SupportCase.Team"/>); all when null.</param>
public sealed record MetricsQuery(DateTime From, DateTime To, string? ProductArea = null, string? Team = null)
{
    /// <summary>What is wrong with the query, or null when it can be computed.</summary>
    public string? Problem => To > From ? null : $"The window is empty: 'to' ({To:u}) must be after 'from' ({From:u}).";

    /// <summary>True when <paramref name="at"/> falls in the window.</summary>
    /// <param name="at">A UTC time.</param>
    public bool Contains(DateTime at) => at >= From && at < To;

    /// <summary>True when <paramref name="at"/> is set and falls in the window.</summary>
    /// <param name="at">A UTC time or null.</param>
    public bool Contains(DateTime? at) => at is { } value && Contains(value);
}
