using System.Text.Json;
using TicketOps.Cli;

namespace TicketOps.Tests.Cli;

public sealed class ImportVerbTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ticketops-tests", Guid.NewGuid().ToString("N"));

    public ImportVerbTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Import_prints_counts_as_json_and_a_second_import_finds_everything_unchanged()
    {
        string file = Write("cases.csv", "id,subject,created\nK-1,Login fails,2025-01-01T00:00:00Z\nK-2,Export slow,2025-01-02T00:00:00Z\n");

        CliRun first = await CliRun.RunAsync("import", file, "--data-dir", DataDir, "--format", "json");
        CliRun second = await CliRun.RunAsync("import", file, "--data-dir", DataDir, "--format", "json");

        Assert.Equal(ExitCodes.Success, first.ExitCode);
        Assert.Equal(2, Count(first.Out, "inserted"));
        Assert.Equal((0, 2), (Count(second.Out, "inserted"), Count(second.Out, "unchanged")));
    }

    [Fact]
    public async Task Import_of_an_invalid_record_exits_with_invalid_data_and_names_the_place_on_stderr()
    {
        string file = Write("bad.csv", "id,subject,created\nK-1,Login fails,not-a-date\n");

        CliRun run = await CliRun.RunAsync("import", file, "--data-dir", DataDir);

        Assert.Equal(ExitCodes.InvalidData, run.ExitCode);
        Assert.Contains("1 of 1 records are invalid; nothing was imported", run.Error, StringComparison.Ordinal);
        Assert.Contains($"{file}:2 (K-1): field 'created_at' (from 'created'): 'not-a-date' is not a timestamp", run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public async Task A_bad_map_option_is_a_usage_error()
    {
        string file = Write("cases.csv", "id,subject,created\n");

        CliRun run = await CliRun.RunAsync("import", file, "--data-dir", DataDir, "--map", "title");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--map 'title' must look like field=column", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stats_summarises_imported_cases_by_product_area()
    {
        string file = Write("cases.jsonl",
            """{"external_id":"1","title":"a","product":"SSO","created_at":"2025-01-01T00:00:00Z","assigned_at":"2025-01-01T01:00:00Z","first_evidence_at":"2025-01-01T03:00:00Z","resolved_at":"2025-01-02T00:00:00Z"}""" + "\n"
            + """{"external_id":"2","title":"b","product":"SSO","created_at":"2025-01-01T00:00:00Z","assigned_at":"2025-01-01T01:00:00Z","first_evidence_at":"2025-01-01T05:00:00Z","resolved_at":"2025-01-02T00:00:00Z","engineering_involved":true}""" + "\n"
            + """{"external_id":"3","title":"c","product":"Billing","created_at":"2025-01-01T00:00:00Z"}""" + "\n");
        await CliRun.RunAsync("import", file, "--data-dir", DataDir);

        CliRun run = await CliRun.RunAsync("stats", "--data-dir", DataDir, "--format", "json");

        using var json = JsonDocument.Parse(run.Out);
        JsonElement sso = json.RootElement[0];
        Assert.Equal("SSO", sso.GetProperty("product").GetString());
        Assert.Equal(2, sso.GetProperty("resolved").GetInt32());
        Assert.Equal(1, sso.GetProperty("escalated").GetInt32());
        Assert.Equal(3.0, sso.GetProperty("median_hours_to_first_evidence").GetDouble());
        Assert.Equal(JsonValueKind.Null, json.RootElement[1].GetProperty("median_hours_to_first_evidence").ValueKind);
        Assert.Equal(3, json.RootElement[2].GetProperty("cases").GetInt32());
    }

    [Fact]
    public async Task An_unknown_verb_is_a_usage_error()
    {
        CliRun run = await CliRun.RunAsync("frobnicate");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("frobnicate", run.Error, StringComparison.Ordinal);
    }

    private string DataDir => Path.Combine(_folder, "data");

    private string Write(string name, string content)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static int Count(string json, string property)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty(property).GetInt32();
    }
}
