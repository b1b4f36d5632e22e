using Npgsql;

namespace TicketOps.Core.Storage;

/// <summary>Which database engine holds the TicketOps schema.</summary>
public enum DatabaseProvider
{
    /// <summary>An embedded SQLite file (the default: one instance, a file in the data directory).</summary>
    Sqlite,

    /// <summary>A PostgreSQL server shared by several TicketOps instances.</summary>
    PostgreSql,
}

/// <summary>
/// Where the database is: a SQLite file or a PostgreSQL connection string. Given as <c>--database</c>,
/// <see cref="EnvironmentVariable"/> or the setting <c>TicketOps:Database</c>; by default the SQLite file in
/// the data directory.
/// </summary>
public sealed record DatabaseLocation
{
    /// <summary>Environment variable that sets the database when <c>--database</c> is not given.</summary>
    public const string EnvironmentVariable = "TICKETOPS_DATABASE";

    private DatabaseLocation(DatabaseProvider provider, string connectionString, string description)
    {
        Provider = provider;
        ConnectionString = connectionString;
        Description = description;
    }

    /// <summary>The engine.</summary>
    public DatabaseProvider Provider { get; }

    /// <summary>The ADO.NET connection string (it may hold a password: never print it; print <see cref="Description"/>).</summary>
    public string ConnectionString { get; }

    /// <summary>What to show a person: the SQLite file, or the PostgreSQL host, port, database and user without the password.</summary>
    public string Description { get; }

    /// <summary>A SQLite database file (created on first use).</summary>
    public static DatabaseLocation SqliteFile(string path)
    {
        string fullPath = Path.GetFullPath(path);
        return new DatabaseLocation(DatabaseProvider.Sqlite, TicketOpsDatabase.SqliteConnectionString(fullPath), fullPath);
    }

    /// <summary>
    /// Reads a setting: a PostgreSQL connection string (<c>Host=db;Database=ticketops;Username=...</c>) or URL
    /// (<c>postgresql://user:password@db:5432/ticketops</c>), otherwise the path of a SQLite file.
    /// </summary>
    /// <exception cref="FormatException">The value looks like a PostgreSQL connection string but cannot be read; the message says what to fix.</exception>
    public static DatabaseLocation Parse(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        string trimmed = value.Trim();
        if (trimmed.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || trimmed.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return PostgreSql(FromUrl(trimmed));
        }

        // A path has no '='; a connection string always has one (Host=...). SQLite paths with '=' are not worth the ambiguity.
        return trimmed.Contains('=', StringComparison.Ordinal) ? PostgreSql(Builder(trimmed)) : SqliteFile(trimmed);
    }

    /// <summary>
    /// The database for a data directory: <paramref name="explicitValue"/> (<c>--database</c>), else
    /// <see cref="EnvironmentVariable"/>, else <paramref name="configuredValue"/> (<c>TicketOps:Database</c>),
    /// else the SQLite file in the data directory.
    /// </summary>
    public static DatabaseLocation Resolve(string? explicitValue, string? configuredValue, string defaultSqlitePath)
    {
        string? value = new[] { explicitValue, Environment.GetEnvironmentVariable(EnvironmentVariable), configuredValue }
            .FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
        return value is null ? SqliteFile(defaultSqlitePath) : Parse(value);
    }

    private static DatabaseLocation PostgreSql(NpgsqlConnectionStringBuilder builder)
    {
        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            throw new FormatException("The PostgreSQL connection string names no Host; give one, e.g. 'Host=db.internal;Database=ticketops;Username=ticketops'.");
        }

        string database = string.IsNullOrWhiteSpace(builder.Database) ? "(the user's default database)" : builder.Database;
        string user = string.IsNullOrWhiteSpace(builder.Username) ? string.Empty : $" as {builder.Username}";
        return new DatabaseLocation(DatabaseProvider.PostgreSql, builder.ConnectionString, $"PostgreSQL {builder.Host}:{builder.Port}/{database}{user}");
    }

    private static NpgsqlConnectionStringBuilder Builder(string connectionString)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException exception)
        {
            // Npgsql names the unknown or malformed keyword; the value itself may hold a password, so it is not echoed.
            throw new FormatException($"The database setting is not a valid PostgreSQL connection string: {exception.Message.TrimEnd('.')}. " +
                "Give a SQLite file path, a connection string such as 'Host=db;Database=ticketops;Username=ticketops;Password=...', " +
                "or a URL such as 'postgresql://ticketops:...@db:5432/ticketops'.", exception);
        }
    }

    private static NpgsqlConnectionStringBuilder FromUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new FormatException("The database URL cannot be read; write it as postgresql://USER:PASSWORD@HOST:PORT/DATABASE.");
        }

        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host };
        if (uri.Port > 0)
        {
            builder.Port = uri.Port;
        }

        string[] userInfo = uri.UserInfo.Split(':', 2);
        if (userInfo[0].Length > 0)
        {
            builder.Username = Uri.UnescapeDataString(userInfo[0]);
        }

        if (userInfo.Length == 2)
        {
            builder.Password = Uri.UnescapeDataString(userInfo[1]);
        }

        string database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        // Query parameters are connection-string keywords (?sslmode=require&timeout=30).
        foreach (string pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] kv = pair.Split('=', 2);
            string key = Uri.UnescapeDataString(kv[0]);
            try
            {
                builder[key] = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : "true";
            }
            catch (ArgumentException exception)
            {
                throw new FormatException($"The database URL's parameter '{key}' is not a PostgreSQL connection setting: {exception.Message}", exception);
            }
        }

        return builder;
    }
}
