namespace TicketOps.Core.Storage;

/// <summary>
/// Where one TicketOps instance keeps its state: by default the SQLite database, and always the Lucene index
/// and the stored embeddings. Everything but the database is derived and can be rebuilt from it. With a
/// PostgreSQL <see cref="Database"/> shared by several instances, each instance has its own data directory
/// for its derived files.
/// </summary>
public sealed class DataDirectory
{
    /// <summary>Environment variable that sets the data directory when <c>--data-dir</c> is not given.</summary>
    public const string EnvironmentVariable = "TICKETOPS_DATA_DIR";

    /// <summary>Creates (if needed) and wraps the folder.</summary>
    /// <param name="path">The folder.</param>
    /// <param name="database">The database; null for the SQLite file in the folder (<see cref="DatabasePath"/>).</param>
    public DataDirectory(string path, DatabaseLocation? database = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Root = Path.GetFullPath(path);
        Directory.CreateDirectory(Root);
        Database = database ?? DatabaseLocation.SqliteFile(DatabasePath);
    }

    /// <summary>Absolute path of the folder.</summary>
    public string Root { get; }

    /// <summary>The embedded SQLite database file, the default <see cref="Database"/>.</summary>
    public string DatabasePath => Path.Combine(Root, "ticketops.db");

    /// <summary>The database this instance uses: the SQLite file in the folder, or another SQLite file or a PostgreSQL server.</summary>
    public DatabaseLocation Database { get; }

    /// <summary>The same folder with another database.</summary>
    public DataDirectory WithDatabase(DatabaseLocation database) => new(Root, database);

    /// <summary>Folder of the Lucene index (derived data).</summary>
    public string SearchIndexPath => Path.Combine(Root, "index");

    /// <summary>Folder of the stored embeddings (derived data).</summary>
    public string EmbeddingsPath => Path.Combine(Root, "embeddings");

    /// <summary>The ranking learned by <c>ticketops tune</c> (absent until it runs).</summary>
    public string RankingModelPath => Path.Combine(Root, "ranking-model.json");

    /// <summary>
    /// Resolves the data directory: the explicit option, else <see cref="EnvironmentVariable"/>, else
    /// <c>~/.local/share/ticketops</c> (the XDG data home), so a user's data never lands in the working tree.
    /// </summary>
    public static DataDirectory Resolve(string? explicitPath)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            return new DataDirectory(explicitPath);
        }

        string? fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return new DataDirectory(fromEnvironment);
        }

        string? xdgDataHome = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        string dataHome = string.IsNullOrWhiteSpace(xdgDataHome)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share")
            : xdgDataHome;
        return new DataDirectory(Path.Combine(dataHome, "ticketops"));
    }
}
