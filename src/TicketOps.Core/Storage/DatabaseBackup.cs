using Microsoft.Data.Sqlite;

namespace TicketOps.Core.Storage;

/// <summary>What a backup or restore did, or why it could not.</summary>
/// <param name="Problem">Why nothing was written; null on success.</param>
/// <param name="Path">The file written (the backup, or the restored database).</param>
/// <param name="Bytes">Its size.</param>
/// <param name="Cases">Cases it holds.</param>
public sealed record BackupResult(string? Problem, string Path, long Bytes = 0, long Cases = 0)
{
    /// <summary>True when the file was written.</summary>
    public bool Succeeded => Problem is null;
}

/// <summary>
/// Backs up and restores a data directory's SQLite database. The database is the only thing a backup needs:
/// the match index and the vectors are derived from it (docs/reliability.md). A backup uses SQLite's online
/// backup API, so it is a consistent snapshot even while <c>ticketops serve</c> writes; both directions write
/// a temporary file, check it, flush it to disk and rename it into place, so a crash at any moment leaves
/// either the old file or the new one, never half of one.
/// </summary>
public static class DatabaseBackup
{
    /// <summary>Writes a consistent copy of <paramref name="dataDirectory"/>'s database to <paramref name="outputPath"/>.</summary>
    public static BackupResult Backup(DataDirectory dataDirectory, string outputPath)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputPath);
        string target = System.IO.Path.GetFullPath(outputPath);
        if (dataDirectory.Database.Provider != DatabaseProvider.Sqlite)
        {
            return new BackupResult(PostgreSqlProblem(dataDirectory, "back up"), target);
        }

        string live = SqlitePath(dataDirectory);
        if (!File.Exists(live))
        {
            return new BackupResult($"{live}: no database to back up (is --data-dir right?).", target);
        }

        if (string.Equals(target, live, StringComparison.Ordinal))
        {
            return new BackupResult($"{target}: that is the live database; back up to another file.", target);
        }

        string? folder = System.IO.Path.GetDirectoryName(target);
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        string temporary = target + ".partial";
        File.Delete(temporary);
        // Read-write although nothing is written: a read-only connection cannot open a WAL database's shared memory.
        using (var source = Open(live, SqliteOpenMode.ReadWrite))
        using (var destination = Open(temporary, SqliteOpenMode.ReadWriteCreate))
        {
            // One step over all pages, inside a read transaction of the source: writers go on (WAL) and the
            // copy is the database as of one commit.
            source.BackupDatabase(destination);
            using SqliteCommand journal = destination.CreateCommand();
            // The copy is one self-contained file: no WAL beside it to lose in transit.
            journal.CommandText = "PRAGMA journal_mode=DELETE;";
            journal.ExecuteNonQuery();
        }

        return Finish(temporary, target);
    }

    /// <summary>
    /// Restores <paramref name="backupPath"/> as the database of <paramref name="dataDirectory"/>, which must hold
    /// no database yet (unless <paramref name="replace"/>). The derived index and vectors of the directory are
    /// removed; the caller rebuilds them.
    /// </summary>
    public static BackupResult Restore(string backupPath, DataDirectory dataDirectory, bool replace)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(backupPath);
        ArgumentNullException.ThrowIfNull(dataDirectory);
        string source = System.IO.Path.GetFullPath(backupPath);
        if (dataDirectory.Database.Provider != DatabaseProvider.Sqlite)
        {
            return new BackupResult(PostgreSqlProblem(dataDirectory, "restore"), source);
        }

        string target = SqlitePath(dataDirectory);
        if (!File.Exists(source))
        {
            return new BackupResult($"{source}: no such file.", target);
        }

        if (File.Exists(target) && !replace)
        {
            return new BackupResult($"{dataDirectory.Root} already holds a database; restore into an empty data directory, or pass --replace to overwrite it (back it up first).", target);
        }

        if (Check(source) is { } problem)
        {
            return new BackupResult($"{source}: {problem}", target);
        }

        string temporary = target + ".restoring";
        File.Copy(source, temporary, overwrite: true);
        using (var restored = Open(temporary, SqliteOpenMode.ReadWrite))
        using (SqliteCommand journal = restored.CreateCommand())
        {
            // Back to the journal mode every TicketOps database has. Left in DELETE mode, the first open after the
            // restore fails: EF checks that the file exists through a read-only connection, which then holds it
            // while the next connection tries to switch it to WAL ("attempt to write a readonly database").
            journal.CommandText = "PRAGMA journal_mode=WAL;";
            journal.ExecuteNonQuery();
        }

        foreach (string stale in new[] { target + "-wal", target + "-shm" })
        {
            // A WAL of the replaced database would be replayed into the restored one.
            File.Delete(stale);
        }

        BackupResult result = Finish(temporary, target);
        if (result.Succeeded)
        {
            foreach (string derived in new[] { dataDirectory.SearchIndexPath, dataDirectory.EmbeddingsPath })
            {
                if (Directory.Exists(derived))
                {
                    Directory.Delete(derived, recursive: true);
                }
            }
        }

        return result;
    }

    /// <summary>Why <paramref name="path"/> is not a usable TicketOps database, or null.</summary>
    public static string? Check(string path)
    {
        try
        {
            using var connection = Open(path, SqliteOpenMode.ReadWrite);
            using SqliteCommand integrity = connection.CreateCommand();
            integrity.CommandText = "PRAGMA integrity_check;";
            string verdict = Convert.ToString(integrity.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) ?? "";
            if (verdict != "ok")
            {
                return $"the database is damaged (integrity check: {verdict}).";
            }

            using SqliteCommand tables = connection.CreateCommand();
            tables.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('__EFMigrationsHistory', 'cases');";
            return (long)tables.ExecuteScalar()! == 2 ? null : "not a TicketOps database (no cases table or migration history).";
        }
        catch (SqliteException exception)
        {
            return $"not a SQLite database ({exception.Message}).";
        }
    }

    /// <summary>The SQLite file of the data directory's database (the default one in the folder, or --database FILE).</summary>
    private static string SqlitePath(DataDirectory dataDirectory) =>
        System.IO.Path.GetFullPath(new SqliteConnectionStringBuilder(dataDirectory.Database.ConnectionString).DataSource);

    private static string PostgreSqlProblem(DataDirectory dataDirectory, string verb) =>
        $"the database is PostgreSQL ({dataDirectory.Database.Description}); {verb} it with pg_dump / pg_restore as docs/reliability.md shows, then run 'ticketops index rebuild' on each instance.";

    private static BackupResult Finish(string temporary, string target)
    {
        if (Check(temporary) is { } problem)
        {
            File.Delete(temporary);
            return new BackupResult($"{target}: the copy failed its check ({problem}); nothing was replaced.", target);
        }

        long cases;
        using (var connection = Open(temporary, SqliteOpenMode.ReadWrite))
        using (SqliteCommand count = connection.CreateCommand())
        {
            count.CommandText = "SELECT COUNT(*) FROM cases;";
            cases = (long)count.ExecuteScalar()!;
        }

        DurableFile.Flush(temporary);
        File.Move(temporary, target, overwrite: true);
        DurableFile.FlushFolder(System.IO.Path.GetDirectoryName(target)!);
        return new BackupResult(null, target, new FileInfo(target).Length, cases);
    }

    private static SqliteConnection Open(string path, SqliteOpenMode mode)
    {
        // No pooling: a pooled connection would keep the file open after the rename.
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false, DefaultTimeout = (int)TicketOpsDatabase.BusyTimeout.TotalSeconds }.ToString());
        connection.Open();
        return connection;
    }
}
