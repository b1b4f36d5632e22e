using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Cases;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Matching;
using TicketOps.Core.Storage;
using TicketOps.Core.Themes;

namespace TicketOps.Core.Routing;

/// <summary>Settings of <see cref="OwnershipAdvisor"/>; docs/queue-and-feedback.md gives the reasons for the defaults.</summary>
public sealed record OwnershipAdvisorOptions
{
    /// <summary>The defaults.</summary>
    public static OwnershipAdvisorOptions Default { get; } = new();

    /// <summary>How many similar resolved cases are asked for.</summary>
    public int SimilarCases { get; init; } = 10;

    /// <summary>A case votes only when its score is at least this share of the most similar case's score.</summary>
    public double RelativeScore { get; init; } = 0.7;

    /// <summary>Fewer voting cases than this: not enough evidence.</summary>
    public int MinCases { get; init; } = 3;

    /// <summary>The leading depth needs at least this share of the score-weighted votes, else the cases disagree.</summary>
    public double MinAgreement { get; init; } = 0.6;

    /// <summary>The incident rule used to see whether the ticket's pattern is surging right now.</summary>
    public IncidentRuleOptions Incidents { get; init; } = IncidentRuleOptions.Default;
}

/// <summary>
/// Advises the depth a ticket belongs at from three things: where the most similar resolved cases were
/// finally solved (a score-weighted vote), the matching playbook's escalation criteria (shown beside the
/// advice), and whether cases quoting the ticket's identifier are arriving in a burst right now (then
/// incident handling). It abstains rather than guess when the cases are few or disagree.
/// </summary>
/// <param name="matcher">The matcher (its resolved cases are the evidence).</param>
/// <param name="options">Settings; <see cref="OwnershipAdvisorOptions.Default"/> when null.</param>
public sealed class OwnershipAdvisor(TicketMatcher matcher, OwnershipAdvisorOptions? options = null)
{
    private readonly TicketMatcher _matcher = matcher ?? throw new ArgumentNullException(nameof(matcher));

    /// <summary>The settings.</summary>
    public OwnershipAdvisorOptions Options { get; } = options ?? OwnershipAdvisorOptions.Default;

