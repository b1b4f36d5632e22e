namespace TicketOps.Core.Storage;

/// <summary>
/// Where TicketOps keeps its state: the SQLite database, the Lucene index and the stored embeddings.
/// Everything but the database is derived and can be rebuilt from it.
/// </summary>
public sealed class DataDirectory
{
    /// <summary>Environment variable that sets the data directory when <c>--data-dir</c> is not given.</summary>
    public const string EnvironmentVariable = "TICKETOPS_DATA_DIR";

    /// <summary>Creates (if needed) and wraps the folder.</summary>
    public DataDirectory(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Root = Path.GetFullPath(path);
        Directory.CreateDirectory(Root);
    }

    /// <summary>Absolute path of the folder.</summary>
    public string Root { get; }

    /// <summary>The SQLite database file.</summary>
    public string DatabasePath => Path.Combine(Root, "ticketops.db");

    /// <summary>Folder of the Lucene index (derived data).</summary>
    public string SearchIndexPath => Path.Combine(Root, "index");

    /// <summary>Folder of the stored embeddings (derived data).</summary>
    public string EmbeddingsPath => Path.Combine(Root, "embeddings");

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
