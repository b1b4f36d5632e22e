using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using TicketOps.Cli;
using TicketOps.Core.Cases;
using TicketOps.Core.Import;
using TicketOps.Core.Storage;
using TicketOps.Core.Synthetic;

namespace TicketOps.Commands;

internal sealed class DemoSettings : CommandSettings
{
    /// <summary>Marks a folder as made by <c>demo</c>, so it may be wiped by the next <c>demo</c>.</summary>
    public const string Marker = ".ticketops-demo";

    [CommandOption("--cases <N>")]
    [Description("How many synthetic cases to generate.")]
    [DefaultValue(3000)]
    public int Cases { get; init; } = 3000;

    [CommandOption("--seed <S>")]
    [Description("Random seed of the synthetic set.")]
    [DefaultValue(42)]
    public int Seed { get; init; } = 42;

    [CommandOption("--data-dir <DIR>")]
    [Description("Where to build the demo. It is emptied first, unless it holds data demo did not make. Default: .data/demo")]
    [DefaultValue(".data/demo")]
    public string DataDir { get; init; } = ".data/demo";

    public override ValidationResult Validate() =>
        Cases is >= 100 and <= 1_000_000 ? ValidationResult.Success() : ValidationResult.Error("--cases must be between 100 and 1,000,000.");
}

/// <summary>The main job on the embedded default: synthetic data → import → summary, and what to try next.</summary>
internal sealed class DemoCommand(CliOutput output, TimeProvider timeProvider) : AsyncCommand<DemoSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, DemoSettings settings, CancellationToken cancellationToken)
    {
        string root = Path.GetFullPath(settings.DataDir);
        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
        {
            if (!File.Exists(Path.Combine(root, DemoSettings.Marker)))
            {
                output.Fail($"{root} is not empty and was not made by 'ticketops demo'; refusing to overwrite it. Pass --data-dir with a new folder.");
                return ExitCodes.Usage;
            }

            Directory.Delete(root, recursive: true);
        }

        var dataDirectory = new DataDirectory(root);
        await File.WriteAllTextAsync(Path.Combine(root, DemoSettings.Marker), "made by 'ticketops demo'; the next demo run deletes this folder\n", cancellationToken);

        DateTime end = timeProvider.GetUtcNow().UtcDateTime.Date;
        string casesFile = Path.Combine(root, "demo-cases.jsonl");
        int generated = await DemoDataFile.WriteAsync(casesFile, new DemoDataOptions(settings.Cases, settings.Seed, end), cancellationToken);
        output.Line($"1. Generated {generated:N0} synthetic cases for {IssueFamilies.ProductName} ({IssueFamilies.All.Count} latent issue families, 12 months to {end:yyyy-MM-dd}, seed {settings.Seed}): {casesFile}");

        await TicketOpsDatabase.MigrateAsync(dataDirectory, cancellationToken);
        ImportResult imported = await CaseImport.RunAsync(output, dataDirectory, [casesFile], new ImportOptions(), timeProvider, cancellationToken);
        if (!imported.Succeeded)
        {
            output.Fail(imported.Problem ?? string.Join(Environment.NewLine, imported.Invalid.Take(5)));
            return ExitCodes.Failure;
        }

        output.Line($"2. Imported them into {dataDirectory.DatabasePath} in {imported.Elapsed.TotalSeconds:N1} s ({imported.Inserted:N0} new, personal data redacted).");
        await using (TicketOpsDbContext db = TicketOpsDatabase.CreateContext(dataDirectory))
        {
            output.Console.Write(StatsCommand.CaseVolumeTable(await CaseVolume.ByProductAsync(db, cancellationToken)));
        }

        string dir = Path.GetRelativePath(Environment.CurrentDirectory, root);
        output.Line("");
        output.Line("Try next:");
        output.Line($"  ticketops stats --data-dir {dir}");
        output.Line($"  ticketops import my-export.csv --data-dir {dir} --map \"external_id=Ticket ID\"");
        output.Line($"  ticketops doctor --data-dir {dir}");
        output.Line("(from a checkout, 'ticketops' is 'dotnet run --project src/TicketOps --')");
        return ExitCodes.Success;
    }
}
