using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Storage;

namespace TicketOps.Core.Tests.Knowledge;

public abstract class KnowledgeFolderTests(DatabaseProvider provider)
{
    [Fact]
    public async Task Sync_inserts_new_files_then_reports_them_unchanged_and_then_updated_after_an_edit()
    {
        using var temp = new KnowledgeTestDatabase(provider);
        string folder = Path.Combine(temp.Root, "knowledge");
        string playbookPath = temp.WriteFile("knowledge/playbooks/PB-0001.md", KnowledgeMarkdown.Write(KnowledgeArticles.Playbook()));
        temp.WriteFile("knowledge/templates/IT-0001.md", KnowledgeMarkdown.Write(KnowledgeArticles.Template()));
        temp.WriteFile("knowledge/README.md", "# not an article\n");

        KnowledgeSyncResult first;
        await using (TicketOpsDbContext db = temp.CreateContext())
        {
            first = await KnowledgeFolder.SyncAsync(folder, db);
        }

        KnowledgeSyncResult second;
        await using (TicketOpsDbContext db = temp.CreateContext())
        {
            second = await KnowledgeFolder.SyncAsync(folder, db);
        }

        File.WriteAllText(playbookPath, File.ReadAllText(playbookPath).Replace("version: 2", "version: 3"));
        KnowledgeSyncResult third;
        await using (TicketOpsDbContext db = temp.CreateContext())
        {
            third = await KnowledgeFolder.SyncAsync(folder, db);
        }

        Assert.True(first.IsClean);
        Assert.Equal(["IT-0001", "PB-0001"], first.Loaded);
        Assert.Equal(["IT-0001", "PB-0001"], second.Unchanged);
        Assert.Empty(second.Loaded);
        Assert.Empty(second.Updated);
        Assert.Equal(["PB-0001"], third.Updated);
        Assert.Equal(["IT-0001"], third.Unchanged);
        await using TicketOpsDbContext check = temp.CreateContext();
        KnowledgeArticle row = await check.Set<KnowledgeArticle>().SingleAsync(a => a.Id == "PB-0001");
        Assert.Equal(3, row.Version);
        Assert.Equal("playbooks/PB-0001.md", row.SourcePath);
        Assert.Equal(KnowledgeArticles.Playbook().Sections, row.Sections);
    }

    [Fact]
    public async Task Malformed_hand_edit_is_reported_with_path_and_line_while_other_files_load_and_its_row_stays_unchanged()
    {
        using var temp = new KnowledgeTestDatabase(provider);
        string folder = Path.Combine(temp.Root, "knowledge");
        string brokenPath = temp.WriteFile("knowledge/playbooks/PB-0001.md", KnowledgeMarkdown.Write(KnowledgeArticles.Playbook()));
        temp.WriteFile("knowledge/templates/IT-0001.md", KnowledgeMarkdown.Write(KnowledgeArticles.Template()));
        await using (TicketOpsDbContext db = temp.CreateContext())
        {
            Assert.True((await KnowledgeFolder.SyncAsync(folder, db)).IsClean);
        }

        string before = await RowSnapshotAsync(temp, "PB-0001");
        // A hand edit with a typo in the state and a renamed section; meanwhile a colleague adds a playbook.
        string edited = File.ReadAllText(brokenPath).Replace("state: validated", "state: validatd").Replace("## Cause", "## Root cause");
        File.WriteAllText(brokenPath, edited);
        temp.WriteFile("knowledge/playbooks/PB-0002.md", KnowledgeMarkdown.Write(KnowledgeArticles.Playbook("PB-0002")));

        KnowledgeSyncResult result;
        await using (TicketOpsDbContext db = temp.CreateContext())
        {
            result = await KnowledgeFolder.SyncAsync(folder, db);
        }

        Assert.Equal(["PB-0002"], result.Loaded);
        Assert.Equal(["IT-0001"], result.Unchanged);
        Assert.Empty(result.Updated);
        Assert.Collection(
            result.Errors.OrderBy(e => e.Line),
            e => Assert.Equal(("playbooks/PB-0001.md", 4, "unknown state 'validatd'"), (e.Path, e.Line, e.Problem[..24])),
            e => Assert.Equal(("playbooks/PB-0001.md", 14, "missing section '## Cause'"), (e.Path, e.Line, e.Problem)),
            e => Assert.Equal(("playbooks/PB-0001.md", 27, "unknown section '## Root cause'"), (e.Path, e.Line, e.Problem[..31])));
        Assert.Equal(before, await RowSnapshotAsync(temp, "PB-0001"));
        Assert.Equal(edited, File.ReadAllText(brokenPath));
    }

