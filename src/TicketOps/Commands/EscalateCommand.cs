using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using TicketOps.Cli;
using TicketOps.Core.Escalation;
using TicketOps.Core.Storage;

namespace TicketOps.Commands;

internal sealed class EscalateSettings : CaseActionSettings
{
    [CommandOption("--template <ID>")]
    [Description("Investigation template to follow (IT-0001). Default: the template of a playbook linked to the case, else the one for its product area.")]
    public string? Template { get; init; }

    [CommandOption("--hypothesis <TEXT>")]
    [Description("The current hypothesis: component, mechanism, how to confirm it.")]
    public string? Hypothesis { get; init; }

    [CommandOption("--question <TEXT>")]
    [Description("The open question for engineering, in one sentence.")]
    public string? Question { get; init; }

    [CommandOption("--impact <TEXT>")]
    [Description("Customer impact: how many users cannot work, and whether a workaround exists.")]
    public string? Impact { get; init; }

    [CommandOption("--evidence <TEXT>")]
    [Description("Evidence gathered beyond the case's evidence steps; repeat for several.")]
    public string[] Evidence { get; init; } = [];

}

/// <summary>
/// Writes and checks a case's escalation packet. Stores it either way; exits with <see cref="ExitCodes.Refused"/>
/// and the missing pieces while it is incomplete, so 'outcome CASE escalated' will refuse it too.
/// </summary>
internal sealed class EscalateCommand(CliOutput output, TimeProvider timeProvider) : AsyncCommand<EscalateSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, EscalateSettings settings, CancellationToken cancellationToken)
    {
        DataDirectory dataDirectory = settings.ResolveDataDirectory();
        await TicketOpsDatabase.MigrateAsync(dataDirectory, cancellationToken);
        await using TicketOpsDbContext db = TicketOpsDatabase.CreateContext(dataDirectory);
        if (await CaseArgument.ResolveAsync(output, db, settings.Case, cancellationToken) is not { } caseId)
        {
            return ExitCodes.NotFound;
        }

        var draft = new EscalationDraft(settings.Hypothesis, settings.Question, settings.Impact, settings.Evidence);
        EscalationPacketResult result = await new EscalationService(db, timeProvider)
            .PrepareAsync(caseId, draft, settings.Actor!, settings.Template?.Trim(), cancellationToken: cancellationToken);
        if (!result.Succeeded)
        {
            output.Fail(result.Problem!);
            return ExitCodes.InvalidData;
        }

        EscalationPacket packet = result.Packet!;
        EscalationCheckResult check = result.Check!;
        if (settings.Json)
        {
            output.WriteJson(new { Packet = packet, Complete = check.IsComplete, Missing = check.Missing.Select(m => m.Describe()), Stored = result.StoredId });
        }
        else
        {
            Write(packet);
        }

        if (!check.IsComplete)
        {
            output.Fail(check.Describe().Replace("before escalating:", $"before escalating {settings.Case}:", StringComparison.Ordinal));
            return ExitCodes.Refused;
        }

        if (!settings.Json)
        {
            output.Line($"Complete. Record the escalation with: ticketops outcome {settings.Case} escalated --as {settings.Actor!.Trim()}");
        }

        return ExitCodes.Success;
    }

    private void Write(EscalationPacket packet)
    {
        output.Line($"Escalation packet for {packet.CaseReference}{(packet.TemplateId is null ? " (no investigation template applies)" : $" (template {packet.TemplateId})")}");
        output.Line($"  Summary:     {packet.Summary}");
        output.Line($"  Environment: {string.Join(", ", packet.Environment.Values())}");
        output.Line("  Evidence gathered:");
        foreach (string step in packet.Evidence)
        {
            output.Line($"    - {step}");
        }

        output.Line($"  Hypothesis:  {Or(packet.Hypothesis)}");
        output.Line($"  Question:    {Or(packet.OpenQuestion)}");
        output.Line($"  Impact:      {Or(packet.CustomerImpact)}");
    }

    private static string Or(string text) => text.Length == 0 ? "(missing)" : text;
}
