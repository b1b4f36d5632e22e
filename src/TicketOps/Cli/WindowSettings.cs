using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;

namespace TicketOps.Cli;

/// <summary>The report window every reporting verb takes: --from (inclusive) and --to (exclusive), twelve months up to today by default.</summary>
internal class WindowSettings : TicketOpsSettings
{
    [CommandOption("--from <DATE>")]
    [Description("Start of the window (yyyy-MM-dd, inclusive). Default: 12 months before --to.")]
    public string? From { get; init; }

    [CommandOption("--to <DATE>")]
    [Description("End of the window (yyyy-MM-dd, exclusive). Default: tomorrow.")]
    public string? To { get; init; }

    /// <summary>The window as UTC times; call after <see cref="Validate"/>.</summary>
    public (DateTime From, DateTime To) Window(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        DateTime to = To is null ? timeProvider.GetUtcNow().UtcDateTime.Date.AddDays(1) : Date(To);
        return (From is null ? to.AddMonths(-12) : Date(From), to);
    }

    public override ValidationResult Validate() => DatesProblem() ?? base.Validate();

    /// <summary>The error for a --from or --to that is not a date, or null.</summary>
    protected ValidationResult? DatesProblem()
    {
        foreach ((string name, string? value) in new[] { ("--from", From), ("--to", To) })
        {
            if (value is not null && !DateTime.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                return ValidationResult.Error($"{name} must be a date like 2026-01-31, not '{value}'.");
            }
        }

        return null;
    }

    private static DateTime Date(string text) =>
        DateTime.SpecifyKind(DateTime.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture), DateTimeKind.Utc);
}
