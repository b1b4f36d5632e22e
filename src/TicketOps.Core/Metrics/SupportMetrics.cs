using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Cases;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Storage;

namespace TicketOps.Core.Metrics;

/// <summary>
/// Computes the BRIEF's operations and KCS metrics from stored cases, knowledge and
/// <see cref="KnowledgeEvent"/>s. The definitions, as implemented, are in docs/knowledge-and-metrics.md.
/// </summary>
public static class SupportMetrics
{
    /// <summary>Computes every metric for the window, product area and team of <paramref name="query"/>.</summary>
    /// <param name="db">The database.</param>
    /// <param name="query">The window and filters; must have no <see cref="MetricsQuery.Problem"/>.</param>
    /// <param name="cancellationToken">Cancels the queries.</param>
    public static async Task<SupportMetricsReport> ComputeAsync(TicketOpsDbContext db, MetricsQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(query);
        if (query.Problem is { } problem)
        {
            throw new ArgumentException(problem, nameof(query));
        }

        CaseSet data = await CaseSet.LoadAsync(db, query, cancellationToken);
        long[] returned = [.. data.Cases.Where(c => c.EscalationReturnedForMissingContext).Select(c => c.Id)];
        var packetTemplates = new Dictionary<long, string?>();
        foreach (long[] chunk in returned.Chunk(2_000))
        {
            var packets = await db.Set<Escalation.StoredEscalationPacket>().AsNoTracking()
                .Where(p => chunk.Contains(p.CaseId))
                .Select(p => new { p.CaseId, p.Id, p.CreatedAt, p.TemplateId })
                .ToListAsync(cancellationToken);
            foreach (var newest in packets.GroupBy(p => p.CaseId).Select(g => g.OrderByDescending(p => p.CreatedAt).ThenByDescending(p => p.Id).First()))
            {
                packetTemplates[newest.CaseId] = newest.TemplateId;
            }
        }

        return new SupportMetricsReport
        {
            From = query.From,
            To = query.To,
            ProductArea = query.ProductArea,
            Team = query.Team,
            TimeToFirstEvidence = TimeToFirstEvidence(data, query),
            SolveWithoutEngineeringRate = SolveWithoutEngineering(data, query),
            EscalationReworkRate = EscalationRework(data, query),
            WorkflowReuseCount = WorkflowReuse(data, query),
            RepeatCaseRate = RepeatCase(data, query),
            LinkRate = LinkRate(data, query),
            Reuse = Reuse(data, query),
            NewVsKnown = NewVsKnown(data, query),
            BounceRate = Bounce(data, query),
            AdviceFollowedRate = AdviceFollowed(data, query),
            AdviceMatchedFinalRate = AdviceMatchedFinal(data, query),
            EscalationQuality = Escalation.EscalationQualityMetric.Compute(data.Cases, data.Articles, packetTemplates, query),
        };
    }

