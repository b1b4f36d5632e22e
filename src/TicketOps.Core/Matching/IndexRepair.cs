using System.Globalization;
using TicketOps.Core.Storage;

namespace TicketOps.Core.Matching;

/// <summary>
/// Crash repair of a data directory's match index. The index is derived from the database, but written after it:
/// an operation that changes both (an import, a knowledge sync, a review decision, a rebuild, a running server)
/// commits the database first and the index second, so a process killed in between leaves the database ahead of
/// the index — and rerunning the operation does not help, since the database now says "unchanged". Each such
/// operation therefore writes a marker file (<c>index-dirty</c>, durably) before it writes the database and deletes
/// it once the index is committed. Whoever next opens the index for writing and finds the marker compares the
/// index with the database item by item (<see cref="ReconcileAsync"/>) and puts it right before doing anything else.
/// The check costs a pass over the database and the index, so it runs only after an interruption.
/// </summary>
public static class IndexRepair
{
    private const string MarkerName = "index-dirty";

    /// <summary>The marker file of a data directory.</summary>
    public static string MarkerPath(DataDirectory dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        return Path.Combine(dataDirectory.Root, MarkerName);
    }

    /// <summary>What was interrupted and when (the marker's content), or null when the index is not known to be behind.</summary>
    public static string? Interrupted(DataDirectory dataDirectory)
    {
        string path = MarkerPath(dataDirectory);
        try
        {
            return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
        }
        catch (IOException)
        {
            return "an operation (the marker could not be read)";
        }
    }

    // The files TicketOps writes durably at the root of a data directory; a kill mid-write leaves NAME.xxxxxxxx.partial.
    private static readonly string[] s_rootFiles = [MarkerName, "change-feed.json", "ranking-model.json"];

    /// <summary>
    /// Records, durably, that <paramref name="operation"/> is about to write the database and then the index. Temporary
    /// files that a kill during an earlier durable write left at the data directory's root are removed first (the
    /// writer holds the match index lease, so no other process is writing them).
    /// </summary>
    public static async Task MarkAsync(DataDirectory dataDirectory, string operation, DateTime at, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(dataDirectory.Root);
        foreach (string leftover in Directory.EnumerateFiles(dataDirectory.Root, "*" + DurableFile.TemporarySuffix, SearchOption.TopDirectoryOnly))
        {
            string name = Path.GetFileName(leftover);
            if (s_rootFiles.Any(file => name.StartsWith(file + ".", StringComparison.Ordinal)))
            {
                File.Delete(leftover);
            }
        }

        await DurableFile.WriteAllTextAsync(MarkerPath(dataDirectory), string.Create(CultureInfo.InvariantCulture, $"{operation} started {at:yyyy-MM-dd HH:mm:ss} UTC\n"), cancellationToken);
    }

    /// <summary>Records that the index has caught up with the database (the marker is removed, durably).</summary>
    public static void MarkDone(DataDirectory dataDirectory)
    {
        string path = MarkerPath(dataDirectory);
        if (File.Exists(path))
        {
            File.Delete(path);
            DurableFile.FlushFolder(dataDirectory.Root);
        }
    }

    /// <summary>
    /// Brings the index in line with the database: every resolved case and published article whose document is
    /// missing or differs is (re)indexed — with the vectors the database holds, the others left pending — and every
    /// indexed item the database no longer has (or no longer publishes) is removed.
    /// </summary>
    /// <returns>How many items were reindexed and removed.</returns>
    public static async Task<(int Reindexed, int Removed)> ReconcileAsync(TicketOpsDbContext db, TicketMatcher matcher, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(matcher);
        var expected = new HashSet<string>(StringComparer.Ordinal);
        var stale = new List<MatchDocument>();
        await foreach (MatchDocument document in KnowledgeDocuments.AllAsync(db, cancellationToken))
        {
            expected.Add(document.Id);
            if (matcher.Lexical.Get(document.Id) is not { } indexed || !SameContent(indexed, document))
            {
                stale.Add(document);
            }
        }

        string[] extra = [.. matcher.Lexical.IdsMatching(MatchFilter.None).Where(id => !expected.Contains(id))];
        if (stale.Count > 0)
        {
            await matcher.IndexManyAsync(ToAsync(stale), progress: null, VectorTiming.Later, cancellationToken);
        }

        if (extra.Length > 0)
        {
            await matcher.RemoveAsync(extra, cancellationToken);
        }

        return (stale.Count, extra.Length);
    }

    // What matching reads of an item: its text (which the vector is computed from), kind and environment.
    private static bool SameContent(MatchDocument indexed, MatchDocument expected) =>
        indexed.Kind == expected.Kind
        && indexed.EmbeddingText == expected.EmbeddingText
        && indexed.Product == expected.Product
        && indexed.Component == expected.Component
        && indexed.Version == expected.Version;

    private static async IAsyncEnumerable<MatchDocument> ToAsync(IEnumerable<MatchDocument> documents)
    {
        foreach (MatchDocument document in documents)
        {
            yield return document;
        }

        await Task.CompletedTask;
    }
}
