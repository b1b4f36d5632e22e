namespace TicketOps.Core.Synthetic;

/// <summary>
/// What <see cref="DemoCaseGenerator"/> produces: how many cases, from which seed, over which window.
/// The same options always give the same cases, byte for byte.
/// </summary>
/// <param name="Cases">Number of cases to generate (zero or more).</param>
/// <param name="Seed">Random seed; different seeds give different but statistically alike data sets.</param>
/// <param name="End">UTC end of the twelve-month window; cases are created in <c>End - 12 months .. End</c>.</param>
public sealed record DemoDataOptions(int Cases, int Seed, DateTime End)
{
    /// <summary>Length of the generated window in calendar months.</summary>
    public const int WindowMonths = 12;

    /// <summary>UTC start of the window: <see cref="End"/> minus twelve calendar months.</summary>
    public DateTime Start => UtcEnd.AddMonths(-WindowMonths);

    /// <summary>
    /// UTC start of month <paramref name="month"/> of the window (0 = first month, 12 = <see cref="End"/>).
    /// Family trends such as <see cref="IssueFamily.StartMonth"/> are expressed in these months.
    /// </summary>
    /// <param name="month">Month offset from <see cref="Start"/>, 0 to 12.</param>
    public DateTime MonthStart(int month)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(month);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(month, WindowMonths);
        return Start.AddMonths(month);
    }

    /// <summary><see cref="End"/> as UTC; an unspecified kind is taken to be UTC already.</summary>
    internal DateTime UtcEnd => End.Kind switch
    {
        DateTimeKind.Utc => End,
        DateTimeKind.Local => End.ToUniversalTime(),
        _ => DateTime.SpecifyKind(End, DateTimeKind.Utc),
    };
}
