using System.Text.RegularExpressions;
using CsCheck;
using TicketOps.Cli;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Storage;
using TicketOps.Tests.Cli;
using TicketOps.Tests.Support;
using Xunit.Abstractions;

namespace TicketOps.Tests.Faults;

/// <summary>
/// The files people edit by hand, fuzzed: import mapping files, <c>ticketops.json</c> and Markdown knowledge
/// (front matter and sections). Each is accepted or refused with the file (and line) named; nothing crashes
/// and a refused file changes nothing.
/// </summary>
public sealed class ConfigurationFuzzTests(ITestOutputHelper output) : IDisposable
{
    private const int CiInputs = 80;

    private static readonly string[] s_mappingKeys = ["source", "fields", "list_separator", "date_format", "utc_offset_hours"];

    private readonly TempFolder _temp = new();
    private int _file;

    public void Dispose() => _temp.Dispose();

    /// <summary>A mapping file: known keys with hostile values, unknown fields, wrong shapes, damaged bytes.</summary>
    private static readonly Gen<string> s_mapping =
        from pairs in Gen.Select(Gen.OneOf(s_mappingKeys), Gen.Frequency(
            (3, HostileInput.JsonValue),
            (2, Gen.Const("{\"title\":\"subject\",\"external_id\":\"id\",\"created_at\":\"created\"}")),
            (1, Gen.Const("{\"title\":null,\"nonsense\":\"x\"}")),
            (1, Gen.Const("{\"title\":\"\"}")),
            (1, Gen.OneOf("\"dd/MM/yyyy HH:mm\"", "\"%\"", "\"\\\\\"", "\"yyyy-MM-dd'T'HH:mm:ss\"")),
            (1, Gen.OneOf("-1", "14.5", "1e400", "\"two\"")))).Array[0, 6]
        select "{" + string.Join(",", pairs.Select(p => "\"" + p.Item1 + "\":" + p.Item2)) + "}";

    [Fact]
    public async Task A_hostile_mapping_file_is_used_or_refused_naming_the_file_with_nothing_written()
    {
        string csv = _temp.Write("cases.csv", "id,subject,created\nK-1,Login fails,2025-01-01T00:00:00Z\n");
        Gen<(string Text, Damage[] Damage)> gen = Gen.Select(s_mapping, HostileInput.FileDamage);

        int tried = await Fuzz.CheckAsync(gen, CiInputs, async input =>
        {
            string mapping = _temp.Combine($"mapping-{++_file}.json");
            await File.WriteAllBytesAsync(mapping, HostileInput.Apply(input.Text, input.Damage));
            string before = DatabaseFingerprint.Of(DatabasePath);

            CliRun run = await CliRun.RunAsync("import", csv, "--data-dir", DataDir, "--no-index", "--mapping", mapping);

            Refusal.AssertClean(run);
            if (run.ExitCode == ExitCodes.InvalidData)
            {
                Assert.True(before == "(no database)" || before == DatabaseFingerprint.Of(DatabasePath), run.Error);
                Assert.True(run.Error.Contains(mapping, StringComparison.Ordinal) || run.Error.Contains(csv, StringComparison.Ordinal), run.Error);
            }
        }, input => $"damage [{string.Join(", ", input.Damage.AsEnumerable())}] mapping {input.Text}", input => ("mapping.json", HostileInput.Apply(input.Text, input.Damage)));

        output.WriteLine($"{tried} hostile mapping files used or refused cleanly");
    }

