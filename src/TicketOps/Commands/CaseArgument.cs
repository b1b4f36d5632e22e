using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using TicketOps.Cli;
using TicketOps.Core.Cases;
using TicketOps.Core.Storage;

namespace TicketOps.Commands;

/// <summary>Settings of the verbs an agent runs on one case under their name: CASE and --as NAME.</summary>
internal abstract class CaseActionSettings : TicketOpsSettings
{
    [CommandArgument(0, "<CASE>")]
    [Description(CaseArgument.Help)]
    public string Case { get; init; } = "";

    [CommandOption("--as <NAME>")]
    [Description("Who records it (your handle).")]
    public string? Actor { get; init; }

    /// <summary>The verb's own checks; the actor is checked after them.</summary>
    protected virtual ValidationResult ValidateVerb() => ValidationResult.Success();

    public sealed override ValidationResult Validate()
    {
        ValidationResult verb = ValidateVerb();
        if (!verb.Successful)
        {
            return verb;
        }

        return string.IsNullOrWhiteSpace(Actor) ? ValidationResult.Error("--as NAME is required: it is recorded under a name.") : base.Validate();
    }
}

/// <summary>The CASE argument of the feedback verbs: the ticket id as agents know it.</summary>
internal static class CaseArgument
{
    public const string Help = "The case: its id in the ticket system (DEMO-000123), or source:id when several sources use that id.";

    /// <summary>The case's database id, or null after writing why to stderr.</summary>
    public static async Task<long?> ResolveAsync(CliOutput output, TicketOpsDbContext db, string reference, CancellationToken cancellationToken)
    {
        (long? caseId, string? problem) = await CaseReference.ResolveAsync(db, reference, cancellationToken);
        if (caseId is null)
        {
            output.Fail(problem!);
        }

        return caseId;
    }
}
