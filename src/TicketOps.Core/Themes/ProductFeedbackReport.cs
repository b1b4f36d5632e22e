using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Cases;
using TicketOps.Core.Escalation;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Metrics;
using TicketOps.Core.Mining;
using TicketOps.Core.Storage;

namespace TicketOps.Core.Themes;

/// <summary>The outcome of <see cref="ProductFeedbackReport.BuildAsync"/>: the reports, or why there are none.</summary>
/// <param name="Reports">One per theme, most cases in the window first; empty on failure.</param>
/// <param name="Problem">What was wrong; null on success.</param>
/// <param name="ThemeNotFound">True when the named theme does not exist (or was retired).</param>
public sealed record FeedbackReportResult(IReadOnlyList<ProductFeedback> Reports, string? Problem, bool ThemeNotFound = false)
{
    /// <summary>True when the reports could be built (possibly none, when no theme has cases in the window).</summary>
    public bool Succeeded => Problem is null;
}

/// <summary>
/// Writes recurring themes up for the product team (issue 16, part 3): per theme the friction in one line,
/// volume over time, customers, product areas and versions affected, engineering hours, escalation and
/// rework share, representative cases with their evidence, the workaround in use and the open question.
/// </summary>
public static partial class ProductFeedbackReport
{
    /// <summary>Representative cases per report.</summary>
    public const int RepresentativeCount = 3;

    /// <summary>Builds the reports of the query's themes from the last mining run's clusters.</summary>
    public static async Task<FeedbackReportResult> BuildAsync(TicketOpsDbContext db, FeedbackReportQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(query);
        if (query.Problem is { } problem)
        {
            return new FeedbackReportResult([], problem);
        }

        List<MinedCluster> clusters = await db.Set<MinedCluster>().AsNoTracking()
            .Where(c => c.RetiredAt == null && (query.ThemeId == null || c.Id == query.ThemeId))
            .OrderBy(c => c.Id)
            .ToListAsync(cancellationToken);
        if (query.ThemeId is not null && clusters.Count == 0)
        {
            return new FeedbackReportResult([], $"No active theme '{query.ThemeId}'; 'ticketops themes --format json' lists the ids (cluster_id).", ThemeNotFound: true);
        }

        var ids = clusters.SelectMany(c => c.MemberCaseIds.Concat(c.OpenCaseIds))
            .Select(id => long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out long value) ? value : -1)
            .Where(id => id > 0)
            .ToHashSet();
        var cases = new Dictionary<long, SupportCase>();
        var packets = new Dictionary<long, EscalationPacket>();
        foreach (long[] chunk in ids.Chunk(2_000))
        {
            foreach (SupportCase c in await db.Cases.AsNoTracking()
                .Where(c => chunk.Contains(c.Id) && c.CreatedAt >= query.From && c.CreatedAt < query.To)
                .ToListAsync(cancellationToken))
            {
                cases[c.Id] = c;
            }

            // The newest packet per case: it holds the evidence and question support finally sent.
            var stored = await db.Set<StoredEscalationPacket>().AsNoTracking()
                .Where(p => chunk.Contains(p.CaseId))
                .Select(p => new { p.CaseId, p.CreatedAt, p.Id, p.PacketJson })
                .ToListAsync(cancellationToken);
            foreach (var newest in stored.GroupBy(p => p.CaseId).Select(g => g.OrderByDescending(p => p.CreatedAt).ThenByDescending(p => p.Id).First()))
            {
                if (JsonSerializer.Deserialize<EscalationPacket>(newest.PacketJson, EscalationService.PacketJson) is { } packet)
                {
                    packets[newest.CaseId] = packet;
                }
            }
        }

