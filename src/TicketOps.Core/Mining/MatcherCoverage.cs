using TicketOps.Core.Cases;
using TicketOps.Core.Matching;

namespace TicketOps.Core.Mining;

/// <summary>
/// Coverage of a cluster by published playbooks, asked of the matcher the way an agent would: the
/// cluster's most central cases are matched against playbooks only, and a playbook covers the cluster when
/// it is the good match for at least half of them. Then the drafter suggests updating it instead of
/// drafting a duplicate ("one article per issue and cause").
/// </summary>
public static class MatcherCoverage
{
    /// <summary>How many central cases are matched per cluster: enough to vote, cheap enough for 100 clusters.</summary>
    public const int SampledCases = 6;

    /// <summary>The scorer; <paramref name="playbookTexts"/> maps playbook id to its text (what the cases are compared with).</summary>
    public static CoverageScorer Create(TicketMatcher matcher, IReadOnlyDictionary<string, string> playbookTexts)
    {
        ArgumentNullException.ThrowIfNull(matcher);
        ArgumentNullException.ThrowIfNull(playbookTexts);
        var onlyPlaybooks = new MatchFilter { Kinds = new HashSet<MatchDocumentKind> { MatchDocumentKind.Playbook } };
        return (cluster, cases) =>
        {
            if (playbookTexts.Count == 0)
            {
                return null;
            }

            var byKey = cases.ToDictionary(CandidateDrafter.CaseKey, StringComparer.Ordinal);
            List<SupportCase> sample = [.. cluster.Members
                .OrderByDescending(m => m.Similarity)
                .Where(m => byKey.ContainsKey(m.CaseId))
                .Take(SampledCases)
                .Select(m => byKey[m.CaseId])];
            if (sample.Count == 0)
            {
                return null;
            }

            var votes = new Dictionary<string, (int Count, string Title)>(StringComparer.Ordinal);
            foreach (SupportCase supportCase in sample)
            {
                // The scorer is a synchronous delegate called from the miner's loop; the match itself is CPU-bound.
                MatchResult result = matcher.MatchAsync(new MatchRequest { Text = supportCase.TicketText, MaxResults = 1, Filter = onlyPlaybooks })
                    .GetAwaiter().GetResult();
                if (result.HasGoodMatch && result.Items[0] is { } best)
                {
                    votes[best.Id] = (votes.GetValueOrDefault(best.Id).Count + 1, best.Title);
                }
            }

            if (votes.Count == 0)
            {
                return null;
            }

            (string id, (int count, string title)) = votes.MaxBy(v => v.Value.Count);
            double share = (double)count / sample.Count;
            return share >= 0.5 && playbookTexts.TryGetValue(id, out string? text)
                ? new KnowledgeCoverage(id, title, share, text)
                : null;
        };
    }
}
