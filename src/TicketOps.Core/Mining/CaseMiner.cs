using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Cases;
using TicketOps.Core.Matching;
using TicketOps.Core.Storage;

namespace TicketOps.Core.Mining;

/// <summary>Settings of a mining run.</summary>
public sealed class CaseMinerOptions
{
    /// <summary>Clustering settings.</summary>
    public CaseClustererOptions Clustering { get; set; } = new();

    /// <summary>Drafting settings.</summary>
    public CandidateDrafterOptions Drafting { get; set; } = new();

    /// <summary>
    /// Mine non-technical cases too ("how do I delete my account"). Off by default: playbooks and templates
    /// are for technical work, and how-to questions would otherwise surface as recurring "issues".
    /// </summary>
    public bool IncludeNonTechnical { get; set; }

    /// <summary>Draft investigation templates per product area as well as playbooks.</summary>
    public bool DraftInvestigationTemplates { get; set; } = true;

    /// <summary>
    /// Mine only cases resolved before this time (UTC); null for all. A replay mines "as of" a simulated day,
    /// so the candidates must not learn from cases that had not been solved yet.
    /// </summary>
    public DateTime? ResolvedBefore { get; set; }
}

/// <summary>Where a mining run is, for a progress display.</summary>
/// <param name="Stage">loading, embedding, clustering, open cases, drafting, rewriting, saving.</param>
/// <param name="Done">Units done in the stage.</param>
/// <param name="Total">Units in the stage.</param>
public sealed record MiningProgress(string Stage, int Done, int Total);

/// <summary>The outcome of a mining run.</summary>
/// <param name="Cases">Resolved cases considered.</param>
/// <param name="Embedded">Of those, cases the matching index had no vector for, embedded in this run.</param>
/// <param name="Clustering">Clusters and one-offs.</param>
/// <param name="Labels">Label per cluster id.</param>
/// <param name="Drafts">Playbooks, update suggestions, templates and no-draft decisions.</param>
/// <param name="OpenCases">Open cases put into clusters for the themes report (<see cref="OpenCaseAssigner"/>), by cluster id.</param>
/// <param name="Saved">What the store changed.</param>
/// <param name="Rewrites">The LLM rewrite outcome per draft; null when the rewrite is off.</param>
public sealed record MiningRun(
    int Cases,
    int Embedded,
    ClusteringResult Clustering,
    IReadOnlyDictionary<string, ClusterLabel> Labels,
    IReadOnlyList<CandidateDraft> Drafts,
    IReadOnlyDictionary<string, IReadOnlyList<string>> OpenCases,
    MiningRunSummary Saved,
    IReadOnlyDictionary<CandidateDraft, CandidateRewriteResult>? Rewrites = null);

