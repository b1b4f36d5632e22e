using TicketOps.Core.Mining;

namespace TicketOps.Core.Themes;

/// <summary>Granularity of a theme's time series.</summary>
public enum ThemePeriod
{
    /// <summary>Weeks starting Monday (UTC).</summary>
    Week = 0,

    /// <summary>Calendar months (UTC).</summary>
    Month = 1,
}

/// <summary>Why a theme deserves a lead's attention.</summary>
[Flags]
public enum ThemeSignal
{
    /// <summary>Nothing unusual.</summary>
    None = 0,

    /// <summary>The last third of the report has at least <see cref="ThemeTrackerOptions.GrowthFactor"/> times the cases of the first third.</summary>
    Growing = 1,

    /// <summary>No case in the first third of the report, and it already recurs in the last third.</summary>
    Sudden = 2,

    /// <summary>Its cases arrived in a burst inside the report's window: a possible incident (<see cref="IncidentRule"/>).</summary>
    Incident = 4,
}

/// <summary>The facts about one case a theme needs.</summary>
/// <param name="CaseId">Case id as clustered.</param>
/// <param name="Title">Title, for examples.</param>
/// <param name="CreatedAt">Opened (UTC).</param>
/// <param name="Escalated">Whether engineering was involved.</param>
/// <param name="Product">Product area.</param>
/// <param name="Open">Still open: matched to the theme's resolved cases, not clustered (<see cref="OpenCaseAssigner"/>).</param>
/// <param name="ExternalId">The ticket's id in its source system.</param>
/// <param name="Text">Title and description, for the incident rule's identifiers; the title when not given.</param>
/// <param name="Version">The version the customer runs.</param>
/// <param name="Customer">The customer organisation.</param>
public sealed record ThemeCase(
    string CaseId, string Title, DateTime CreatedAt, bool Escalated, string? Product, bool Open = false,
    string? ExternalId = null, string? Text = null, string? Version = null, string? Customer = null);

/// <summary>Cases of a theme in one period.</summary>
/// <param name="Start">Period start (UTC).</param>
/// <param name="Count">Cases opened in it.</param>
/// <param name="Escalated">Of those, escalated.</param>
public sealed record ThemeCount(DateTime Start, int Count, int Escalated);

/// <summary>A recurring cluster of cases tracked over time: what a lead sees in the themes report.</summary>
public sealed class Theme
{
    /// <summary>Stable cluster id.</summary>
    public required string ClusterId { get; init; }

    /// <summary>Legend label.</summary>
    public required string Label { get; init; }

    /// <summary>All cases of the theme, open ones included.</summary>
    public int Total { get; init; }

    /// <summary>Of <see cref="Total"/>, cases still open (matched to the theme's resolved cases).</summary>
    public int Open { get; init; }

    /// <summary>Counts per period, oldest first, covering the report's periods (zeros included).</summary>
    public required IReadOnlyList<ThemeCount> Series { get; init; }

    /// <summary>Cases in the last third of the report's windows (rolling back from the report date).</summary>
    public int Recent { get; init; }

    /// <summary>Cases in the first third of the report's windows.</summary>
    public int Early { get; init; }

    /// <summary>Recent / early; null when there were no early cases.</summary>
    public double? Growth { get; init; }

    /// <summary>Share of the theme's cases that were escalated; null when it has none.</summary>
    public double? EscalationShare { get; init; }

    /// <summary>Product areas with counts, most common first.</summary>
    public required IReadOnlyList<(string Product, int Cases)> ProductAreas { get; init; }

    /// <summary>The most central cases, as examples.</summary>
    public required IReadOnlyList<ThemeCase> Examples { get; init; }

    /// <summary>First case (UTC).</summary>
    public DateTime FirstSeen { get; init; }

    /// <summary>Growing and/or sudden, and incident when it has <see cref="Incidents"/>.</summary>
    public ThemeSignal Signals { get; init; }

