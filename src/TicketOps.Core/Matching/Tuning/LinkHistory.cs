using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Storage;

namespace TicketOps.Core.Matching.Tuning;

/// <summary>
/// The organisation's own record of which knowledge solved which ticket, as training material for
/// <see cref="RankingTrainer"/>: every case with knowledge linked to it (imported links, and the agents'
/// <c>used</c> and <c>helped</c> events) is a ticket whose right answers are those articles, less any the agent
/// said did not help. The ticket is the case's title and description, as it arrived; its time is when it was created.
/// </summary>
public static class LinkHistory
{
    private static readonly IReadOnlySet<MatchDocumentKind> s_knowledge = new HashSet<MatchDocumentKind> { MatchDocumentKind.Playbook, MatchDocumentKind.Template };

    /// <summary>The linked cases as tuning queries, their texts embedded (vectors the cache holds are reused).</summary>
    public static async Task<IReadOnlyList<TuningQuery>> LoadAsync(TicketOpsDbContext db, SentenceEmbedder embedder, LongTextHandling longText, IEmbeddingCache? cache, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(embedder);
        var events = await db.Set<KnowledgeEvent>().AsNoTracking()
            .Where(e => e.Kind == KnowledgeEventKind.Used || e.Kind == KnowledgeEventKind.Helped || e.Kind == KnowledgeEventKind.DidNotHelp)
            .Select(e => new { e.CaseId, e.KnowledgeId, e.Kind })
            .ToListAsync(cancellationToken);
        var linked = events.Where(e => e.Kind != KnowledgeEventKind.DidNotHelp).ToLookup(e => e.CaseId, e => e.KnowledgeId);
        var notHelped = events.Where(e => e.Kind == KnowledgeEventKind.DidNotHelp).ToLookup(e => e.CaseId, e => e.KnowledgeId);

        // Cases with imported links count too; only their ids and links are read here, the texts below.
        // (The links are a JSON column, so the filter runs here, not in SQL.)
        var importedLinks = (await db.Cases.AsNoTracking()
            .Select(c => new { c.Id, c.LinkedKnowledgeIds })
            .ToListAsync(cancellationToken))
            .Where(c => c.LinkedKnowledgeIds.Count > 0);
        var answers = new Dictionary<long, HashSet<string>>();
        foreach (var group in linked)
        {
            answers[group.Key] = [.. group];
        }

        foreach (var item in importedLinks)
        {
            if (!answers.TryGetValue(item.Id, out HashSet<string>? set))
            {
                answers[item.Id] = set = [];
            }

            set.UnionWith(item.LinkedKnowledgeIds);
        }

        foreach (var group in notHelped)
        {
            if (answers.TryGetValue(group.Key, out HashSet<string>? set))
            {
                set.ExceptWith(group);
            }
        }

        long[] caseIds = [.. answers.Where(a => a.Value.Count > 0).Select(a => a.Key).Order()];
        var cases = new List<(string Text, DateTime At, HashSet<string> Relevant)>(caseIds.Length);
        foreach (long[] chunk in caseIds.Chunk(500))
        {
            var rows = await db.Cases.AsNoTracking()
                .Where(c => chunk.Contains(c.Id))
                .Select(c => new { c.Id, c.Title, c.Description, c.CreatedAt })
                .ToListAsync(cancellationToken);
            cases.AddRange(rows.OrderBy(r => r.Id).Select(r => (JoinNonEmpty(r.Title, r.Description), r.CreatedAt, answers[r.Id])));
        }

        float[][] vectors = await Task.Run(() => embedder.EmbedDocuments([.. cases.Select(c => c.Text)], longText, cache, cancellationToken), cancellationToken);
        var filter = new MatchFilter { Kinds = s_knowledge };
        return [.. cases.Select((c, i) => new TuningQuery(c.Text, vectors[i], c.At, filter, null, c.Relevant))];
    }

    private static string JoinNonEmpty(string title, string description) =>
        string.IsNullOrWhiteSpace(description) ? title : $"{title}\n{description}";
}
