using System.Text.Json;
using TicketOps.Cli;
using TicketOps.Tests.Support;

namespace TicketOps.Tests.Cli;

public sealed class MatchAndEvalVerbTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Imported_resolved_cases_are_matched_at_once_and_open_ones_are_not()
    {
        string cases = _temp.Write("cases.jsonl",
            Case("R-1", "SAML login rejected with ERR_SAML_CLOCK_SKEW", "Users cannot sign in; the IdP assertion is rejected as not yet valid.", resolved: true)
            + Case("R-2", "CSV export never finishes", "The export of the projects table stays at 99 percent for hours.", resolved: true)
            + Case("O-1", "SAML login rejected with ERR_SAML_CLOCK_SKEW again", "Same clock skew error as last week.", resolved: false));
        string dataDir = _temp.Combine("data");
        CliRun import = await CliRun.RunAsync("import", cases, "--data-dir", dataDir);
        Assert.Equal(ExitCodes.Success, import.ExitCode);

        CliRun match = await CliRun.RunAsync("match", "Sign-in fails: ERR_SAML_CLOCK_SKEW from our identity provider", "--data-dir", dataDir, "--format", "json");

        Assert.Equal(ExitCodes.Success, match.ExitCode);
        using var json = JsonDocument.Parse(match.Out);
        JsonElement items = json.RootElement.GetProperty("items");
        Assert.Equal("case:json:R-1", items[0].GetProperty("id").GetString());
        Assert.Contains("ERR_SAML_CLOCK_SKEW", items[0].GetProperty("explanation").GetProperty("shared_identifiers").EnumerateArray().Select(e => e.GetString()));
        Assert.DoesNotContain(items.EnumerateArray(), item => item.GetProperty("id").GetString() == "case:json:O-1");
    }

    [Fact]
    public async Task Import_computes_each_vector_once_and_a_rebuild_of_the_unchanged_database_computes_none()
    {
        string cases = _temp.Write("cases.jsonl",
            Case("R-1", "SAML login rejected with ERR_SAML_CLOCK_SKEW", "Users cannot sign in; the IdP assertion is rejected as not yet valid.", resolved: true)
            + Case("R-2", "CSV export never finishes", "The export of the projects table stays at 99 percent for hours.", resolved: true));
        string dataDir = _temp.Combine("data");

        CliRun import = await CliRun.RunAsync("import", cases, "--data-dir", dataDir);
        CliRun rebuild = await CliRun.RunAsync("index", "rebuild", "--data-dir", dataDir, "--format", "json");

        Assert.Equal(ExitCodes.Success, import.ExitCode);
        Assert.Contains("2 resolved cases indexed (2 vectors computed, 0 reused from the database)", import.Error, StringComparison.Ordinal);
        Assert.Contains("index: embeddings 2/2", import.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, rebuild.ExitCode);
        using var json = JsonDocument.Parse(rebuild.Out);
        Assert.Equal(2, json.RootElement.GetProperty("indexed").GetInt32());
        Assert.Equal(0, json.RootElement.GetProperty("vectors_computed").GetInt32());
        Assert.Equal(2, json.RootElement.GetProperty("vectors_reused").GetInt32());
    }

    [Fact]
    public async Task Match_on_an_empty_index_says_how_to_build_it()
    {
        CliRun run = await CliRun.RunAsync("match", "anything", "--data-dir", _temp.Combine("empty"));

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains("index rebuild", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_prints_the_agreed_json_with_every_method_measured_in_the_same_run()
    {
        string dataset = _temp.Combine("tiny");
        Directory.CreateDirectory(dataset);
        File.WriteAllText(Path.Combine(dataset, "corpus.jsonl"),
            """{"id":"a","title":"Printer shows paper jam","body":"x","resolution":"Open tray two and remove the jammed sheet","category":null,"created_at":"2024-01-01T00:00:00Z"}""" + "\n"
            + """{"id":"b","title":"VPN drops every hour","body":"y","resolution":"Renew the VPN certificate on the gateway","category":null,"created_at":"2024-01-02T00:00:00Z"}""" + "\n");
        File.WriteAllText(Path.Combine(dataset, "queries.jsonl"), """{"query_id":"q1","text":"my VPN connection keeps dropping"}""" + "\n");
        File.WriteAllText(Path.Combine(dataset, "qrels.jsonl"), """{"query_id":"q1","relevant_ids":["b"]}""" + "\n");

        CliRun run = await CliRun.RunAsync("eval", dataset, "--format", "json", "--data-dir", _temp.Combine("data"));

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal("knowledge", json.RootElement.GetProperty("protocol").GetString());
        Assert.Equal(1, json.RootElement.GetProperty("queries").GetInt32());
        Assert.Equal(["bm25", "dense", "hybrid"], json.RootElement.GetProperty("methods").EnumerateArray().Select(m => m.GetProperty("method").GetString()));
        Assert.All(json.RootElement.GetProperty("methods").EnumerateArray(), m => Assert.Equal(1.0, m.GetProperty("mrr").GetDouble()));
    }

    [Fact]
    public async Task Tune_learns_from_the_linked_cases_and_match_uses_the_model_until_it_is_reset()
    {
        string dataDir = _temp.Combine("data");
        string folder = _temp.Combine("knowledge");
        Directory.CreateDirectory(Path.Combine(folder, "playbooks"));
        File.WriteAllText(Path.Combine(folder, "playbooks", "PB-0100.md"), Playbook("PB-0100", "Invoice PDF is empty", "The invoice PDF downloads with zero pages.", "Clear the invoice render cache and download again."));
        File.WriteAllText(Path.Combine(folder, "playbooks", "PB-0101.md"), Playbook("PB-0101", "VPN tunnel drops every hour", "The VPN client disconnects at the top of every hour.", "Renew the gateway certificate and raise the rekey interval."));
        var lines = new System.Text.StringBuilder();
        for (int i = 0; i < 40; i++)
        {
            bool invoice = i % 2 == 0;
            lines.Append(JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["external_id"] = $"L-{i}",
                ["title"] = invoice ? $"Invoice {1000 + i} opens as a blank PDF" : $"VPN disconnects for site {i}",
                ["description"] = invoice ? "The downloaded invoice has no pages." : "Users lose the tunnel every hour.",
                ["created_at"] = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(i).ToString("O"),
                ["resolved_at"] = new DateTime(2025, 1, 2, 0, 0, 0, DateTimeKind.Utc).AddDays(i).ToString("O"),
                ["linked_knowledge"] = new[] { invoice ? "PB-0100" : "PB-0101" },
            })).Append('\n');
        }

        Assert.Equal(ExitCodes.Success, (await CliRun.RunAsync("knowledge", "sync", "--folder", folder, "--data-dir", dataDir)).ExitCode);
        Assert.Equal(ExitCodes.Success, (await CliRun.RunAsync("import", _temp.Write("linked.jsonl", lines.ToString()), "--data-dir", dataDir)).ExitCode);

        CliRun tune = await CliRun.RunAsync("tune", "--data-dir", dataDir, "--force", "--format", "json");

        Assert.Equal(ExitCodes.Success, tune.ExitCode);
        using (var json = JsonDocument.Parse(tune.Out))
        {
            Assert.Equal(40, json.RootElement.GetProperty("linked_cases").GetInt32());
            Assert.Equal(24, json.RootElement.GetProperty("train_queries").GetInt32());
            Assert.Equal(16, json.RootElement.GetProperty("test_queries").GetInt32());
            Assert.True(json.RootElement.GetProperty("written").GetBoolean());
        }

        string model = Path.Combine(dataDir, "ranking-model.json");
        Assert.True(File.Exists(model));
        Assert.Equal("tuned", await RankedByAsync(dataDir));

        Assert.Contains("tuned (", await RankingCheckAsync(dataDir, ExitCodes.Success), StringComparison.Ordinal);
        string written = File.ReadAllText(model);
        File.WriteAllText(model, "{ not json");
        Assert.Contains("cannot be read", await RankingCheckAsync(dataDir, ExitCodes.Failure), StringComparison.Ordinal);
        Assert.Equal("fused", await RankedByAsync(dataDir));
        File.WriteAllText(model, written);

        CliRun reset = await CliRun.RunAsync("tune", "--reset", "--data-dir", dataDir);
        Assert.Equal(ExitCodes.Success, reset.ExitCode);
        Assert.False(File.Exists(model));
        Assert.Equal("fused", await RankedByAsync(dataDir));
    }

    [Fact]
    public async Task Tune_without_enough_linked_cases_refuses_and_writes_nothing()
    {
        string cases = _temp.Write("cases.jsonl",
            Case("R-1", "SAML login rejected with ERR_SAML_CLOCK_SKEW", "Users cannot sign in; the IdP assertion is rejected as not yet valid.", resolved: true));
        string dataDir = _temp.Combine("data");
        Assert.Equal(ExitCodes.Success, (await CliRun.RunAsync("import", cases, "--data-dir", dataDir)).ExitCode);

        CliRun tune = await CliRun.RunAsync("tune", "--data-dir", dataDir);

        Assert.Equal(ExitCodes.Refused, tune.ExitCode);
        Assert.Contains("only 0 tickets have a right answer", tune.Error, StringComparison.Ordinal);
        Assert.Contains("Nothing written", tune.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(dataDir, "ranking-model.json")));
    }

    // The doctor's "ranking" line, after checking the verb's exit code.
    private static async Task<string> RankingCheckAsync(string dataDir, int exitCode)
    {
        CliRun doctor = await CliRun.RunAsync("doctor", "--data-dir", dataDir, "--format", "json");
        Assert.Equal(exitCode, doctor.ExitCode);
        using var json = JsonDocument.Parse(doctor.Out);
        return json.RootElement.EnumerateArray().Single(c => c.GetProperty("check").GetString() == "ranking").GetProperty("detail").GetString()!;
    }

    private static async Task<string?> RankedByAsync(string dataDir)
    {
        CliRun match = await CliRun.RunAsync("match", "The invoice PDF I downloaded is blank", "--data-dir", dataDir, "--format", "json");
        Assert.Equal(ExitCodes.Success, match.ExitCode);
        using var json = JsonDocument.Parse(match.Out);
        return json.RootElement.GetProperty("ranked_by").GetString();
    }

    private static string Playbook(string id, string title, string issue, string resolution) => $"""
        ---
        id: {id}
        type: playbook
        state: validated
        owner: support
        product_areas: [Billing]
        source_cases: []
        created: 2024-06-01
        version: 1
        ---

        # {title}

        ## Issue

        {issue}

        ## Environment

        Web app.

        ## Cause

        Unknown.

        ## Resolution

        {resolution}
        """;

    private static string Case(string id, string title, string description, bool resolved) =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["external_id"] = id,
            ["title"] = title,
            ["description"] = description,
            ["created_at"] = "2025-01-01T00:00:00Z",
            ["resolved_at"] = resolved ? "2025-01-02T00:00:00Z" : null,
        }) + "\n";
}