    /// <summary>Bursts of its cases flagged by the incident rule inside the report's window, oldest first.</summary>
    public IReadOnlyList<IncidentSignal> Incidents { get; init; } = [];

    /// <summary>
    /// Its cases are far less alike than a typical theme's (cohesion more than
    /// <see cref="ThemeTrackerOptions.MixedCohesionGap"/> below the median): likely several problems under one label.
    /// </summary>
    public bool Mixed { get; init; }
}

/// <summary>Settings of <see cref="ThemeTracker"/>.</summary>
public sealed class ThemeTrackerOptions
{
    /// <summary>Series granularity and window length (7 days or 30 days).</summary>
    public ThemePeriod Period { get; set; } = ThemePeriod.Week;

    /// <summary>Windows in the report, the latest included; growth compares its last third with its first third.</summary>
    public int Periods { get; set; } = 12;

    /// <summary>Growing means recent ≥ this factor × early (and at least <see cref="MinRecentCases"/>).</summary>
    public double GrowthFactor { get; set; } = 2.0;

    /// <summary>A theme needs this many cases in the last third to be flagged at all.</summary>
    public int MinRecentCases { get; set; } = 3;

    /// <summary>Example cases per theme.</summary>
    public int Examples { get; set; } = 3;

    /// <summary>
    /// A theme is marked mixed when its cluster's cohesion is this far below the median of the report's clusters.
    /// In the demo the recurring families sit at 0.83-0.94 and the one grab-bag of unrelated one-offs at 0.61.
    /// </summary>
    public double MixedCohesionGap { get; set; } = 0.15;

    /// <summary>The incident rule applied to each theme's cases.</summary>
    public IncidentRuleOptions Incidents { get; set; } = IncidentRuleOptions.Default;
}

/// <summary>
/// Turns clusters into themes for leads: volume per week or month, growth of the latest window against the
/// earlier ones, escalation share, product areas and examples, with growing and suddenly appearing themes
/// flagged. Windows roll back from the report date so a half-finished calendar period never looks like a drop.
/// </summary>
public sealed class ThemeTracker(ThemeTrackerOptions? options = null)
{
    private readonly ThemeTrackerOptions _options = options ?? new ThemeTrackerOptions();

