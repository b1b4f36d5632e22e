using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Npgsql;
using TicketOps.Core.Storage;

namespace TicketOps.TestSupport;

/// <summary>
/// A fresh, migrated, empty TicketOps database for one test, on either provider, dropped afterwards. SQLite: a
/// file in a temp folder. PostgreSQL: a new database on the test server, copied from a template that was
/// migrated once per test process (copying a template is far faster than running the migrations per test), so
/// tests stay isolated and can run in parallel.
/// </summary>
public sealed class TestDatabase : IDisposable
{
    private readonly string? _folder;

    private TestDatabase(DatabaseLocation location, string? folder)
    {
        Location = location;
        _folder = folder;
    }

    /// <summary>The database, as <c>--database</c> would give it.</summary>
    public DatabaseLocation Location { get; }

    /// <summary>The provider.</summary>
    public DatabaseProvider Provider => Location.Provider;

    /// <summary>A SQLite file <paramref name="path"/> or a new PostgreSQL database, with the schema migrated.</summary>
    public static TestDatabase Create(DatabaseProvider provider, string? sqlitePath = null)
    {
        if (provider == DatabaseProvider.PostgreSql)
        {
            return new TestDatabase(PostgresTestServer.CreateDatabase(), folder: null);
        }

        string? folder = null;
        if (sqlitePath is null)
        {
            folder = Path.Combine(Path.GetTempPath(), "ticketops-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            sqlitePath = Path.Combine(folder, "ticketops.db");
        }

        var location = DatabaseLocation.SqliteFile(sqlitePath);
        TicketOpsDatabase.MigrateAsync(location).GetAwaiter().GetResult();
        return new TestDatabase(location, folder);
    }

    /// <summary>A context on the database.</summary>
    public TicketOpsDbContext CreateContext() => TicketOpsDatabase.CreateContext(Location);

    public void Dispose()
    {
        if (Provider == DatabaseProvider.PostgreSql)
        {
            PostgresTestServer.DropDatabase(Location);
            return;
        }

        SqliteConnection.ClearAllPools();
        if (_folder is not null)
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // A file still open on a slow machine: the OS cleans the temp folder.
            }
        }
    }
}

/// <summary>
/// The PostgreSQL server the tests use. <c>scripts/test</c> starts a throwaway cluster and passes its connection
/// string in <see cref="EnvironmentVariable"/>; a test that needs PostgreSQL then fails (never skips) when that
/// server does not answer. Without the variable (one test run by hand from an IDE or <c>dotnet test</c>), the
/// first PostgreSQL test starts a cluster of its own with <c>scripts/test-postgres</c> and stops it when the
/// test process ends.
/// </summary>
public static class PostgresTestServer
{
    /// <summary>The connection string of the test server's maintenance database.</summary>
    public const string EnvironmentVariable = "TICKETOPS_TEST_POSTGRES";

    private static readonly Lazy<string> s_server = new(Connect, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<string> s_template = new(CreateTemplate, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The maintenance connection string (database <c>postgres</c>).</summary>
    public static string ConnectionString => s_server.Value;

    /// <summary>A new empty database with the current schema; the caller drops it with <see cref="DropDatabase"/>.</summary>
    public static DatabaseLocation CreateDatabase()
    {
        string template = s_template.Value;
        string name = $"t_{Guid.NewGuid():N}";
        Execute($"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\" STRATEGY FILE_COPY");
        return DatabaseLocation.Parse(new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString);
    }

    /// <summary>A new database with no schema at all (for migration tests).</summary>
    public static DatabaseLocation CreateEmptyDatabase()
    {
        string name = $"t_{Guid.NewGuid():N}";
        Execute($"CREATE DATABASE \"{name}\"");
        return DatabaseLocation.Parse(new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString);
    }

    /// <summary>Drops a test database, ending any connection still open on it.</summary>
    public static void DropDatabase(DatabaseLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        var builder = new NpgsqlConnectionStringBuilder(location.ConnectionString);
        using (var connection = new NpgsqlConnection(location.ConnectionString))
        {
            NpgsqlConnection.ClearPool(connection);
        }

        Execute($"DROP DATABASE IF EXISTS \"{builder.Database}\" WITH (FORCE)");
    }

    private static void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private static string CreateTemplate()
    {
        // One template per test process: the two test assemblies run at once and must not share one being copied.
        string name = $"tpl_{Environment.ProcessId}_{Guid.NewGuid():N}"[..40];
        Execute($"CREATE DATABASE \"{name}\"");
        var location = DatabaseLocation.Parse(new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString);
        TicketOpsDatabase.MigrateAsync(location).GetAwaiter().GetResult();
        using (var connection = new NpgsqlConnection(location.ConnectionString))
        {
            // CREATE DATABASE ... TEMPLATE refuses a template with open connections.
            NpgsqlConnection.ClearPool(connection);
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Execute($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
            }
            catch (NpgsqlException)
            {
                // The server is already gone (scripts/test removes the whole cluster anyway).
            }
        };
        return name;
    }

    private static string Connect()
    {
        string? given = Environment.GetEnvironmentVariable(EnvironmentVariable);
        string connectionString = string.IsNullOrWhiteSpace(given) ? StartOwnCluster() : given;
        try
        {
            using var connection = new NpgsqlConnection(connectionString);
            connection.Open();
        }
        catch (Exception exception) when (exception is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            throw new InvalidOperationException(
                $"This test needs PostgreSQL, and no server answers at {EnvironmentVariable}='{connectionString}': {exception.Message}. " +
                "Run the suite with 'bash scripts/test' (it starts a throwaway cluster), or unset the variable to let the tests start their own.",
                exception);
        }

        return connectionString;
    }

    private static string StartOwnCluster()
    {
        string script = Path.Combine(RepositoryRoot(), "scripts", "test-postgres");
        var start = new ProcessStartInfo("bash", [script, "start"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("cannot run bash");
        string output = process.StandardOutput.ReadToEnd();
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (process.ExitCode != 0 || lines.Length < 2)
        {
            throw new InvalidOperationException(
                $"This test needs PostgreSQL: {EnvironmentVariable} is not set and '{script} start' could not start a cluster " +
                $"(exit {process.ExitCode}): {errors.Trim()}. Install the Debian package postgresql, or run 'bash scripts/test'.");
        }

        string folder = lines[0];
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            using Process? stop = Process.Start(new ProcessStartInfo("bash", [script, "stop", folder]));
            stop?.WaitForExit();
        };
        return lines[1];
    }

    private static string RepositoryRoot()
    {
        string? folder = AppContext.BaseDirectory;
        while (folder is not null && !File.Exists(Path.Combine(folder, "TicketOps.sln")))
        {
            folder = Path.GetDirectoryName(folder);
        }

        return folder ?? throw new InvalidOperationException("TicketOps.sln not found above the test binaries.");
    }
}
