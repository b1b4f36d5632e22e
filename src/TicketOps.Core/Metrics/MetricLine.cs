using System.Globalization;

namespace TicketOps.Core.Metrics;

/// <summary>
/// One metric as a flat line for tables and CSV: its key, its value (null = n/a) and the counts behind
/// it in words. Produced by <see cref="SupportMetricsReport.Lines"/> so every output shows the same thing.
/// </summary>
/// <param name="Key">The metric's snake_case key, e.g. <c>link_rate</c>.</param>
/// <param name="Value">The value (a share from 0 to 1, hours or a count); null when n/a.</param>
/// <param name="Counts">The counts behind the value, e.g. <c>3 of 7 closed cases</c>.</param>
public sealed record MetricLine(string Key, double? Value, string Counts)
{
    /// <summary>The value formatted for people: "n/a" when null, else invariant with up to 3 decimals.</summary>
    public string DisplayValue => Value is { } value ? value.ToString("0.###", CultureInfo.InvariantCulture) : "n/a";
}