    /// <summary>ticketops.json with hostile LLM settings: <c>mine</c> refuses it with exit 3 naming the file, or mines.</summary>
    [Fact]
    public async Task A_hostile_ticketops_json_is_refused_by_mine_naming_the_file_and_key()
    {
        Gen<string> llm =
            from pairs in Gen.Select(Gen.OneOf("Enabled", "Endpoint", "Model", "ApiKeyVariable", "Timeout", "MaxAttempts", "Nonsense"), Gen.Frequency(
                (3, HostileInput.JsonValue),
                (1, Gen.OneOf("true", "\"http://127.0.0.1:9/v1\"", "\"not a url\"", "\"00:00:00\"", "\"99:00:00\"", "0", "6")))).Array[0, 7]
            from wrapper in Gen.Int[0, 3]
            let section = "{" + string.Join(",", pairs.Select(p => "\"" + p.Item1 + "\":" + p.Item2)) + "}"
            select wrapper switch
            {
                0 => "{\"TicketOps\":{\"Llm\":" + section + "}}",
                1 => "{\"TicketOps\":" + section + "}",
                2 => "{\"TicketOps\":{\"Llm\":[" + section + "]}}",
                _ => section,
            };
        Gen<(string Text, Damage[] Damage)> gen = Gen.Select(llm, HostileInput.FileDamage);
        string dataDir = _temp.Combine("config-data");
        Directory.CreateDirectory(dataDir);

        int tried = await Fuzz.CheckAsync(gen, CiInputs / 2, async input =>
        {
            string config = Path.Combine(dataDir, ConfigFile.FileName);
            await File.WriteAllBytesAsync(config, HostileInput.Apply(input.Text, input.Damage));

            // The settings are read before any mining: an empty data directory keeps each run short.
            CliRun run = await CliRun.RunAsync("mine", "--data-dir", dataDir, "--format", "json");

            Refusal.AssertClean(run);
            if (run.ExitCode == ExitCodes.InvalidData)
            {
                Assert.Contains(config, run.Error, StringComparison.Ordinal);
            }
        }, input => $"damage [{string.Join(", ", input.Damage.AsEnumerable())}] ticketops.json {input.Text}", input => ("ticketops.json", HostileInput.Apply(input.Text, input.Damage)));

        output.WriteLine($"{tried} hostile ticketops.json files accepted or refused cleanly");
    }

    /// <summary>Front matter values a hand edit or a merge conflict can leave behind.</summary>
    private static readonly Gen<string> s_yamlValue = Gen.OneOf(
        "", "[", "{", "]", "\"unterminated", "!!binary AAAA", "&a [*a, *a]", "*undefined", "PB-0001", "PB-9999", "IT-0001", "1e400", "-1",
        "99999999999999999999", "0000-00-00", "2026-02-30", "9999-12-31", "[a, [b, [c, [d]]]]", "{a: b}", "validated", "archived", "bogus",
        "\t\ttabs", "null", "~", "yes", "'quoted'", "|\n  block", "<<: *a", new string('x', 100_000));

    private static readonly string[] s_frontMatterKeys =
        ["id", "type", "state", "owner", "product_areas", "source_cases", "created", "reviewed", "version", "template", "superseded_by", "unknown_key"];

    /// <summary>Damage to a real knowledge file's structure: its front matter and its sections.</summary>
    private static readonly Gen<Damage> s_markdownDamage = Gen.OneOf(
        Gen.Select(Gen.OneOf(s_frontMatterKeys), s_yamlValue).Select(kv => new Damage($"front matter {kv.Item1}: {Cut(kv.Item2)}", bytes => SetFrontMatter(bytes, kv.Item1, kv.Item2))),
        Gen.OneOf(s_frontMatterKeys).Select(key => Edit($"front matter {key} removed", lines => lines.Where(l => !l.StartsWith(key + ":", StringComparison.Ordinal)))),
        Gen.OneOf(s_frontMatterKeys).Select(key => Edit($"front matter {key} twice", lines => lines.SelectMany(l => l.StartsWith(key + ":", StringComparison.Ordinal) ? new[] { l, l } : [l]))),
        Gen.Const(Edit("closing --- removed", lines => lines.Where((l, i) => i == 0 || l != "---"))),
        Gen.Const(Edit("no front matter", lines => lines.SkipWhile((l, i) => i == 0 || l != "---").Skip(1))),
        Gen.OneOf("## Issue", "## Environment", "## Cause", "## Resolution", "# ").Select(h => Edit($"'{h}' headings removed", lines => lines.Where(l => !l.StartsWith(h, StringComparison.Ordinal)))),
        Gen.OneOf("## Issue", "## Cause", "## Resolution", "# Title twice").Select(h => Edit($"'{h}' added at the end", lines => lines.Append(h).Append("text"))),
        Gen.Const(Edit("a huge section", lines => lines.Append("## Notes").Append(new string('y', 2_000_000)))),
        Gen.Const(Edit("deeply nested list", lines => lines.Concat(Enumerable.Range(0, 3000).Select(i => new string(' ', i * 2) + "- item")))),
        Gen.Const(Edit("deeply nested quotes", lines => lines.Append(new string('>', 50_000) + " quoted"))),
        HostileInput.FileDamage.Select(d => new Damage(string.Join(", ", d.AsEnumerable()), bytes => d.Aggregate(bytes, (b, x) => x.Apply(b)))));

    private static Damage Edit(string what, Func<IEnumerable<string>, IEnumerable<string>> edit) => new(what, bytes => Lines(bytes, edit));

