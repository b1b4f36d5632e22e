using TicketOps.Core.Synthetic;

namespace TicketOps.Core.Tests.Synthetic;

public sealed class IssueFamiliesTests
{
    [Fact]
    public void Family_ids_are_unique_kebab_case_and_findable()
    {
        var ids = IssueFamilies.All.Select(f => f.Id).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)+$", id));
        Assert.All(ids, id => Assert.Same(IssueFamilies.All.Single(f => f.Id == id), IssueFamilies.Find(id)));
        Assert.Null(IssueFamilies.Find("no-such-family"));
    }

    [Fact]
    public void Every_family_is_complete_enough_to_mine_a_playbook_from()
    {
        Assert.All(IssueFamilies.All, f =>
        {
            Assert.Contains(f.ProductArea, IssueFamilies.ProductAreas);
            Assert.NotEmpty(f.ErrorCodes);
            Assert.True(f.Symptoms.Count >= 3, $"{f.Id} needs several symptom phrasings");
            Assert.True(f.EvidenceSteps.Count >= 2, $"{f.Id} needs an ordered investigation");
            Assert.InRange(f.Causes.Count, 1, 3);
            Assert.All(f.Causes, c => Assert.True(c.Weight > 0));
            Assert.NotEmpty(f.ResolutionSteps);
            Assert.InRange(f.EscalationShare, 0, 1);
            Assert.InRange(f.ReturnedShare, 0, 1);
            Assert.All(f.CloseTo, id => Assert.NotNull(IssueFamilies.Find(id)));
            Assert.Equal(f.Trend == FamilyTrend.Sudden, f.StartMonth > 0);
        });
    }

    [Fact]
    public void Catalog_covers_every_trend_and_the_main_product_areas()
    {
        foreach (var trend in Enum.GetValues<FamilyTrend>())
        {
            Assert.True(IssueFamilies.All.Count(f => f.Trend == trend) >= 2, $"too few {trend} families");
        }

        foreach (string area in IssueFamilies.ProductAreas.Where(a => a != IssueFamilies.WebApp))
        {
            Assert.Contains(IssueFamilies.All, f => f.ProductArea == area);
        }
    }

    [Fact]
    public void Some_families_are_deliberately_close_to_each_other()
    {
        var close = IssueFamilies.All.Where(f => f.CloseTo.Count > 0).ToList();

        Assert.True(close.Count >= 4);
        // Close means same product area: the generator must not make them separable by area alone.
        Assert.Contains(close, f => f.CloseTo.Any(id => IssueFamilies.Find(id)!.ProductArea == f.ProductArea));
    }

    [Theory]
    [InlineData(FamilyTrend.Growing, 0, 11)]
    [InlineData(FamilyTrend.Fading, 11, 0)]
    public void Trend_factor_rises_or_falls_over_the_window(FamilyTrend trend, int lowMonth, int highMonth)
    {
        Assert.True(DemoCaseGenerator.TrendFactor(trend, 0, highMonth) > 3 * DemoCaseGenerator.TrendFactor(trend, 0, lowMonth));
    }

    [Fact]
    public void Trend_factor_of_a_sudden_family_is_zero_before_its_start()
    {
        Assert.Equal(0, DemoCaseGenerator.TrendFactor(FamilyTrend.Sudden, 6, 5));
        Assert.True(DemoCaseGenerator.TrendFactor(FamilyTrend.Sudden, 6, 6) > 1);
    }
}
