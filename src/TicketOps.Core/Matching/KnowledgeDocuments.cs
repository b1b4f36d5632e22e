using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Storage;

namespace TicketOps.Core.Matching;

/// <summary>Published knowledge as match documents, and keeping the index in step after a sync.</summary>
public static class KnowledgeDocuments
{
    /// <summary>
    /// An article as a match document. The customer-facing sections (Issue, Environment / Framing) are the
    /// body, as a ticket is written in the same words; Cause and Resolution (or the template's evidence and
    /// escalation sections) are the resolution field, mirroring how cases are indexed.
    /// </summary>
    public static MatchDocument FromArticle(KnowledgeArticle article)
    {
        ArgumentNullException.ThrowIfNull(article);
        bool playbook = article.Type == KnowledgeType.Playbook;
        string[] bodySections = playbook ? ["Issue", "Environment"] : ["Framing"];
        string[] resolutionSections = playbook ? ["Cause", "Resolution"] : ["Evidence to gather first", "Hypothesis", "When to escalate"];
        return new MatchDocument
        {
            Id = article.Id,
            Kind = playbook ? MatchDocumentKind.Playbook : MatchDocumentKind.Template,
            Title = article.Title,
            Body = Join(article, bodySections),
            Resolution = Join(article, resolutionSections),
            Product = article.ProductAreas.FirstOrDefault(),
            CreatedAt = article.Created.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
        };
    }

    /// <summary>Streams validated (published) articles: what agents may be pointed to.</summary>
    public static async IAsyncEnumerable<MatchDocument> PublishedAsync(
        TicketOpsDbContext db, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        List<KnowledgeArticle> articles = await db.Set<KnowledgeArticle>().AsNoTracking()
            .Where(a => a.State == KnowledgeState.Validated)
            .OrderBy(a => a.Id)
            .ToListAsync(cancellationToken);
        foreach (KnowledgeArticle article in articles)
        {
            yield return FromArticle(article);
        }
    }

    /// <summary>Everything the index should hold: published knowledge, then resolved cases.</summary>
    public static async IAsyncEnumerable<MatchDocument> AllAsync(
        TicketOpsDbContext db, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (MatchDocument document in PublishedAsync(db, cancellationToken))
        {
            yield return document;
        }

        await foreach (MatchDocument document in CaseDocuments.ResolvedCasesAsync(db, cancellationToken))
        {
            yield return document;
        }
    }

    /// <summary>
    /// After a knowledge sync: indexes the given articles that are validated and removes the others
    /// (archived, back to draft), so a newly published playbook is matched at once.
    /// </summary>
    public static async Task<(int Indexed, int Removed)> UpdateAsync(
        TicketOpsDbContext db, TicketMatcher matcher, IReadOnlyCollection<string> articleIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(matcher);
        ArgumentNullException.ThrowIfNull(articleIds);
        if (articleIds.Count == 0)
        {
            return (0, 0);
        }

        List<KnowledgeArticle> articles = await db.Set<KnowledgeArticle>().AsNoTracking()
            .Where(a => articleIds.Contains(a.Id))
            .ToListAsync(cancellationToken);
        MatchDocument[] published = [.. articles.Where(a => a.State == KnowledgeState.Validated).Select(FromArticle)];
        string[] retired = [.. articles.Where(a => a.State != KnowledgeState.Validated).Select(a => a.Id)];
        await matcher.IndexAsync(published, cancellationToken);
        if (retired.Length > 0)
        {
            await matcher.RemoveAsync(retired, cancellationToken);
        }

        return (published.Length, retired.Length);
    }

    private static string Join(KnowledgeArticle article, string[] headings) =>
        string.Join("\n", headings.Select(article.Section).Where(text => !string.IsNullOrWhiteSpace(text)));
}
