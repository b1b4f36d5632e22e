using System.Text;
using System.Text.RegularExpressions;
using CsCheck;
using TicketOps.Cli;
using TicketOps.Tests.Cli;
using TicketOps.Tests.Support;
using Xunit.Abstractions;

namespace TicketOps.Tests.Faults;

/// <summary>
/// Every import format fed hostile files through the real <c>ticketops import</c>: whatever the bytes, the
/// verb either imports (the damage left a valid file) or exits 3 naming the file and the line or record,
/// with not one row of the database changed; never a crash, never a stack trace.
/// </summary>
public sealed partial class ImportFuzzTests(ITestOutputHelper output) : IDisposable
{
    // Each input is one in-process run of the verb (~20-50 ms); this keeps all formats within ~1 min in CI.
    private const int CiInputs = 60;

    private readonly TempFolder _temp = new();
    private int _file;

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string> Formats => ["csv", "json", "jsonl", "zendesk", "jira"];

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task A_hostile_export_is_imported_or_refused_naming_the_place_with_nothing_written(string format)
    {
        Gen<(string Text, Damage[] Damage, bool Detect)> gen =
            from text in Document(format)
            from damage in HostileInput.FileDamage
            from detect in Gen.Frequency((3, Gen.Const(false)), (1, Gen.Const(true)))
            select (text, damage, detect);

        int tried = await Fuzz.CheckAsync(
            gen,
            CiInputs,
            async input => await ImportAndCheckAsync(HostileInput.Apply(input.Text, input.Damage), format, input.Detect),
            input => $"{format}, {(input.Detect ? "detected" : "--input-format")}, damage [{string.Join(", ", input.Damage.AsEnumerable())}], text {Shorten(input.Text)}",
            input => ($"import.{Extension(format)}", HostileInput.Apply(input.Text, input.Damage)));

        output.WriteLine($"{format}: {tried} hostile files imported or refused cleanly");
    }

    /// <summary>Every file that once made an import fail stays a test (tests/TicketOps.Tests/Faults/Regressions/import-FORMAT/).</summary>
    [Theory]
    [MemberData(nameof(Regressions))]
    public async Task A_file_that_once_broke_import_is_handled(string format, string path)
    {
        // Some of these were valid files a reader crashed on (imported now), others invalid ones (refused now).
        CliRun run = await ImportAndCheckAsync(await File.ReadAllBytesAsync(path), format, detect: false);

        Assert.Contains(run.ExitCode, new[] { ExitCodes.Success, ExitCodes.InvalidData });
    }

    public static TheoryData<string, string> Regressions()
    {
        var data = new TheoryData<string, string>();
        string root = Path.Combine(AppContext.BaseDirectory, "Faults", "Regressions");
        foreach (string format in Formats)
        {
            string folder = Path.Combine(root, "import-" + format);
            foreach (string file in Directory.Exists(folder) ? Directory.GetFiles(folder).Order(StringComparer.Ordinal) : Enumerable.Empty<string>())
            {
                data.Add(format, file);
            }
        }

        return data;
    }

    internal static Gen<string> Document(string format) => format switch
    {
        "csv" => HostileInput.Csv,
        "json" => HostileInput.JsonDocument(HostileInput.GenericRecord, "cases"),
        "jsonl" => HostileInput.JsonLines(HostileInput.GenericRecord),
        "zendesk" => Gen.OneOf(HostileInput.JsonDocument(HostileInput.ZendeskTicket, "tickets"), HostileInput.JsonLines(HostileInput.ZendeskTicket)),
        "jira" => Gen.OneOf(HostileInput.JsonDocument(HostileInput.JiraIssue, "issues"), HostileInput.JsonLines(HostileInput.JiraIssue)),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "not an import format"),
    };

    private async Task<CliRun> ImportAndCheckAsync(byte[] bytes, string format, bool detect)
    {
        string file = _temp.Combine($"import-{++_file}.{Extension(format)}");
        await File.WriteAllBytesAsync(file, bytes);
        string database = Path.Combine(DataDir, "ticketops.db");
        string before = DatabaseFingerprint.Of(database);

        string[] args = detect
            ? ["import", file, "--data-dir", DataDir, "--no-index"]
            : ["import", file, "--data-dir", DataDir, "--no-index", "--input-format", format];
        CliRun run = await CliRun.RunAsync(args);

        Refusal.AssertClean(run);
        if (run.ExitCode == ExitCodes.InvalidData)
        {
            Assert.True(before == "(no database)" || before == DatabaseFingerprint.Of(database), $"a refused import changed the database:\n{run.Error}");
            Assert.Matches(new Regex(Regex.Escape(file) + @"(:\d+|, record \d+|:)"), run.Error);
        }

        return run;
    }

    private string DataDir => _temp.Combine("data");

    private static string Extension(string format) => format is "csv" or "jsonl" ? format : "json";

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + $"… ({text.Length:N0} chars)";
}

/// <summary>What every refusal of bad input must look like: a handled exit code and a message, never a crash.</summary>
internal static partial class Refusal
{
    public static void AssertClean(CliRun run)
    {
        Assert.True(
            run.ExitCode is ExitCodes.Success or ExitCodes.InvalidData,
            $"expected exit 0 or 3, got {run.ExitCode}:\n{Shorten(run.Error)}");
        Assert.False(StackTrace().IsMatch(run.Error), $"a stack trace reached the user:\n{Shorten(run.Error)}");
        if (run.ExitCode == ExitCodes.InvalidData)
        {
            Assert.False(string.IsNullOrWhiteSpace(run.Error), "a refusal must say what was wrong");
        }
    }

    private static string Shorten(string text) => text.Length <= 4000 ? text : text[..4000] + "…";

    [GeneratedRegex(@"Exception\b|^\s+at \S+\(", RegexOptions.Multiline)]
    private static partial Regex StackTrace();
}
