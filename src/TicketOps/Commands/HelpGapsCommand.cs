using Spectre.Console;
using Spectre.Console.Cli;
using TicketOps.Cli;
using TicketOps.Core.Mining;
using TicketOps.Core.Storage;

namespace TicketOps.Commands;

/// <summary>Help-article suggestions for the knowledge owners: recurring confusion or configuration that an explanation solved.</summary>
internal sealed class HelpGapsCommand(CliOutput output) : AsyncCommand<TicketOpsSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, TicketOpsSettings settings, CancellationToken cancellationToken)
    {
        DataDirectory dataDirectory = settings.ResolveDataDirectory();
        await TicketOpsDatabase.MigrateAsync(dataDirectory, cancellationToken);
        await using TicketOpsDbContext db = TicketOpsDatabase.CreateContext(dataDirectory);
        IReadOnlyList<HelpContentGap> gaps = await HelpContentGaps.FindAsync(db, cancellationToken);
        if (settings.Json)
        {
            output.WriteJson(gaps.Select(HelpGapView.Of));
            return ExitCodes.Success;
        }

        if (gaps.Count == 0)
        {
            output.Line($"No help-content gaps: no mined theme was solved by explanations without engineering (run 'ticketops mine --data-dir {dataDirectory.Root}' first if nothing is mined).");
            return ExitCodes.Success;
        }

        var table = new Table().Title("Help-content gaps: help articles customers should have had (most cases first)")
            .AddColumns("theme", "area", "owner", "solved by explaining", "customers asked", "what support explained");
        foreach (HelpContentGap gap in gaps)
        {
            table.AddRow(
                Markup.Escape(gap.Label) + $"\n[dim]{gap.ClusterId}[/]",
                Markup.Escape(gap.ProductArea ?? ""),
                Markup.Escape(gap.Owner ?? "(none)"),
                $"{gap.ExplainedCases} of {gap.ResolvedCases}",
                Markup.Escape(string.Join("\n", gap.Questions.Take(3).Select(q => "\"" + q + "\""))),
                Markup.Escape(string.Join("\n", gap.Explanation.Select(s => $"{s.Step} ({s.Cases})"))));
        }

        output.Console.Write(table);
        return ExitCodes.Success;
    }
}

/// <summary>A help-content gap as JSON (CLI and API).</summary>
internal sealed record HelpGapView(
    string ClusterId, string Label, string? ProductArea, string? Owner, int ResolvedCases, int EngineeringCases, int ExplainedCases, string? MainCause,
    IReadOnlyList<string> Questions, IReadOnlyList<HelpGapStep> Explanation, IReadOnlyList<string> ExampleCases)
{
    public static HelpGapView Of(HelpContentGap g) => new(
        g.ClusterId, g.Label, g.ProductArea, g.Owner, g.ResolvedCases, g.EngineeringCases, g.ExplainedCases, g.MainCause, g.Questions,
        [.. g.Explanation.Select(s => new HelpGapStep(s.Step, s.Cases))], g.ExampleCases);
}

/// <summary>One step of what support explained, with how many cases it was given on.</summary>
internal sealed record HelpGapStep(string Step, int Cases);
