using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using TicketOps.Cli;
using TicketOps.Core.Cases;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Storage;

namespace TicketOps.Commands;

internal sealed class OutcomeSettings : CaseActionSettings
{
    private static readonly Dictionary<string, CaseOutcome> s_outcomes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["solved"] = CaseOutcome.SolvedWithoutEngineering,
        ["escalated"] = CaseOutcome.Escalated,
        ["returned"] = CaseOutcome.EscalationReturned,
        ["solved-by-engineering"] = CaseOutcome.SolvedByEngineering,
    };

    [CommandArgument(1, "<OUTCOME>")]
    [Description("solved (without engineering), escalated (needs a complete escalation packet), returned (engineering sent it back for missing context) or solved-by-engineering.")]
    public string Outcome { get; init; } = "";

    [CommandOption("--missing <ITEM>")]
    [Description("With returned: an evidence item the receiving team asked for (repeat for several), in its words or the template's.")]
    public string[] Missing { get; init; } = [];

    [CommandOption("--unclear-ownership")]
    [Description("With returned: the receiving team said it was not clear which team owns the problem.")]
    public bool UnclearOwnership { get; init; }

    public CaseOutcome CaseOutcome => s_outcomes[Outcome];

    /// <summary>What the receiving team asked for, as given.</summary>
    public IReadOnlyList<EscalationAsk> Asks =>
        [.. Missing.Select(m => new EscalationAsk { Kind = EscalationAskKind.MissingEvidence, Item = m }),
            .. UnclearOwnership ? [new EscalationAsk { Kind = EscalationAskKind.UnclearOwnership }] : Array.Empty<EscalationAsk>()];

    protected override ValidationResult ValidateVerb()
    {
        if (!s_outcomes.TryGetValue(Outcome, out CaseOutcome outcome))
        {
            return ValidationResult.Error($"OUTCOME must be one of {string.Join(", ", s_outcomes.Keys)}, not '{Outcome}'.");
        }

        if ((Missing.Length > 0 || UnclearOwnership) && outcome != CaseOutcome.EscalationReturned)
        {
            return ValidationResult.Error("--missing and --unclear-ownership go with 'returned': they say what the receiving team asked for.");
        }

        return ValidationResult.Success();
    }
}

/// <summary>Records a case's outcome; an escalation is refused while the case's escalation packet is incomplete.</summary>
internal sealed class OutcomeCommand(CliOutput output, TimeProvider timeProvider) : AsyncCommand<OutcomeSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, OutcomeSettings settings, CancellationToken cancellationToken)
    {
        DataDirectory dataDirectory = settings.ResolveDataDirectory();
        await TicketOpsDatabase.MigrateAsync(dataDirectory, cancellationToken);
        await using TicketOpsDbContext db = TicketOpsDatabase.CreateContext(dataDirectory);
        if (await CaseArgument.ResolveAsync(output, db, settings.Case, cancellationToken) is not { } caseId)
        {
            return ExitCodes.NotFound;
        }

        FeedbackResult result = await new FeedbackService(db, timeProvider).RecordOutcomeAsync(caseId, settings.CaseOutcome, settings.Actor!, asks: settings.Asks, cancellationToken: cancellationToken);
        if (!result.Succeeded)
        {
            string message = settings.CaseOutcome == CaseOutcome.Escalated && result.ErrorCode == FeedbackErrorCode.EscalationPacketIncomplete
                ? $"{result.Message}\nWrite or complete it with: ticketops escalate {settings.Case} --hypothesis ... --question ... --impact ... [--evidence ...]"
                : result.Message!;
            output.Fail(message.Replace($"Case {caseId}", $"Case {settings.Case}", StringComparison.Ordinal));
            return result.ErrorCode == FeedbackErrorCode.InvalidAsk ? ExitCodes.Usage : ExitCodes.Refused;
        }

        CaseOutcomeEvent recorded = result.Outcome!;
        if (settings.Json)
        {
            output.WriteJson(new { Case = settings.Case, settings.Outcome, recorded.At, RecordedBy = recorded.Actor });
        }
        else
        {
            output.Line($"Recorded: {settings.Case} {settings.Outcome} at {recorded.At:yyyy-MM-dd HH:mm} UTC (by {recorded.Actor})"
                + (settings.Asks.Count > 0 ? $"; the receiving team asked for: {string.Join("; ", settings.Asks.Select(a => a.Item ?? "clear ownership"))}." : "."));
        }

        return ExitCodes.Success;
    }
}
