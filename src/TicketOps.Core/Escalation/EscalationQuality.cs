using TicketOps.Core.Cases;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Metrics;

namespace TicketOps.Core.Escalation;

/// <summary>
/// Escalation quality as the receiving team sees it: on returned escalations, what it asked for (a missing
/// evidence item, unclear ownership), counted per investigation template and month so owners can fix the
/// template. Definitions: docs/queue-and-feedback.md, "Escalation quality".
/// </summary>
/// <param name="AsksRecorded">Returned escalations in the window with at least one recorded ask ÷ returned escalations in the window.</param>
/// <param name="UnclearOwnership">Returned escalations in the window on which the receiving team said ownership was unclear.</param>
/// <param name="Templates">Per template (null id: no template applied), most asks first.</param>
public sealed record EscalationQualityMetric(RateMetric AsksRecorded, int UnclearOwnership, IReadOnlyList<TemplateAsks> Templates)
{
    /// <summary>Computes the metric over <paramref name="cases"/> for the window of <paramref name="query"/>.</summary>
    /// <param name="cases">The cases (already filtered by product area and team).</param>
    /// <param name="articles">Knowledge articles ordered by id, for the template a case follows and its items.</param>
    /// <param name="packetTemplates">Per case, the template its newest escalation packet followed (null when none).</param>
    /// <param name="query">The window.</param>
    public static EscalationQualityMetric Compute(
        IReadOnlyList<SupportCase> cases, IReadOnlyList<KnowledgeArticle> articles, IReadOnlyDictionary<long, string?> packetTemplates, MetricsQuery query)
    {
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(articles);
        ArgumentNullException.ThrowIfNull(packetTemplates);
        ArgumentNullException.ThrowIfNull(query);
        var byId = articles.ToDictionary(a => a.Id, StringComparer.Ordinal);

        // A returned escalation counts when it was returned: the time its asks were recorded, else (imports
        // that give no time) the time it was escalated.
        var returned = cases
            .Where(c => c.EscalationReturnedForMissingContext && c.EscalatedAt is not null)
            .Select(c => (Case: c, At: c.EscalationAsks.Select(a => a.At).Max() ?? c.EscalatedAt!.Value))
            .Where(x => query.Contains(x.At))
            .ToList();
        List<DateTime> months = [];
        for (var month = new DateTime(query.From.Year, query.From.Month, 1, 0, 0, 0, DateTimeKind.Utc); month < query.To; month = month.AddMonths(1))
        {
            months.Add(month);
        }

        var templates = new List<TemplateAsks>();
        foreach (var group in returned.GroupBy(x => TemplateOf(x.Case, byId, packetTemplates, articles)?.Id ?? ""))
        {
            KnowledgeArticle? template = group.Key.Length == 0 ? null : byId.GetValueOrDefault(group.Key);
            var items = new Dictionary<string, (bool InTemplate, string? Section, List<DateTime> At)>(StringComparer.OrdinalIgnoreCase);
            foreach ((SupportCase supportCase, DateTime at) in group)
            {
                var named = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                foreach (EscalationAsk ask in supportCase.EscalationAsks.Where(a => a.Kind == EscalationAskKind.MissingEvidence && !string.IsNullOrWhiteSpace(a.Item)))
                {
                    // The template's own wording when it has the item, so reworded asks add up; the ask's words when it does not.
                    (string Section, string Item)? item = template is null ? null : EscalationPacketCheck.ItemNamedBy(template, ask.Item!);
                    string key = item?.Item ?? ask.Item!.Trim();
                    if (!named.Add(key))
                    {
                        continue;
                    }

                    if (!items.TryGetValue(key, out var entry))
                    {
                        entry = (item is not null, item?.Section, []);
                        items[key] = entry;
                    }

                    entry.At.Add(at);
                }
            }

            List<DateTime> unclear = [.. group.Where(x => x.Case.EscalationAsks.Any(a => a.Kind == EscalationAskKind.UnclearOwnership)).Select(x => x.At)];
            templates.Add(new TemplateAsks(
                template?.Id,
                template?.Title ?? "(no investigation template)",
                group.Count(),
                unclear.Count,
                [.. months.Select(m => new MonthCount(m, unclear.Count(t => t >= m && t < m.AddMonths(1))))],
                [.. items
                    .Select(i => new MissedItem(i.Key, i.Value.InTemplate, i.Value.Section, i.Value.At.Count,
                        [.. months.Select(m => new MonthCount(m, i.Value.At.Count(t => t >= m && t < m.AddMonths(1))))]))
                    .OrderByDescending(i => i.Cases).ThenBy(i => i.Item, StringComparer.Ordinal)]));
        }

        return new EscalationQualityMetric(
            RateMetric.Of(returned.Count(x => x.Case.EscalationAsks.Count > 0), returned.Count),
            returned.Count(x => x.Case.EscalationAsks.Any(a => a.Kind == EscalationAskKind.UnclearOwnership)),
            [.. templates.OrderByDescending(t => t.Items.Sum(i => i.Cases) + t.UnclearOwnership).ThenBy(t => t.TemplateId ?? "~", StringComparer.Ordinal)]);
    }

    // The template the asks are about: the one recorded with them, else the one the newest packet followed,
    // else the one the case would follow now (imported returns have neither).
    private static KnowledgeArticle? TemplateOf(
        SupportCase supportCase, Dictionary<string, KnowledgeArticle> byId, IReadOnlyDictionary<long, string?> packetTemplates, IReadOnlyList<KnowledgeArticle> articles)
    {
        string? id = supportCase.EscalationAsks.Select(a => a.TemplateId).LastOrDefault(t => t is not null) ?? packetTemplates.GetValueOrDefault(supportCase.Id);
        return id is not null && byId.TryGetValue(id, out KnowledgeArticle? recorded) ? recorded : EscalationService.TemplateFor(supportCase, articles);
    }
}

/// <summary>What the receiving team asked for on the returned escalations that followed one template.</summary>
/// <param name="TemplateId">The template; null when none applied.</param>
/// <param name="Title">Its title.</param>
/// <param name="Returned">Returned escalations that followed it in the window.</param>
/// <param name="UnclearOwnership">Of those, returned because ownership was unclear.</param>
/// <param name="UnclearOwnershipMonths">The same per calendar month of the window.</param>
/// <param name="Items">Evidence items asked for, most asked first.</param>
public sealed record TemplateAsks(string? TemplateId, string Title, int Returned, int UnclearOwnership, IReadOnlyList<MonthCount> UnclearOwnershipMonths, IReadOnlyList<MissedItem> Items);

/// <summary>One evidence item the receiving team asked for.</summary>
/// <param name="Item">The template's item when it has one that the ask names, else the ask's own words.</param>
/// <param name="InTemplate">Whether the template asks for it already (then agents skipped it; else the template lacks it).</param>
/// <param name="Section">The template section it is in, when it is.</param>
/// <param name="Cases">Returned escalations that asked for it.</param>
/// <param name="Months">The same per calendar month of the window.</param>
public sealed record MissedItem(string Item, bool InTemplate, string? Section, int Cases, IReadOnlyList<MonthCount> Months);

/// <summary>A count in one calendar month.</summary>
/// <param name="Month">First day of the month (UTC).</param>
/// <param name="Cases">The count.</param>
public sealed record MonthCount(DateTime Month, int Cases);
