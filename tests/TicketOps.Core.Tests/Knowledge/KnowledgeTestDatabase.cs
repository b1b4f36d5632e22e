using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Storage;

namespace TicketOps.Core.Tests.Knowledge;

/// <summary>
/// A real SQLite file in a fresh temp folder with the schema created from the current model
/// (EnsureCreated, not migrations: the knowledge tables get their migration at merge).
/// </summary>
public sealed class KnowledgeTestDatabase : IDisposable
{
    public KnowledgeTestDatabase()
    {
        Root = Path.Combine(Path.GetTempPath(), "ticketops-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        DatabasePath = Path.Combine(Root, "ticketops.db");
        using TicketOpsDbContext db = CreateContext();
        db.Database.EnsureCreated();
    }

    public string Root { get; }

    public string DatabasePath { get; }

    public TicketOpsDbContext CreateContext() => new(TicketOpsDatabase.Options(DatabasePath));

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
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
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
