using TicketOps.Core.Import;
using TicketOps.Core.Synthetic;
using TicketOps.Core.Tests.Synthetic;
using TicketOps.Core.Themes;

namespace TicketOps.Core.Tests.Themes;

public sealed class IncidentRuleTests
{
    private static readonly DateTime s_t0 = new(2026, 5, 4, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Customers_quoting_one_code_on_one_release_within_hours_are_flagged_at_the_fourth_case()
    {
        IncidentCase[] cases =
        [
            Case("A-1", 0, "Export fails with ERR_EXPORT_QUOTA", "v4.10.1", "acme"),
            Case("A-2", 40, "ERR_EXPORT_QUOTA on every export", "v4.10.3", "globex"),
            Case("A-3", 95, "exports broken: ERR_EXPORT_QUOTA", "v4.10.0", "initech"),
            Case("A-4", 130, "ERR_EXPORT_QUOTA since the update", "v4.10.2", "umbrella"),
            Case("A-5", 200, "still ERR_EXPORT_QUOTA", "v4.10.2", "hooli"),
        ];

        IncidentSignal signal = Assert.Single(IncidentRule.Detect(cases));

        Assert.Equal(("ERR_EXPORT_QUOTA", "v4.10"), (signal.Identifier, signal.VersionLine));
        Assert.Equal(("A-1", 4, 5, 5), (signal.FirstCase, signal.CasesToFlag, signal.Cases, signal.Customers));
        Assert.Equal(s_t0.AddMinutes(130), signal.FlaggedAt);
        Assert.Equal(0, signal.BaselinePerHour);
    }

    [Fact]
    public void One_customer_filing_many_tickets_is_not_an_incident()
    {
        IncidentCase[] cases = [.. Enumerable.Range(0, 6).Select(i => Case($"B-{i}", i * 10, "ERR_EXPORT_QUOTA again", "v4.10.1", "acme"))];

        Assert.Empty(IncidentRule.Detect(cases));
    }

    [Fact]
    public void The_same_cases_spread_over_days_or_over_releases_are_not_an_incident()
    {
        IncidentCase[] spread = [.. Enumerable.Range(0, 6).Select(i => Case($"C-{i}", i * 60 * 9, "ERR_EXPORT_QUOTA", "v4.10.1", $"customer-{i}"))];
        IncidentCase[] releases = [.. Enumerable.Range(0, 6).Select(i => Case($"D-{i}", i * 10, "ERR_EXPORT_QUOTA", $"v4.{i}.0", $"customer-{i}"))];

        Assert.Empty(IncidentRule.Detect(spread));
        Assert.Empty(IncidentRule.Detect(releases));
    }

    [Fact]
    public void A_code_that_is_always_busy_needs_five_times_its_usual_rate()
    {
        // Two cases an hour for four weeks is the usual rate: a six-hour window expects twelve.
        var usual = Enumerable.Range(0, 28 * 24 * 2).Select(i => Case($"U-{i}", -(i + 1) * 30, "HTTP 502 from the API", "v4.10.0", $"c{i % 50}")).ToList();
        var busier = usual.Concat(Enumerable.Range(0, 20).Select(i => Case($"N-{i}", i * 10, "HTTP 502 from the API", "v4.10.0", $"n{i}"))).ToList();
        var surge = usual.Concat(Enumerable.Range(0, 70).Select(i => Case($"S-{i}", i * 5, "HTTP 502 from the API", "v4.10.0", $"s{i}"))).ToList();

        // The history is taken to start a day before the usual cases, so every window of them is judged.
        DateTime history = s_t0.AddDays(-29);
        Assert.Empty(IncidentRule.Detect(usual, historyFrom: history));
        Assert.Empty(IncidentRule.Detect(busier, historyFrom: history));
        IncidentSignal flagged = Assert.Single(IncidentRule.Detect(surge, historyFrom: history));
        Assert.True(flagged.BaselinePerHour > 1.9, $"baseline {flagged.BaselinePerHour}");
    }

    [Fact]
    public void Every_sudden_family_of_the_generator_is_flagged_within_its_first_eight_cases_and_no_steady_family_is()
    {
        // Families stand for the themes mining finds (it recovers all 31, docs/mining.md): some families' cases
        // share no code (a retired connector is described in words), so the theme is what groups them.
        IReadOnlyList<CaseRecord> records = DemoSamples.Small;
        var cases = records.Select((r, i) => new IncidentCase(i.ToString(System.Globalization.CultureInfo.InvariantCulture), r.ExternalId!, r.CreatedAt!.Value, r.Title + "\n" + r.Description, r.Version, r.Customer, r.EvalFamily)).ToList();
        var familyOf = records.Select((r, i) => (Id: i.ToString(System.Globalization.CultureInfo.InvariantCulture), r.EvalFamily)).ToDictionary(x => x.Id, x => x.EvalFamily);

        IReadOnlyList<IncidentSignal> signals = IncidentRule.Detect(cases);

        foreach (IssueFamily family in IssueFamilies.All)
        {
            var mine = signals.Where(s => s.CaseIds.Count(id => familyOf[id] == family.Id) * 2 > s.CaseIds.Count).ToList();
            if (family.Trend == FamilyTrend.Sudden)
            {
                var burst = records.Where(r => r.EvalFamily == family.Id && r.IncidentId is not null).ToList();
                Assert.True(mine.Count >= 1 && mine[0].CaseIds.Any(id => records[int.Parse(id, System.Globalization.CultureInfo.InvariantCulture)].IncidentId is not null), $"{family.Id}: {mine.Count} signals; burst: " + string.Join(" | ", burst.Select(r => $"{r.CreatedAt:MM-dd HH:mm} {r.Version} {r.Customer} [{string.Join(",", IncidentRule.Identifiers(r.Title + "\n" + r.Description))}]")));
                IncidentSignal signal = mine[0];
                int position = records.Where(r => r.EvalFamily == family.Id).ToList().FindIndex(r => r.CreatedAt == signal.FlaggedAt) + 1;
                Assert.InRange(position, 1, 8);
            }
            else if (family.Trend == FamilyTrend.Steady)
            {
                Assert.Empty(mine);
            }
        }
    }

    [Fact]
    public void A_themes_cases_burst_even_when_they_share_no_code_and_the_signal_names_the_theme()
    {
        IncidentCase[] cases = [.. Enumerable.Range(0, 4).Select(i => Case($"T-{i}", i * 30, "Our Teams notifications stopped arriving", "v4.11.0", $"c{i}") with { Theme = "C-teams" })];

        IncidentSignal signal = Assert.Single(IncidentRule.Detect(cases));

        Assert.Equal(("C-teams", "(none)", 4), (signal.Theme, signal.Identifier, signal.Cases));
    }

    [Theory]
    [InlineData("v4.10.2", "v4.10")]
    [InlineData("7.3.1", "7.3")]
    [InlineData(null, "(any)")]
    [InlineData("beta", "beta")]
    public void Release_line_is_major_and_minor(string? version, string line) => Assert.Equal(line, IncidentRule.VersionLine(version));

    private static IncidentCase Case(string id, int minutes, string text, string version, string customer) =>
        new(id, id, s_t0.AddMinutes(minutes), text, version, customer);
}
