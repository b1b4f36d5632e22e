using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using TicketOps.Cli;
using TicketOps.Core.Cases;
using TicketOps.Core.Routing;
using TicketOps.Core.Storage;

namespace TicketOps.Commands;

internal sealed class RouteSettings : CaseActionSettings
{
    [CommandOption("--to <DEPTH>")]
    [Description("Where you sent the case: frontline, l2, engineering or incident.")]
    public string? To { get; init; }

    [CommandOption("--advised <DEPTH>")]
    [Description("The depth the match advised (frontline, l2, engineering, incident), or none when it said 'not enough evidence'.")]
    public string? Advised { get; init; }

    protected override ValidationResult ValidateVerb() =>
        OwnershipDepths.Parse(To) is null ? ValidationResult.Error($"--to must be frontline, l2, engineering or incident, not '{To}'.")
        : Advised is null ? ValidationResult.Error("--advised is required: the depth the match advised, or none.")
        : !Advised.Equals("none", StringComparison.OrdinalIgnoreCase) && OwnershipDepths.Parse(Advised) is null
            ? ValidationResult.Error($"--advised must be frontline, l2, engineering, incident or none, not '{Advised}'.")
        : ValidationResult.Success();
}

/// <summary>Records where an agent sent a case beside the ownership advice they were shown (the report's advice rates).</summary>
internal sealed class RouteCommand(CliOutput output, TimeProvider timeProvider) : AsyncCommand<RouteSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, RouteSettings settings, CancellationToken cancellationToken)
    {
        DataDirectory dataDirectory = settings.ResolveDataDirectory();
        await TicketOpsDatabase.MigrateAsync(dataDirectory, cancellationToken);
        await using TicketOpsDbContext db = TicketOpsDatabase.CreateContext(dataDirectory);
        if (await CaseArgument.ResolveAsync(output, db, settings.Case, cancellationToken) is not { } caseId)
        {
            return ExitCodes.NotFound;
        }

        (OwnershipDecision? decision, string? problem) = await OwnershipDecisions.RecordAsync(
            db, caseId, OwnershipDepths.Parse(settings.Advised), OwnershipDepths.Parse(settings.To)!.Value, settings.Actor!, timeProvider.GetUtcNow().UtcDateTime, cancellationToken);
        if (decision is null)
        {
            output.Fail(problem!);
            return ExitCodes.Failure;
        }

        string followed = decision.Followed switch { true => "followed the advice", false => "did not follow the advice", null => "no advice was given" };
        if (settings.Json)
        {
            output.WriteJson(new { Case = settings.Case, Chosen = OwnershipDepths.Name(decision.Chosen), Advised = decision.Advised is { } a ? OwnershipDepths.Name(a) : null, decision.Followed, decision.At, RecordedBy = decision.Actor });
        }
        else
        {
            output.Line($"Recorded: {settings.Case} sent to {OwnershipDepths.Name(decision.Chosen)} ({followed}) at {decision.At:yyyy-MM-dd HH:mm} UTC (by {decision.Actor}).");
        }

        return ExitCodes.Success;
    }
}
