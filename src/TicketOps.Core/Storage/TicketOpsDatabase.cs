using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace TicketOps.Core.Storage;

/// <summary>Opens the TicketOps database (SQLite or PostgreSQL) with the settings TicketOps relies on.</summary>
public static class TicketOpsDatabase
{
    /// <summary>
    /// How long a writer waits for another writer's lock before failing. Imports hold the write lock for
    /// seconds; a web request waiting that long is better than a "database is locked" error.
    /// </summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(30);

    // Options are immutable and EF keys its internal service provider on them: one per database, not per context.
    private static readonly ConcurrentDictionary<DatabaseLocation, DbContextOptions> s_options = new();

    /// <summary>The connection string for a SQLite database file.</summary>
    public static string SqliteConnectionString(string databasePath) => new SqliteConnectionStringBuilder
    {
        DataSource = databasePath,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Cache = SqliteCacheMode.Private,
        Pooling = true,
        DefaultTimeout = (int)BusyTimeout.TotalSeconds,
    }.ToString();

    /// <summary>Creates a context for a database.</summary>
    public static TicketOpsDbContext CreateContext(DatabaseLocation database)
    {
        ArgumentNullException.ThrowIfNull(database);
        DbContextOptions options = s_options.GetOrAdd(database, BuildOptions);
        return database.Provider switch
        {
            DatabaseProvider.PostgreSql => new PostgreSqlTicketOpsDbContext((DbContextOptions<PostgreSqlTicketOpsDbContext>)options),
            _ => new SqliteTicketOpsDbContext((DbContextOptions<SqliteTicketOpsDbContext>)options),
        };
    }

    /// <summary>
    /// Creates a context for a database with extra EF interceptors (options built for this context alone, not
    /// cached): for tests and diagnostics that need to see or hold a command, e.g. to make two decisions overlap.
    /// </summary>
    public static TicketOpsDbContext CreateContext(DatabaseLocation database, params IInterceptor[] interceptors)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(interceptors);
        if (interceptors.Length == 0)
        {
            return CreateContext(database);
        }

