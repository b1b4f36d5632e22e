using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using TicketOps.Cli;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Storage;

namespace TicketOps.Commands;

internal sealed class FeedbackSettings : CaseActionSettings
{
    private static readonly Dictionary<string, KnowledgeEventKind> s_kinds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["suggested"] = KnowledgeEventKind.Suggested,
        ["used"] = KnowledgeEventKind.Used,
        ["helped"] = KnowledgeEventKind.Helped,
        ["did-not-help"] = KnowledgeEventKind.DidNotHelp,
        ["flag"] = KnowledgeEventKind.Flagged,
    };

    [CommandArgument(1, "<KNOWLEDGE-ID>")]
    [Description("The playbook or template, e.g. PB-0001.")]
    public string KnowledgeId { get; init; } = "";

    [CommandOption("--kind <KIND>")]
    [Description("used (links it to the case), helped, did-not-help, flag (needs --reason) or suggested.")]
    public string? Kind { get; init; }

    [CommandOption("--reason <TEXT>")]
    [Description("Why the knowledge is flagged: what is wrong, stale or missing.")]
    public string? Reason { get; init; }

    public KnowledgeEventKind EventKind => s_kinds[Kind!];

    protected override ValidationResult ValidateVerb()
    {
        if (Kind is null || !s_kinds.ContainsKey(Kind))
        {
            return ValidationResult.Error($"--kind must be one of {string.Join(", ", s_kinds.Keys)}{(Kind is null ? "" : $", not '{Kind}'")}.");
        }

        return ValidationResult.Success();
    }
}

/// <summary>Records what an agent did with a piece of knowledge on a case.</summary>
internal sealed class FeedbackCommand(CliOutput output, TimeProvider timeProvider) : AsyncCommand<FeedbackSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, FeedbackSettings settings, CancellationToken cancellationToken)
    {
        DataDirectory dataDirectory = settings.ResolveDataDirectory();
        await TicketOpsDatabase.MigrateAsync(dataDirectory, cancellationToken);
        await using TicketOpsDbContext db = TicketOpsDatabase.CreateContext(dataDirectory);
        if (await CaseArgument.ResolveAsync(output, db, settings.Case, cancellationToken) is not { } caseId)
        {
            return ExitCodes.NotFound;
        }

        FeedbackResult result = await new FeedbackService(db, timeProvider)
            .RecordAsync(new KnowledgeFeedback(caseId, settings.KnowledgeId.Trim(), settings.EventKind, settings.Actor!, settings.Reason), cancellationToken);
        if (!result.Succeeded)
        {
            output.Fail(result.Message!);
            return result.ErrorCode is FeedbackErrorCode.CaseNotFound or FeedbackErrorCode.KnowledgeNotFound ? ExitCodes.NotFound : ExitCodes.Usage;
        }

        KnowledgeEvent recorded = result.Event!;
        if (settings.Json)
        {
            output.WriteJson(new { recorded.Id, Case = settings.Case, recorded.KnowledgeId, Kind = settings.Kind, recorded.Reason, recorded.Actor, recorded.At });
        }
        else
        {
            output.Line($"Recorded: {settings.Case} {settings.Kind} {recorded.KnowledgeId} by {recorded.Actor} at {recorded.At:u} (event {recorded.Id}).");
        }

        return ExitCodes.Success;
    }
}
