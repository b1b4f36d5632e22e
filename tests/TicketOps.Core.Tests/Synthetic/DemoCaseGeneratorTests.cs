using System.Text.Json;
using Bogus;
using TicketOps.Core.Import;
using TicketOps.Core.Synthetic;

namespace TicketOps.Core.Tests.Synthetic;

public sealed class DemoCaseGeneratorTests
{
    [Fact]
    public void Same_seed_gives_identical_output()
    {
        string first = Serialize(DemoCaseGenerator.Generate(DemoSamples.Options(800, seed: 42)));
        string second = Serialize(DemoCaseGenerator.Generate(DemoSamples.Options(800, seed: 42)));

        Assert.Equal(first, second);
    }

    [Fact]
    public void Different_seed_gives_different_output()
    {
        string first = Serialize(DemoCaseGenerator.Generate(DemoSamples.Options(200, seed: 42)));
        string second = Serialize(DemoCaseGenerator.Generate(DemoSamples.Options(200, seed: 43)));

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Output_does_not_depend_on_the_global_Bogus_seed()
    {
        string before = Serialize(DemoCaseGenerator.Generate(DemoSamples.Options(200, seed: 5)));
        var saved = Randomizer.Seed;
        string after;
        try
        {
            Randomizer.Seed = new Random(123_456);
            after = Serialize(DemoCaseGenerator.Generate(DemoSamples.Options(200, seed: 5)));
        }
        finally
        {
            Randomizer.Seed = saved;
        }

        Assert.Equal(before, after);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2_999)]
    public void Requested_count_is_honoured(int cases)
    {
        Assert.Equal(cases, DemoCaseGenerator.Generate(DemoSamples.Options(cases)).Count());
    }

