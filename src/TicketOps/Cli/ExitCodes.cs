namespace TicketOps.Cli;

/// <summary>Process exit codes; scripts can rely on them.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Something failed that is not the user's input (I/O, database).</summary>
    public const int Failure = 1;

    /// <summary>The command line was wrong (unknown verb, bad option).</summary>
    public const int Usage = 2;

    /// <summary>The input data was invalid (a record, a mapping file); nothing was written.</summary>
    public const int InvalidData = 3;

    /// <summary>The candidate or article named does not exist.</summary>
    public const int NotFound = 4;

    /// <summary>
    /// The decision is not allowed in the subject's state (or its file is being edited), or the data directory
    /// is in use by another process (a running <c>ticketops serve</c> holds its match index); nothing was written.
    /// </summary>
    public const int Refused = 5;
}
