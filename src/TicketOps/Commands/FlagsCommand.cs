using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using TicketOps.Cli;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Storage;

namespace TicketOps.Commands;

internal sealed class FlagsSettings : TicketOpsSettings
{
    [CommandOption("--owner <OWNER>")]
    [Description("Only flags on knowledge this owner answers for (the article's owner).")]
    public string? Owner { get; init; }
}

/// <summary>The knowledge owners' queue: open flags, oldest first.</summary>
internal sealed class FlagsCommand(CliOutput output, TimeProvider timeProvider) : AsyncCommand<FlagsSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, FlagsSettings settings, CancellationToken cancellationToken)
    {
        DataDirectory dataDirectory = settings.ResolveDataDirectory();
        await TicketOpsDatabase.MigrateAsync(dataDirectory, cancellationToken);
        await using TicketOpsDbContext db = TicketOpsDatabase.CreateContext(dataDirectory);
        IReadOnlyList<KnowledgeFlag> flags = await new FeedbackService(db, timeProvider).OpenFlagsAsync(settings.Owner, cancellationToken);
        if (settings.Json)
        {
            output.WriteJson(flags.Select(f => new { f.FlagId, f.KnowledgeId, f.Title, f.Owner, Case = f.CaseReference, f.Reason, f.FlaggedBy, f.FlaggedAt }));
            return ExitCodes.Success;
        }

        if (flags.Count == 0)
        {
            output.Line(settings.Owner is null ? "No open flags." : $"No open flags on knowledge owned by {settings.Owner}.");
            return ExitCodes.Success;
        }

        var table = new Table().Title($"Open flags ({flags.Count})").AddColumns("flag", "knowledge", "owner", "case", "reason", "by", "when");
        foreach (KnowledgeFlag flag in flags)
        {
            table.AddRow(
                flag.FlagId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Markup.Escape($"{flag.KnowledgeId} {flag.Title}"),
                Markup.Escape(flag.Owner),
                Markup.Escape(flag.CaseReference),
                Markup.Escape(flag.Reason),
                Markup.Escape(flag.FlaggedBy),
                $"{flag.FlaggedAt:yyyy-MM-dd HH:mm}");
        }

        output.Console.Write(table);
        output.Line("Resolve one once dealt with: ticketops flags resolve FLAG --as NAME");
        return ExitCodes.Success;
    }
}

internal sealed class FlagResolveSettings : TicketOpsSettings
{
    [CommandArgument(0, "<FLAG>")]
    [Description("The flag's number, from 'ticketops flags'.")]
    public long FlagId { get; init; }

    [CommandOption("--as <NAME>")]
    [Description("Who dealt with the flag (your handle).")]
    public string? Actor { get; init; }

    public override ValidationResult Validate() =>
        string.IsNullOrWhiteSpace(Actor) ? ValidationResult.Error("--as NAME is required: a flag is resolved under a name.") : base.Validate();
}

/// <summary>Closes an open flag once the owner has fixed (or rejected) what it pointed at.</summary>
internal sealed class FlagResolveCommand(CliOutput output, TimeProvider timeProvider) : AsyncCommand<FlagResolveSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, FlagResolveSettings settings, CancellationToken cancellationToken)
    {
        DataDirectory dataDirectory = settings.ResolveDataDirectory();
        await TicketOpsDatabase.MigrateAsync(dataDirectory, cancellationToken);
        await using TicketOpsDbContext db = TicketOpsDatabase.CreateContext(dataDirectory);
        FeedbackResult result = await new FeedbackService(db, timeProvider).ResolveFlagAsync(settings.FlagId, settings.Actor!, cancellationToken);
        if (!result.Succeeded)
        {
            output.Fail(result.Message + " List open flags with: ticketops flags");
            return ExitCodes.NotFound;
        }

        if (settings.Json)
        {
            output.WriteJson(new { settings.FlagId, result.Event!.KnowledgeId, result.Event.ResolvedBy, result.Event.ResolvedAt });
        }
        else
        {
            output.Line($"Resolved flag {settings.FlagId} on {result.Event!.KnowledgeId} (by {result.Event.ResolvedBy}).");
        }

        return ExitCodes.Success;
    }
}
