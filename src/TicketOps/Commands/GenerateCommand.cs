using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;
using TicketOps.Cli;
using TicketOps.Core.Import;
using TicketOps.Core.Synthetic;

namespace TicketOps.Commands;

internal sealed class GenerateSettings : CommandSettings
{
    [CommandOption("--cases <N>")]
    [Description("How many cases to write.")]
    [DefaultValue(3000)]
    public int Cases { get; init; } = 3000;

    [CommandOption("--seed <S>")]
    [Description("Random seed: the same seed (and --end) gives the same file.")]
    [DefaultValue(42)]
    public int Seed { get; init; } = 42;

    [CommandOption("--end <DATE>")]
    [Description("Last day of the 12-month window (yyyy-MM-dd, UTC). Default: today.")]
    public string? End { get; init; }

    [CommandOption("--out <FILE>")]
    [Description("Output file (JSON lines in the TicketOps interchange format).")]
    public string Out { get; init; } = "";

    public override ValidationResult Validate()
    {
        if (Cases is < 1 or > 10_000_000)
        {
            return ValidationResult.Error("--cases must be between 1 and 10,000,000.");
        }

        if (string.IsNullOrWhiteSpace(Out))
        {
            return ValidationResult.Error("--out FILE is required.");
        }

        return End is null || DateTime.TryParseExact(End, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
            ? ValidationResult.Success()
            : ValidationResult.Error($"--end must be a date like 2025-12-31, not '{End}'.");
    }
}

internal sealed class GenerateCommand(CliOutput output, TimeProvider timeProvider) : AsyncCommand<GenerateSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, GenerateSettings settings, CancellationToken cancellationToken)
    {
        DateTime end = settings.End is null
            ? timeProvider.GetUtcNow().UtcDateTime.Date
            : DateTime.SpecifyKind(DateTime.ParseExact(settings.End, "yyyy-MM-dd", CultureInfo.InvariantCulture), DateTimeKind.Utc);
        int written = await DemoDataFile.WriteAsync(settings.Out, new DemoDataOptions(settings.Cases, settings.Seed, end), cancellationToken);
        output.Error.WriteLine($"wrote {written:N0} cases (seed {settings.Seed}, {end.AddMonths(-DemoDataOptions.WindowMonths):yyyy-MM-dd} to {end:yyyy-MM-dd}) to {settings.Out}");
        return ExitCodes.Success;
    }
}

/// <summary>Writes the synthetic set as JSON lines.</summary>
internal static class DemoDataFile
{
    private static readonly JsonSerializerOptions s_lines = new() { WriteIndented = false, DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public static async Task<int> WriteAsync(string path, DemoDataOptions options, CancellationToken cancellationToken)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        int count = 0;
        await using var writer = new StreamWriter(path, append: false);
        foreach (CaseRecord record in DemoCaseGenerator.Generate(options))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await writer.WriteLineAsync(JsonSerializer.Serialize(record, s_lines).AsMemory(), cancellationToken);
            count++;
        }

        return count;
    }
}
