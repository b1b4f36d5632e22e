using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Storage;

namespace TicketOps.Core.Mining;

/// <summary>What saving a mining run changed.</summary>
/// <param name="ClustersAdded">Clusters seen for the first time.</param>
/// <param name="ClustersUpdated">Known clusters found again.</param>
/// <param name="ClustersRetired">Known clusters no longer found.</param>
/// <param name="CandidatesAdded">New candidates in the review queue (draft) or skipped with a reason.</param>
/// <param name="CandidatesRedrafted">Draft candidates replaced by a fresher draft of the same cluster.</param>
/// <param name="CandidatesKeptRejected">Drafts not proposed because the cluster's earlier candidate was rejected and it has not changed enough.</param>
public sealed record MiningRunSummary(int ClustersAdded, int ClustersUpdated, int ClustersRetired, int CandidatesAdded, int CandidatesRedrafted, int CandidatesKeptRejected);

/// <summary>
/// Saves cluster identities and candidates. A cluster's candidate is redrafted in place while it is a draft;
/// a rejected one stays rejected (and nothing new is proposed) until the cluster has grown by
/// <see cref="RegrowthFactor"/>; an approved or merged one is never re-proposed as a playbook, and an update
/// suggestion for the article it became is only proposed once the cluster has grown by the same factor.
/// </summary>
public sealed class MiningStore(TicketOpsDbContext db, TimeProvider? timeProvider = null)
{
    /// <summary>How much a rejected cluster must grow before it is proposed again.</summary>
    public const double RegrowthFactor = 1.5;

    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = false,
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>The clusters of earlier runs that are still alive, to pass to <see cref="CaseClusterer.Cluster"/>.</summary>
    public async Task<IReadOnlyList<PreviousCluster>> PreviousClustersAsync(CancellationToken cancellationToken = default) =>
        (await db.Set<MinedCluster>().AsNoTracking().Where(c => c.RetiredAt == null).OrderBy(c => c.Id).ToListAsync(cancellationToken))
            .Select(c => new PreviousCluster(c.Id, c.MemberCaseIds))
            .ToList();

