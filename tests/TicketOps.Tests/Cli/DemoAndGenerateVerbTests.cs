using TicketOps.Cli;
using TicketOps.Tests.Support;

namespace TicketOps.Tests.Cli;

public sealed class DemoAndGenerateVerbTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Generate_writes_the_same_file_for_the_same_seed_and_end_date()
    {
        string first = _temp.Combine("a.jsonl");
        string second = _temp.Combine("b.jsonl");

        CliRun run = await CliRun.RunAsync("generate", "--cases", "150", "--seed", "9", "--end", "2026-06-30", "--out", first);
        await CliRun.RunAsync("generate", "--cases", "150", "--seed", "9", "--end", "2026-06-30", "--out", second);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal(150, File.ReadAllLines(first).Length);
        Assert.Equal(await File.ReadAllBytesAsync(first), await File.ReadAllBytesAsync(second));
    }

    [Fact]
    public async Task Demo_builds_its_data_directory_afresh_on_every_run()
    {
        string dataDir = _temp.Combine("demo");

        CliRun first = await CliRun.RunAsync("demo", "--no-serve", "--cases", "200", "--data-dir", dataDir);
        CliRun second = await CliRun.RunAsync("demo", "--no-serve", "--cases", "300", "--data-dir", dataDir);

        Assert.Equal(ExitCodes.Success, first.ExitCode);
        Assert.Contains("Imported them into", first.Out, StringComparison.Ordinal);
        Assert.Contains("(200 new, personal data redacted)", first.Out, StringComparison.Ordinal);
        Assert.Contains("(300 new, personal data redacted)", second.Out, StringComparison.Ordinal);
        Assert.Contains("Try next:", second.Out, StringComparison.Ordinal);
        Assert.Contains("product feedback report for", second.Out, StringComparison.Ordinal);
        Assert.StartsWith("## Product feedback: ", File.ReadAllText(Path.Combine(dataDir, "feedback-report.md")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_refuses_to_wipe_a_folder_it_did_not_make()
    {
        string dataDir = _temp.Combine("precious");
        Directory.CreateDirectory(dataDir);
        string precious = Path.Combine(dataDir, "notes.txt");
        await File.WriteAllTextAsync(precious, "keep me");

        CliRun run = await CliRun.RunAsync("demo", "--no-serve", "--cases", "200", "--data-dir", dataDir);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("refusing to overwrite it", run.Error, StringComparison.Ordinal);
        Assert.Equal("keep me", await File.ReadAllTextAsync(precious));
    }
}
