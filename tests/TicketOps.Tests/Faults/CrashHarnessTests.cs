using System.Text.Json;
using TicketOps.Cli;
using TicketOps.Tests.Cli;
using TicketOps.Tests.Support;
using Xunit.Abstractions;

namespace TicketOps.Tests.Faults;

/// <summary>
/// Kills the real executable with SIGKILL at points spread over an operation and checks, after each kill, that the
/// next command starts without manual repair, that the database holds all or none of the operation's records, that
/// no half-written file is left, and that rerunning the operation ends in the same state as one uninterrupted run
/// (cases, articles, decisions, knowledge files and the match index item by item). CI kills each operation
/// <see cref="CrashHarness.Kills"/> times; <c>TICKETOPS_CRASH_KILLS=30</c> is the full run (docs/reliability.md).
/// </summary>
[Collection(CrashHarnessGroup.Name)]
public sealed class CrashHarnessTests(CrashHarnessFixture fixture, ITestOutputHelper log)
{
    [Fact]
    public async Task Import_killed_anywhere_leaves_all_or_none_and_a_rerun_ends_as_an_uninterrupted_import()
    {
        await KillAndCheckAsync(
            "import",
            prepared: null,
            dataDir => ["import", fixture.CasesFile, "--data-dir", dataDir],
            afterKill: dataDir => Assert.Contains(EndState.Count(dataDir, "cases"), new long[] { 0, CrashHarnessFixture.CaseCount }));
    }

    [Fact]
    public async Task Index_rebuild_killed_anywhere_is_repaired_by_the_rerun()
    {
        await KillAndCheckAsync("index rebuild", fixture.ImportedDirectory, dataDir => ["index", "rebuild", "--data-dir", dataDir]);
    }

    [Fact]
    public async Task Knowledge_sync_killed_anywhere_leaves_all_or_none_and_a_rerun_ends_as_an_uninterrupted_sync()
    {
        await KillAndCheckAsync(
            "knowledge sync",
            fixture.ImportedDirectory,
            dataDir => ["knowledge", "sync", "--folder", CrashHarnessFixture.KnowledgeFolder, "--data-dir", dataDir],
            afterKill: dataDir => Assert.Contains(EndState.Count(dataDir, "knowledge_articles"), new long[] { 0, CrashHarnessFixture.KnowledgeFiles }));
    }

