using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using TicketOps.Cli;
using TicketOps.Core.Notifications;
using TicketOps.Core.Storage;
using TicketOps.Core.Themes;
using TicketOps.Web;

namespace TicketOps.Commands;

internal sealed class ThemesSettings : TicketOpsSettings
{
    [CommandOption("--period <PERIOD>")]
    [Description("week or month.")]
    [DefaultValue("month")]
    public string Period { get; init; } = "month";

    [CommandOption("--periods <N>")]
    [Description("How many periods back from today.")]
    [DefaultValue(12)]
    public int Periods { get; init; } = 12;

    [CommandOption("--top <N>")]
    [Description("How many themes to show (flagged ones first).")]
    [DefaultValue(15)]
    public int Top { get; init; } = 15;

    [CommandOption("--notify")]
    [Description("Send the webhook events the themes give rise to (theme.incident_suspected, theme.growth_threshold) to the receivers ticketops.json configures; each is delivered once.")]
    public bool Notify { get; init; }

    public override ValidationResult Validate() =>
        Period is not ("week" or "month") ? ValidationResult.Error("--period must be week or month.")
        : Periods is < 2 or > 104 ? ValidationResult.Error("--periods must be between 2 and 104.")
        : base.Validate();
}

/// <summary>Recurring product-friction themes from the last mining run, for leads.</summary>
internal sealed class ThemesCommand(CliOutput output, TimeProvider timeProvider) : AsyncCommand<ThemesSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ThemesSettings settings, CancellationToken cancellationToken)
    {
        DataDirectory dataDirectory = settings.ResolveDataDirectory();
        await TicketOpsDatabase.MigrateAsync(dataDirectory, cancellationToken);
        await using TicketOpsDbContext db = TicketOpsDatabase.CreateContext(dataDirectory);
        var options = new ThemeTrackerOptions { Period = settings.Period == "week" ? ThemePeriod.Week : ThemePeriod.Month, Periods = settings.Periods };
        IReadOnlyList<Theme> themes = await ThemeReport.BuildAsync(db, options, timeProvider.GetUtcNow().UtcDateTime, cancellationToken);
        if (themes.Count == 0)
        {
            output.Fail($"no themes yet: run 'ticketops mine --data-dir {dataDirectory.Root}' first.");
            return ExitCodes.Failure;
        }

        WebhookReport? sent = null;
        if (settings.Notify)
        {
            (IConfiguration configuration, string? fileProblem) = ConfigFile.Load(dataDirectory);
            (WebhookOptions webhooks, string? problem) = ConfigFile.Webhooks(configuration, dataDirectory);
            problem = fileProblem ?? problem;
            if (problem is not null)
            {
                output.Fail(problem);
                return ExitCodes.InvalidData;
            }

            if (webhooks.Endpoints.Count == 0)
            {
                output.Fail($"--notify: no webhook receivers configured; add {ConfigFile.WebhooksSection}:Endpoints to {ConfigFile.PathIn(dataDirectory)} (docs/queue-and-feedback.md).");
                return ExitCodes.Usage;
            }

            using var http = new HttpClient();
            DateTime now = timeProvider.GetUtcNow().UtcDateTime;
            sent = await new WebhookNotifier(db, http, webhooks, timeProvider).NotifyAsync(ThemeAlerts.From(themes, webhooks.GrowthThreshold, now, webhooks.PublicUrl), cancellationToken);
        }

        if (settings.Json)
        {
            output.WriteJson(themes.Take(settings.Top).Select(ThemeView.Of));
            return Notified(sent);
        }

        var table = new Table().Title($"Themes over the last {settings.Periods} {settings.Period}s (flagged first)")
            .AddColumns("theme", "cases", "open", "trend", "growth", "escalated", "product areas", $"per {settings.Period}");
        foreach (Theme theme in themes.Take(settings.Top))
        {
            string trend = theme.Signals == ThemeSignal.None ? "" : theme.Signals.ToString().ToLowerInvariant();
            table.AddRow(
                Markup.Escape(theme.Label) + (theme.Mixed ? " [dim](mixed)[/]" : ""),
                $"{theme.Total:N0}",
                $"{theme.Open:N0}",
                trend,
                theme.Growth is { } growth ? $"{growth:N1}×" : "n/a",
                theme.EscalationShare is { } share ? $"{share:P0}" : "n/a",
                Markup.Escape(string.Join(", ", theme.ProductAreas.Take(2).Select(p => p.Product))),
                Sparkline(theme.Series.Select(s => s.Count).ToList()));
        }

        output.Console.Write(table);
        if (themes.Take(settings.Top).Any(t => t.Mixed))
        {
            output.Line("(mixed): its cases are far less alike than in the other themes; the label probably covers several problems.");
        }

        foreach (Theme theme in themes.Where(t => t.Incidents.Count > 0))
        {
            foreach (IncidentSignal incident in theme.Incidents)
            {
                output.Line($"Possible incident: {theme.Label}: {incident.Cases} cases from {incident.Customers} customers quoting {incident.Identifier} on {incident.VersionLine}, "
                    + $"first {incident.FirstCase} at {incident.FirstAt:yyyy-MM-dd HH:mm} UTC, {incident.PerHour:0.#}/hour (usual {incident.BaselinePerHour * 24:0.#}/day); flagged at case {incident.CasesToFlag}.");
            }
        }

        return Notified(sent);
    }

    // Notification failures are reported on stderr and make the run fail; they are kept and retried next time.
    private int Notified(WebhookReport? sent)
    {
        if (sent is null)
        {
            return ExitCodes.Success;
        }

        foreach (WebhookDelivery failed in sent.Failed)
        {
            output.Fail($"webhook {failed.Event} to {failed.Url} failed after {failed.Attempts} tries: {failed.LastError}; it is kept and tried again by the next --notify.");
        }

        output.Error.WriteLine($"webhooks: {sent.Delivered.Count} delivered, {sent.Failed.Count} failed, {sent.AlreadyDelivered} delivered before.");
        return sent.Failed.Count > 0 ? ExitCodes.Failure : ExitCodes.Success;
    }

    private static string Sparkline(List<int> counts)
    {
        const string Bars = "▁▂▃▄▅▆▇█";
        int max = Math.Max(1, counts.DefaultIfEmpty(0).Max());
        return new string([.. counts.Select(c => c == 0 ? ' ' : Bars[Math.Min(Bars.Length - 1, c * (Bars.Length - 1) / max)])]);
    }
}
