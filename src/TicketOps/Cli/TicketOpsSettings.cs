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

    [CommandOption("--database <DATABASE>")]
    [Description("The database: a SQLite file, or a PostgreSQL connection string or URL shared by several instances. " +
        "Default: $TICKETOPS_DATABASE, else TicketOps:Database in ticketops.json, else ticketops.db in the data directory.")]
    public string? Database { get; init; }

    [CommandOption("--format <FORMAT>")]
    [Description("Output: table (for people, the default) or json (for scripts).")]
    [DefaultValue("table")]
    public string Format { get; init; } = "table";

    public bool Json => string.Equals(Format, "json", StringComparison.OrdinalIgnoreCase);

    /// <summary>The data directory with its database (<c>--database</c>, the environment, ticketops.json, else the SQLite file in it).</summary>
    /// <exception cref="DatabaseSettingException">The database setting cannot be read; the message says what to fix.</exception>
    public DataDirectory ResolveDataDirectory() => ConfigFile.ResolveDatabase(DataDirectory.Resolve(DataDir), Database);

    public override ValidationResult Validate() =>
        Format is "table" or "json"
            ? ValidationResult.Success()
            : ValidationResult.Error($"--format must be table or json, not '{Format}'.");
}
