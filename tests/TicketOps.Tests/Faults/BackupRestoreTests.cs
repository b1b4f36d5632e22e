using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using TicketOps.Cli;
using TicketOps.Core.Access;
using TicketOps.Tests.Cli;
using TicketOps.Tests.Support;
using TicketOps.Web;
using TicketOps.Web.Access;

namespace TicketOps.Tests.Faults;

public sealed class BackupRestoreTests : IDisposable
{
    private const string Ticket = "SAML login fails with ERR_SAML_CLOCK_SKEW after the IdP change";
    private const int BatchSize = 10;

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_backup_taken_while_the_server_writes_restores_into_an_empty_directory_with_identical_matches()
    {
        string source = _temp.Combine("source");
        await SeedAsync(source);
        long before = DatabaseFingerprint.Rows(Path.Combine(source, "ticketops.db"), "cases");

        // The server takes batches of new cases while the backup runs: the copy must hold whole batches only.
        string backup = _temp.Combine("backups/ticketops.db");
        CliRun backupRun;
        await using (WebApplication app = WebApp.Build(["--environment=Production", "--Logging:LogLevel:Default=Warning"], source, "http://127.0.0.1:0"))
        {
            await app.StartAsync();
            string key;
            await using (AsyncServiceScope scope = app.Services.CreateAsyncScope())
            {
                key = (await scope.ServiceProvider.GetRequiredService<ApiKeyStore>().CreateAsync("backup test", AccessRoles.Admin)).PlainKey;
            }

            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            using var stop = new CancellationTokenSource();
            Task<int> writer = WriteBatchesAsync(http, stop.Token);
            await Task.Delay(300);

            backupRun = await CliRun.RunAsync("backup", "--data-dir", source, "--out", backup, "--format", "json");

            await stop.CancelAsync();
            int batches = await writer;
            Assert.True(batches > 0, "the server took no batch while the backup ran");
            await app.StopAsync();
        }

        Assert.Equal(ExitCodes.Success, backupRun.ExitCode);
        long copied = DatabaseFingerprint.Rows(backup, "cases");
        Assert.True(copied >= before && (copied - before) % BatchSize == 0, $"the backup holds {copied - before} of the new cases, not whole batches of {BatchSize}");
        Assert.False(File.Exists(backup + "-wal"), "a backup is one self-contained file");

        string restored = _temp.Combine("restored");
        CliRun restore = await CliRun.RunAsync("restore", backup, "--data-dir", restored, "--format", "json");

        Assert.True(restore.ExitCode == ExitCodes.Success, restore.Error);
        Assert.Equal(copied, DatabaseFingerprint.Rows(Path.Combine(restored, "ticketops.db"), "cases"));
        Assert.Equal(await MatchAsync(source), await MatchAsync(restored));
    }

    [Fact]
    public async Task Restore_refuses_a_directory_that_has_a_database_and_a_file_that_is_not_a_backup_and_changes_nothing()
    {
        string source = _temp.Combine("source");
        await CliRun.RunAsync("db", "migrate", "--data-dir", source);
        string backup = _temp.Combine("ticketops.db");
        Assert.Equal(ExitCodes.Success, (await CliRun.RunAsync("backup", "--data-dir", source, "--out", backup)).ExitCode);
        string garbage = _temp.Write("garbage.db", "this is not a database");
        string truncated = _temp.Combine("truncated.db");
        byte[] bytes = await File.ReadAllBytesAsync(backup);
        await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length / 2)]);
        string before = DatabaseFingerprint.Of(Path.Combine(source, "ticketops.db"));

        CliRun intoExisting = await CliRun.RunAsync("restore", backup, "--data-dir", source, "--no-index");
        CliRun fromGarbage = await CliRun.RunAsync("restore", garbage, "--data-dir", _temp.Combine("empty1"), "--no-index");
        CliRun fromTruncated = await CliRun.RunAsync("restore", truncated, "--data-dir", _temp.Combine("empty2"), "--no-index");

        Assert.Equal((ExitCodes.InvalidData, ExitCodes.InvalidData, ExitCodes.InvalidData), (intoExisting.ExitCode, fromGarbage.ExitCode, fromTruncated.ExitCode));
        Assert.Contains("already holds a database", intoExisting.Error, StringComparison.Ordinal);
        Assert.Contains("not a SQLite database", fromGarbage.Error, StringComparison.Ordinal);
        Assert.Contains(truncated, fromTruncated.Error, StringComparison.Ordinal);
        Assert.Equal(before, DatabaseFingerprint.Of(Path.Combine(source, "ticketops.db")));
        Assert.False(File.Exists(Path.Combine(_temp.Combine("empty1"), "ticketops.db")));
        Assert.False(File.Exists(Path.Combine(_temp.Combine("empty2"), "ticketops.db")));
    }

    private async Task SeedAsync(string dataDir)
    {
        string cases = _temp.Combine("cases.jsonl");
        Assert.Equal(ExitCodes.Success, (await CliRun.RunAsync("generate", "--cases", "150", "--seed", "5", "--out", cases)).ExitCode);
        Assert.Equal(ExitCodes.Success, (await CliRun.RunAsync("import", cases, "--data-dir", dataDir)).ExitCode);
        string knowledge = Path.Combine(ConfigurationFuzzTests.RepositoryRoot(), "knowledge");
        Assert.Equal(ExitCodes.Success, (await CliRun.RunAsync("knowledge", "sync", "--folder", knowledge, "--data-dir", dataDir)).ExitCode);
    }

    /// <summary>Posts batches of open cases until stopped; returns how many were stored.</summary>
    private static async Task<int> WriteBatchesAsync(HttpClient http, CancellationToken stop)
    {
        int batches = 0;
        while (!stop.IsCancellationRequested)
        {
            string cases = string.Join(",", Enumerable.Range(0, BatchSize).Select(i =>
                $$"""{"external_id":"BK-{{batches}}-{{i}}","title":"Export stalls at {{i}} percent","created_at":"2025-06-01T00:00:00Z"}"""));
            using HttpResponseMessage response = await http.PostAsync(new Uri("/api/cases/batch", UriKind.Relative), new StringContent("[" + cases + "]", Encoding.UTF8, "application/json"), CancellationToken.None);
            response.EnsureSuccessStatusCode();
            batches++;
        }

        return batches;
    }

    /// <summary>The ranked ids and scores a match gives (the parts that must not change across a restore).</summary>
    private static async Task<string> MatchAsync(string dataDir)
    {
        CliRun run = await CliRun.RunAsync("match", Ticket, "--data-dir", dataDir, "--format", "json", "--top", "5");
        Assert.True(run.ExitCode == ExitCodes.Success, run.Error);
        var ranked = new StringBuilder();
        using var json = JsonDocument.Parse(run.Out);
        Collect(json.RootElement, ranked);
        Assert.True(ranked.Length > 0, run.Out);
        return ranked.ToString();
    }

    private static void Collect(JsonElement element, StringBuilder ranked)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            if (element.TryGetProperty("id", out JsonElement id) && element.TryGetProperty("score", out JsonElement score))
            {
                ranked.Append(CultureInfo.InvariantCulture, $"{id} {score.GetDouble():F5}; ");
            }

            foreach (JsonProperty property in element.EnumerateObject())
            {
                Collect(property.Value, ranked);
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement item in element.EnumerateArray())
            {
                Collect(item, ranked);
            }
        }
    }
}
