using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Cases;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Storage;

namespace TicketOps.Core.Mining;

/// <summary>
/// A help article customers should have had: a recurring cluster whose cases support solved without
/// engineering by explaining something or having the customer change their own configuration, with the
/// questions in the customers' own words. Separate from playbooks (those are for agents).
/// </summary>
/// <param name="ClusterId">The cluster (theme) id.</param>
/// <param name="Label">Its label.</param>
/// <param name="ProductArea">The product area most of its cases are in.</param>
/// <param name="Owner">Who should write it: the owner of the area's validated investigation template, else of the playbook linked most; null when none.</param>
/// <param name="ResolvedCases">Resolved cases of the cluster.</param>
/// <param name="EngineeringCases">Of those, with engineering involved.</param>
/// <param name="ExplainedCases">Of those, solved by an explanation or a change on the customer's side (<see cref="HelpContentGaps.SolvedByExplanation"/>).</param>
/// <param name="MainCause">The most common recorded cause.</param>
/// <param name="Questions">What customers asked, in their words: the central cases' titles, then their question sentences.</param>
/// <param name="Explanation">The resolution steps support gave, with how many cases each, most first.</param>
/// <param name="ExampleCases">The most central cases (<c>source:id</c>).</param>
public sealed record HelpContentGap(
    string ClusterId, string Label, string? ProductArea, string? Owner, int ResolvedCases, int EngineeringCases, int ExplainedCases,
    string? MainCause, IReadOnlyList<string> Questions, IReadOnlyList<(string Step, int Cases)> Explanation, IReadOnlyList<string> ExampleCases);

/// <summary>Finds help-content gaps among the mined clusters (issue 16, part 4; definitions in docs/queue-and-feedback.md).</summary>
public static partial class HelpContentGaps
{
    /// <summary>A cluster needs this many resolved cases.</summary>
    public const int MinCases = 5;

    /// <summary>
    /// At most this share of its resolved cases may involve engineering. Not zero: the generator's customer-side
    /// families escalate 3–5 % of their cases, which in a cluster of 20 is now and then two or three.
    /// </summary>
    public const double MaxEngineeringShare = 0.15;

    /// <summary>At least this share of its resolved cases must be solved by an explanation or a customer-side change.</summary>
    public const double MinExplainedShare = 0.5;

    /// <summary>Every active cluster that is a help-content gap, most resolved cases first.</summary>
    public static async Task<IReadOnlyList<HelpContentGap>> FindAsync(TicketOpsDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        List<MinedCluster> clusters = await db.Set<MinedCluster>().AsNoTracking().Where(c => c.RetiredAt == null).OrderBy(c => c.Id).ToListAsync(cancellationToken);
        var ids = clusters.SelectMany(c => c.MemberCaseIds)
            .Select(id => long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out long value) ? value : -1)
            .Where(id => id > 0)
            .ToHashSet();
        var cases = new Dictionary<long, SupportCase>();
        foreach (long[] chunk in ids.Chunk(2_000))
        {
            foreach (SupportCase c in await db.Cases.AsNoTracking().Where(c => chunk.Contains(c.Id)).ToListAsync(cancellationToken))
            {
                cases[c.Id] = c;
            }
        }

