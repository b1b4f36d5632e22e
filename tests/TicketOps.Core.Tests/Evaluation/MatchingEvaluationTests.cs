using System.Text.Json;
using TicketOps.Core.Evaluation;
using TicketOps.Core.Tests.Matching;

namespace TicketOps.Core.Tests.Evaluation;

[Collection(MiniLMGroup.Name)]
public sealed class MatchingEvaluationTests(EmbedderFixture fixture) : IDisposable
{
    private readonly TempFolder _folder = new();

    private static string[] Ids(params string[] ids) => ids;

    private static void Write(string folder, string file, params object[] lines) =>
        File.WriteAllLines(Path.Combine(folder, file), lines.Select(l => JsonSerializer.Serialize(l)));

    [Fact]
    public async Task Knowledge_protocol_scores_a_hand_made_set_as_computed_by_hand()
    {
        // Items are indexed from title + resolution only; extra fields are ignored.
        Write(_folder.Path, "corpus.jsonl",
            new { id = "k1", title = "Mailbox quota full", body = "ignored", resolution = "Archive old mail to free mailbox quota.", category = "mail", extra = 1 },
            new { id = "k2", title = "Spooler service restart", body = "ignored", resolution = "Restart the spooler service.", category = (string?)null },
            new { id = "k3", title = "Printer offline spooler crash", body = "ignored", resolution = "The printer is offline because the spooler crashed.", category = "print" });
        Write(_folder.Path, "queries.jsonl",
            new { query_id = "q1", text = "my mailbox quota is full" },
            new { query_id = "q2", text = "printer offline, spooler" },
            new { query_id = "q3", text = "keyboard layout wrong" });
        Write(_folder.Path, "qrels.jsonl",
            new { query_id = "q1", relevant_ids = Ids("k1") },
            new { query_id = "q2", relevant_ids = Ids("k2") },
            new { query_id = "q3", relevant_ids = Ids("k3") });

        EvaluationReport report = await MatchingEvaluation.RunAsync(_folder.Path, fixture.Embedder);

        // BM25 by hand: q1 -> k1 at rank 1; q2 -> k3 shares three terms, k2 one, so k2 is at rank 2;
        // q3 shares no term with anything, BM25 returns nothing. Recall@1 = 1/3, @5..@20 = 2/3,
        // MRR = (1 + 1/2 + 0) / 3 = 0.5.
        Assert.Equal("knowledge", report.Protocol);
        Assert.Equal(3, report.Queries);
        MethodMetrics bm25 = report.Methods.Single(m => m.Method == "bm25");
        Assert.Equal(0.3333, bm25.Recall["1"]);
        Assert.Equal(0.6667, bm25.Recall["5"]);
        Assert.Equal(0.6667, bm25.Recall["10"]);
        Assert.Equal(0.6667, bm25.Recall["20"]);
        Assert.Equal(0.5, bm25.Mrr);

        // Dense ranks every item, so each query finds its item within 3: Recall@5 = 1.
        MethodMetrics dense = report.Methods.Single(m => m.Method == "dense");
        Assert.Equal(1.0, dense.Recall["5"]);
        Assert.Equal(["bm25", "dense", "hybrid"], report.Methods.Select(m => m.Method));
        Assert.NotNull(report.NoMatch);
        Assert.Equal(6, report.NoMatch.Runs);
    }

    [Fact]
    public async Task Duplicate_protocol_only_considers_earlier_items_and_never_the_query_itself()
    {
        Write(_folder.Path, "corpus.jsonl",
            new { id = "c1", title = "Disk quota exceeded on upload", body = "Upload fails with a disk quota exceeded error.", resolution = "Duplicate", created_at = "2024-01-01T09:00:00" },
            new { id = "c2", title = "Login page blank in browser", body = "The login page shows a blank white screen.", resolution = "Fixed", created_at = "2024-01-02T09:00:00" },
            new { id = "c3", title = "Blank login page after update", body = "After the update the login page is blank.", resolution = "Duplicate", created_at = "2024-01-03T09:00:00" },
            new { id = "c4", title = "Upload fails: disk quota exceeded", body = "Disk quota exceeded when uploading files.", resolution = "Duplicate of c1", created_at = "2024-01-04T09:00:00" });
        Write(_folder.Path, "qrels.jsonl",
            new { query_id = "c4", relevant_ids = Ids("c1") },
            new { query_id = "c3", relevant_ids = Ids("c2") },
            new { query_id = "c2", relevant_ids = Ids("c3") });

        EvaluationReport report = await MatchingEvaluation.RunAsync(_folder.Path, fixture.Embedder);

        // By hand: c4 finds c1 first (c4 itself excluded, else it would be first); c3 finds c2 first
        // (only c1 and c2 are earlier); c2's duplicate c3 is later, so it cannot be found.
        // Recall@k = 2/3 for every k, MRR = (1 + 1 + 0) / 3.
        Assert.Equal("duplicates", report.Protocol);
        Assert.Equal(3, report.Queries);
        foreach (MethodMetrics method in report.Methods)
        {
            Assert.All(method.Recall.Values, r => Assert.Equal(0.6667, r));
            Assert.Equal(0.6667, method.Mrr);
        }
    }

    [Fact]
    public async Task Report_serialises_to_the_agreed_json_shape()
    {
        Write(_folder.Path, "corpus.jsonl", new { id = "k1", title = "VPN drops", resolution = "Update the VPN client." });
        Write(_folder.Path, "queries.jsonl", new { query_id = "q1", text = "vpn keeps dropping" });
        Write(_folder.Path, "qrels.jsonl", new { query_id = "q1", relevant_ids = Ids("k1") });

        EvaluationReport report = await MatchingEvaluation.RunAsync(_folder.Path, fixture.Embedder);
        using var json = JsonDocument.Parse(report.ToJson());

        JsonElement root = json.RootElement;
        Assert.Equal(["dataset", "protocol", "queries", "methods"], root.EnumerateObject().Take(4).Select(p => p.Name));
        Assert.Equal(1, root.GetProperty("queries").GetInt32());
        JsonElement first = root.GetProperty("methods")[0];
        Assert.Equal("bm25", first.GetProperty("method").GetString());
        Assert.Equal(["1", "5", "10", "20"], first.GetProperty("recall").EnumerateObject().Select(p => p.Name));
        Assert.Equal(1.0, first.GetProperty("mrr").GetDouble());
    }

    [Fact]
    public async Task Malformed_line_is_reported_with_file_and_line()
    {
        File.WriteAllLines(Path.Combine(_folder.Path, "corpus.jsonl"), ["{\"id\": \"a\", \"title\": \"x\"}", "{not json"]);
        Write(_folder.Path, "qrels.jsonl", new { query_id = "a", relevant_ids = Ids("a") });

        var error = await Assert.ThrowsAsync<EvaluationDataException>(() => MatchingEvaluation.RunAsync(_folder.Path, fixture.Embedder));

        Assert.Contains("corpus.jsonl:2", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}
