using TicketOps.Core.Storage;
using TicketOps.TestSupport;

namespace TicketOps.Core.Tests.Knowledge;

/// <summary>A fresh temp folder (for knowledge files) and a fresh migrated database on the given provider.</summary>
public sealed class KnowledgeTestDatabase : IDisposable
{
    private readonly TestDatabase _database;

    public KnowledgeTestDatabase(DatabaseProvider provider = DatabaseProvider.Sqlite)
    {
        Root = Path.Combine(Path.GetTempPath(), "ticketops-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        _database = TestDatabase.Create(provider, Path.Combine(Root, "ticketops.db"));
    }

    public string Root { get; }

    public DatabaseLocation Location => _database.Location;

    public TicketOpsDbContext CreateContext() => _database.CreateContext();

    /// <summary>Writes a file under the temp folder (creating folders) and returns its full path.</summary>
    public string WriteFile(string relativePath, string content)
    {
        string path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        _database.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow machine: the OS cleans the temp folder.
        }
    }
}