    [Fact]
    public async Task Deleted_file_keeps_its_row_and_is_reported_as_missing()
    {
        using var temp = new KnowledgeTestDatabase(provider);
        string folder = Path.Combine(temp.Root, "knowledge");
        string playbookPath = temp.WriteFile("knowledge/playbooks/PB-0001.md", KnowledgeMarkdown.Write(KnowledgeArticles.Playbook()));
        temp.WriteFile("knowledge/templates/IT-0001.md", KnowledgeMarkdown.Write(KnowledgeArticles.Template()));
        await using (TicketOpsDbContext db = temp.CreateContext())
        {
            await KnowledgeFolder.SyncAsync(folder, db);
        }

        File.Delete(playbookPath);
        await using TicketOpsDbContext again = temp.CreateContext();
        KnowledgeSyncResult result = await KnowledgeFolder.SyncAsync(folder, again);

        Assert.Equal(["PB-0001"], result.MissingFiles);
        Assert.True(await again.Set<KnowledgeArticle>().AnyAsync(a => a.Id == "PB-0001"));
    }

    [Fact]
    public async Task Two_files_with_the_same_id_are_both_reported_and_neither_is_loaded()
    {
        using var temp = new KnowledgeTestDatabase(provider);
        string folder = Path.Combine(temp.Root, "knowledge");
        temp.WriteFile("knowledge/playbooks/PB-0001.md", KnowledgeMarkdown.Write(KnowledgeArticles.Playbook()));
        temp.WriteFile("knowledge/playbooks/copy.md", KnowledgeMarkdown.Write(KnowledgeArticles.Playbook()));
        temp.WriteFile("knowledge/templates/IT-0001.md", KnowledgeMarkdown.Write(KnowledgeArticles.Template()));

        await using TicketOpsDbContext db = temp.CreateContext();
        KnowledgeSyncResult result = await KnowledgeFolder.SyncAsync(folder, db);

        Assert.Equal(["IT-0001"], result.Loaded);
        Assert.Equal(["playbooks/PB-0001.md", "playbooks/copy.md"], result.Errors.Select(e => e.Path).Order(StringComparer.Ordinal));
        Assert.All(result.Errors, e => Assert.Contains("duplicate id 'PB-0001'", e.Problem, StringComparison.Ordinal));
        Assert.All(result.Errors, e => Assert.Equal(2, e.Line));
        Assert.False(await db.Set<KnowledgeArticle>().AnyAsync(a => a.Id == "PB-0001"));
    }