    /// <summary>Advises a depth for a ticket.</summary>
    /// <param name="db">The database the similar cases and recent arrivals are read from.</param>
    /// <param name="text">The ticket's text.</param>
    /// <param name="filter">The match's filters (product, version...); only resolved cases are considered.</param>
    /// <param name="knowledgeIds">The knowledge the ticket matched, best first: the first playbook's template gives the escalation criteria.</param>
    /// <param name="asOf">Now (UTC): cases opened in the incident window before it count as a surge; only cases created before it are evidence.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    public async Task<OwnershipAdvice> AdviseAsync(
        TicketOpsDbContext db, string text, MatchFilter? filter, IReadOnlyList<string> knowledgeIds, DateTime asOf, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(knowledgeIds);
        MatchResult similar = await _matcher.MatchAsync(
            new MatchRequest
            {
                Text = text,
                MaxResults = Options.SimilarCases,
                Filter = (filter ?? MatchFilter.None) with { Kinds = new HashSet<MatchDocumentKind> { MatchDocumentKind.Case }, CreatedBefore = asOf },
            },
            cancellationToken);
        List<AdviceCase> cases = await CasesAsync(db, similar, cancellationToken);
        IncidentSignal? surge = await SurgeAsync(db, text, asOf, cancellationToken);
        (string? criteria, string? template) = await CriteriaAsync(db, knowledgeIds, cancellationToken);
        return Decide(cases, surge, criteria, template, Options);
    }

    /// <summary>The decision itself, on facts already gathered (the benchmark calls it directly).</summary>
    public static OwnershipAdvice Decide(IReadOnlyList<AdviceCase> cases, IncidentSignal? surge, string? escalateWhen, string? criteriaFrom, OwnershipAdvisorOptions options)
    {
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(options);
        List<AdviceCase> voting = cases.Count == 0 ? [] : [.. cases.Where(c => c.Score >= options.RelativeScore * cases[0].Score)];
        var votes = voting.GroupBy(c => c.FinalDepth).Select(g => new DepthVotes(g.Key, g.Count())).OrderByDescending(v => v.Depth).ToList();
        var advice = new OwnershipAdvice { Reason = "", Votes = votes, Cases = voting, EscalateWhen = escalateWhen, CriteriaFrom = criteriaFrom, Surge = surge };
        if (surge is not null)
        {
            return advice with
            {
                Depth = OwnershipDepth.Incident,
                Agreement = null,
                Reason = $"{surge.Cases} cases quoting {surge.Identifier} on {surge.VersionLine} from {surge.Customers} customers since {surge.FirstAt:yyyy-MM-dd HH:mm} UTC (first {surge.FirstCase}): open incident handling instead of working it alone.",
            };
        }

        if (voting.Count < options.MinCases)
        {
            return advice with { Reason = $"Not enough evidence: {voting.Count} similar resolved case{(voting.Count == 1 ? "" : "s")} (at least {options.MinCases} needed)." };
        }

        // A past incident's cases were solved for the customer by the incident's fix: for a new, lone ticket of
        // that pattern the useful depth is where the fix came from, engineering.
        var weights = voting.GroupBy(c => c.FinalDepth == OwnershipDepth.Incident ? OwnershipDepth.Engineering : c.FinalDepth)
            .Select(g => (Depth: g.Key, Weight: g.Sum(c => c.Score)))
            .OrderByDescending(w => w.Weight).ThenBy(w => w.Depth)
            .ToList();
        double total = weights.Sum(w => w.Weight);
        (OwnershipDepth leading, double weight) = weights[0];
        double agreement = Math.Round(weight / total, 3);
        string split = string.Join(", ", votes.Select(v => $"{v.Cases} {OwnershipDepths.Name(v.Depth)}"));
        if (agreement < options.MinAgreement)
        {
            return advice with { Agreement = agreement, Reason = $"Not enough evidence: the {voting.Count} most similar cases disagree ({split})." };
        }

        int deeper = voting.Count(c => c.FinalDepth > leading);
        string reason = $"{split} among the {voting.Count} most similar resolved cases.";
        if (leading < OwnershipDepth.Engineering && deeper > 0 && escalateWhen is not null)
        {
            reason += $" {deeper} went deeper: escalate when {criteriaFrom} says so.";
        }

        return advice with { Depth = leading, Agreement = agreement, Reason = reason };
    }

    private static async Task<List<AdviceCase>> CasesAsync(TicketOpsDbContext db, MatchResult similar, CancellationToken cancellationToken)
    {
        var items = similar.Items.Where(i => i.Kind == MatchDocumentKind.Case).ToList();
        if (items.Count == 0)
        {
            return [];
        }

        // Case documents are "case:{source}:{external id}"; external ids are unique per source.
        var keys = items.Select(i => i.Id["case:".Length..]).ToList();
        var externalIds = keys.Select(k => k[(k.IndexOf(':', StringComparison.Ordinal) + 1)..]).Distinct().ToList();
        List<SupportCase> stored = await db.Cases.AsNoTracking().Where(c => externalIds.Contains(c.ExternalId) && c.ResolvedAt != null).ToListAsync(cancellationToken);
        var byKey = stored.ToDictionary(c => c.Source + ":" + c.ExternalId, StringComparer.Ordinal);
        var cases = new List<AdviceCase>(items.Count);
        for (int i = 0; i < items.Count; i++)
        {
            if (byKey.TryGetValue(keys[i], out SupportCase? c) && OwnershipDepths.FinalDepth(c) is { } depth)
            {
                cases.Add(new AdviceCase(c.ExternalId, c.Title, depth, Math.Round(items[i].Score, 4), OwnershipDepths.OwnerChanges(c.Handoffs)));
            }
        }

        return cases;
    }

    private async Task<IncidentSignal?> SurgeAsync(TicketOpsDbContext db, string text, DateTime asOf, CancellationToken cancellationToken)
    {
        var identifiers = IncidentRule.Identifiers(text).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (identifiers.Count == 0)
        {
            return null;
        }

        IncidentRuleOptions rule = Options.Incidents;
        DateTime from = asOf - rule.Window - TimeSpan.FromDays(rule.BaselineDays);
        DateTime recent = asOf - rule.Window;

        // Only keys quoted in the window can surge; their baseline needs the earlier days too.
        List<IncidentCase> window = await RecentAsync(db, recent, asOf, cancellationToken);
        var hot = window.Where(c => IncidentRule.Identifiers(c.Text).Any(identifiers.Contains)).ToList();
        if (hot.Count + 1 < rule.MinCases)
        {
            return null;
        }

        List<IncidentCase> baseline = await RecentAsync(db, from, recent, cancellationToken);
        IEnumerable<IncidentCase> evidence = baseline.Concat(hot).Append(new IncidentCase("ticket", "(this ticket)", asOf, text, hot[^1].Version, null));
        return IncidentRule.Detect(evidence, rule, historyFrom: from)
            .Where(s => identifiers.Contains(s.Identifier) && s.FlaggedAt >= recent)
            .OrderByDescending(s => s.Cases)
            .FirstOrDefault();
    }

    private static Task<List<IncidentCase>> RecentAsync(TicketOpsDbContext db, DateTime from, DateTime to, CancellationToken cancellationToken) =>
        db.Cases.AsNoTracking()
            .Where(c => c.CreatedAt >= from && c.CreatedAt < to)
            .Select(c => new IncidentCase(c.Id.ToString(), c.ExternalId, c.CreatedAt, c.Title + "\n" + c.Description, c.Version, c.Customer))
            .ToListAsync(cancellationToken);

    private static async Task<(string? Criteria, string? Template)> CriteriaAsync(TicketOpsDbContext db, IReadOnlyList<string> knowledgeIds, CancellationToken cancellationToken)
    {
        if (knowledgeIds.Count == 0)
        {
            return (null, null);
        }

        var articles = await db.Set<KnowledgeArticle>().AsNoTracking().Where(a => knowledgeIds.Contains(a.Id)).ToListAsync(cancellationToken);
        foreach (string id in knowledgeIds)
        {
            KnowledgeArticle? article = articles.FirstOrDefault(a => a.Id == id);
            string? templateId = article?.Type == KnowledgeType.Template ? article.Id : article?.TemplateId;
            if (templateId is null)
            {
                continue;
            }

            KnowledgeArticle? template = article!.Id == templateId ? article
                : await db.Set<KnowledgeArticle>().AsNoTracking().SingleOrDefaultAsync(a => a.Id == templateId, cancellationToken);
            if (template?.Section("When to escalate") is { Length: > 0 } criteria)
            {
                return (FirstSentence(criteria), template.Id);
            }
        }

        return (null, null);
    }

    // The first sentence carries the rule; the rest of the section is detail for the template's reader.
    private static string FirstSentence(string text)
    {
        string flat = string.Join(' ', text.Split(['\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        int end = flat.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? flat[..(end + 1)] : flat;
    }
}
