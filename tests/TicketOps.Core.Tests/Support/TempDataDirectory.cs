using TicketOps.Core.Storage;

namespace TicketOps.Core.Tests.Support;

/// <summary>A fresh data directory with a migrated SQLite database, deleted afterwards.</summary>
public sealed class TempDataDirectory : IDisposable
{
    public TempDataDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ticketops-tests", Guid.NewGuid().ToString("N"));
        Data = new DataDirectory(Path);
        TicketOpsDatabase.MigrateAsync(Data).GetAwaiter().GetResult();
    }

    public string Path { get; }

    public DataDirectory Data { get; }

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
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
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
