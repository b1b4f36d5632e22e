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
