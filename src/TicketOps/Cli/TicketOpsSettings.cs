using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using TicketOps.Core.Storage;

namespace TicketOps.Cli;

/// <summary>Options every verb takes.</summary>
internal class TicketOpsSettings : CommandSettings
{
    [CommandOption("--data-dir <DIR>")]
    [Description("Data directory (database, index, embeddings). Default: $TICKETOPS_DATA_DIR, else ~/.local/share/ticketops.")]
    public string? DataDir { get; init; }

    [CommandOption("--format <FORMAT>")]
    [Description("Output: table (for people, the default) or json (for scripts).")]
    [DefaultValue("table")]
    public string Format { get; init; } = "table";

    public bool Json => string.Equals(Format, "json", StringComparison.OrdinalIgnoreCase);

    public DataDirectory ResolveDataDirectory() => DataDirectory.Resolve(DataDir);

    public override ValidationResult Validate() =>
        Format is "table" or "json"
            ? ValidationResult.Success()
            : ValidationResult.Error($"--format must be table or json, not '{Format}'.");
}
