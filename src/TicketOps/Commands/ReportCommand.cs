using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;
using TicketOps.Cli;
using TicketOps.Core.Metrics;
using TicketOps.Core.Storage;

namespace TicketOps.Commands;

internal sealed class ReportSettings : WindowSettings
{
    [CommandOption("--product <AREA>")]
    [Description("Only this product area.")]
    public string? Product { get; init; }

    [CommandOption("--team <TEAM>")]
    [Description("Only this team's cases.")]
    public string? Team { get; init; }

    [CommandOption("--csv <FILE>")]
    [Description("Also write the metrics, one line each with value and counts, as CSV for spreadsheets.")]
    public string? Csv { get; init; }
}

/// <summary>The operations and KCS metrics, with the counts behind every rate and n/a for empty denominators.</summary>
internal sealed class ReportCommand(CliOutput output, TimeProvider timeProvider) : AsyncCommand<ReportSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ReportSettings settings, CancellationToken cancellationToken)
    {
        (DateTime from, DateTime to) = settings.Window(timeProvider);
        var query = new MetricsQuery(from, to, settings.Product, settings.Team);
        if (query.Problem is { } problem)
        {
            output.Fail(problem);
            return ExitCodes.Usage;
        }

        DataDirectory dataDirectory = settings.ResolveDataDirectory();
        await TicketOpsDatabase.MigrateAsync(dataDirectory, cancellationToken);
        await using TicketOpsDbContext db = TicketOpsDatabase.CreateContext(dataDirectory);
        SupportMetricsReport report = await SupportMetrics.ComputeAsync(db, query, cancellationToken);
        IReadOnlyList<MetricLine> lines = report.Lines();
        if (settings.Csv is not null)
        {
            await File.WriteAllLinesAsync(settings.Csv, ["metric,value,counts", .. lines.Select(l => $"{l.Key},{l.DisplayValue},\"{l.Counts.Replace("\"", "\"\"", StringComparison.Ordinal)}\"")], cancellationToken);
        }

        if (settings.Json)
        {
            output.Line(report.ToJson());
            return ExitCodes.Success;
        }

        string scope = string.Join(", ", new[] { settings.Product, settings.Team }.Where(s => s is not null));
        var table = new Table()
            .Title($"Support metrics {from:yyyy-MM-dd} to {to:yyyy-MM-dd}{(scope.Length > 0 ? $" ({Markup.Escape(scope)})" : "")}")
            .AddColumns("metric", "value", "counts");
        foreach (MetricLine line in lines)
        {
            table.AddRow(line.Key, line.DisplayValue, Markup.Escape(line.Counts));
        }

        output.Console.Write(table);
        WriteAsks(report.EscalationQuality);
        return ExitCodes.Success;
    }

    // Most-missed items per template, month by month, so owners can fix the template.
    private void WriteAsks(Core.Escalation.EscalationQualityMetric quality)
    {
        if (quality.Templates.Count == 0)
        {
            return;
        }

        var table = new Table()
            .Title($"Asked for on returned escalations ({quality.AsksRecorded.Numerator} of {quality.AsksRecorded.Denominator} say what; per month, oldest first)")
            .AddColumns("template", "asked for", "in template", "returned", "per month");
        foreach (Core.Escalation.TemplateAsks template in quality.Templates)
        {
            string name = Markup.Escape(template.TemplateId is null ? template.Title : $"{template.TemplateId} {template.Title}");
            if (template.UnclearOwnership > 0)
            {
                table.AddRow(name, "[italic]clear ownership[/]", "n/a", $"{template.UnclearOwnership}", string.Join(' ', template.UnclearOwnershipMonths.Select(m => m.Cases)));
            }

            foreach (Core.Escalation.MissedItem item in template.Items.Take(8))
            {
                table.AddRow(name, Markup.Escape(item.Item), item.InTemplate ? "yes" : "no", $"{item.Cases}", string.Join(' ', item.Months.Select(m => m.Cases)));
            }
        }

        output.Console.Write(table);
    }
}