    [Fact]
    public async Task Playbook_pointing_to_a_missing_template_is_reported_at_its_template_line_and_not_loaded()
    {
        using var temp = new KnowledgeTestDatabase(provider);
        string folder = Path.Combine(temp.Root, "knowledge");
        KnowledgeArticle playbook = KnowledgeArticles.Playbook();
        playbook.TemplateId = "IT-0009";
        temp.WriteFile("knowledge/playbooks/PB-0001.md", KnowledgeMarkdown.Write(playbook));
        temp.WriteFile("knowledge/templates/IT-0001.md", KnowledgeMarkdown.Write(KnowledgeArticles.Template()));

        await using TicketOpsDbContext db = temp.CreateContext();
        KnowledgeSyncResult result = await KnowledgeFolder.SyncAsync(folder, db);

        Assert.Equal(["IT-0001"], result.Loaded);
        KnowledgeFileError error = Assert.Single(result.Errors);
        Assert.Equal(("playbooks/PB-0001.md", 11), (error.Path, error.Line));
        Assert.Contains("template 'IT-0009' does not exist", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Written_file_is_canonical_and_a_file_holding_another_id_is_not_overwritten()
    {
        using var temp = new KnowledgeTestDatabase(provider);
        string folder = Path.Combine(temp.Root, "knowledge");
        KnowledgeArticle playbook = KnowledgeArticles.Playbook("PB-0007");
        temp.WriteFile("knowledge/playbooks/PB-0008.md", KnowledgeMarkdown.Write(KnowledgeArticles.Playbook("PB-0001")));

        KnowledgeFileError? written = await KnowledgeFolder.WriteFileAsync(folder, playbook);
        KnowledgeFileError? clash = await KnowledgeFolder.WriteFileAsync(folder, KnowledgeArticles.Playbook("PB-0008"));

        Assert.Null(written);
        Assert.Equal(KnowledgeMarkdown.Write(playbook), File.ReadAllText(Path.Combine(folder, "playbooks", "PB-0007.md")));
        Assert.NotNull(clash);
        Assert.Contains("holds 'PB-0001'", clash.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shipped_knowledge_folder_is_valid_and_covers_both_types()
    {
        using var temp = new KnowledgeTestDatabase(provider);
        string folder = Path.Combine(RepositoryRoot(), "knowledge");

        await using TicketOpsDbContext db = temp.CreateContext();
        KnowledgeSyncResult result = await KnowledgeFolder.SyncAsync(folder, db);

        Assert.True(result.IsClean, string.Join('\n', result.Errors));
        List<KnowledgeArticle> articles = await db.Set<KnowledgeArticle>().ToListAsync();
        Assert.InRange(articles.Count(a => a.Type == KnowledgeType.Playbook), 6, 12);
        Assert.InRange(articles.Count(a => a.Type == KnowledgeType.Template), 2, 5);
        Assert.All(articles, a => Assert.Equal(KnowledgeState.Validated, a.State));
        Assert.All(articles, a => Assert.Equal(KnowledgeFolder.RelativePathFor(a), a.SourcePath));
        var templateIds = articles.Where(a => a.Type == KnowledgeType.Template).Select(a => a.Id).ToHashSet();
        Assert.All(articles.Where(a => a.TemplateId is not null), a => Assert.Contains(a.TemplateId!, templateIds));
        foreach (KnowledgeArticle article in articles)
        {
            // The shipped files are in the writer's canonical form, so approval and hand edits diff cleanly.
            Assert.Equal(KnowledgeMarkdown.Write(article), File.ReadAllText(Path.Combine(folder, article.SourcePath!)));
        }
    }

    private static async Task<string> RowSnapshotAsync(KnowledgeTestDatabase temp, string id)
    {
        await using TicketOpsDbContext db = temp.CreateContext();
        KnowledgeArticle row = await db.Set<KnowledgeArticle>().AsNoTracking().SingleAsync(a => a.Id == id);
        return KnowledgeMarkdown.Write(row) + row.ContentHash + row.LoadedAt.Ticks + row.SourcePath;
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "TicketOps.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("TicketOps.sln not found above the test folder.");
    }
}

/// <summary>The tests above on the embedded SQLite file.</summary>
public sealed class SqliteKnowledgeFolderTests() : KnowledgeFolderTests(DatabaseProvider.Sqlite);

/// <summary>The tests above on a fresh PostgreSQL database.</summary>
public sealed class PostgreSqlKnowledgeFolderTests() : KnowledgeFolderTests(DatabaseProvider.PostgreSql);