        List<KnowledgeArticle> articles = await db.Set<KnowledgeArticle>().AsNoTracking().OrderBy(a => a.Id).ToListAsync(cancellationToken);
        return [.. clusters
            .Select(cluster => Assess(cluster.Id, cluster.Label, [.. cluster.MemberCaseIds
                .Select(id => long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out long value) ? cases.GetValueOrDefault(value) : null)
                .OfType<SupportCase>()], articles))
            .OfType<HelpContentGap>()
            .OrderByDescending(g => g.ResolvedCases).ThenBy(g => g.ClusterId, StringComparer.Ordinal)];
    }

    /// <summary>The gap a cluster is, from its cases (most central first), or null when it is not one.</summary>
    public static HelpContentGap? Assess(string clusterId, string label, IReadOnlyList<SupportCase> cases, IReadOnlyList<KnowledgeArticle> articles)
    {
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(articles);
        List<SupportCase> resolved = [.. cases.Where(c => c.IsResolved)];
        int engineering = resolved.Count(c => c.EngineeringInvolved || c.EscalatedAt is not null);
        int explained = resolved.Count(SolvedByExplanation);
        var causes = new LineVariants(resolved.Select(c => c.Cause ?? ""));
        string? mainCause = resolved.Where(c => !string.IsNullOrWhiteSpace(c.Cause))
            .GroupBy(c => causes.GroupOf(c.Cause!)).OrderByDescending(g => g.Count()).Select(g => causes.Display(g.Key)).FirstOrDefault();
        if (resolved.Count < MinCases || engineering > MaxEngineeringShare * resolved.Count || explained < MinExplainedShare * resolved.Count
            || (mainCause is not null && Defect().IsMatch(mainCause)))
        {
            return null;
        }

        string? area = resolved.Select(c => c.Product).OfType<string>().GroupBy(p => p, StringComparer.OrdinalIgnoreCase)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).FirstOrDefault();
        List<SupportCase> central = [.. resolved.Take(5)];
        List<string> questions = [.. central.Select(c => c.Title.Trim())
            .Concat(resolved.Take(20).SelectMany(c => Sentences().Matches(c.Description).Select(m => m.Value.Trim())).Where(s => s.EndsWith('?')).Take(5))
            .Where(q => q.Length > 0)
            .Distinct(StringComparer.OrdinalIgnoreCase)];
        var stepVariants = new LineVariants(resolved.Where(SolvedByExplanation).SelectMany(c => CandidateDrafter.SplitSteps(c.Resolution)));
        List<(string, int)> explanation = [.. resolved.Where(SolvedByExplanation)
            .SelectMany(c => CandidateDrafter.SplitSteps(c.Resolution).Select(stepVariants.GroupOf).Where(g => g >= 0).Distinct())
            .GroupBy(g => g)
            .Select(g => (Step: stepVariants.Display(g.Key), Cases: g.Count()))
            .OrderByDescending(s => s.Cases).ThenBy(s => s.Step, StringComparer.Ordinal)
            .Take(4)];
        return new HelpContentGap(
            clusterId, label, area, OwnerOf(area, resolved, articles), resolved.Count, engineering, explained, mainCause, questions, explanation,
            [.. central.Take(3).Select(c => $"{c.Source}:{c.ExternalId}")]);
    }

    /// <summary>
    /// A resolved case support closed without engineering by telling the customer something (explained,
    /// showed, advised, shared, sent a link) or by having the customer change their side, and whose cause and
    /// resolution name no defect (bug, fix, patch, release, regression, outage, crash).
    /// </summary>
    public static bool SolvedByExplanation(SupportCase supportCase)
    {
        ArgumentNullException.ThrowIfNull(supportCase);
        string resolution = supportCase.Resolution ?? "";
        return supportCase.IsResolved && !supportCase.EngineeringInvolved && supportCase.EscalatedAt is null
            && Explanation().IsMatch(resolution)
            && !Defect().IsMatch(resolution) && !Defect().IsMatch(supportCase.Cause ?? "");
    }

    private static string? OwnerOf(string? area, List<SupportCase> cases, IReadOnlyList<KnowledgeArticle> articles)
    {
        KnowledgeArticle? template = area is null ? null
            : articles.FirstOrDefault(a => a.Type == KnowledgeType.Template && a.State == KnowledgeState.Validated && a.ProductAreas.Contains(area));
        if (template is { Owner.Length: > 0 })
        {
            return template.Owner;
        }

        var byId = articles.ToDictionary(a => a.Id, StringComparer.Ordinal);
        return cases.SelectMany(c => c.LinkedKnowledgeIds).Where(id => byId.TryGetValue(id, out KnowledgeArticle? a) && a.Type == KnowledgeType.Playbook)
            .GroupBy(id => id, StringComparer.Ordinal).OrderByDescending(g => g.Count()).Select(g => byId[g.Key].Owner).FirstOrDefault(o => o.Length > 0);
    }

    [GeneratedRegex(@"\b(explain|show(ed|n)?|advis|suggest|recommend|shar(ed|e)|sent\b|walk(ed)? (the )?(customer|user|them) through|guid|clarif|how to|pointed|asked (the )?(customer|user|admin|them)|had (the )?(customer|user|admin)|customer (granted|published|changed|updated|set|re-?ran|enabled|removed|reconnected))", RegexOptions.IgnoreCase)]
    private static partial Regex Explanation();

    [GeneratedRegex(@"\b(bug|fix(ed|es)?|hotfix|patch(ed)?|release[ds]?|regression|outage|incident|crash(es|ed)?|engineering)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Defect();

    [GeneratedRegex(@"[^.!?\n]+[.!?]?")]
    private static partial Regex Sentences();
}