/// <summary>
/// The evolve loop in one call: resolved cases → embeddings → clusters (ids continued from the last run) →
/// labels → candidates (coverage-checked) and investigation templates → review queue. Case ids in clusters are
/// the database keys as strings. Case vectors come from the matching index (<paramref name="indexed"/>) where it
/// has them; <paramref name="embed"/> embeds the rest. With a <paramref name="rewriter"/>, playbook drafts are also offered to the
/// optional LLM rewrite; its outcome (or why the extractive draft stands) is stored beside each candidate.
/// </summary>
public sealed class CaseMiner(
    TicketOpsDbContext db,
    Func<IReadOnlyList<string>, float[][]> embed,
    CoverageScorer? coverage = null,
    TimeProvider? timeProvider = null,
    CandidateRewriter? rewriter = null,
    EmbeddingStore? indexed = null)
{
    /// <summary>Runs mining over the resolved (technical) cases and saves the result.</summary>
    public async Task<MiningRun> MineAsync(CaseMinerOptions? options = null, IProgress<MiningProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new CaseMinerOptions();
        progress?.Report(new MiningProgress("loading", 0, 1));
        List<SupportCase> cases = await db.Set<SupportCase>().AsNoTracking()
            .Where(c => c.ResolvedAt != null && (options.IncludeNonTechnical || c.IsTechnical))
            .Where(c => options.ResolvedBefore == null || c.ResolvedAt < options.ResolvedBefore)
            .OrderBy(c => c.Id)
            .ToListAsync(cancellationToken);
        progress?.Report(new MiningProgress("loading", 1, 1));

        // A case's vector is the one the matching index holds for it (title, description, cause and resolution,
        // embedded when the case was indexed): the cause is what tells two issues with the same symptoms apart,
        // and re-embedding 100k cases would take the model half an hour. Cases the index lacks are embedded now
        // from the same text.
        var vectors = new float[cases.Count][];
        var missing = new List<int>();
        for (int i = 0; i < cases.Count; i++)
        {
            if (indexed?.Vector(MatchDocument.CaseId(cases[i])) is { } stored)
            {
                vectors[i] = stored;
            }
            else
            {
                missing.Add(i);
            }
        }

        const int Batch = 64;
        progress?.Report(new MiningProgress("embedding", 0, missing.Count));
        for (int start = 0; start < missing.Count; start += Batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = missing.Skip(start).Take(Batch).ToList();
            float[][] embedded = embed(batch.Select(i => MatchDocument.FromCase(cases[i]).EmbeddingText).ToList());
            for (int b = 0; b < batch.Count; b++)
            {
                vectors[batch[b]] = embedded[b];
            }

            progress?.Report(new MiningProgress("embedding", Math.Min(start + Batch, missing.Count), missing.Count));
        }

        progress?.Report(new MiningProgress("clustering", 0, 1));
        var store = new MiningStore(db, timeProvider);
        var previous = await store.PreviousClustersAsync(cancellationToken);
        var items = cases.Select((c, i) => new ClusteringItem(CandidateDrafter.CaseKey(c), vectors[i], CaseSpecifics.From(c))).ToList();
        ClusteringResult clustering = new CaseClusterer(options.Clustering).Cluster(items, previous);
        progress?.Report(new MiningProgress("clustering", 1, 1));

        IReadOnlyDictionary<string, IReadOnlyList<string>> openCases = await AssignOpenCasesAsync(cases, vectors, clustering, options, progress, cancellationToken);

        var labels = ClusterLabeler.Label(
            clustering.Clusters,
            cases.Select(c => new LabelText(CandidateDrafter.CaseKey(c), c.Title, c.TicketText + "\n" + c.Cause)).ToList());

        var byKey = cases.ToDictionary(CandidateDrafter.CaseKey, StringComparer.Ordinal);
        var drafter = new CandidateDrafter(options.Drafting, coverage);
        var drafts = new List<CandidateDraft>();
        for (int i = 0; i < clustering.Clusters.Count; i++)
        {
            CaseCluster cluster = clustering.Clusters[i];
            var members = cluster.Members.Select(m => byKey[m.CaseId]).ToList();
            string title = labels.TryGetValue(cluster.Id, out ClusterLabel? label) && label.RepresentativeTitles.Count > 0
                ? label.RepresentativeTitles[0]
                : cluster.Id;
            drafts.Add(drafter.Draft(cluster, members, title));
            progress?.Report(new MiningProgress("drafting", i + 1, clustering.Clusters.Count));
        }

        if (options.DraftInvestigationTemplates)
        {
            // A template per product area, from the clusters that area dominates and that made a draft.
            var drafted = drafts.Where(d => d.Kind != CandidateKind.NoDraft).Select(d => d.ClusterId).ToHashSet(StringComparer.Ordinal);
            var areas = clustering.Clusters
                .Where(c => drafted.Contains(c.Id))
                .GroupBy(c => DominantProduct(c, byKey) ?? "General")
                .OrderBy(g => g.Key, StringComparer.Ordinal);
            foreach (var area in areas)
            {
                var areaClusters = area.Select(c => (c, labels.TryGetValue(c.Id, out ClusterLabel? l) ? l.Text : c.Id)).ToList();
                var areaCases = area.SelectMany(c => c.Members).Select(m => byKey[m.CaseId]).ToList();
                drafts.Add(drafter.DraftInvestigationTemplate(area.Key, areaClusters, areaCases));
            }
        }

        drafts = drafter.FoldDuplicates(drafts, clustering.Clusters, byKey);

        Dictionary<CandidateDraft, CandidateRewriteResult>? rewrites = null;
        if (rewriter is not null)
        {
            rewrites = new(ReferenceEqualityComparer.Instance);
            var rewritable = drafts.Where(d => d.Kind is CandidateKind.Playbook or CandidateKind.UpdateSuggestion).ToList();

            // A draft unchanged since the last run keeps the rewrite it got then: the model is slow, may cost
            // money, and would word the same draft differently each time under the reviewer's eyes.
            IReadOnlyDictionary<string, RewrittenCandidate> earlier = await store.PreviousRewritesAsync(cancellationToken);
            for (int i = 0; i < rewritable.Count; i++)
            {
                rewrites[rewritable[i]] = earlier.TryGetValue(MiningStore.DraftJson(rewritable[i]), out RewrittenCandidate? kept)
                    ? new CandidateRewriteResult(kept, null) { Note = "rewrite kept from the previous run (draft unchanged)" }
                    : await rewriter.RewriteAsync(rewritable[i], cancellationToken);
                progress?.Report(new MiningProgress("rewriting", i + 1, rewritable.Count));
            }
        }

        progress?.Report(new MiningProgress("saving", 0, 1));
        MiningRunSummary saved = await store.SaveRunAsync(clustering, labels, drafts, rewrites, openCases, cancellationToken);
        progress?.Report(new MiningProgress("saving", 1, 1));
        return new MiningRun(cases.Count, missing.Count, clustering, labels, drafts, openCases, saved, rewrites);
    }

    // Open cases (as of ResolvedBefore in a replay) by cluster, for the themes report. They have no cause or
    // resolution yet, so their vector is of the ticket text alone.
    private async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> AssignOpenCasesAsync(
        List<SupportCase> resolved,
        float[][] vectors,
        ClusteringResult clustering,
        CaseMinerOptions options,
        IProgress<MiningProgress>? progress,
        CancellationToken cancellationToken)
    {
        DateTime? asOf = options.ResolvedBefore;
        List<SupportCase> open = await db.Set<SupportCase>().AsNoTracking()
            .Where(c => options.IncludeNonTechnical || c.IsTechnical)
            .Where(c => asOf == null ? c.ResolvedAt == null : c.CreatedAt < asOf && (c.ResolvedAt == null || c.ResolvedAt >= asOf))
            .OrderBy(c => c.Id)
            .ToListAsync(cancellationToken);
        var byCluster = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (open.Count > 0 && clustering.Clusters.Count > 0)
        {
            using var assigner = new OpenCaseAssigner(resolved.Select(CandidateDrafter.CaseKey).ToList(), vectors, clustering.Clusters);
            const int Batch = 64;
            for (int start = 0; start < open.Count; start += Batch)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = open.Skip(start).Take(Batch).ToList();
                float[][] embedded = embed(batch.Select(c => c.TicketText).ToList());
                for (int b = 0; b < batch.Count; b++)
                {
                    if (assigner.ClusterFor(embedded[b]) is { } cluster)
                    {
                        if (!byCluster.TryGetValue(cluster, out List<string>? members))
                        {
                            byCluster[cluster] = members = [];
                        }

                        members.Add(CandidateDrafter.CaseKey(batch[b]));
                    }
                }

                progress?.Report(new MiningProgress("open cases", Math.Min(start + Batch, open.Count), open.Count));
            }
        }

        return byCluster.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value, StringComparer.Ordinal);
    }

    private static string? DominantProduct(CaseCluster cluster, Dictionary<string, SupportCase> byKey) =>
        cluster.Members.Select(m => byKey[m.CaseId].Product)
            .Where(p => !string.IsNullOrWhiteSpace(p))
            .GroupBy(p => p!, StringComparer.OrdinalIgnoreCase)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Key)
            .FirstOrDefault();
}