    /// <summary>
    /// The metrics per calendar month (UTC) of the query's window, for trends and charts: one report per
    /// month, the first and last cut to the window.
    /// </summary>
    /// <param name="db">The database.</param>
    /// <param name="query">The whole window and the filters.</param>
    /// <param name="cancellationToken">Cancels the queries.</param>
    public static async Task<IReadOnlyList<SupportMetricsReport>> ComputeMonthlyAsync(TicketOpsDbContext db, MetricsQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var reports = new List<SupportMetricsReport>();
        var monthStart = new DateTime(query.From.Year, query.From.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        for (DateTime start = monthStart; start < query.To; start = start.AddMonths(1))
        {
            DateTime from = start < query.From ? query.From : start;
            DateTime to = start.AddMonths(1) > query.To ? query.To : start.AddMonths(1);
            reports.Add(await ComputeAsync(db, query with { From = from, To = to }, cancellationToken));
        }

        return reports;
    }

    /// <summary>
    /// Content health as of <paramref name="asOf"/>: articles with open flags, validated articles unused for
    /// <paramref name="unusedDays"/> days, articles that often did not help, and archived or superseded ones.
    /// </summary>
    /// <param name="db">The database.</param>
    /// <param name="asOf">The reference time (UTC).</param>
    /// <param name="unusedDays">Days without a link after which a validated article counts as unused.</param>
    /// <param name="didNotHelpMinimum">"Did not help" votes needed (and at least as many as "helped") to be listed.</param>
    /// <param name="cancellationToken">Cancels the queries.</param>
    public static async Task<ContentHealthReport> ContentHealthAsync(
        TicketOpsDbContext db, DateTime asOf, int unusedDays = 90, int didNotHelpMinimum = 3, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        List<KnowledgeArticle> articles = await db.Set<KnowledgeArticle>().AsNoTracking().OrderBy(a => a.Id).ToListAsync(cancellationToken);
        List<KnowledgeEvent> events = await db.Set<KnowledgeEvent>().AsNoTracking().Where(e => e.At < asOf).ToListAsync(cancellationToken);
        var importedLinks = await db.Cases.AsNoTracking()
            .Select(c => new { c.LinkedKnowledgeIds, c.ResolvedAt, c.CreatedAt })
            .ToListAsync(cancellationToken);

        var lastUsed = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        void Use(string id, DateTime at)
        {
            if (at < asOf && (!lastUsed.TryGetValue(id, out DateTime seen) || at > seen))
            {
                lastUsed[id] = at;
            }
        }

        foreach (KnowledgeEvent e in events.Where(e => e.Kind == KnowledgeEventKind.Used))
        {
            Use(e.KnowledgeId, e.At);
        }

        foreach (var c in importedLinks)
        {
            foreach (string id in c.LinkedKnowledgeIds)
            {
                Use(id, c.ResolvedAt ?? c.CreatedAt);
            }
        }

        DateTime unusedSince = asOf.AddDays(-unusedDays);
        var flagged = new List<FlaggedArticle>();
        var unused = new List<UnusedArticle>();
        var didNotHelp = new List<UnhelpfulArticle>();
        var retired = new List<RetiredArticle>();
        foreach (KnowledgeArticle article in articles)
        {
            var mine = events.Where(e => e.KnowledgeId == article.Id).ToList();
            int openFlags = mine.Count(e => e.Kind == KnowledgeEventKind.Flagged && (e.ResolvedAt is null || e.ResolvedAt >= asOf));
            if (openFlags > 0)
            {
                flagged.Add(new(article.Id, article.Title, article.Owner, openFlags));
            }

            DateTime created = article.Created.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            DateTime? used = lastUsed.TryGetValue(article.Id, out DateTime u) ? u : null;
            if (article.State == KnowledgeState.Validated && created < unusedSince && (used is null || used < unusedSince))
            {
                unused.Add(new(article.Id, article.Title, article.Owner, used));
            }

            int helped = mine.Count(e => e.Kind == KnowledgeEventKind.Helped);
            int notHelped = mine.Count(e => e.Kind == KnowledgeEventKind.DidNotHelp);
            if (notHelped >= didNotHelpMinimum && notHelped >= helped)
            {
                didNotHelp.Add(new(article.Id, article.Title, article.Owner, helped, notHelped));
            }

            if (article.State == KnowledgeState.Archived || article.SupersededBy is not null)
            {
                retired.Add(new(article.Id, article.Title, article.State, article.SupersededBy));
            }
        }

        return new ContentHealthReport(asOf, unusedDays, flagged, unused, didNotHelp, retired);
    }

    private static TimeToFirstEvidenceMetric TimeToFirstEvidence(CaseSet data, MetricsQuery query)
    {
        var resolvedTechnical = data.Cases.Where(c => c.IsTechnical && query.Contains(c.ResolvedAt)).ToList();
        var hours = resolvedTechnical
            .Where(c => c.AssignedAt is not null && c.FirstEvidenceAt is not null && c.FirstEvidenceAt >= c.AssignedAt)
            .Select(c => (c.FirstEvidenceAt!.Value - c.AssignedAt!.Value).TotalHours)
            .Order()
            .ToList();
        return new TimeToFirstEvidenceMetric(
            Median(hours), NearestRank(hours, 0.9), hours.Count, resolvedTechnical.Count, resolvedTechnical.Count - hours.Count);
    }

    private static RateMetric SolveWithoutEngineering(CaseSet data, MetricsQuery query)
    {
        var resolvedTechnical = data.Cases.Where(c => c.IsTechnical && query.Contains(c.ResolvedAt)).ToList();
        return RateMetric.Of(resolvedTechnical.Count(c => !c.EngineeringInvolved && c.EscalatedAt is null), resolvedTechnical.Count);
    }

    private static RateMetric EscalationRework(CaseSet data, MetricsQuery query)
    {
        var escalated = data.Cases.Where(c => query.Contains(c.EscalatedAt)).ToList();
        return RateMetric.Of(escalated.Count(c => c.EscalationReturnedForMissingContext), escalated.Count);
    }

    private static WorkflowReuseMetric WorkflowReuse(CaseSet data, MetricsQuery query)
    {
        var converted = data.Articles
            .Where(a => a.State == KnowledgeState.Validated && a.SourceCaseIds.Count > 0 && Start(a) < query.To)
            .Where(a => query.ProductArea is null || a.ProductAreas.Contains(query.ProductArea))
            .ToList();
        var perPlaybook = converted
            .Where(a => a.Type == KnowledgeType.Playbook)
            .Select(a => new PlaybookReuse(
                a.Id,
                a.Title,
                data.Links.Where(l => l.KnowledgeId == a.Id && query.Contains(l.At))
                    .Select(l => data.CaseById[l.CaseId])
                    .Where(c => c.CreatedAt >= Start(a) && !a.SourceCaseIds.Contains(c.ExternalId))
                    .Select(c => c.Id)
                    .Distinct()
                    .Count()))
            .ToList();
        return new WorkflowReuseMetric(converted.Count, converted.Count(a => query.Contains(Start(a))), perPlaybook);
    }

    private static RateMetric RepeatCase(CaseSet data, MetricsQuery query)
    {
        int matched = 0;
        int followed = 0;
        foreach (SupportCase c in data.Cases.Where(c => query.Contains(c.CreatedAt)))
        {
            var existingPlaybooks = data.EventsByCase[c.Id]
                .Where(e => e.Kind == KnowledgeEventKind.Suggested)
                .Select(e => data.ArticleById.GetValueOrDefault(e.KnowledgeId))
                .Where(a => a is { Type: KnowledgeType.Playbook } && ExistedBefore(a, c))
                .Select(a => a!.Id)
                .ToHashSet(StringComparer.Ordinal);
            if (existingPlaybooks.Count == 0)
            {
                continue;
            }

            matched++;
            if (data.LinkedIds(c.Id).Overlaps(existingPlaybooks))
            {
                followed++;
            }
        }

        return RateMetric.Of(followed, matched);
    }

    private static RateMetric LinkRate(CaseSet data, MetricsQuery query)
    {
        var closed = data.Cases.Where(c => query.Contains(c.ResolvedAt)).ToList();
        return RateMetric.Of(closed.Count(c => data.LinkedIds(c.Id).Count > 0), closed.Count);
    }

    private static ReuseMetric Reuse(CaseSet data, MetricsQuery query)
    {
        var links = data.Links.Where(l => query.Contains(l.At) && data.ArticleById.ContainsKey(l.KnowledgeId)).ToList();
        int toSource = links.Count(l => data.ArticleById[l.KnowledgeId].SourceCaseIds.Contains(data.CaseById[l.CaseId].ExternalId));
        int reuse = links.Count - toSource;
        int newKnowledge = data.Articles.Count(a =>
            a.State != KnowledgeState.Draft && query.Contains(Start(a))
            && (query.ProductArea is null || a.ProductAreas.Contains(query.ProductArea)));
        bool? healthy = reuse == 0 && newKnowledge == 0 ? null : reuse >= newKnowledge;
        return new ReuseMetric(reuse, links.Count, toSource, newKnowledge, healthy);
    }

    private static NewVsKnownMetric NewVsKnown(CaseSet data, MetricsQuery query)
    {
        var closed = data.Cases.Where(c => query.Contains(c.ResolvedAt)).ToList();
        int known = 0;
        int created = 0;
        foreach (SupportCase c in closed)
        {
            var articles = data.LinkedIds(c.Id).Select(id => data.ArticleById.GetValueOrDefault(id)).OfType<KnowledgeArticle>().ToList();
            if (articles.Count == 0)
            {
                continue;
            }

            if (articles.Any(a => ExistedBefore(a, c) && !a.SourceCaseIds.Contains(c.ExternalId)))
            {
                known++;
            }
            else
            {
                created++;
            }
        }

        int solved = known + created;
        return new NewVsKnownMetric(
            solved == 0 ? null : (double)known / solved,
            solved == 0 ? null : (double)created / solved,
            known,
            created,
            closed.Count,
            closed.Count - solved);
    }

    // Only cases whose source gave an ownership history can be judged; the others are neither bounced nor not.
    private static RateMetric Bounce(CaseSet data, MetricsQuery query)
    {
        var withHistory = data.Cases.Where(c => query.Contains(c.ResolvedAt) && c.Handoffs.Count > 0).ToList();
        return RateMetric.Of(withHistory.Count(c => OwnershipDepths.OwnerChanges(c.Handoffs) >= 2), withHistory.Count);
    }

    private static RateMetric AdviceFollowed(CaseSet data, MetricsQuery query)
    {
        var advised = data.Decisions.Where(d => query.Contains(d.At) && d.Advised is not null).ToList();
        return RateMetric.Of(advised.Count(d => d.Followed == true), advised.Count);
    }

    // The last decision per case counts: the depth advised when it was finally routed.
    private static RateMetric AdviceMatchedFinal(CaseSet data, MetricsQuery query)
    {
        var last = data.Decisions.Where(d => d.Advised is not null && query.Contains(data.CaseById[d.CaseId].ResolvedAt))
            .GroupBy(d => d.CaseId)
            .Select(g => g.OrderBy(d => d.At).ThenBy(d => d.Id).Last())
            .ToList();
        return RateMetric.Of(last.Count(d => d.Advised == OwnershipDepths.FinalDepth(data.CaseById[d.CaseId])), last.Count);
    }

    /// <summary>
    /// Knowledge "existed before the case opened" when it was created on an earlier day: article dates
    /// have day precision, and a same-day article is counted as new so the known share is never flattered.
    /// </summary>
    private static bool ExistedBefore(KnowledgeArticle? article, SupportCase supportCase) =>
        article is not null && article.Created < DateOnly.FromDateTime(supportCase.CreatedAt);

    private static DateTime Start(KnowledgeArticle article) => article.Created.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    private static double? Median(List<double> sorted) => sorted.Count == 0
        ? null
        : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;

    /// <summary>Nearest-rank percentile: the smallest value with at least <paramref name="p"/> of the values at or below it.</summary>
    private static double? NearestRank(List<double> sorted, double p) =>
        sorted.Count == 0 ? null : sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1)];

    /// <summary>A link of a case to knowledge: a Used event, or a link the ticket system reported at import.</summary>
    private sealed record CaseLink(long CaseId, string KnowledgeId, DateTime At);

    /// <summary>The cases of the filter that were alive during the window, their events, links and all articles.</summary>
    private sealed class CaseSet
    {
        public required List<SupportCase> Cases { get; init; }

        public required Dictionary<long, SupportCase> CaseById { get; init; }

        public required ILookup<long, KnowledgeEvent> EventsByCase { get; init; }

        public required List<KnowledgeArticle> Articles { get; init; }

        public required Dictionary<string, KnowledgeArticle> ArticleById { get; init; }

        public required List<CaseLink> Links { get; init; }

        public required List<Routing.OwnershipDecision> Decisions { get; init; }

        private ILookup<long, CaseLink> LinksByCase => _linksByCase ??= Links.ToLookup(l => l.CaseId);

        private ILookup<long, CaseLink>? _linksByCase;

        public HashSet<string> LinkedIds(long caseId) => LinksByCase[caseId].Select(l => l.KnowledgeId).ToHashSet(StringComparer.Ordinal);

        public static async Task<CaseSet> LoadAsync(TicketOpsDbContext db, MetricsQuery query, CancellationToken cancellationToken)
        {
            // Every metric looks at cases created, escalated or resolved in the window, and links made in it;
            // a case that was closed before the window started or opened after it ended plays no part.
            IQueryable<SupportCase> cases = db.Cases.AsNoTracking()
                .Where(c => c.CreatedAt < query.To && (c.ResolvedAt == null || c.ResolvedAt >= query.From));
            if (query.ProductArea is not null)
            {
                cases = cases.Where(c => c.Product == query.ProductArea);
            }

            if (query.Team is not null)
            {
                cases = cases.Where(c => c.Team == query.Team);
            }

            List<SupportCase> caseList = await cases.OrderBy(c => c.Id).ToListAsync(cancellationToken);
            List<KnowledgeEvent> events = await (
                from e in db.Set<KnowledgeEvent>().AsNoTracking()
                join c in cases on e.CaseId equals c.Id
                select e).ToListAsync(cancellationToken);
            List<KnowledgeArticle> articles = await db.Set<KnowledgeArticle>().AsNoTracking().OrderBy(a => a.Id).ToListAsync(cancellationToken);
            List<Routing.OwnershipDecision> decisions = await (
                from d in db.Set<Routing.OwnershipDecision>().AsNoTracking()
                join c in cases on d.CaseId equals c.Id
                select d).ToListAsync(cancellationToken);

            // One link per (case, article): the first Used event, else the ticket system's link, timed at the
            // case's resolution (or creation while open) because imports carry no link time.
            var links = new Dictionary<(long, string), CaseLink>();
            foreach (KnowledgeEvent e in events.Where(e => e.Kind == KnowledgeEventKind.Used).OrderBy(e => e.At))
            {
                links.TryAdd((e.CaseId, e.KnowledgeId), new CaseLink(e.CaseId, e.KnowledgeId, e.At));
            }

            foreach (SupportCase c in caseList)
            {
                foreach (string id in c.LinkedKnowledgeIds)
                {
                    links.TryAdd((c.Id, id), new CaseLink(c.Id, id, c.ResolvedAt ?? c.CreatedAt));
                }
            }

            return new CaseSet
            {
                Cases = caseList,
                CaseById = caseList.ToDictionary(c => c.Id),
                EventsByCase = events.ToLookup(e => e.CaseId),
                Articles = articles,
                ArticleById = articles.ToDictionary(a => a.Id, StringComparer.Ordinal),
                Links = [.. links.Values],
                Decisions = decisions,
            };
        }
    }
}
