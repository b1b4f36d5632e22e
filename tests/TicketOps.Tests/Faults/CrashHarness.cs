using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using TicketOps.Core.Matching;

namespace TicketOps.Tests.Faults;

/// <summary>
/// Runs the real <c>ticketops</c> executable as a child process and kills it with SIGKILL, the way a crash, an OOM
/// kill or a pulled plug ends a process: no finally block, no flush, no disposal.
/// </summary>
internal static class CrashHarness
{
    /// <summary>The executable beside the tests (the test project references the app, so its build is copied here).</summary>
    public static string Executable { get; } = Path.Combine(AppContext.BaseDirectory, "ticketops.dll");

    /// <summary>Kills per operation: 3 in CI, <c>TICKETOPS_CRASH_KILLS=30</c> for the full run.</summary>
    public static int Kills => int.TryParse(Environment.GetEnvironmentVariable("TICKETOPS_CRASH_KILLS"), out int kills) && kills > 0 ? kills : 3;

    /// <summary>Runs the executable to its end; returns the exit code, standard output and error, and how long it took.</summary>
    public static async Task<(int ExitCode, string Out, string Error, TimeSpan Took)> RunAsync(params string[] args)
    {
        using Process process = Start(args);
        var stopwatch = Stopwatch.StartNew();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // A hang is a finding (a lock a killed process left behind), not a slow run: say so and stop it.
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"ticketops {string.Join(' ', args)} did not end within 3 minutes: {stderr.Status}");
        }
        return (process.ExitCode, await stdout, await stderr, stopwatch.Elapsed);
    }

    /// <summary>Starts the executable and kills it after <paramref name="after"/> (or lets it finish when it is quicker).</summary>
    /// <returns>True when the kill landed before the process ended by itself.</returns>
    public static async Task<bool> RunAndKillAsync(TimeSpan after, params string[] args)
    {
        using Process process = Start(args);
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        Task exited = process.WaitForExitAsync();
        bool killed = false;
        if (await Task.WhenAny(exited, Task.Delay(after)) != exited)
        {
            process.Kill(entireProcessTree: true);
            killed = true;
        }

        await process.WaitForExitAsync();
        await Task.WhenAll(stdout, stderr);
        return killed;
    }

    private static Process Start(string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Executable);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Plain output, no terminal; the same model and settings as a user's run.
        start.Environment["NO_COLOR"] = "1";
        start.Environment.Remove("TICKETOPS_DATABASE");
        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
    }

    /// <summary>Kill points spread over an operation's duration: the middle of each of <paramref name="kills"/> equal slices.</summary>
    public static IEnumerable<TimeSpan> KillPoints(TimeSpan duration, int kills) =>
        Enumerable.Range(0, kills).Select(i => duration * ((i + 0.5) / kills));

    /// <summary>Temporary files a durable write left behind (a kill between writing and renaming), anywhere under the folders.</summary>
    public static IReadOnlyList<string> Leftovers(params string[] folders) =>
        [.. folders.Where(Directory.Exists).SelectMany(f => Directory.EnumerateFiles(f, "*.partial", SearchOption.AllDirectories))];

    /// <summary>Copies a folder (a prepared data directory) to a fresh place.</summary>
    public static void CopyFolder(string from, string to)
    {
        foreach (string directory in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(directory.Replace(from, to, StringComparison.Ordinal));
        }

        Directory.CreateDirectory(to);
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, file.Replace(from, to, StringComparison.Ordinal));
        }
    }
}

/// <summary>
/// What an operation leaves behind that a user relies on, compared between an interrupted-then-rerun run and an
/// uninterrupted one: the cases (source, id, content hash, status), the knowledge articles (id, state, version,
/// title), the decisions (candidate states, audit entries), the knowledge files' contents, and the match index
/// (every item's id with the hash of its text, and which items have a vector). Times are left out: a rerun
/// happens later.
/// </summary>
internal sealed record EndState(string Cases, string Knowledge, string Decisions, string Files, string Index)
{
    public static EndState Of(string dataDirectory, string? knowledgeFolder = null)
    {
        string database = Path.Combine(dataDirectory, "ticketops.db");
        return new EndState(
            Query(database, "SELECT Source || ':' || ExternalId || ':' || ContentHash || ':' || Status FROM cases ORDER BY Source, ExternalId"),
            Query(database, "SELECT Id || ':' || State || ':' || Version || ':' || Title FROM knowledge_articles ORDER BY Id"),
            Query(database, "SELECT ClusterId || ':' || Kind || ':' || State || ':' || COALESCE(KnowledgeId, '') || ':' || Title FROM mining_candidates ORDER BY ClusterId, Kind")
                + " | " + Query(database, "SELECT Action || ':' || COALESCE(KnowledgeId, '') || ':' || COALESCE(AfterHash, '') FROM audit_log ORDER BY Id"),
            FilesOf(knowledgeFolder),
            IndexOf(dataDirectory));
    }

    /// <summary>The number of rows of a table, for the all-or-none check.</summary>
    public static long Count(string dataDirectory, string table)
    {
        string database = Path.Combine(dataDirectory, "ticketops.db");
        if (!File.Exists(database))
        {
            return 0;
        }

        using SqliteConnection connection = Open(database);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
        try
        {
            return (long)command.ExecuteScalar()!;
        }
        catch (SqliteException)
        {
            return 0; // the table does not exist yet: the kill came before the first migration committed
        }
    }

    private static string Query(string database, string sql)
    {
        if (!File.Exists(database))
        {
            return "(no database)";
        }

        using SqliteConnection connection = Open(database);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        var rows = new StringBuilder();
        try
        {
            using SqliteDataReader reader = command.ExecuteReader();
            while (reader.Read())
            {
                rows.Append(reader.GetString(0)).Append('\n');
            }
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode == 1)
        {
            return "(no table)";
        }

        return Digest(rows.ToString());
    }

    private static SqliteConnection Open(string database)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static string FilesOf(string? folder)
    {
        if (folder is null || !Directory.Exists(folder))
        {
            return "(none)";
        }

        var files = new StringBuilder();
        foreach (string file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            files.Append(Path.GetRelativePath(folder, file)).Append(':').Append(Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)))[..16]).Append('\n');
        }

        return files.ToString();
    }

    private static string IndexOf(string dataDirectory)
    {
        string path = Path.Combine(dataDirectory, "index");
        if (!Directory.Exists(path))
        {
            return "(no index)";
        }

        var items = new StringBuilder();
        using (var lexical = new LexicalIndex(path))
        {
            foreach (string id in lexical.IdsMatching(MatchFilter.None).Order(StringComparer.Ordinal))
            {
                items.Append(id).Append(':').Append(StoredVectors.HashOf(lexical.Get(id)!.EmbeddingText)).Append('\n');
            }
        }

        using EmbeddingStore vectors = EmbeddingStore.Load(Path.Combine(dataDirectory, "embeddings"));
        items.Append("vectors:").Append(string.Join(",", vectors.Ids.Order(StringComparer.Ordinal)));
        return Digest(items.ToString());
    }

    private static string Digest(string text) => $"{text.Count(c => c == '\n')} rows {Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16]}";
}
