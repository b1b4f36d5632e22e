using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace TicketOps.Core.Storage;

/// <summary>Opens the SQLite database of a data directory with the settings TicketOps relies on.</summary>
public static class TicketOpsDatabase
{
    /// <summary>
    /// How long a writer waits for another writer's lock before failing. Imports hold the write lock for
    /// seconds; a web request waiting that long is better than a "database is locked" error.
    /// </summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The connection string for a database file.</summary>
    public static string ConnectionString(string databasePath) => new SqliteConnectionStringBuilder
    {
        DataSource = databasePath,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Cache = SqliteCacheMode.Private,
        Pooling = true,
        DefaultTimeout = (int)BusyTimeout.TotalSeconds,
    }.ToString();

    /// <summary>EF Core options for a database file, with WAL and the busy timeout set on every connection.</summary>
    public static DbContextOptions<TicketOpsDbContext> Options(string databasePath) =>
        Configure(new DbContextOptionsBuilder<TicketOpsDbContext>(), databasePath).Options;

    /// <summary>Configures a builder (for dependency injection) the same way as <see cref="Options"/>.</summary>
    public static TBuilder Configure<TBuilder>(TBuilder builder, string databasePath)
        where TBuilder : DbContextOptionsBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseSqlite(ConnectionString(databasePath)).AddInterceptors(SqlitePragmas.Instance);
        return builder;
    }

    /// <summary>Creates a context for the data directory's database.</summary>
    public static TicketOpsDbContext CreateContext(DataDirectory dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        return new TicketOpsDbContext(Options(dataDirectory.DatabasePath));
    }

    /// <summary>Applies pending migrations; returns the names of those applied.</summary>
    public static async Task<IReadOnlyList<string>> MigrateAsync(DataDirectory dataDirectory, CancellationToken cancellationToken = default)
    {
        await using TicketOpsDbContext db = CreateContext(dataDirectory);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            await db.Database.MigrateAsync(cancellationToken);
        }

        return pending;
    }

    /// <summary>
    /// WAL lets readers (matching, the web app) go on while an import writes; NORMAL sync is safe under
    /// WAL (a power cut can lose the last transaction, never corrupt the file). Set per connection because
    /// busy_timeout is a connection setting.
    /// </summary>
    private sealed class SqlitePragmas : DbConnectionInterceptor
    {
        public static readonly SqlitePragmas Instance = new();

        public override void ConnectionOpened(System.Data.Common.DbConnection connection, ConnectionEndEventData eventData)
            => Apply(connection);

        public override Task ConnectionOpenedAsync(System.Data.Common.DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Apply(connection);
            return Task.CompletedTask;
        }

        private static void Apply(System.Data.Common.DbConnection connection)
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout={(int)BusyTimeout.TotalMilliseconds}; PRAGMA foreign_keys=ON;";
            command.ExecuteNonQuery();
        }
    }
}
