using TicketOps.Core.Storage;
using TicketOps.TestSupport;

namespace TicketOps.Core.Tests.Support;

/// <summary>
/// A fresh data directory with a migrated database (the SQLite file in it, or a fresh PostgreSQL database),
/// deleted afterwards.
/// </summary>
public sealed class TempDataDirectory : IDisposable
{
    private readonly TestDatabase _database;

    public TempDataDirectory(DatabaseProvider provider = DatabaseProvider.Sqlite)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ticketops-tests", Guid.NewGuid().ToString("N"));
        var folder = new DataDirectory(Path);
        _database = TestDatabase.Create(provider, folder.DatabasePath);
        Data = folder.WithDatabase(_database.Location);
    }

    public string Path { get; }

    public DataDirectory Data { get; }

    public DatabaseProvider Provider => _database.Provider;

    public TicketOpsDbContext CreateContext() => TicketOpsDatabase.CreateContext(Data);

    /// <summary>Writes a file into the directory and returns its path.</summary>
    public string WriteFile(string name, string content)
    {
        string path = System.IO.Path.Combine(Path, name);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        _database.Dispose();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow CI machine: the temp folder is cleaned by the OS.
        }
    }
}