    [Fact]
    public async Task Review_approve_killed_anywhere_leaves_the_candidate_approved_or_not_and_no_half_article()
    {
        await KillAndCheckAsync(
            "review approve",
            fixture.MinedDirectory,
            dataDir => ["review", "approve", fixture.CandidateId, "--as", "owner", "--knowledge", Path.Combine(dataDir, "knowledge"), "--data-dir", dataDir],
            knowledgeFolder: dataDir => Path.Combine(dataDir, "knowledge"),
            afterKill: dataDir =>
            {
                // All or none: an article row, its file and its audit entry come together.
                long articles = EndState.Count(dataDir, "knowledge_articles");
                long audit = EndState.Count(dataDir, "audit_log");
                string folder = Path.Combine(dataDir, "knowledge");
                int files = Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "*.md", SearchOption.AllDirectories).Count() : 0;
                Assert.True((articles, audit, files) is (0, 0, 0) or (1, 1, 1), $"articles {articles}, audit entries {audit}, files {files}");
            },
            rerunExitCodes: [ExitCodes.Success, ExitCodes.Refused]);
    }

    [Fact]
    public async Task Mine_killed_anywhere_leaves_all_or_none_and_a_rerun_ends_as_an_uninterrupted_run()
    {
        await KillAndCheckAsync(
            "mine",
            fixture.ImportedDirectory,
            dataDir => ["mine", "--no-llm", "--data-dir", dataDir],
            afterKill: dataDir =>
            {
                long candidates = EndState.Count(dataDir, "mining_candidates");
                Assert.True(candidates == 0 || candidates == fixture.MinedCandidates, $"{candidates} candidates after the kill; an uninterrupted run makes {fixture.MinedCandidates}");
            });
    }

    private async Task KillAndCheckAsync(
        string operation,
        string? prepared,
        Func<string, string[]> command,
        Action<string>? afterKill = null,
        Func<string, string>? knowledgeFolder = null,
        int[]? rerunExitCodes = null)
    {
        using var temp = new TempFolder();
        string Fresh(string name)
        {
            string dataDir = temp.Combine(name);
            if (prepared is not null)
            {
                CrashHarness.CopyFolder(prepared, dataDir);
            }

            return dataDir;
        }

        // The reference: the operation run once, uninterrupted, on the same starting state.
        string reference = Fresh("reference");
        var (exitCode, _, error, took) = await CrashHarness.RunAsync(command(reference));
        Assert.True(exitCode == ExitCodes.Success, $"{operation} (uninterrupted) exited {exitCode}: {error}");
        EndState expected = EndState.Of(reference, knowledgeFolder?.Invoke(reference));
        log.WriteLine($"{operation}: an uninterrupted run took {took.TotalSeconds:N1} s");

        int kills = 0, landed = 0, partial = 0, differing = 0;
        foreach (TimeSpan point in CrashHarness.KillPoints(took, CrashHarness.Kills))
        {
            string dataDir = Fresh($"kill-{kills++}");
            bool killed = await CrashHarness.RunAndKillAsync(point, command(dataDir));
            landed += killed ? 1 : 0;

            // A kill between writing a temporary file and renaming it over its target leaves the temporary file (never
            // a half target): the next command of the operation removes it, checked after the rerun below.
            try
            {
                afterKill?.Invoke(dataDir);
            }
            catch (Exception exception) when (exception is Xunit.Sdk.XunitException)
            {
                partial++;
                log.WriteLine($"  kill at {point.TotalSeconds:N2} s: partial state: {exception.Message}");
            }

            // The next command starts without manual repair, then the operation is run again to its end.
            var doctor = await CrashHarness.RunAsync("doctor", "--data-dir", dataDir);
            Assert.True(doctor.ExitCode == ExitCodes.Success, $"doctor after a kill at {point.TotalSeconds:N2} s exited {doctor.ExitCode}: {doctor.Out}{doctor.Error}");
            var rerun = await CrashHarness.RunAsync(command(dataDir));
            Assert.True((rerunExitCodes ?? [ExitCodes.Success]).Contains(rerun.ExitCode), $"rerun after a kill at {point.TotalSeconds:N2} s exited {rerun.ExitCode}: {rerun.Error}");

            IReadOnlyList<string> leftovers = CrashHarness.Leftovers(dataDir, knowledgeFolder?.Invoke(dataDir) ?? dataDir);
            if (leftovers.Count > 0)
            {
                partial++;
                log.WriteLine($"  kill at {point.TotalSeconds:N2} s: temporary files left after the rerun: {string.Join(", ", leftovers.Select(Path.GetFileName))}");
            }

            EndState actual = EndState.Of(dataDir, knowledgeFolder?.Invoke(dataDir));
            if (actual != expected)
            {
                differing++;
                log.WriteLine($"  kill at {point.TotalSeconds:N2} s: end state differs:\n    expected {expected}\n    actual   {actual}\n    rerun said: {rerun.Error}");
            }
        }

        log.WriteLine($"{operation}: {kills} kills ({landed} before the process ended by itself), {partial} left a partial state, {differing} ended differently after the rerun");
        Assert.Equal(0, partial);
        Assert.Equal(0, differing);
    }
}

/// <summary>The starting states the harness copies for each kill: a data set, an imported directory, a mined one.</summary>
public sealed class CrashHarnessFixture : IAsyncLifetime, IDisposable
{
    private readonly TempFolder _temp = new();

    public string CasesFile => _temp.Combine("cases.jsonl");

    public static int CaseCount => 300;

    public string ImportedDirectory => _temp.Combine("imported");

    public string MinedDirectory => _temp.Combine("mined");

    public static string KnowledgeFolder => Path.Combine(RepositoryRoot(), "knowledge");

    public static int KnowledgeFiles => Directory.EnumerateFiles(KnowledgeFolder, "*.md", SearchOption.AllDirectories).Count(f => !f.EndsWith("README.md", StringComparison.Ordinal));

    public string CandidateId { get; private set; } = "";

    public long MinedCandidates { get; private set; }

    public async Task InitializeAsync()
    {
        Assert.Equal(ExitCodes.Success, (await CliRun.RunAsync("generate", "--cases", CaseCount.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", "9", "--out", CasesFile)).ExitCode);
        Assert.Equal(ExitCodes.Success, (await CliRun.RunAsync("import", CasesFile, "--data-dir", ImportedDirectory)).ExitCode);
        CrashHarness.CopyFolder(ImportedDirectory, MinedDirectory);
        CliRun mine = await CliRun.RunAsync("mine", "--no-llm", "--data-dir", MinedDirectory);
        Assert.True(mine.ExitCode == ExitCodes.Success, mine.Error);
        MinedCandidates = EndState.Count(MinedDirectory, "mining_candidates");
        CliRun list = await CliRun.RunAsync("review", "list", "--format", "json", "--data-dir", MinedDirectory);
        using var json = JsonDocument.Parse(list.Out);
        CandidateId = json.RootElement.EnumerateArray()
            .First(c => c.GetProperty("kind").GetString() == "Playbook")
            .GetProperty("candidate_id").ToString();
    }

    public Task DisposeAsync()
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _temp.Dispose();

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "TicketOps.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("TicketOps.sln not found above the test folder");
    }
}

[CollectionDefinition(Name)]
public sealed class CrashHarnessGroup : ICollectionFixture<CrashHarnessFixture>
{
    public const string Name = "CrashHarness";
}
