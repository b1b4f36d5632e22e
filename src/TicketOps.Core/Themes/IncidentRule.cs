using System.Text.RegularExpressions;
using TicketOps.Core.Matching;

namespace TicketOps.Core.Themes;

/// <summary>The facts about one case the incident rule reads.</summary>
/// <param name="CaseId">The case's database id, as text.</param>
/// <param name="ExternalId">The ticket's id in its source system.</param>
/// <param name="CreatedAt">Opened (UTC).</param>
/// <param name="Text">Title and description, where the identifiers are found.</param>
/// <param name="Version">The version the customer runs.</param>
/// <param name="Customer">The customer organisation; all cases without one count as one unknown customer.</param>
/// <param name="Theme">The theme (mined cluster) the case belongs to, when known: its cases form a key of their own, for problems customers describe without a shared code.</param>
public sealed record IncidentCase(string CaseId, string ExternalId, DateTime CreatedAt, string Text, string? Version, string? Customer, string? Theme = null);

/// <summary>A burst of cases that looks like one incident.</summary>
/// <param name="Identifier">The error code or identifier every case of the burst quotes; for a theme's burst the one its cases quote most (<c>(none)</c> when they quote none).</param>
/// <param name="VersionLine">The release line (major.minor, e.g. <c>v4.10</c>) they run; <c>(any)</c> when they give none.</param>
/// <param name="FirstCase">The external id of the burst's first case.</param>
/// <param name="FirstAt">When it was opened (UTC).</param>
/// <param name="FlaggedAt">When the rule first held: the opening of the case that completed the burst (UTC).</param>
/// <param name="CasesToFlag">How many of the burst's cases had arrived when the rule first held.</param>
/// <param name="Cases">Cases of the burst: those sharing identifier and version line within <see cref="IncidentRuleOptions.Window"/> of the previous one.</param>
/// <param name="Customers">Distinct customers among them.</param>
/// <param name="PerHour">Cases per hour over the burst (first to last, at least one hour).</param>
/// <param name="BaselinePerHour">The same key's cases per hour over the <see cref="IncidentRuleOptions.BaselineDays"/> before the burst.</param>
/// <param name="CaseIds">Database ids of the burst's cases.</param>
/// <param name="Theme">The theme whose cases burst, when the key was a theme rather than an identifier.</param>
public sealed record IncidentSignal(
    string Identifier, string VersionLine, string FirstCase, DateTime FirstAt, DateTime FlaggedAt, int CasesToFlag,
    int Cases, int Customers, double PerHour, double BaselinePerHour, IReadOnlyList<string> CaseIds, string? Theme = null);

/// <summary>Settings of <see cref="IncidentRule"/>; docs/queue-and-feedback.md gives the reasons for the defaults.</summary>
public sealed record IncidentRuleOptions
{
    /// <summary>The defaults.</summary>
    public static IncidentRuleOptions Default { get; } = new();

    /// <summary>The sliding window the cases must arrive in.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromHours(6);

    /// <summary>Cases in the window needed (sharing one identifier and one version line).</summary>
    public int MinCases { get; init; } = 4;

    /// <summary>Distinct customers among them: one customer's ten tickets are one customer's problem, not an incident.</summary>
    public int MinCustomers { get; init; } = 3;

    /// <summary>How far above its usual rate the key must run: the window's count ≥ this × the baseline's expected count for a window.</summary>
    public double MinRateRatio { get; init; } = 5.0;

    /// <summary>The days before the window the usual rate is measured over.</summary>
    public int BaselineDays { get; init; } = 28;

    /// <summary>A burst ends after this long, even if cases keep coming: an incident's first day is what the signal is about.</summary>
    public TimeSpan MaxBurst { get; init; } = TimeSpan.FromHours(24);
}

/// <summary>
/// The incident rule: cases that quote the same identifier (error code, exception, message id) on the
/// same release line, from at least <see cref="IncidentRuleOptions.MinCustomers"/> customers, at least
/// <see cref="IncidentRuleOptions.MinCases"/> within <see cref="IncidentRuleOptions.Window"/>, and at least
/// <see cref="IncidentRuleOptions.MinRateRatio"/> times the rate that identifier ran at over the
/// <see cref="IncidentRuleOptions.BaselineDays"/> before. It reads arrivals
/// only (never how cases were solved), so it can fire while the cases are still new.
/// </summary>
public static partial class IncidentRule
{
    /// <summary>The release line of a version: its first two numbers with any prefix (<c>v4.10.2</c> → <c>v4.10</c>).</summary>
    public static string VersionLine(string? version)
    {
        if (string.IsNullOrWhiteSpace(version))
        {
            return "(any)";
        }

        Match match = ReleaseLine().Match(version);
        return match.Success ? match.Value : version.Trim();
    }

