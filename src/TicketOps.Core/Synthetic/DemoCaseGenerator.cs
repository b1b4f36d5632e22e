using TicketOps.Core.Import;

namespace TicketOps.Core.Synthetic;

/// <summary>
/// Generates the built-in demo data set: realistic technical support cases of the fictional Cobaltline
/// product, drawn from <see cref="IssueFamilies.All"/> plus about ten percent one-off cases, over twelve
/// months, with trends, escalations, evidence steps, noise and some personal data for redaction to find.
/// </summary>
/// <remarks>
/// Output is deterministic: the same <see cref="DemoDataOptions"/> give byte-identical cases on every
/// machine and run. Each call owns its own seeded random source, so concurrent calls do not interfere,
/// and nothing reads the clock.
/// </remarks>
public static class DemoCaseGenerator
{
    /// <summary>Source name written to every generated case.</summary>
    public const string Source = "demo";

    /// <summary>Expected share of cases that belong to no issue family.</summary>
    public const double OneOffShare = 0.10;

    /// <summary>
    /// Streams <see cref="DemoDataOptions.Cases"/> cases in <c>created_at</c> order, with external ids
    /// <c>DEMO-000001</c>, <c>DEMO-000002</c>, ... in that order.
    /// </summary>
    /// <param name="options">How many cases, the seed and the window end.</param>
    /// <returns>A lazily generated sequence; enumerate it once per use.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The requested number of cases is negative.</exception>
    public static IEnumerable<CaseRecord> Generate(DemoDataOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Cases, nameof(options));
        return new DemoCaseComposer(options).Compose();
    }

    /// <summary>
    /// Relative monthly volume of a family with <paramref name="trend"/> in month <paramref name="month"/>
    /// (0-11) of the window: what makes growing families grow and sudden ones appear.
    /// </summary>
    /// <param name="trend">The family's trend.</param>
    /// <param name="startMonth">For sudden families, the first month with cases.</param>
    /// <param name="month">Month of the window, 0-11.</param>
    public static double TrendFactor(FamilyTrend trend, int startMonth, int month)
    {
        double progress = month / (double)(DemoDataOptions.WindowMonths - 1);
        return trend switch
        {
            // Ratios chosen so the last quarter has about four times the first (and the reverse).
            FamilyTrend.Growing => 0.3 + (1.7 * progress),
            FamilyTrend.Fading => 2.0 - (1.7 * progress),
            FamilyTrend.Sudden => month < startMonth ? 0.0 : 2.2,
            _ => 1.0,
        };
    }
}