    [Fact]
    public void Negative_count_is_rejected_before_enumeration()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DemoCaseGenerator.Generate(DemoSamples.Options(-1)));
    }

    [Fact]
    public void Cases_are_in_created_order_with_sequential_demo_ids_inside_the_window()
    {
        var cases = DemoSamples.Small;
        var options = DemoSamples.Options(cases.Count);

        for (int i = 0; i < cases.Count; i++)
        {
            Assert.Equal($"DEMO-{i + 1:D6}", cases[i].ExternalId);
            Assert.Equal("demo", cases[i].Source);
            Assert.InRange(cases[i].CreatedAt!.Value, options.Start, options.End);
            Assert.Equal(DateTimeKind.Utc, cases[i].CreatedAt!.Value.Kind);
            if (i > 0)
            {
                Assert.True(cases[i - 1].CreatedAt <= cases[i].CreatedAt, $"{cases[i].ExternalId} created before its predecessor");
            }
        }
    }

    [Fact]
    public void About_thirty_families_each_have_enough_cases_at_3000()
    {
        var byFamily = DemoSamples.ByFamily(DemoSamples.Small);

        Assert.InRange(IssueFamilies.All.Count, 28, 34);
        foreach (var family in IssueFamilies.All)
        {
            Assert.True(byFamily[family.Id].Count() >= 20, $"{family.Id} has only {byFamily[family.Id].Count()} cases");
        }

        Assert.All(byFamily, g => Assert.NotNull(IssueFamilies.Find(g.Key)));
    }

    [Fact]
    public void One_off_share_is_between_8_and_12_percent()
    {
        double share = DemoSamples.Large.Count(c => c.EvalFamily is null) / (double)DemoSamples.Large.Count;

        Assert.InRange(share, 0.08, 0.12);
    }

    [Fact]
    public void One_offs_are_mostly_technical_with_a_few_how_to_questions()
    {
        var oneOffs = DemoSamples.Large.Where(c => c.EvalFamily is null).ToList();
        double technical = oneOffs.Count(c => c.Technical == true) / (double)oneOffs.Count;

        Assert.InRange(technical, 0.6, 0.9);
        Assert.All(DemoSamples.Large.Where(c => c.EvalFamily is not null), c => Assert.True(c.Technical));
        // One-offs must not collapse into a handful of repeated texts, or they would form clusters.
        Assert.True(oneOffs.Select(c => c.Title).Distinct().Count() > oneOffs.Count / 4);
    }

    [Fact]
    public void Growing_families_have_clearly_more_cases_in_the_last_three_months_than_the_first()
    {
        var growing = Families(FamilyTrend.Growing);
        Assert.NotEmpty(growing);

        foreach (var family in growing)
        {
            var (first, last) = FirstAndLastQuarter(family);
            Assert.True(last >= 2 * first, $"{family.Id}: first quarter {first}, last quarter {last}");
        }
    }

    [Fact]
    public void Fading_families_have_clearly_fewer_cases_in_the_last_three_months_than_the_first()
    {
        var fading = Families(FamilyTrend.Fading);
        Assert.NotEmpty(fading);

        foreach (var family in fading)
        {
            var (first, last) = FirstAndLastQuarter(family);
            Assert.True(first >= 2 * last, $"{family.Id}: first quarter {first}, last quarter {last}");
        }
    }

    [Fact]
    public void Steady_families_have_a_similar_volume_in_the_first_and_last_three_months()
    {
        foreach (var family in Families(FamilyTrend.Steady))
        {
            var (first, last) = FirstAndLastQuarter(family);
            Assert.InRange(last, first / 2, first * 2);
        }
    }

    [Fact]
    public void Sudden_families_have_no_cases_before_their_start_month_and_many_after()
    {
        var sudden = Families(FamilyTrend.Sudden);
        Assert.NotEmpty(sudden);
        var options = DemoSamples.Options(DemoSamples.Large.Count);
        var byFamily = DemoSamples.ByFamily(DemoSamples.Large);

        foreach (var family in sudden)
        {
            Assert.InRange(family.StartMonth, 1, 11);
            DateTime start = options.MonthStart(family.StartMonth);
            var cases = byFamily[family.Id].ToList();

            Assert.DoesNotContain(cases, c => c.CreatedAt < start);
            // "Appear strongly": after the start it runs above an average steady family's monthly rate.
            double perMonth = cases.Count / (double)(12 - family.StartMonth);
            double steadyPerMonth = Families(FamilyTrend.Steady).Average(f => byFamily[f.Id].Count()) / 12;
            Assert.True(perMonth > 1.3 * steadyPerMonth, $"{family.Id}: {perMonth:F1}/month vs steady {steadyPerMonth:F1}");
        }
    }

    [Fact]
    public void Timestamps_are_ordered_from_created_to_resolved()
    {
        foreach (var c in DemoSamples.Large)
        {
            DateTime? previous = c.CreatedAt;
            foreach (var next in new[] { c.AssignedAt, c.FirstEvidenceAt, c.EscalatedAt, c.ResolvedAt })
            {
                if (next is null)
                {
                    continue;
                }

                Assert.True(previous <= next, $"{c.ExternalId}: {next:O} before {previous:O}");
                Assert.True(next <= DemoSamples.End, $"{c.ExternalId}: {next:O} after the window end");
                previous = next;
            }

            Assert.All(c.Comments!, m => Assert.InRange(m.CreatedAt!.Value, c.CreatedAt!.Value, c.ResolvedAt ?? DemoSamples.End));
        }
    }

    [Fact]
    public void Resolved_cases_have_the_whole_timeline_cause_and_resolution()
    {
        foreach (var c in DemoSamples.Large.Where(c => c.ResolvedAt is not null))
        {
            Assert.NotNull(c.AssignedAt);
            Assert.NotNull(c.FirstEvidenceAt);
            Assert.NotEmpty(c.EvidenceSteps!);
            Assert.False(string.IsNullOrWhiteSpace(c.Cause));
            Assert.False(string.IsNullOrWhiteSpace(c.Resolution));
            Assert.True(c.Status is "resolved" or "closed", $"{c.ExternalId} has status {c.Status}");
        }
    }

    [Fact]
    public void A_few_percent_of_cases_are_still_open_and_they_are_the_recent_ones()
    {
        var cases = DemoSamples.Large;
        var open = cases.Where(c => c.ResolvedAt is null).ToList();

        Assert.InRange(open.Count / (double)cases.Count, 0.04, 0.11);
        Assert.All(open, c => Assert.Equal("open", c.Status));
        Assert.All(open, c => Assert.Null(c.Cause));
        double medianAgeDays = open.Select(c => (DemoSamples.End - c.CreatedAt!.Value).TotalDays).Order().ElementAt(open.Count / 2);
        Assert.True(medianAgeDays < 30, $"median age of open cases is {medianAgeDays:F0} days");
    }

    [Fact]
    public void Escalation_share_follows_each_familys_configuration()
    {
        var byFamily = DemoSamples.ByFamily(DemoSamples.Large);
        var observed = new Dictionary<string, double>();
        foreach (var family in IssueFamilies.All)
        {
            var resolved = byFamily[family.Id].Where(c => c.ResolvedAt is not null).ToList();
            Assert.True(resolved.Count >= 150, $"{family.Id}: only {resolved.Count} resolved cases");
            observed[family.Id] = resolved.Count(c => c.EscalatedAt is not null) / (double)resolved.Count;
            Assert.InRange(observed[family.Id], family.EscalationShare - 0.1, family.EscalationShare + 0.1);
        }

        var low = IssueFamilies.All.MinBy(f => f.EscalationShare)!;
        var high = IssueFamilies.All.MaxBy(f => f.EscalationShare)!;
        Assert.True(high.EscalationShare - low.EscalationShare >= 0.4, "the catalog should configure clearly different shares");
        Assert.True(observed[high.Id] > observed[low.Id] + 0.3);
    }

    [Fact]
    public void Escalations_are_returned_only_when_escalated_and_engineering_is_marked_involved()
    {
        var cases = DemoSamples.Large;

        Assert.All(cases, c =>
        {
            Assert.Equal(c.EscalatedAt is not null, c.EngineeringInvolved);
            Assert.True(c.EscalationReturned == false || c.EscalatedAt is not null, $"{c.ExternalId} returned without escalation");
        });
        int escalated = cases.Count(c => c.EscalatedAt is not null);
        double returnedShare = cases.Count(c => c.EscalationReturned == true) / (double)escalated;
        Assert.InRange(returnedShare, 0.05, 0.4);
    }

    [Fact]
    public void Returned_escalations_carry_less_evidence_than_accepted_ones()
    {
        var escalated = DemoSamples.Large.Where(c => c.EscalatedAt is not null && c.ResolvedAt is not null).ToList();

        double returned = escalated.Where(c => c.EscalationReturned == true).Average(c => c.EvidenceSteps!.Count);
        double accepted = escalated.Where(c => c.EscalationReturned == false).Average(c => c.EvidenceSteps!.Count);

        Assert.True(returned < accepted - 0.5, $"returned {returned:F2} vs accepted {accepted:F2} steps");
    }

    [Fact]
    public void Each_familys_error_codes_appear_in_its_cases_text()
    {
        var byFamily = DemoSamples.ByFamily(DemoSamples.Small);

        foreach (var family in IssueFamilies.All)
        {
            var texts = byFamily[family.Id].Select(DemoSamples.AllText).ToList();
            foreach (string code in family.ErrorCodes)
            {
                Assert.Contains(texts, t => t.Contains(code, StringComparison.Ordinal));
            }

            double quoting = texts.Count(t => family.ErrorCodes.Any(code => t.Contains(code, StringComparison.Ordinal))) / (double)texts.Count;
            Assert.True(quoting >= 0.85, $"{family.Id}: only {quoting:P0} of cases quote one of its codes");
        }
    }

    [Fact]
    public void Evidence_steps_follow_the_familys_order()
    {
        foreach (var c in DemoSamples.Small.Where(c => c.EvalFamily is not null && c.EvidenceSteps is not null))
        {
            var steps = IssueFamilies.Find(c.EvalFamily!)!.EvidenceSteps;
            int last = -1;
            foreach (string recorded in c.EvidenceSteps!)
            {
                int index = IndexOfStep(steps, recorded);
                if (index < 0)
                {
                    continue; // a generic step such as "Reproduced the problem in a test workspace"
                }

                Assert.True(index > last, $"{c.ExternalId}: \"{recorded}\" out of order");
                last = index;
            }

            Assert.True(last >= 0, $"{c.ExternalId} records none of its family's steps");
        }
    }

    [Fact]
    public void Descriptions_are_typically_40_to_150_words()
    {
        var words = DemoSamples.Small.Select(c => c.Description!.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length).Order().ToList();

        Assert.InRange(words[words.Count / 2], 40, 150);
        Assert.True(words[words.Count * 95 / 100] <= 200, "descriptions should not balloon");
        Assert.True(words[words.Count / 20] >= 15, "descriptions should not be one-liners");
    }

    [Fact]
    public void Wording_varies_within_a_family()
    {
        foreach (var group in DemoSamples.ByFamily(DemoSamples.Small))
        {
            var descriptions = group.Select(c => c.Description).ToList();
            Assert.Equal(descriptions.Count, descriptions.Distinct().Count());
        }
    }

    [Fact]
    public void Some_personal_data_is_sprinkled_in_for_redaction_to_find()
    {
        var texts = DemoSamples.Large.Select(DemoSamples.AllText).ToList();

        int emails = texts.Count(t => t.Contains("@example.", StringComparison.Ordinal));
        int phones = texts.Count(t => t.Contains("+1-555-", StringComparison.Ordinal));
        int tokens = texts.Count(t => t.Contains("sk_live_", StringComparison.Ordinal));

        Assert.InRange(emails / (double)texts.Count, 0.05, 0.3);
        Assert.InRange(phones / (double)texts.Count, 0.02, 0.3);
        Assert.InRange(tokens / (double)texts.Count, 0.005, 0.05);
    }

    [Fact]
    public void Cases_have_team_tags_environment_and_comments()
    {
        Assert.All(DemoSamples.Small, c =>
        {
            Assert.Matches("^(Tier [12]|Billing Desk) (EMEA|Americas|APAC)$", c.Team);
            Assert.Contains(c.Product, IssueFamilies.ProductAreas);
            Assert.False(string.IsNullOrEmpty(c.Component));
            Assert.Matches(@"^(v4\.\d+|7\.\d+)\.\d+$", c.Version);
            Assert.False(string.IsNullOrEmpty(c.Platform));
            Assert.NotNull(c.Tags);
            Assert.InRange(c.Comments!.Count, 1, 4);
        });
    }

    private static List<IssueFamily> Families(FamilyTrend trend) => [.. IssueFamilies.All.Where(f => f.Trend == trend)];

    private static (int First, int Last) FirstAndLastQuarter(IssueFamily family)
    {
        var options = DemoSamples.Options(DemoSamples.Large.Count);
        var cases = DemoSamples.ByFamily(DemoSamples.Large)[family.Id].ToList();
        return (cases.Count(c => c.CreatedAt < options.MonthStart(3)), cases.Count(c => c.CreatedAt >= options.MonthStart(9)));
    }

    private static int IndexOfStep(IReadOnlyList<string> steps, string recorded)
    {
        for (int i = 0; i < steps.Count; i++)
        {
            if (recorded.StartsWith(steps[i], StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    private static string Serialize(IEnumerable<CaseRecord> cases) =>
        string.Join('\n', cases.Select(c => JsonSerializer.Serialize(c)));
}
