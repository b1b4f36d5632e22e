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

    /// <summary>The request was understood but refused: an incomplete escalation packet, an outcome that does not fit the case.</summary>
    public const int Refused = 4;
}
