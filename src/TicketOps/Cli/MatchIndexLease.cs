using TicketOps.Core.Storage;

namespace TicketOps.Cli;

/// <summary>
/// The right to write a data directory's match index, held by one process at a time: an exclusive OS lock on
/// <c>DATA/index.lock</c>, taken before the matcher is opened and released when the lease is disposed (or the
/// process ends, also by a crash). A running <c>ticketops serve</c> holds it for its whole life, so a verb that
/// would index (<c>import</c>, <c>index rebuild</c>, <c>knowledge sync</c>, <c>mine</c>, <c>match</c>, review
/// decisions) fails at once with a message that names the data directory and what to do.
/// </summary>
/// <remarks>
/// Lucene's own <c>write.lock</c> is not enough: with Lucene.NET 4.8 on Linux it only guards writers inside
/// one process, so measured on this machine an <c>import</c> beside a running server opened a second writer
/// on the same index and succeeded (two writers corrupt an index, and the server never sees the other's
/// documents). .NET takes an OS file lock for <see cref="FileShare.None"/> on every platform.
/// </remarks>
internal sealed class MatchIndexLease : IDisposable
{
    private readonly FileStream _lockFile;

    private MatchIndexLease(FileStream lockFile) => _lockFile = lockFile;

    /// <summary>Takes the lease; throws <see cref="DataDirectoryInUseException"/> when another process (or lease) holds it.</summary>
    /// <param name="dataDirectory">The data directory.</param>
    /// <param name="serving">True for the server (the message then says what may hold it and how to start).</param>
    public static MatchIndexLease Take(DataDirectory dataDirectory, bool serving = false)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        Directory.CreateDirectory(dataDirectory.Root);
        try
        {
            return new MatchIndexLease(new FileStream(Path.Combine(dataDirectory.Root, "index.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException exception)
        {
            throw new DataDirectoryInUseException(Message(dataDirectory, serving), exception);
        }
    }

    /// <summary>
    /// Why a verb cannot index now, or null when it can: for verbs that write the database before they index
    /// (<c>import</c>, <c>knowledge sync</c>), so they refuse before writing anything.
    /// </summary>
    public static string? InUse(DataDirectory dataDirectory)
    {
        try
        {
            using MatchIndexLease lease = Take(dataDirectory);
            return null;
        }
        catch (DataDirectoryInUseException exception)
        {
            return exception.Message;
        }
    }

    /// <summary>What to tell the user: which data directory, who holds it, and what to do.</summary>
    public static string Message(DataDirectory dataDirectory, bool serving)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        return serving
            ? $"The data directory '{dataDirectory.Root}' is in use: another TicketOps process (a CLI import, index rebuild, mine, match, " +
              "review or knowledge sync, or another 'ticketops serve') has its match index open, and the index allows one writer. " +
              "Wait for it to finish or stop it, then start the server again; or serve another --data-dir."
            : $"The data directory '{dataDirectory.Root}' is in use: another TicketOps process, most likely 'ticketops serve', has its match " +
              "index open, and the index allows one writer. Stop 'ticketops serve' for this data directory and run the command again, or, " +
              "while it runs, use its HTTP API instead (POST /api/cases to import cases, /api/match, /api/review/... for review decisions). " +
              "Nothing was changed.";
    }

    public void Dispose() => _lockFile.Dispose();
}

/// <summary>Another process holds the data directory's match index; the message says which directory and what to do.</summary>
internal sealed class DataDirectoryInUseException(string message, Exception innerException) : Exception(message, innerException);