    [Fact]
    public async Task A_damaged_knowledge_file_is_loaded_or_reported_with_its_line_and_its_row_is_left_alone()
    {
        string[] originals = Directory.GetFiles(Path.Combine(RepositoryRoot(), "knowledge"), "*-*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        Gen<(string Original, Damage[] Damage)> gen = Gen.Select(Gen.OneOf(originals), s_markdownDamage.Array[1, 3]);
        var data = new DataDirectory(_temp.Combine("knowledge-data"));
        await TicketOpsDatabase.MigrateAsync(data);

        int tried = await Fuzz.CheckAsync(gen, CiInputs, async input =>
        {
            string folder = _temp.Combine($"knowledge-{++_file}");
            string relative = Path.GetRelativePath(Path.Combine(RepositoryRoot(), "knowledge"), input.Original);
            string target = Path.Combine(folder, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            byte[] bytes = input.Damage.Aggregate(await File.ReadAllBytesAsync(input.Original), (b, d) => d.Apply(b));
            await File.WriteAllBytesAsync(target, bytes);
            string before = DatabaseFingerprint.Of(data.DatabasePath);

            await using TicketOpsDbContext db = TicketOpsDatabase.CreateContext(data);
            KnowledgeSyncResult result = await KnowledgeFolder.SyncAsync(folder, db);

            if (!result.IsClean)
            {
                Assert.All(result.Errors, e => Assert.Matches(new Regex("^" + Regex.Escape(relative.Replace('\\', '/')) + @":\d+: \S"), e.ToString()));
                Assert.Equal(before, DatabaseFingerprint.Of(data.DatabasePath));
            }
        }, input => $"{Path.GetFileName(input.Original)} with [{string.Join("; ", input.Damage.AsEnumerable())}]",
           input => (Path.GetFileName(input.Original), input.Damage.Aggregate(File.ReadAllBytes(input.Original), (b, d) => d.Apply(b))));

        output.WriteLine($"{tried} damaged knowledge files loaded or reported cleanly");
    }

    /// <summary>Every Markdown file that once broke a sync stays a test (Faults/Regressions/knowledge/).</summary>
    [Theory]
    [MemberData(nameof(KnowledgeRegressions))]
    public async Task A_knowledge_file_that_once_broke_sync_is_reported_with_its_line(string path)
    {
        var data = new DataDirectory(_temp.Combine("regression-data"));
        await TicketOpsDatabase.MigrateAsync(data);
        string folder = _temp.Combine("regression-knowledge");
        Directory.CreateDirectory(folder);
        File.Copy(path, Path.Combine(folder, Path.GetFileName(path)));
        string before = DatabaseFingerprint.Of(data.DatabasePath);

        await using TicketOpsDbContext db = TicketOpsDatabase.CreateContext(data);
        KnowledgeSyncResult result = await KnowledgeFolder.SyncAsync(folder, db);

        Assert.False(result.IsClean);
        Assert.All(result.Errors, e => Assert.Matches(new Regex("^" + Regex.Escape(Path.GetFileName(path)) + @":\d+: \S"), e.ToString()));
        Assert.Equal(before, DatabaseFingerprint.Of(data.DatabasePath));
    }

    public static TheoryData<string> KnowledgeRegressions() =>
        [.. Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Faults", "Regressions", "knowledge")).Order(StringComparer.Ordinal)];

    private string DataDir => _temp.Combine("data");

    private string DatabasePath => Path.Combine(DataDir, "ticketops.db");

    private static string Cut(string text) => text.Length <= 40 ? text.Replace("\n", "\\n", StringComparison.Ordinal) : text[..40] + "…";

    private static byte[] SetFrontMatter(byte[] bytes, string key, string value) =>
        Lines(bytes, lines =>
        {
            var list = lines.ToList();
            int at = list.FindIndex(1, l => l.StartsWith(key + ":", StringComparison.Ordinal) || l == "---");
            if (at < 0)
            {
                return list;
            }

            if (list[at] == "---")
            {
                list.Insert(at, key + ": " + value);
            }
            else
            {
                list[at] = key + ": " + value;
            }

            return list;
        });

    private static byte[] Lines(byte[] bytes, Func<IEnumerable<string>, IEnumerable<string>> edit) =>
        System.Text.Encoding.UTF8.GetBytes(string.Join('\n', edit(System.Text.Encoding.UTF8.GetString(bytes).Split('\n'))));

    internal static string RepositoryRoot()
    {
        string? folder = AppContext.BaseDirectory;
        while (folder is not null && !File.Exists(Path.Combine(folder, "TicketOps.sln")))
        {
            folder = Path.GetDirectoryName(folder);
        }

        return folder ?? throw new InvalidOperationException("TicketOps.sln not found above the test binaries.");
    }
}
