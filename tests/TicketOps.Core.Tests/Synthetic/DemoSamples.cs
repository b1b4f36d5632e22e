using TicketOps.Core.Import;
using TicketOps.Core.Synthetic;

namespace TicketOps.Core.Tests.Synthetic;

/// <summary>Demo data sets shared by the tests: generated once, read by many.</summary>
internal static class DemoSamples
{
    public static readonly DateTime End = new(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);

    private static readonly Lazy<IReadOnlyList<CaseRecord>> s_small = new(() => Generate(3_000, 7));
    private static readonly Lazy<IReadOnlyList<CaseRecord>> s_large = new(() => Generate(20_000, 11));

    public static DemoDataOptions Options(int cases, int seed = 7) => new(cases, seed, End);

    /// <summary>3,000 cases: the size the brief asks every family to be visible at.</summary>
    public static IReadOnlyList<CaseRecord> Small => s_small.Value;

    /// <summary>20,000 cases: enough per family for shares and trends to be measured tightly.</summary>
    public static IReadOnlyList<CaseRecord> Large => s_large.Value;

    public static IReadOnlyList<CaseRecord> Generate(int cases, int seed) =>
        [.. DemoCaseGenerator.Generate(Options(cases, seed))];

    public static ILookup<string, CaseRecord> ByFamily(IEnumerable<CaseRecord> cases) =>
        cases.Where(c => c.EvalFamily is not null).ToLookup(c => c.EvalFamily!);

    public static string AllText(CaseRecord c) =>
        string.Join('\n', new[] { c.Title, c.Description }.Concat(c.Comments?.Select(m => m.Body) ?? []));
}