    /// <summary>Saves a run: cluster identities (with labels) and the drafts, in one transaction.</summary>
    /// <param name="clustering">The run's clusters.</param>
    /// <param name="labels">Label per cluster id.</param>
    /// <param name="drafts">The drafts (and no-draft decisions).</param>
    /// <param name="rewrites">The optional LLM rewrite outcome per draft (by reference); null when the rewrite is off.</param>
    /// <param name="openCases">Open case ids per cluster id, for the themes report; null for none.</param>
    /// <param name="cancellationToken">Cancels the save.</param>
    public async Task<MiningRunSummary> SaveRunAsync(
        ClusteringResult clustering,
        IReadOnlyDictionary<string, ClusterLabel> labels,
        IReadOnlyList<CandidateDraft> drafts,
        IReadOnlyDictionary<CandidateDraft, CandidateRewriteResult>? rewrites = null,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? openCases = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(clustering);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(drafts);
        DateTime now = _time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        var known = await db.Set<MinedCluster>().ToDictionaryAsync(c => c.Id, StringComparer.Ordinal, cancellationToken);
        int added = 0;
        int updated = 0;
        foreach (CaseCluster cluster in clustering.Clusters)
        {
            if (!known.TryGetValue(cluster.Id, out MinedCluster? stored))
            {
                stored = new MinedCluster { Id = cluster.Id, FirstSeenAt = now };
                db.Add(stored);
                known[cluster.Id] = stored;
                added++;
            }
            else
            {
                updated++;
            }

            stored.Label = labels.TryGetValue(cluster.Id, out ClusterLabel? label) ? Truncate(label.Text, 300) : stored.Label;
            stored.MemberCaseIds = cluster.Members.Select(m => m.CaseId).ToList();
            stored.OpenCaseIds = openCases?.GetValueOrDefault(cluster.Id)?.ToList() ?? [];
            stored.Size = cluster.Size;
            stored.Cohesion = cluster.Cohesion;
            stored.LastSeenAt = now;
            stored.RetiredAt = null;
        }

        int retired = 0;
        foreach (string id in clustering.RetiredClusterIds)
        {
            if (known.TryGetValue(id, out MinedCluster? stored) && stored.RetiredAt is null)
            {
                stored.RetiredAt = now;
                retired++;
            }
        }

        var sizes = clustering.Clusters.ToDictionary(c => c.Id, c => c.Size, StringComparer.Ordinal);
        var existing = await db.Set<MiningCandidate>().ToListAsync(cancellationToken);
        int candidatesAdded = 0;
        int redrafted = 0;
        int keptRejected = 0;
        foreach (CandidateDraft draft in drafts)
        {
            // A candidate folded from several clusters (CandidateDrafter.FoldDuplicates) holds all their cases.
            int size = Math.Max(sizes.GetValueOrDefault(draft.ClusterId), draft.SourceCases.Count);
            var previous = existing
                .Where(c => c.ClusterId == draft.ClusterId && SameFamily(c.Kind, draft.Kind))
                .OrderByDescending(c => c.UpdatedAt).ThenByDescending(c => c.Id)
                .FirstOrDefault();

            if (previous is { State: CandidateState.Rejected } && size < previous.ClusterSizeAtDraft * RegrowthFactor)
            {
                keptRejected++;
                continue;
            }

            if (previous is { State: CandidateState.Approved or CandidateState.Merged } && draft.Kind == CandidateKind.Playbook)
            {
                keptRejected++;
                continue;
            }

            // Once reviewed into an article, the cluster is covered by it: the next run sees it as an update
            // suggestion for that same article, which is only news when the cluster has grown materially.
            if (previous is { State: CandidateState.Approved or CandidateState.Merged } && draft.Kind == CandidateKind.UpdateSuggestion
                && draft.TargetKnowledgeId == previous.KnowledgeId && size < previous.ClusterSizeAtDraft * RegrowthFactor)
            {
                keptRejected++;
                continue;
            }

            MiningCandidate target;
            if (previous is { State: CandidateState.Draft or CandidateState.Skipped })
            {
                target = previous;
                redrafted++;
            }
            else
            {
                target = new MiningCandidate { ClusterId = draft.ClusterId, CreatedAt = now };
                db.Add(target);
                existing.Add(target);
                candidatesAdded++;
            }

            target.Kind = draft.Kind;
            target.State = draft.Kind == CandidateKind.NoDraft ? CandidateState.Skipped : CandidateState.Draft;
            target.Title = Truncate(draft.Title, 500);
            CandidateRewriteResult? rewrite = rewrites?.GetValueOrDefault(draft);
            target.Markdown = CandidateMarkdown.Render(draft, rewrite?.Rewrite);
            target.DraftJson = DraftJson(draft);
            target.RewriteJson = rewrite?.Rewrite is { } rewritten ? JsonSerializer.Serialize(rewritten, s_json) : null;
            target.RewriteNote = rewrite is null ? null : Truncate(rewrite.Succeeded ? rewrite.Note ?? "rewritten" : $"extractive draft kept: {rewrite.FallbackReason}", 1000);
            target.Confidence = draft.Confidence;
            target.Reason = draft.Reason;
            target.TargetKnowledgeId = draft.TargetKnowledgeId;
            target.SourceCaseIds = draft.SourceCases.Select(s => s.CaseId).ToList();
            target.ClusterSizeAtDraft = size;
            target.UpdatedAt = now;
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new MiningRunSummary(added, updated, retired, candidatesAdded, redrafted, keptRejected);
    }

    /// <summary>The stored JSON form of a draft (<see cref="MiningCandidate.DraftJson"/>).</summary>
    internal static string DraftJson(CandidateDraft draft) => JsonSerializer.Serialize(draft, s_json);

    /// <summary>
    /// The LLM rewrites of the candidates still in draft, by their draft's JSON: what a new run may reuse for a
    /// draft that has not changed.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, RewrittenCandidate>> PreviousRewritesAsync(CancellationToken cancellationToken = default)
    {
        var stored = await db.Set<MiningCandidate>().AsNoTracking()
            .Where(c => c.State == CandidateState.Draft && c.RewriteJson != null)
            .OrderBy(c => c.UpdatedAt).ThenBy(c => c.Id)
            .Select(c => new { c.DraftJson, c.RewriteJson })
            .ToListAsync(cancellationToken);
        var rewrites = new Dictionary<string, RewrittenCandidate>(StringComparer.Ordinal);
        foreach (var candidate in stored)
        {
            if (JsonSerializer.Deserialize<RewrittenCandidate>(candidate.RewriteJson!, s_json) is { } rewrite)
            {
                rewrites[candidate.DraftJson] = rewrite;
            }
        }

        return rewrites;
    }

    // A playbook, its update suggestion and its no-draft decision are the same proposal for the cluster;
    // investigation templates are tracked separately.
    private static bool SameFamily(CandidateKind a, CandidateKind b) =>
        (a == CandidateKind.InvestigationTemplate) == (b == CandidateKind.InvestigationTemplate);

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
