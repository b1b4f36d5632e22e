using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using TicketOps.Cli;
using TicketOps.Core.Storage;

namespace TicketOps.Commands;

internal sealed class BackupSettings : TicketOpsSettings
{
    [CommandOption("--out <FILE>")]
    [Description("The backup file to write (a self-contained SQLite database).")]
    public string? Out { get; init; }

    public override ValidationResult Validate() =>
        string.IsNullOrWhiteSpace(Out) ? ValidationResult.Error("--out FILE is required: where to write the backup.") : base.Validate();
}

/// <summary>A consistent copy of the database, also while <c>ticketops serve</c> runs (SQLite's online backup).</summary>
internal sealed class BackupCommand(CliOutput output) : Command<BackupSettings>
{
    public override int Execute(CommandContext context, BackupSettings settings, CancellationToken cancellationToken)
    {
        BackupResult result = DatabaseBackup.Backup(settings.ResolveDataDirectory(), settings.Out!);
        return Report(output, settings, result, "backed up");
    }

    internal static int Report(CliOutput output, TicketOpsSettings settings, BackupResult result, string done)
    {
        if (!result.Succeeded)
        {
            output.Fail(result.Problem!);
            return ExitCodes.InvalidData;
        }

        if (settings.Json)
        {
            output.WriteJson(new { result.Path, result.Bytes, result.Cases });
        }
        else
        {
            output.Line($"{done} {result.Cases:N0} cases ({result.Bytes:N0} bytes): {result.Path}");
        }

        return ExitCodes.Success;
    }
}

internal sealed class RestoreSettings : TicketOpsSettings
{
    [CommandArgument(0, "<FILE>")]
    [Description("A file written by 'ticketops backup'.")]
    public string File { get; init; } = "";

    [CommandOption("--replace")]
    [Description("Overwrite the data directory's existing database (back it up first).")]
    public bool Replace { get; init; }

    [CommandOption("--no-index")]
    [Description("Do not rebuild the match index now (run 'ticketops index rebuild' later).")]
    public bool NoIndex { get; init; }
}

/// <summary>Restores a backup into a data directory and rebuilds the derived match index from it.</summary>
internal sealed class RestoreCommand(CliOutput output) : AsyncCommand<RestoreSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, RestoreSettings settings, CancellationToken cancellationToken)
    {
        DataDirectory dataDirectory = settings.ResolveDataDirectory();

        // Held for the whole restore: a server must not open the database or the index while they are replaced.
        using MatchIndexLease lease = MatchIndexLease.Take(dataDirectory);
        BackupResult result = DatabaseBackup.Restore(settings.File, dataDirectory, settings.Replace);
        if (!result.Succeeded)
        {
            output.Fail(result.Problem!);
            return ExitCodes.InvalidData;
        }

        // A backup from an older TicketOps is brought up to this version's schema.
        IReadOnlyList<string> migrated = await TicketOpsDatabase.MigrateAsync(dataDirectory, cancellationToken);
        if (migrated.Count > 0)
        {
            output.Error.WriteLine($"applied {migrated.Count} migrations to the restored database");
        }

        if (!settings.NoIndex)
        {
            lease.Dispose();
            IndexUpdate update = await MatchIndex.RebuildAsync(output, dataDirectory, cancellationToken);
            output.Error.WriteLine($"match index rebuilt: {update.Indexed:N0} items, {update.VectorsReused:N0} vectors from the restored database, {update.VectorsComputed:N0} computed");
        }

        return BackupCommand.Report(output, settings, result, "restored");
    }
}
