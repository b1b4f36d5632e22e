using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Storage;

namespace TicketOps.Core.Tests.Storage;

/// <summary>A process killed while migrating a SQLite file must not stop every later start.</summary>
public sealed class MigrationLockTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ticketops-migrate-").FullName;

    [Fact]
    public async Task A_migration_lock_left_by_a_killed_process_is_cleared_and_the_database_migrated()
    {
        string path = Path.Combine(_folder, "ticketops.db");

        // What a kill during the first migration leaves: EF's lock row and no migration applied.
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL; CREATE TABLE \"__EFMigrationsLock\" (\"Id\" INTEGER NOT NULL CONSTRAINT \"PK___EFMigrationsLock\" PRIMARY KEY, \"Timestamp\" TEXT NOT NULL);"
                + "INSERT INTO \"__EFMigrationsLock\" VALUES (1, '2026-12-03 19:37:38.7141281+00:00');";
            command.ExecuteNonQuery();
        }

        // Without the fix EF waits for the row forever; a minute is far more than migrating takes.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        IReadOnlyList<string> applied = await TicketOpsDatabase.MigrateAsync(DatabaseLocation.SqliteFile(path), timeout.Token);

        Assert.NotEmpty(applied);
        await using TicketOpsDbContext db = TicketOpsDatabase.CreateContext(DatabaseLocation.SqliteFile(path));
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(0, await db.Cases.CountAsync());
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
