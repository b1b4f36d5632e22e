using TicketOps.Core.Cases;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Mining;
using TicketOps.Core.Storage;
using TicketOps.Core.Tests.Knowledge;
using static TicketOps.Core.Tests.Knowledge.SupportCases;

namespace TicketOps.Core.Tests.Mining;

/// <summary>Help-content gaps on hand-built clusters: confusion solved by an explanation is one, a defect is not.</summary>
public sealed class HelpContentGapsTests
{
    [Fact]
    public void A_theme_solved_by_explaining_without_engineering_is_a_gap_with_the_customers_questions_and_the_explanation()
    {
        List<SupportCase> cases =
        [
            Solved(1, "Export looks garbled in Excel", "Why does Excel show Ã© instead of é? We use the default export.", "Showed how to import the CSV as UTF-8 via Data > From Text"),
            Solved(2, "CSV export has weird characters", "Is the export broken?", "Showed how to import the CSV as UTF-8 via Data > From Text; Enabled the Excel compatible export option"),
            Solved(3, "Accents broken in exported file", "Accents are broken in the file.", "Explained that Excel opens UTF-8 files as Windows-1252"),
            Solved(4, "Export garbled", "How do I open the export in Excel?", "Showed how to import the CSV as UTF-8 via Data > From Text."),
            Solved(5, "Excel export characters", "Characters are wrong.", "Enabled the Excel compatible export option"),
            Solved(6, "Export garbled again", "Still wrong?", "Showed how to import the CSV as UTF-8 via Data > From Text", escalated: true),
            Solved(7, "Umlauts in export", "Umlauts are wrong.", "Enabled the Excel compatible export option"),
        ];

        HelpContentGap? gap = HelpContentGaps.Assess("cl-csv", "export, excel, utf", cases, [Template("Data export", "export-team")]);

        Assert.NotNull(gap);
        Assert.Equal((7, 1, 4), (gap.ResolvedCases, gap.EngineeringCases, gap.ExplainedCases));
        Assert.Equal(("Data export", "export-team"), (gap.ProductArea, gap.Owner));
        Assert.Equal("Excel opens the UTF-8 file as Windows-1252", gap.MainCause);
        Assert.Equal(["Export looks garbled in Excel", "CSV export has weird characters", "Accents broken in exported file", "Export garbled", "Excel export characters"], gap.Questions.Take(5));
        Assert.Contains("Why does Excel show Ã© instead of é?", gap.Questions);
        Assert.Contains("How do I open the export in Excel?", gap.Questions);
        Assert.Equal(("Showed how to import the CSV as UTF-8 via Data > From Text", 3), gap.Explanation[0]);
        Assert.Equal(["test:H-1", "test:H-2", "test:H-3"], gap.ExampleCases);
    }

    [Fact]
    public void A_defect_engineering_fixed_or_a_theme_engineering_worked_is_no_help_gap()
    {
        List<SupportCase> defect = [.. Enumerable.Range(1, 6).Select(i => Solved(i, "Dates shifted", "Dates are a day off.", "Explained the workaround until the fix", cause: "Release v4.8 converts date-only fields"))];
        List<SupportCase> escalated = [.. Enumerable.Range(1, 6).Select(i => Solved(i, "Slow dashboard", "Slow?", "Advised splitting the dashboard", escalated: i <= 2))];
        List<SupportCase> few = [.. Enumerable.Range(1, 4).Select(i => Solved(i, "Garbled", "Garbled?", "Showed the import steps"))];

        Assert.Null(HelpContentGaps.Assess("cl-a", "dates", defect, []));
        Assert.Null(HelpContentGaps.Assess("cl-b", "dashboard", escalated, []));
        Assert.Null(HelpContentGaps.Assess("cl-c", "garbled", few, []));
        Assert.False(HelpContentGaps.SolvedByExplanation(Solved(9, "t", "d", "Engineering shipped a fix; explained the change")));
        Assert.True(HelpContentGaps.SolvedByExplanation(Solved(9, "t", "d", "Customer granted the KMS permission to the role")));
    }

    [Fact]
    public async Task Stored_clusters_are_read_with_their_cases_and_retired_ones_are_left_out()
    {
        using var temp = new KnowledgeTestDatabase();
        await using (TicketOpsDbContext db = temp.CreateContext())
        {
            List<SupportCase> cases = [.. Enumerable.Range(1, 5).Select(i => Solved(0, $"Token gets 403 {i}", "Why 403?", "Explained that the token was created read-only", externalId: $"T-{i}"))];
            db.Cases.AddRange(cases);
            await db.SaveChangesAsync();
            string[] ids = [.. cases.Select(c => c.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))];
            db.Set<MinedCluster>().AddRange(
                new MinedCluster { Id = "cl-token", Label = "token, 403", MemberCaseIds = [.. ids] },
                new MinedCluster { Id = "cl-old", Label = "old", MemberCaseIds = [.. ids], RetiredAt = At("2026-03-01") });
            await db.SaveChangesAsync();
        }

        await using TicketOpsDbContext read = temp.CreateContext();
        HelpContentGap gap = Assert.Single(await HelpContentGaps.FindAsync(read));
        Assert.Equal(("cl-token", 5, null), (gap.ClusterId, gap.ExplainedCases, gap.Owner));
    }

    private static SupportCase Solved(long id, string title, string description, string resolution, bool escalated = false, string cause = "Excel opens the UTF-8 file as Windows-1252", string? externalId = null)
    {
        SupportCase supportCase = Case(externalId ?? $"H-{id}", "2026-02-01", product: "Data export", escalated: escalated ? "2026-02-01 10:00" : null, resolved: "2026-02-02");
        supportCase.Id = id;
        supportCase.Title = title;
        supportCase.Description = description;
        supportCase.Resolution = resolution;
        supportCase.Cause = cause;
        return supportCase;
    }

    private static KnowledgeArticle Template(string area, string owner)
    {
        KnowledgeArticle template = KnowledgeArticles.Template("IT-0005", owner);
        template.ProductAreas = [area];
        return template;
    }
}