    /// <summary>
    /// Every burst among <paramref name="cases"/>, in the order they were flagged. A key (identifier, version
    /// line) flags once per burst: after a quiet window it may flag again.
    /// </summary>
    /// <param name="cases">Cases in any order.</param>
    /// <param name="options">The rule's settings; <see cref="IncidentRuleOptions.Default"/> when null.</param>
    /// <param name="historyFrom">
    /// Where the history of the cases given starts, when it is known to be cut there (a query's start). A window
    /// is then judged only with a full baseline before it: at the cut every busy code would otherwise look new.
    /// </param>
    public static IReadOnlyList<IncidentSignal> Detect(IEnumerable<IncidentCase> cases, IncidentRuleOptions? options = null, DateTime? historyFrom = null)
    {
        ArgumentNullException.ThrowIfNull(cases);
        options ??= IncidentRuleOptions.Default;
        var byKey = new Dictionary<(string, string), List<IncidentCase>>();
        foreach (IncidentCase c in cases)
        {
            IEnumerable<string> keys = Identifiers(c.Text);
            if (c.Theme is not null)
            {
                keys = keys.Append(ThemeKey + c.Theme);
            }

            foreach (string identifier in keys)
            {
                var key = (identifier, VersionLine(c.Version));
                if (!byKey.TryGetValue(key, out List<IncidentCase>? list))
                {
                    byKey[key] = list = [];
                }

                list.Add(c);
            }
        }

        var signals = new List<IncidentSignal>();
        foreach (((string identifier, string line), List<IncidentCase> list) in byKey)
        {
            if (list.Count < options.MinCases)
            {
                continue;
            }

            list.Sort((a, b) => a.CreatedAt.CompareTo(b.CreatedAt));
            signals.AddRange(Bursts(identifier, line, list, options, historyFrom?.AddDays(options.BaselineDays) ?? DateTime.MinValue));
        }

        // One burst quoted under two identifiers (an error code and its message) is one incident: keep the larger.
        var kept = new List<IncidentSignal>();
        foreach (IncidentSignal signal in signals.OrderByDescending(s => s.Cases).ThenBy(s => s.FlaggedAt).ThenBy(s => s.Identifier, StringComparer.Ordinal))
        {
            if (!kept.Any(k => k.CaseIds.Intersect(signal.CaseIds).Count() * 2 > signal.CaseIds.Count))
            {
                kept.Add(signal);
            }
        }

        return [.. kept.OrderBy(s => s.FlaggedAt).ThenBy(s => s.Identifier, StringComparer.Ordinal)];
    }

    private const string ThemeKey = "theme:";

    /// <summary>The identifiers the rule groups by: error codes and similar tokens, not bare version numbers.</summary>
    public static IEnumerable<string> Identifiers(string text) =>
        IdentifierExtractor.Extract(text ?? "").Where(i => !VersionLike().IsMatch(i)).Distinct(StringComparer.OrdinalIgnoreCase);

    private static IEnumerable<IncidentSignal> Bursts(string identifier, string line, List<IncidentCase> list, IncidentRuleOptions options, DateTime judgedFrom)
    {
        int start = 0;
        for (int end = 0; end < list.Count; end++)
        {
            while (list[end].CreatedAt - list[start].CreatedAt > options.Window)
            {
                start++;
            }

            int count = end - start + 1;
            if (list[start].CreatedAt < judgedFrom || count < options.MinCases || Customers(list, start, end) < options.MinCustomers)
            {
                continue;
            }

            DateTime windowStart = list[start].CreatedAt;
            DateTime baselineFrom = windowStart.AddDays(-options.BaselineDays);
            int before = list.Count(c => c.CreatedAt >= baselineFrom && c.CreatedAt < windowStart);
            double expected = before * (options.Window.TotalHours / (options.BaselineDays * 24.0));
            if (count < options.MinRateRatio * expected)
            {
                continue;
            }

            // The burst: this window and every later case within a window of the one before it.
            int last = end;
            while (last + 1 < list.Count && list[last + 1].CreatedAt - list[last].CreatedAt <= options.Window
                && list[last + 1].CreatedAt - windowStart <= options.MaxBurst)
            {
                last++;
            }

            List<IncidentCase> burst = list.GetRange(start, last - start + 1);
            double hours = Math.Max(1.0, (burst[^1].CreatedAt - burst[0].CreatedAt).TotalHours);
            string? theme = identifier.StartsWith(ThemeKey, StringComparison.Ordinal) ? identifier[ThemeKey.Length..] : null;
            string quoted = theme is null ? identifier
                : burst.SelectMany(c => Identifiers(c.Text)).GroupBy(i => i, StringComparer.OrdinalIgnoreCase)
                    .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).FirstOrDefault() ?? "(none)";
            yield return new IncidentSignal(
                quoted, line, burst[0].ExternalId, burst[0].CreatedAt, list[end].CreatedAt, count,
                burst.Count, Customers(list, start, last), Math.Round(burst.Count / hours, 2),
                Math.Round(before / (options.BaselineDays * 24.0), 4), [.. burst.Select(c => c.CaseId)], theme);
            start = end = last;
            start++;
        }
    }

    private static int Customers(List<IncidentCase> list, int start, int end)
    {
        var customers = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int i = start; i <= end; i++)
        {
            // Cases without a customer count as one unknown customer together: "many customers" must be seen, not assumed.
            customers.Add(list[i].Customer ?? "");
        }

        return customers.Count;
    }

    [GeneratedRegex(@"^[vV]?\d+(\.\d+)*$")]
    private static partial Regex VersionLike();

    [GeneratedRegex(@"[vV]?\d+\.\d+")]
    private static partial Regex ReleaseLine();
}
