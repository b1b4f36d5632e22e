using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using TicketOps.Cli;
using TicketOps.Core.Matching;
using TicketOps.Core.Import;
using TicketOps.Core.Storage;

namespace TicketOps.Commands;

internal sealed class ImportSettings : TicketOpsSettings
{
    [CommandArgument(0, "<FILE>")]
    [Description("Export files to import (CSV, JSON, JSONL, Zendesk or Jira JSON).")]
    public string[] Files { get; init; } = [];

    [CommandOption("--input-format <FORMAT>")]
    [Description("csv, json, jsonl, zendesk or jira. Default: detected from each file.")]
    public string? InputFormat { get; init; }

    [CommandOption("--mapping <FILE>")]
    [Description("JSON mapping file: which column or property holds each TicketOps field (see docs/import.md).")]
    public string? MappingFile { get; init; }

    [CommandOption("--map <FIELD=COLUMN>")]
    [Description("Map one field, e.g. --map title=Subject (repeatable; wins over --mapping).")]
    public string[] Map { get; init; } = [];

    [CommandOption("--source <NAME>")]
    [Description("Source system name for every record (part of the upsert key).")]
    public string? Source { get; init; }

    [CommandOption("--skip-invalid")]
    [Description("Import the valid records and write the invalid ones, with reasons, to the rejects file.")]
    public bool SkipInvalid { get; init; }

    [CommandOption("--no-index")]
    [Description("Do not update the match index (run 'ticketops index rebuild' later).")]
    public bool NoIndex { get; init; }

    [CommandOption("--rejects <FILE>")]
    [Description("Rejects file for --skip-invalid. Default: DATA_DIR/rejects/import-TIMESTAMP.jsonl.")]
    public string? RejectsFile { get; init; }

    public override ValidationResult Validate()
    {
        if (Files.Length == 0)
        {
            return ValidationResult.Error("name at least one file to import.");
        }

        if (InputFormat is not null && !Enum.TryParse<ImportFormat>(InputFormat, ignoreCase: true, out _))
        {
            return ValidationResult.Error($"--input-format must be csv, json, jsonl, zendesk or jira, not '{InputFormat}'.");
        }

        return base.Validate();
    }
}

internal sealed class ImportCommand(CliOutput output, TimeProvider timeProvider) : AsyncCommand<ImportSettings>
{
    private const int ErrorsShown = 20;

    public override async Task<int> ExecuteAsync(CommandContext context, ImportSettings settings, CancellationToken cancellationToken)
    {
        var mapping = new FieldMapping();
        if (settings.MappingFile is not null)
        {
            (FieldMapping? loaded, string? mappingError) = FieldMapping.Load(settings.MappingFile);
            if (loaded is null)
            {
                output.Fail(mappingError!);
                return ExitCodes.InvalidData;
            }

            mapping = loaded;
        }

        if (mapping.AddPairs(settings.Map) is { } pairError)
        {
            output.Fail(pairError);
            return ExitCodes.Usage;
        }

        DataDirectory dataDirectory = settings.ResolveDataDirectory();
        if (!settings.NoIndex && MatchIndexLease.InUse(dataDirectory) is { } inUse)
        {
            // The import would store the cases and then fail to index them; refuse before writing anything.
            output.Fail(inUse);
            return ExitCodes.Refused;
        }

        await TicketOpsDatabase.MigrateAsync(dataDirectory, cancellationToken);
        string stamp = timeProvider.GetUtcNow().ToString("yyyyMMdd-HHmmss");
        var options = new ImportOptions
        {
            Format = settings.InputFormat is null ? null : Enum.Parse<ImportFormat>(settings.InputFormat, ignoreCase: true),
            Mapping = mapping,
            Source = settings.Source,
            SkipInvalid = settings.SkipInvalid,
            RejectsPath = settings.RejectsFile ?? Path.Combine(dataDirectory.Root, "rejects", $"import-{stamp}.jsonl"),
        };

        // With --no-index the database goes ahead of the index on purpose (until 'index rebuild'), and the index may
        // belong to a running server: nothing is marked or repaired then.
        if (!settings.NoIndex)
        {
            await MatchIndex.BeginAsync(output, dataDirectory, "import", timeProvider, cancellationToken);
        }

        ImportResult result = await CaseImport.RunAsync(output, dataDirectory, settings.Files, options, timeProvider, cancellationToken);
        int exitCode = Report(result, settings);
        if (result.Succeeded && !settings.NoIndex)
        {
            IndexUpdate update = await MatchIndex.UpdateAsync(output, dataDirectory, result.ChangedCaseIds, cancellationToken);
            output.Error.WriteLine($"match index: {update.Indexed:N0} resolved cases indexed ({update.VectorsComputed:N0} vectors computed, " +
                $"{update.VectorsReused:N0} reused from the database), {update.Removed:N0} removed");
        }

        if (!settings.NoIndex)
        {
            IndexRepair.MarkDone(dataDirectory);
        }

        return exitCode;
    }

    private int Report(ImportResult result, ImportSettings settings)
    {
        if (result.Problem is not null)
        {
            output.Fail(result.Problem);
            return ExitCodes.InvalidData;
        }

        if (!result.Succeeded)
        {
            output.Fail($"{result.Invalid.Count:N0} of {result.Read:N0} records are invalid; nothing was imported. Fix them, or pass --skip-invalid to import the rest and keep these in a rejects file.");
            foreach (RecordFailure failure in result.Invalid.Take(ErrorsShown))
            {
                output.Error.WriteLine($"  {failure}");
            }

            if (result.Invalid.Count > ErrorsShown)
            {
                output.Error.WriteLine($"  … and {result.Invalid.Count - ErrorsShown:N0} more.");
            }

            return ExitCodes.InvalidData;
        }

        if (settings.Json)
        {
            output.WriteJson(new
            {
                result.Read,
                result.Inserted,
                result.Updated,
                result.Unchanged,
                result.Stale,
                Rejected = result.Invalid.Count,
                result.RejectsFile,
                Seconds = Math.Round(result.Elapsed.TotalSeconds, 2),
            });
        }
        else
        {
            var table = new Table().AddColumns("read", "inserted", "updated", "unchanged", "stale", "rejected", "seconds");
            table.AddRow($"{result.Read:N0}", $"{result.Inserted:N0}", $"{result.Updated:N0}", $"{result.Unchanged:N0}", $"{result.Stale:N0}", $"{result.Invalid.Count:N0}", $"{result.Elapsed.TotalSeconds:N1}");
            output.Console.Write(table);
        }

        if (result.RejectsFile is not null)
        {
            output.Error.WriteLine($"warning: {result.Invalid.Count:N0} invalid records were skipped and written with their reasons to {result.RejectsFile}");
        }

        return ExitCodes.Success;
    }
}

/// <summary>An import with a progress bar, shared by <c>import</c> and <c>demo</c>.</summary>
internal static class CaseImport
{
    public static async Task<ImportResult> RunAsync(CliOutput output, DataDirectory dataDirectory, IReadOnlyList<string> files, ImportOptions options, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        await using TicketOpsDbContext db = TicketOpsDatabase.CreateContext(dataDirectory);
        var importer = new CaseImporter(db, timeProvider);
        return await output.WithProgressAsync("import", progress =>
            importer.ImportAsync(files, options, new SyncProgress<ImportProgress>(p => progress.Report((p.Stage, p.Done, p.Total))), cancellationToken));
    }
}
