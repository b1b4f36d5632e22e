using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;
using TicketOps.Cli;
using TicketOps.Core.Storage;
using TicketOps.Core.Themes;

namespace TicketOps.Commands;

internal sealed class FeedbackReportSettings : WindowSettings
{
    [CommandOption("--theme <ID>")]
    [Description("One theme (its cluster id, as 'themes --format json' lists it). Default: the themes with the most cases in the window.")]
    public string? Theme { get; init; }

    [CommandOption("--period <PERIOD>")]
    [Description("Volume per week or month.")]
    [DefaultValue("month")]
    public string Period { get; init; } = "month";

    [CommandOption("--top <N>")]
    [Description("Without --theme: how many themes (most cases in the window first).")]
    [DefaultValue(5)]
    public int Top { get; init; } = 5;

    [CommandOption("--out <FILE>")]
    [Description("Write the report to FILE instead of stdout.")]
    public string? Out { get; init; }

    /// <summary>Markdown unless JSON is asked for: this verb's human output is Markdown to paste into an issue tracker.</summary>
    public bool Markdown => !Json;

    public override ValidationResult Validate()
    {
        // md is this verb's own word for its human output; table is accepted as the same, like every verb's default.
        return DatesProblem() is { } dates ? dates
            : Format is not ("md" or "markdown" or "table" or "json") ? ValidationResult.Error($"--format must be md or json, not '{Format}'.")
            : Period is not ("week" or "month") ? ValidationResult.Error("--period must be week or month.")
            : Top is < 1 or > 200 ? ValidationResult.Error("--top must be between 1 and 200.")
            : ValidationResult.Success();
    }
}

/// <summary>Recurring themes written up for the product team, as Markdown for an issue tracker or JSON for integrations.</summary>
internal sealed class FeedbackReportCommand(CliOutput output, TimeProvider timeProvider) : AsyncCommand<FeedbackReportSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, FeedbackReportSettings settings, CancellationToken cancellationToken)
    {
        (DateTime from, DateTime to) = settings.Window(timeProvider);
        var query = new FeedbackReportQuery(from, to, settings.Theme, settings.Period == "week" ? ThemePeriod.Week : ThemePeriod.Month, settings.Top);
        if (query.Problem is { } problem)
        {
            output.Fail(problem);
            return ExitCodes.Usage;
        }

        DataDirectory dataDirectory = settings.ResolveDataDirectory();
        await TicketOpsDatabase.MigrateAsync(dataDirectory, cancellationToken);
        await using TicketOpsDbContext db = TicketOpsDatabase.CreateContext(dataDirectory);
        FeedbackReportResult result = await ProductFeedbackReport.BuildAsync(db, query, cancellationToken);
        if (!result.Succeeded)
        {
            output.Fail(result.Problem!);
            return result.ThemeNotFound ? ExitCodes.NotFound : ExitCodes.Usage;
        }

        if (result.Reports.Count == 0)
        {
            output.Fail($"no theme has cases between {from:yyyy-MM-dd} and {to:yyyy-MM-dd}; run 'ticketops mine --data-dir {dataDirectory.Root}' first, or widen --from/--to.");
            return ExitCodes.Failure;
        }

        string text = settings.Json
            ? System.Text.Json.JsonSerializer.Serialize(settings.Theme is null ? result.Reports : (object)result.Reports[0], CliOutput.Json)
            : string.Join("\n", result.Reports.Select(r => ProductFeedbackReport.ToMarkdown(r, query.Period)));
        if (settings.Out is null)
        {
            output.Out.Write(settings.Json ? text + "\n" : text);
            return ExitCodes.Success;
        }

        await File.WriteAllTextAsync(settings.Out, settings.Json ? text + "\n" : text, cancellationToken);
        output.Error.WriteLine($"wrote {result.Reports.Count} product feedback report{(result.Reports.Count == 1 ? "" : "s")} to {settings.Out}");
        return ExitCodes.Success;
    }
}
