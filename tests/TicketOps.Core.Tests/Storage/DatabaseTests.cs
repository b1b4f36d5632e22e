using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Storage;
using TicketOps.Core.Tests.Support;

namespace TicketOps.Core.Tests.Storage;

public sealed class DatabaseTests
{
    [Fact]
    public void Model_has_no_changes_missing_from_the_migrations()
    {
        using var temp = new TempDataDirectory();
        using TicketOpsDbContext db = temp.CreateContext();

        Assert.False(db.Database.HasPendingModelChanges(), "Run 'dotnet ef migrations add NAME --project src/TicketOps.Core -o Storage/Migrations'.");
    }

    [Fact]
    public async Task Migrate_creates_the_schema_once_and_reports_nothing_pending_after()
    {
        using var temp = new TempDataDirectory();

        IReadOnlyList<string> second = await TicketOpsDatabase.MigrateAsync(temp.Data);

        Assert.Empty(second);
        await using TicketOpsDbContext db = temp.CreateContext();
        Assert.Equal(0, await db.Cases.CountAsync());
    }

    [Fact]
    public async Task Connections_use_write_ahead_logging_and_a_busy_timeout()
    {
        using var temp = new TempDataDirectory();
        await using TicketOpsDbContext db = temp.CreateContext();
        await db.Database.OpenConnectionAsync();
        var connection = (SqliteConnection)db.Database.GetDbConnection();

        Assert.Equal("wal", Pragma(connection, "journal_mode"));
        Assert.Equal(((int)TicketOpsDatabase.BusyTimeout.TotalMilliseconds).ToString(), Pragma(connection, "busy_timeout"));
    }

    [Fact]
    public void Data_directory_comes_from_the_option_before_the_environment()
    {
        string explicitPath = Path.Combine(Path.GetTempPath(), "ticketops-tests", Guid.NewGuid().ToString("N"));

        DataDirectory resolved = DataDirectory.Resolve(explicitPath);

        Assert.Equal(explicitPath, resolved.Root);
        Assert.True(Directory.Exists(explicitPath));
        Assert.Equal(Path.Combine(explicitPath, "ticketops.db"), resolved.DatabasePath);
        Directory.Delete(explicitPath);
    }

    private static string? Pragma(SqliteConnection connection, string name)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {name};";
        return command.ExecuteScalar()?.ToString();
    }
}