    /// <summary>Builds one theme per cluster, flagged ones first, then by recent volume.</summary>
    public IReadOnlyList<Theme> Track(
        IReadOnlyList<CaseCluster> clusters,
        IReadOnlyDictionary<string, string> labels,
        IReadOnlyList<ThemeCase> cases,
        DateTime asOf)
    {
        ArgumentNullException.ThrowIfNull(clusters);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.Periods, 2);
        var byId = cases.ToDictionary(c => c.CaseId, StringComparer.Ordinal);
        TimeSpan window = _options.Period == ThemePeriod.Week ? TimeSpan.FromDays(7) : TimeSpan.FromDays(30);
        DateTime reportStart = asOf - (window * _options.Periods);
        var themes = new List<Theme>();
        double[] cohesions = [.. clusters.Select(c => c.Cohesion).Where(c => c > 0).Order()];
        double medianCohesion = cohesions.Length == 0 ? 0 : cohesions[cohesions.Length / 2];
        foreach (CaseCluster cluster in clusters)
        {
            var members = cluster.Members.Where(m => byId.ContainsKey(m.CaseId)).Select(m => byId[m.CaseId]).ToList();
            if (members.Count == 0)
            {
                continue;
            }

            // Thirds rather than the latest window against the rest: one busy week is noise, a quarter that
            // doubles the first is a trend a lead should see.
            int third = Math.Max(1, _options.Periods / 3);
            int recent = members.Count(c => c.CreatedAt > asOf - (window * third) && c.CreatedAt <= asOf);
            int early = members.Count(c => c.CreatedAt > reportStart && c.CreatedAt <= reportStart + (window * third));
            bool before = members.Any(c => c.CreatedAt <= reportStart + (window * third));
            DateTime firstSeen = members.Min(c => c.CreatedAt);

            var flags = ThemeSignal.None;
            if (recent >= _options.MinRecentCases)
            {
                if (!before)
                {
                    flags |= ThemeSignal.Sudden;
                }
                else if (recent >= _options.GrowthFactor * early)
                {
                    flags |= ThemeSignal.Growing;
                }
            }

            // The rule sees the theme's cases as one key of their own too, so a burst described in words counts.
            IReadOnlyList<IncidentSignal> incidents = [.. IncidentRule.Detect(
                    members.Where(c => c.CreatedAt <= asOf).Select(c => new IncidentCase(c.CaseId, c.ExternalId ?? c.CaseId, c.CreatedAt, c.Text ?? c.Title, c.Version, c.Customer, cluster.Id)),
                    _options.Incidents)
                .Where(s => s.FlaggedAt > reportStart)];
            if (incidents.Count > 0)
            {
                flags |= ThemeSignal.Incident;
            }

            // Escalation is only final once a case is resolved.
            int resolved = members.Count(c => !c.Open);
            int escalated = members.Count(c => !c.Open && c.Escalated);
            themes.Add(new Theme
            {
                ClusterId = cluster.Id,
                Label = labels.TryGetValue(cluster.Id, out string? label) ? label : cluster.Id,
                Total = members.Count,
                Open = members.Count - resolved,
                Series = Series(members, asOf),
                Recent = recent,
                Early = early,
                Growth = early > 0 ? Math.Round(recent / (double)early, 2) : null,
                EscalationShare = resolved > 0 ? Math.Round(escalated / (double)resolved, 3) : null,
                ProductAreas = members.Where(c => !string.IsNullOrWhiteSpace(c.Product))
                    .GroupBy(c => c.Product!, StringComparer.OrdinalIgnoreCase)
                    .Select(g => (g.Key, g.Count()))
                    .OrderByDescending(p => p.Item2).ThenBy(p => p.Key, StringComparer.Ordinal)
                    .ToList(),
                Examples = members.Take(_options.Examples).ToList(),
                FirstSeen = firstSeen,
                Signals = flags,
                Incidents = incidents,
                Mixed = cluster.Cohesion > 0 && cluster.Cohesion < medianCohesion - _options.MixedCohesionGap,
            });
        }

        return themes
            .OrderByDescending(t => t.Signals.HasFlag(ThemeSignal.Incident))
            .ThenByDescending(t => t.Signals != ThemeSignal.None)
            .ThenByDescending(t => t.Recent)
            .ThenByDescending(t => t.Total)
            .ThenBy(t => t.ClusterId, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Start of the calendar period holding <paramref name="time"/>: Monday of its week or the 1st of its month.</summary>
    public static DateTime PeriodStart(DateTime time, ThemePeriod period)
    {
        DateTime day = DateTime.SpecifyKind(time.Date, DateTimeKind.Utc);
        return period == ThemePeriod.Week
            ? day.AddDays(-(((int)day.DayOfWeek + 6) % 7))
            : new DateTime(day.Year, day.Month, 1, 0, 0, 0, DateTimeKind.Utc);
    }

    private List<ThemeCount> Series(List<ThemeCase> members, DateTime asOf)
    {
        var starts = new List<DateTime>();
        DateTime current = PeriodStart(asOf, _options.Period);
        for (int i = 0; i < _options.Periods; i++)
        {
            starts.Insert(0, current);
            current = _options.Period == ThemePeriod.Week ? current.AddDays(-7) : current.AddMonths(-1);
        }

        return starts.Select((start, i) =>
        {
            DateTime end = i + 1 < starts.Count ? starts[i + 1] : DateTime.MaxValue;
            var inPeriod = members.Where(c => c.CreatedAt >= start && c.CreatedAt < end && c.CreatedAt <= asOf).ToList();
            return new ThemeCount(start, inPeriod.Count, inPeriod.Count(c => c.Escalated));
        }).ToList();
    }
}
