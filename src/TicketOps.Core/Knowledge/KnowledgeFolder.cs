using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Storage;

namespace TicketOps.Core.Knowledge;

/// <summary>
/// The <c>knowledge/</c> folder of Markdown playbooks and templates, the source of truth the database
/// rows are loaded from. Hand edits are first class: a sync validates every file and loads the valid ones.
/// </summary>
public static class KnowledgeFolder
{
    /// <summary>
    /// Validates every <c>*.md</c> file under <paramref name="folder"/> (except <c>README.md</c>) and loads
    /// the valid ones: a new id is inserted, a changed one updated, an unchanged one (same content hash)
    /// left alone. Files are never written or deleted. A malformed file is reported with its path, line
    /// and problem, and the database row of its id (if any) is left as it was; so are rows whose file is
    /// gone. Two files claiming the same id are both reported and neither is loaded; so is a playbook
    /// pointing to a template that is neither in the folder nor in the database.
    /// </summary>
    /// <param name="folder">The knowledge folder.</param>
    /// <param name="db">The database to load into.</param>
    /// <param name="timeProvider">Clock for <see cref="KnowledgeArticle.LoadedAt"/>; the system clock when null.</param>
    /// <param name="cancellationToken">Cancels the sync; nothing is saved then.</param>
    public static async Task<KnowledgeSyncResult> SyncAsync(
        string folder, TicketOpsDbContext db, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(db);
        DateTime now = (timeProvider ?? TimeProvider.System).GetUtcNow().UtcDateTime;
        var errors = new List<KnowledgeFileError>();
        if (!Directory.Exists(folder))
        {
            errors.Add(new(folder, 0, "the knowledge folder does not exist"));
            return new KnowledgeSyncResult([], [], [], errors);
        }

        var parsed = new List<(string Path, string Text, KnowledgeArticle Article)>();
        foreach (string file in Files(folder))
        {
            string relative = Path.GetRelativePath(folder, file).Replace('\\', '/');
            string text;
            try
            {
                text = await File.ReadAllTextAsync(file, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                errors.Add(new(relative, 0, "cannot read the file: " + ex.Message));
                continue;
            }

            KnowledgeParseResult result = KnowledgeMarkdown.Parse(text, relative);
            if (result.Article is null)
            {
                errors.AddRange(result.Errors);
            }
            else
            {
                result.Article.SourcePath = relative;
                parsed.Add((relative, text, result.Article));
            }
        }

        var valid = new List<KnowledgeArticle>();
        foreach (var group in parsed.GroupBy(p => p.Article.Id, StringComparer.Ordinal))
        {
            if (group.Count() > 1)
            {
                string paths = string.Join(", ", group.Select(p => p.Path));
                foreach (var (path, text, article) in group)
                {
                    errors.Add(new(path, LineOf(text, "id:"), $"duplicate id '{article.Id}': used by {paths}; give each article its own id"));
                }

                continue;
            }

            valid.Add(group.Single().Article);
        }

        // A playbook may only point to a template that exists: in this folder (valid) or already loaded.
        var templateIds = valid.Where(a => a.Type == KnowledgeType.Template).Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
        templateIds.UnionWith(await db.Set<KnowledgeArticle>()
            .Where(a => a.Type == KnowledgeType.Template)
            .Select(a => a.Id)
            .ToListAsync(cancellationToken));
        foreach (var (path, text, article) in parsed.Where(p => p.Article.TemplateId is not null && !templateIds.Contains(p.Article.TemplateId)))
        {
            if (valid.Remove(article))
            {
                errors.Add(new(path, LineOf(text, "template:"), $"template '{article.TemplateId}' does not exist; add templates/{article.TemplateId}.md or fix the id"));
            }
        }

        var loaded = new List<string>();
        var updated = new List<string>();
        var unchanged = new List<string>();
        var ids = valid.Select(a => a.Id).ToList();
        Dictionary<string, KnowledgeArticle> existing = await db.Set<KnowledgeArticle>()
            .Where(a => ids.Contains(a.Id))
            .ToDictionaryAsync(a => a.Id, StringComparer.Ordinal, cancellationToken);
        foreach (KnowledgeArticle article in valid.OrderBy(a => a.Id, StringComparer.Ordinal))
        {
            if (!existing.TryGetValue(article.Id, out KnowledgeArticle? row))
            {
                article.LoadedAt = now;
                db.Set<KnowledgeArticle>().Add(article);
                loaded.Add(article.Id);
            }
            else if (row.ContentHash == article.ContentHash && row.SourcePath == article.SourcePath)
            {
                unchanged.Add(article.Id);
            }
            else
            {
                CopyFileFields(article, row);
                row.LoadedAt = now;
                updated.Add(article.Id);
            }
        }

        foreach (string id in loaded.Concat(updated))
        {
            ChangeLog.Add(db, ChangeOf(valid.First(a => a.Id == id)), id, now);
        }

        await db.SaveChangesAsync(cancellationToken);

        // Rows loaded from a file that is no longer there are kept (a sync never deletes), but said.
        var seen = parsed.Select(p => p.Path).ToHashSet(StringComparer.Ordinal);
        seen.UnionWith(errors.Select(e => e.Path));
        List<string> missing = [.. (await db.Set<KnowledgeArticle>()
                .Where(a => a.SourcePath != null)
                .Select(a => new { a.Id, a.SourcePath })
                .ToListAsync(cancellationToken))
            .Where(a => !seen.Contains(a.SourcePath!))
            .Select(a => a.Id)
            .Order(StringComparer.Ordinal)];
        return new KnowledgeSyncResult(loaded, updated, unchanged, errors) { MissingFiles = missing };
    }

    /// <summary>
    /// Writes the database's version of articles to <paramref name="folder"/> when the file there differs: with
    /// several instances the database is the truth and each instance's folder an export of it, refreshed at start
    /// (every article) and as the change log brings changes (those articles). A file holding another id or
    /// malformed is reported and left alone, as by <see cref="WriteFileAsync"/>.
    /// </summary>
    /// <param name="folder">The export folder.</param>
    /// <param name="db">The database.</param>
    /// <param name="articleIds">The articles to export; null for all.</param>
    /// <param name="cancellationToken">Cancels.</param>
    /// <returns>How many files were written, and the problems.</returns>
    public static async Task<(int Written, IReadOnlyList<KnowledgeFileError> Errors)> ExportAsync(
        string folder, TicketOpsDbContext db, IReadOnlyCollection<string>? articleIds = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(db);
        IQueryable<KnowledgeArticle> query = db.Set<KnowledgeArticle>().AsNoTracking();
        if (articleIds is not null)
        {
            query = query.Where(a => articleIds.Contains(a.Id));
        }

        int written = 0;
        var errors = new List<KnowledgeFileError>();
        foreach (KnowledgeArticle article in await query.OrderBy(a => a.Id).ToListAsync(cancellationToken))
        {
            string path = Path.Combine(folder, article.SourcePath ?? RelativePathFor(article));
            if (File.Exists(path) && await File.ReadAllTextAsync(path, cancellationToken) == KnowledgeMarkdown.Write(article))
            {
                continue;
            }

            if (await WriteFileAsync(folder, article, expectedHash: null, cancellationToken) is { } error)
            {
                errors.Add(error);
            }
            else
            {
                written++;
            }
        }

        return (written, errors);
    }

    /// <summary>How an article's new state reads in the change log (published, archived, or changed outside matching).</summary>
    public static ChangeKind ChangeOf(KnowledgeArticle article)
    {
        ArgumentNullException.ThrowIfNull(article);
        return article.State switch
        {
            KnowledgeState.Validated => ChangeKind.ArticlePublished,
            KnowledgeState.Archived => ChangeKind.ArticleArchived,
            _ => ChangeKind.ArticleChanged,
        };
    }

    /// <summary>
    /// Writes an approved or edited article under <paramref name="folder"/>: to the file it was loaded from
    /// (<see cref="KnowledgeArticle.SourcePath"/>) or else its canonical file (<see cref="RelativePathFor"/>).
    /// The text goes to a temporary file first and is then moved over the old one, so a reader never sees
    /// half a file. Refused, as an error, when the file there holds a different id, cannot be parsed, or
    /// (with <paramref name="expectedHash"/>) was edited since it was loaded: a hand edit in progress is
    /// never overwritten silently.
    /// </summary>
    /// <param name="folder">The knowledge folder.</param>
    /// <param name="article">The article to write.</param>
    /// <param name="expectedHash">The content hash the file on disk must still have; null to skip the check.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The problem, or null when the file was written.</returns>
    public static async Task<KnowledgeFileError?> WriteFileAsync(string folder, KnowledgeArticle article, string? expectedHash = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(article);
        string relative = article.SourcePath ?? RelativePathFor(article);
        string path = Path.Combine(folder, relative);
        if (File.Exists(path))
        {
            KnowledgeParseResult existing = KnowledgeMarkdown.Parse(await File.ReadAllTextAsync(path, cancellationToken), relative);
            if (existing.Article is null)
            {
                return new KnowledgeFileError(relative, existing.Errors[0].Line, "the file on disk is malformed (" + existing.Errors[0].Problem + "); fix or sync it before writing over it");
            }

            if (existing.Article.Id != article.Id)
            {
                return new KnowledgeFileError(relative, 2, $"the file holds '{existing.Article.Id}', not '{article.Id}'");
            }

            if (expectedHash is not null && existing.Article.ContentHash != expectedHash)
            {
                return new KnowledgeFileError(relative, 1, "the file was edited since it was last loaded; run 'ticketops knowledge sync' (or commit the edit) and decide again");
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            // Temporary file, flushed, renamed: a crash leaves the old article or the new one, never half a file.
            await DurableFile.WriteAllTextAsync(path, KnowledgeMarkdown.Write(article), cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new KnowledgeFileError(relative, 0, "cannot write the file: " + ex.Message);
        }

        return null;
    }

    /// <summary>The canonical relative path of an article's file: <c>playbooks/PB-0001.md</c> or <c>templates/IT-0001.md</c>.</summary>
    /// <param name="article">The article.</param>
    public static string RelativePathFor(KnowledgeArticle article)
    {
        ArgumentNullException.ThrowIfNull(article);
        return (article.Type == KnowledgeType.Playbook ? "playbooks/" : "templates/") + article.Id + ".md";
    }

    private static int LineOf(string text, string keyPrefix)
    {
        string[] lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        int index = Array.FindIndex(lines, l => l.StartsWith(keyPrefix, StringComparison.Ordinal));
        return index < 0 ? 1 : index + 1;
    }

    private static IEnumerable<string> Files(string folder) =>
        Directory.EnumerateFiles(folder, "*.md", SearchOption.AllDirectories)
            .Where(f => !string.Equals(Path.GetFileName(f), "README.md", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal);

    private static void CopyFileFields(KnowledgeArticle from, KnowledgeArticle to)
    {
        to.Type = from.Type;
        to.Title = from.Title;
        to.State = from.State;
        to.Owner = from.Owner;
        to.ProductAreas = from.ProductAreas;
        to.SourceCaseIds = from.SourceCaseIds;
        to.Created = from.Created;
        to.Reviewed = from.Reviewed;
        to.Version = from.Version;
        to.TemplateId = from.TemplateId;
        to.SupersededBy = from.SupersededBy;
        to.Sections = from.Sections;
        to.ContentHash = from.ContentHash;
        to.SourcePath = from.SourcePath;
    }
}

/// <summary>What a <see cref="KnowledgeFolder.SyncAsync"/> did.</summary>
/// <param name="Loaded">Ids inserted (new to the database).</param>
/// <param name="Updated">Ids whose row changed because the file changed.</param>
/// <param name="Unchanged">Ids whose file has the same content hash as the row.</param>
/// <param name="Errors">Every problem found, per malformed file; those files were not loaded.</param>
public sealed record KnowledgeSyncResult(
    IReadOnlyList<string> Loaded,
    IReadOnlyList<string> Updated,
    IReadOnlyList<string> Unchanged,
    IReadOnlyList<KnowledgeFileError> Errors)
{
    /// <summary>Ids of rows whose file is gone; the rows are kept (archive the article to retire it).</summary>
    public IReadOnlyList<string> MissingFiles { get; init; } = [];

    /// <summary>True when every file was valid.</summary>
    public bool IsClean => Errors.Count == 0;
}