        return database.Provider switch
        {
            DatabaseProvider.PostgreSql => new PostgreSqlTicketOpsDbContext(Configure(new DbContextOptionsBuilder<PostgreSqlTicketOpsDbContext>(), database).AddInterceptors(interceptors).Options),
            _ => new SqliteTicketOpsDbContext(Configure(new DbContextOptionsBuilder<SqliteTicketOpsDbContext>(), database).AddInterceptors(interceptors).Options),
        };
    }

    /// <summary>
    /// True when a save failed because a row with the same key or unique index exists (SQLite constraint
    /// error 19 on a primary key or unique index, PostgreSQL 23505): another writer got there first.
    /// </summary>
    public static bool IsUniqueViolation(DbUpdateException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.InnerException switch
        {
            SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode is 1555 or 2067,
            Npgsql.PostgresException postgres => postgres.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation,
            _ => false,
        };
    }

    /// <summary>Creates a context for the data directory's database.</summary>
    public static TicketOpsDbContext CreateContext(DataDirectory dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        return CreateContext(dataDirectory.Database);
    }

    /// <summary>Registers <see cref="TicketOpsDbContext"/> (scoped) for the database, as the provider's context.</summary>
    public static IServiceCollection AddTicketOpsDatabase(this IServiceCollection services, DatabaseLocation database)
    {
        ArgumentNullException.ThrowIfNull(database);
        return database.Provider switch
        {
            DatabaseProvider.PostgreSql => services.AddDbContext<TicketOpsDbContext, PostgreSqlTicketOpsDbContext>(builder => Configure(builder, database)),
            _ => services.AddDbContext<TicketOpsDbContext, SqliteTicketOpsDbContext>(builder => Configure(builder, database)),
        };
    }

    /// <summary>Applies pending migrations (creating the database when it does not exist); returns the names of those applied.</summary>
    public static async Task<IReadOnlyList<string>> MigrateAsync(DatabaseLocation database, CancellationToken cancellationToken = default)
    {
        await using TicketOpsDbContext db = CreateContext(database);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count == 0)
        {
            return pending;
        }

        if (database.Provider == DatabaseProvider.PostgreSql)
        {
            // EF takes a database-wide advisory lock (released with the session, also when the process dies), so two
            // instances starting at once apply each migration once.
            await db.Database.MigrateAsync(cancellationToken);
            return pending;
        }

        // On SQLite EF's migration lock is a row in __EFMigrationsLock, which a process killed while migrating leaves
        // behind; every later start then waits for it forever (found by the crash harness: a kill during the first
        // migration of a new data directory). Processes sharing a SQLite file share a machine, so an OS file lock,
        // which dies with its process, says whether anyone is really migrating; holding it, a leftover row is stale.
        string path = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(database.ConnectionString).DataSource;
        using FileStream guard = await TakeMigrationGuardAsync(path + ".migrating", cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            DbConnection connection = db.Database.GetDbConnection();
            await using (DbCommand exists = connection.CreateCommand())
            {
                exists.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '__EFMigrationsLock'";
                if (Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) > 0)
                {
                    await using DbCommand clear = connection.CreateCommand();
                    clear.CommandText = "DELETE FROM \"__EFMigrationsLock\"";
                    await clear.ExecuteNonQueryAsync(cancellationToken);
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        pending = [.. await db.Database.GetPendingMigrationsAsync(cancellationToken)];
        if (pending.Count > 0)
        {
            await db.Database.MigrateAsync(cancellationToken);
        }

        return pending;
    }

    // The OS lock beside a SQLite file that only one migrating process holds; another waits for it (a minute at most).
    private static async Task<FileStream> TakeMigrationGuardAsync(string path, CancellationToken cancellationToken)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (waited.Elapsed < TimeSpan.FromMinutes(1))
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    /// <summary>Applies the data directory's database's pending migrations.</summary>
    public static Task<IReadOnlyList<string>> MigrateAsync(DataDirectory dataDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        return MigrateAsync(dataDirectory.Database, cancellationToken);
    }

    /// <summary>The engine and its version as the server reports it (<c>SQLite 3.46.1</c>, <c>PostgreSQL 15.18</c>).</summary>
    public static async Task<string> ServerVersionAsync(TicketOpsDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        bool opened = false;
        DbConnection connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            opened = true;
        }

        try
        {
            await using DbCommand command = connection.CreateCommand();
            command.CommandText = db.Provider == DatabaseProvider.PostgreSql ? "SHOW server_version" : "SELECT sqlite_version()";
            string version = Convert.ToString(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) ?? "?";
            return db.Provider == DatabaseProvider.PostgreSql ? $"PostgreSQL {version}" : $"SQLite {version}";
        }
        finally
        {
            if (opened)
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    private static DbContextOptions BuildOptions(DatabaseLocation database) => database.Provider switch
    {
        DatabaseProvider.PostgreSql => Configure(new DbContextOptionsBuilder<PostgreSqlTicketOpsDbContext>(), database).Options,
        _ => Configure(new DbContextOptionsBuilder<SqliteTicketOpsDbContext>(), database).Options,
    };

    private static TBuilder Configure<TBuilder>(TBuilder builder, DatabaseLocation database)
        where TBuilder : DbContextOptionsBuilder
    {
        if (database.Provider == DatabaseProvider.PostgreSql)
        {
            builder.UseNpgsql(database.ConnectionString);
        }
        else
        {
            builder.UseSqlite(database.ConnectionString).AddInterceptors(SqlitePragmas.Instance);
        }

        return builder;
    }

    /// <summary>
    /// WAL lets readers (matching, the web app) go on while an import writes; NORMAL sync is safe under
    /// WAL (a power cut can lose the last transaction, never corrupt the file). Set per connection because
    /// busy_timeout is a connection setting.
    /// </summary>
    private sealed class SqlitePragmas : DbConnectionInterceptor
    {
        public static readonly SqlitePragmas Instance = new();

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
            => Apply(connection);

        public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Apply(connection);
            return Task.CompletedTask;
        }

        private static void Apply(DbConnection connection)
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout={(int)BusyTimeout.TotalMilliseconds}; PRAGMA foreign_keys=ON;";
            command.ExecuteNonQuery();
        }
    }
}