        Dictionary<string, string> playbooks = await db.Set<KnowledgeArticle>().AsNoTracking()
            .Where(a => a.Type == KnowledgeType.Playbook)
            .ToDictionaryAsync(a => a.Id, a => a.Title, StringComparer.Ordinal, cancellationToken);
        // The same rule as the themes report: far less cohesive than the median theme means several problems under one label.
        double[] cohesions = [.. (await db.Set<MinedCluster>().AsNoTracking().Where(c => c.RetiredAt == null).Select(c => c.Cohesion).ToListAsync(cancellationToken)).Where(c => c > 0).Order()];
        double median = cohesions.Length == 0 ? 0 : cohesions[cohesions.Length / 2];
        var reports = new List<ProductFeedback>();
        foreach (MinedCluster cluster in clusters)
        {
            List<SupportCase> members = [.. cluster.MemberCaseIds.Concat(cluster.OpenCaseIds)
                .Select(id => long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out long value) ? cases.GetValueOrDefault(value) : null)
                .OfType<SupportCase>()];
            if (members.Count > 0 || query.ThemeId is not null)
            {
                reports.Add(Compose(cluster.Id, cluster.Label, members, packets, playbooks, query) with
                {
                    Mixed = cluster.Cohesion > 0 && cluster.Cohesion < median - new ThemeTrackerOptions().MixedCohesionGap,
                });
            }
        }

        return new FeedbackReportResult(
            [.. reports.OrderBy(r => r.Mixed).ThenByDescending(r => r.Cases).ThenBy(r => r.ThemeId, StringComparer.Ordinal).Take(query.ThemeId is null ? query.Top : 1)],
            null);
    }

    /// <summary>
    /// The report of one theme from its cases in the window, most central first (open cases after the
    /// resolved ones), the newest escalation packet per case, and playbook titles by id.
    /// </summary>
    public static ProductFeedback Compose(
        string themeId, string label, IReadOnlyList<SupportCase> cases, IReadOnlyDictionary<long, EscalationPacket> packets,
        IReadOnlyDictionary<string, string> playbooks, FeedbackReportQuery query)
    {
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(packets);
        ArgumentNullException.ThrowIfNull(playbooks);
        ArgumentNullException.ThrowIfNull(query);
        List<SupportCase> inWindow = [.. cases.Where(c => c.CreatedAt >= query.From && c.CreatedAt < query.To)];
        List<SupportCase> resolved = [.. inWindow.Where(c => c.IsResolved)];
        List<SupportCase> engineering = [.. resolved.Where(Engineering)];
        List<CountedValue> causes = Counted(resolved.Select(c => c.Cause is { Length: > 0 } cause ? new[] { cause } : []));
        int customers = inWindow.Select(c => c.Customer).OfType<string>().Where(c => c.Length > 0).Distinct(StringComparer.Ordinal).Count();
        List<CountedValue> productAreas = Tally(inWindow.Select(c => c.Product));
        List<CountedValue> versions = Tally(inWindow.Select(c => c.Version));
        EngineeringTime hours = Hours(engineering);

        return new ProductFeedback
        {
            ThemeId = themeId,
            Label = label,
            From = query.From,
            To = query.To,
            Friction = Friction(label, inWindow, causes, customers, productAreas, versions),
            Cases = inWindow.Count,
            Open = inWindow.Count - resolved.Count,
            Volume = Volume(inWindow, query),
            Customers = customers,
            CasesWithoutCustomer = inWindow.Count(c => string.IsNullOrWhiteSpace(c.Customer)),
            TopCustomers = [.. Tally(inWindow.Select(c => c.Customer)).Take(10)],
            ProductAreas = productAreas,
            Components = Tally(inWindow.Select(c => c.Component)),
            Versions = versions,
            Causes = causes,
            EngineeringHours = hours,
            EscalationShare = RateMetric.Of(engineering.Count, resolved.Count),
            ReworkShare = RateMetric.Of(engineering.Count(c => c.EscalatedAt is not null && c.EscalationReturnedForMissingContext), engineering.Count(c => c.EscalatedAt is not null)),
            RepresentativeCases = [.. resolved.Concat(inWindow.Where(c => !c.IsResolved)).Take(RepresentativeCount).Select(c => Representative(c, packets.GetValueOrDefault(c.Id)))],
            Workaround = WorkaroundOf(resolved, inWindow, playbooks),
            OpenQuestion = Question(inWindow, packets, causes, customers, hours, query),
        };
    }

    /// <summary>The report as Markdown for an issue tracker: a heading, a table of figures, the cases, the workaround and the question.</summary>
    public static string ToMarkdown(ProductFeedback report, ThemePeriod period = ThemePeriod.Month)
    {
        ArgumentNullException.ThrowIfNull(report);
        var md = new System.Text.StringBuilder();
        void Line(string text = "") => md.Append(text).Append('\n');
        string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

        Line($"## Product feedback: {report.Label}");
        Line();
        if (report.Mixed)
        {
            Line("_Mixed theme: its cases are far less alike than in the other themes; the label probably covers several problems, so read the causes before filing one issue._");
            Line();
        }

        Line($"**Friction:** {report.Friction}");
        Line();
        Line("| | |");
        Line("| --- | --- |");
        Line($"| Window | {Day(report.From)} to {Day(report.To.AddDays(-1))} |");
        Line($"| Cases | {report.Cases} ({report.Open} still open) |");
        Line($"| Customers affected | {report.Customers}{(report.CasesWithoutCustomer > 0 ? $" (+{Plural(report.CasesWithoutCustomer, "case")} without a customer)" : "")} |");
        Line($"| Product areas | {Cell(List(report.ProductAreas, 4))} |");
        Line($"| Components | {Cell(List(report.Components, 4))} |");
        Line($"| Versions | {Cell(List(report.Versions, 6))} |");
        Line($"| Engineering hours (escalation to resolution) | {HoursText(report.EngineeringHours)} |");
        Line($"| Escalated to engineering | {RateText(report.EscalationShare, "resolved cases")} |");
        Line($"| Escalations returned for missing context | {RateText(report.ReworkShare, "escalations")} |");
        Line();
        Line($"### Volume per {(period == ThemePeriod.Week ? "week" : "month")}");
        Line();
        Line($"| {(period == ThemePeriod.Week ? "week of" : "month")} | cases | escalated |");
        Line("| --- | ---: | ---: |");
        foreach (ThemeCount count in report.Volume)
        {
            Line($"| {(period == ThemePeriod.Week ? Day(count.Start) : count.Start.ToString("yyyy-MM", CultureInfo.InvariantCulture))} | {count.Count} | {count.Escalated} |");
        }

        if (report.Causes.Count > 0)
        {
            Line();
            Line("### Recorded causes");
            Line();
            foreach (CountedValue cause in report.Causes.Take(5))
            {
                Line($"- {cause.Value} ({cause.Cases} cases)");
            }
        }

        Line();
        Line("### Representative cases");
        foreach (RepresentativeCase c in report.RepresentativeCases)
        {
            Line();
            Line($"#### {c.Reference}: {c.Title}");
            Line();
            string[] facts = [$"opened {Day(c.OpenedAt)}", .. new[] { c.Version, c.Platform, c.Customer is null ? null : "customer " + c.Customer }.OfType<string>(),
                c.Escalated ? (c.Returned ? "escalated, returned for missing context" : "escalated") : c.Resolution is null ? "open" : "solved by support"];
            Line($"- {string.Join(" · ", facts)}");
            if (c.Evidence.Count > 0)
            {
                Line("- Evidence:");
                foreach ((string step, int i) in c.Evidence.Select((s, i) => (s, i)))
                {
                    Line($"  {i + 1}. {step}");
                }
            }

            if (c.Cause is not null)
            {
                // Agents often label the cause themselves ("Root cause: ..."); do not label it twice.
                Line(CauseLabel().IsMatch(c.Cause) ? $"- {c.Cause}" : $"- Cause: {c.Cause}");
            }

            if (c.Resolution is not null)
            {
                Line($"- Resolution: {c.Resolution.Replace("\n", " ", StringComparison.Ordinal)}");
            }
        }

        Line();
        Line("### Workaround in use");
        Line();
        if (report.Workaround.None)
        {
            Line($"None: no case was solved without engineering ({report.Workaround.SolvedWithoutEngineering} of the resolved cases) and no playbook is linked.");
        }
        else
        {
            if (report.Workaround.PlaybookId is not null)
            {
                Line($"Playbook {report.Workaround.PlaybookId} \"{report.Workaround.PlaybookTitle}\", linked to {report.Workaround.PlaybookCases} of the cases.");
                Line();
            }

            if (report.Workaround.Steps.Count > 0)
            {
                Line($"What support did on the {report.Workaround.SolvedWithoutEngineering} cases it solved without engineering:");
                Line();
                foreach (CountedValue step in report.Workaround.Steps)
                {
                    Line($"- {step.Value} ({step.Cases} cases)");
                }
            }
        }

        Line();
        Line("### Open question for the product team");
        Line();
        Line($"> {report.OpenQuestion.Text}");
        Line();
        Line(report.OpenQuestion.Source == OpenQuestionSources.Escalation
            ? $"_Asked in the escalation of {report.OpenQuestion.CaseReference}{(report.OpenQuestion.Asked > 1 ? $" and {report.OpenQuestion.Asked - 1} more" : "")}._"
            : "_Composed by TicketOps from the figures above: no escalation of these cases asked a question._");
        Line();
        Line($"_Theme `{report.ThemeId}` · `ticketops feedback-report --theme {report.ThemeId} --from {Day(report.From)} --to {Day(report.To)}`_");
        return md.ToString();
    }

    private static bool Engineering(SupportCase c) => c.EngineeringInvolved || c.EscalatedAt is not null;

    private static string Friction(string label, List<SupportCase> cases, List<CountedValue> causes, int customers, List<CountedValue> areas, List<CountedValue> versions)
    {
        if (cases.Count == 0)
        {
            return $"{label}: no cases in this window.";
        }

        string what = causes.Count > 0 ? causes[0].Value.TrimEnd('.') : cases[0].Title;
        string where = areas.Count > 0 ? $" in {areas[0].Value}" : "";
        string onVersions = versions.Count > 0 ? $", most on {string.Join(" and ", versions.Take(2).Select(v => v.Value))}" : "";
        return $"{what}: {Plural(cases.Count, "case")} from {Plural(customers, "customer")}{where}{onVersions}.";
    }

    private static List<ThemeCount> Volume(List<SupportCase> cases, FeedbackReportQuery query)
    {
        var series = new List<ThemeCount>();
        for (DateTime start = ThemeTracker.PeriodStart(query.From, query.Period); start < query.To;)
        {
            DateTime end = query.Period == ThemePeriod.Week ? start.AddDays(7) : start.AddMonths(1);
            var inPeriod = cases.Where(c => c.CreatedAt >= start && c.CreatedAt < end).ToList();
            series.Add(new ThemeCount(start, inPeriod.Count, inPeriod.Count(Engineering)));
            start = end;
        }

        return series;
    }

    private static EngineeringTime Hours(List<SupportCase> engineering)
    {
        double[] hours = [.. engineering
            .Where(c => c.EscalatedAt is { } at && c.ResolvedAt >= at)
            .Select(c => (c.ResolvedAt!.Value - c.EscalatedAt!.Value).TotalHours)
            .Order()];
        return new EngineeringTime(
            hours.Length == 0 ? null : Math.Round(hours.Sum(), 1),
            hours.Length == 0 ? null : Math.Round(hours.Length % 2 == 1 ? hours[hours.Length / 2] : (hours[(hours.Length / 2) - 1] + hours[hours.Length / 2]) / 2, 1),
            hours.Length,
            engineering.Count - hours.Length);
    }

    private static RepresentativeCase Representative(SupportCase c, EscalationPacket? packet)
    {
        List<string> evidence = [.. c.EvidenceSteps];
        foreach (string added in packet?.Evidence ?? [])
        {
            if (!evidence.Contains(added, StringComparer.OrdinalIgnoreCase))
            {
                evidence.Add(added);
            }
        }

        return new RepresentativeCase(
            $"{c.Source}:{c.ExternalId}", c.Title, c.CreatedAt, c.Version, c.Platform, c.Customer, evidence,
            c.IsResolved ? c.Cause : null, c.IsResolved ? c.Resolution : null, Engineering(c), c.EscalationReturnedForMissingContext);
    }

    private static Workaround WorkaroundOf(List<SupportCase> resolved, List<SupportCase> cases, IReadOnlyDictionary<string, string> playbooks)
    {
        List<SupportCase> bySupport = [.. resolved.Where(c => !Engineering(c))];
        List<CountedValue> steps = [.. Counted(bySupport.Select(c => Mining.CandidateDrafter.SplitSteps(c.Resolution))).Take(5)];
        var linked = cases.SelectMany(c => c.LinkedKnowledgeIds.Distinct(StringComparer.Ordinal))
            .Where(playbooks.ContainsKey)
            .GroupBy(id => id, StringComparer.Ordinal)
            .Select(g => (Id: g.Key, Cases: g.Count()))
            .OrderByDescending(g => g.Cases).ThenBy(g => g.Id, StringComparer.Ordinal)
            .FirstOrDefault();
        return new Workaround(steps, bySupport.Count, linked.Id, linked.Id is null ? null : playbooks[linked.Id], linked.Cases);
    }

    private static OpenQuestion Question(List<SupportCase> cases, IReadOnlyDictionary<long, EscalationPacket> packets, List<CountedValue> causes, int customers, EngineeringTime hours, FeedbackReportQuery query)
    {
        // Newest first, so at equal counts the question support asked most recently wins.
        var asked = cases.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id)
            .Select(c => (Case: c, Question: packets.GetValueOrDefault(c.Id)?.OpenQuestion))
            .Where(x => !string.IsNullOrWhiteSpace(x.Question))
            .ToList();
        if (asked.Count > 0)
        {
            var variants = new LineVariants(asked.Select(x => x.Question!));
            var best = asked.GroupBy(x => variants.GroupOf(x.Question!))
                .Select(g => (First: g.First(), Count: g.Count()))
                .OrderByDescending(g => g.Count)
                .First();
            return new OpenQuestion(best.First.Question!.Trim(), OpenQuestionSources.Escalation, $"{best.First.Case.Source}:{best.First.Case.ExternalId}", best.Count);
        }

        string cause = causes.Count > 0 ? $"\"{causes[0].Value.TrimEnd('.')}\"" : "what these cases report";
        string cost = hours.TotalHours is { } total ? $" and {total:0} hours with engineering" : "";
        return new OpenQuestion(
            $"Should the product prevent or explain {cause} (a fix, a guard or a clearer message), or is it intended behaviour to document? "
            + $"Between {Day(query.From)} and {Day(query.To.AddDays(-1))} it cost {Plural(cases.Count, "case")} from {Plural(customers, "customer")}{cost}.",
            OpenQuestionSources.Composed, null, 0);
    }

    /// <summary>Distinct lines (reworded variants counted as one) with the number of cases that have each, most first.</summary>
    private static List<CountedValue> Counted(IEnumerable<IEnumerable<string>> perCase)
    {
        var lists = perCase.Select(v => v.ToList()).ToList();
        var variants = new LineVariants(lists.SelectMany(v => v));
        var counts = new Dictionary<int, int>();
        foreach (List<string> values in lists)
        {
            foreach (int group in values.Select(variants.GroupOf).Where(g => g >= 0).Distinct())
            {
                counts[group] = counts.GetValueOrDefault(group) + 1;
            }
        }

        return [.. counts.Select(p => new CountedValue(variants.Display(p.Key), p.Value))
            .OrderByDescending(v => v.Cases).ThenBy(v => v.Value, StringComparer.Ordinal)];
    }

    private static List<CountedValue> Tally(IEnumerable<string?> values) =>
        [.. values.OfType<string>().Where(v => v.Length > 0)
            .GroupBy(v => v, StringComparer.OrdinalIgnoreCase)
            .Select(g => new CountedValue(g.Key, g.Count()))
            .OrderByDescending(v => v.Cases).ThenBy(v => v.Value, StringComparer.Ordinal)];

    private static string List(IReadOnlyList<CountedValue> values, int shown) =>
        values.Count == 0 ? "none recorded"
        : string.Join(", ", values.Take(shown).Select(v => $"{v.Value} ({v.Cases})")) + (values.Count > shown ? $", {values.Count - shown} more" : "");

    private static string HoursText(EngineeringTime time) =>
        time.TotalHours is { } total
            ? $"{total:0} h over {Plural(time.Cases, "escalated case")} (median {time.MedianHours:0.#} h){(time.Unmeasured > 0 ? $"; {time.Unmeasured} without an escalation time" : "")}"
            : time.Unmeasured > 0 ? $"n/a ({Plural(time.Unmeasured, "case")} with engineering, none with an escalation time)" : "n/a (no resolved escalation)";

    private static string RateText(RateMetric rate, string of) =>
        rate.Value is { } value ? $"{rate.Numerator} of {rate.Denominator} {of} ({value.ToString("P0", CultureInfo.InvariantCulture)})" : $"n/a (0 {of})";

    private static string Plural(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n.ToString("N0", CultureInfo.InvariantCulture)} {noun}s";

    private static string Day(DateTime at) => at.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\s*(?:root\s+)?cause\s*:", RegexOptions.IgnoreCase)]
    private static partial Regex CauseLabel();
}

/// <summary>Where an <see cref="OpenQuestion"/> came from.</summary>
public static class OpenQuestionSources
{
    /// <summary>Support asked it in an escalation packet of one of the theme's cases.</summary>
    public const string Escalation = "escalation";

    /// <summary>TicketOps composed it from the report's figures.</summary>
    public const string Composed = "composed";
}
