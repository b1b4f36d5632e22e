using System.Text.Json;
using System.Text.Json.Nodes;
using TicketOps.Core.Matching;
using TicketOps.Core.Mining;

namespace TicketOps.Core.Tests.Mining;

/// <summary>Runs the evaluation with the real MiniLM model on a tiny data set written here (our own wording).</summary>
public sealed class ClusteringEvaluationTests : IDisposable
{
    private static readonly string[][] s_topics =
    [
        ["The office printer shows offline and nothing prints", "Print jobs stay in the queue, printer offline", "Printer is offline after the driver update, cannot print", "Cannot print: the printer status says offline"],
        ["VPN disconnects every few minutes from home", "The VPN client drops the connection repeatedly", "VPN keeps disconnecting when working remotely", "Remote VPN connection drops after a short while"],
        ["I forgot my password and the reset email never arrives", "Password reset link email is not received", "No password reset email after clicking forgot password", "The forgot-password email does not arrive in my inbox"],
    ];

    private static readonly string[] s_fixes = ["Restarted the print spooler", "Raised the VPN idle timeout", "Allow-listed the reset mail sender"];

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ticketops-eval-tests", Guid.NewGuid().ToString("N"));

    public ClusteringEvaluationTests()
    {
        Directory.CreateDirectory(_folder);
        var lines = new List<string>();
        var groups = new List<string>();
        for (int topic = 0; topic < s_topics.Length; topic++)
        {
            var ids = new List<string>();
            for (int i = 0; i < s_topics[topic].Length; i++)
            {
                string id = $"t{topic}-{i}";
                ids.Add(id);
                lines.Add(JsonSerializer.Serialize(new { id, title = s_topics[topic][i], body = "", resolution = s_fixes[topic], category = $"topic-{topic}", created_at = "2026-01-01T00:00:00Z" }));
            }

            groups.Add(JsonSerializer.Serialize(new { group_id = $"g{topic}", member_ids = ids.Take(2) }));
        }

        File.WriteAllLines(Path.Combine(_folder, "corpus.jsonl"), lines);
        File.WriteAllLines(Path.Combine(_folder, "groups.jsonl"), groups);
    }

    [Fact]
    public async Task Evaluation_against_categories_reports_the_documented_json_with_a_kmeans_baseline()
    {
        using var embedder = new SentenceEmbedder();

        ClusteringEvaluationResult result = await ClusteringEvaluation.RunAsync(
            _folder, texts => embedder.Embed(texts), new ClusteringEvaluationOptions { Against = ClusteringGroundTruth.Category, DatasetName = "tiny" });

        var json = JsonNode.Parse(result.ToJson())!.AsObject();
        Assert.Equal("tiny", (string?)json["dataset"]);
        Assert.Equal(12, (int)json["items"]!);
        Assert.Equal("kmeans-true-k", (string?)json["baseline"]!["method"]);
        Assert.Equal(3, result.TrueClusters);
        Assert.Equal("category", result.Against);

        // Three clearly separate topics: both methods should recover them.
        Assert.Equal(3, result.Clusters);
        Assert.Equal(1.0, result.Ari, 3);
        Assert.Equal(1.0, result.Baseline.Ari, 3);
    }

    [Fact]
    public async Task The_resolution_is_chosen_by_default_and_a_fixed_one_can_be_given_for_comparison()
    {
        using var embedder = new SentenceEmbedder();

        ClusteringEvaluationResult chosen = await ClusteringEvaluation.RunAsync(
            _folder, texts => embedder.Embed(texts), new ClusteringEvaluationOptions { Against = ClusteringGroundTruth.Category });
        ClusteringEvaluationResult fixedAt3 = await ClusteringEvaluation.RunAsync(
            _folder, texts => embedder.Embed(texts), new ClusteringEvaluationOptions { Against = ClusteringGroundTruth.Category, Resolution = 3 });

        Assert.Contains(chosen.Resolution, CaseClustererOptions.StabilityResolutions);
        Assert.Equal(chosen.Resolution, (double)JsonNode.Parse(chosen.ToJson())!["resolution"]!);
        Assert.Equal(3, fixedAt3.Resolution);
        Assert.Equal(3, (double)JsonNode.Parse(fixedAt3.ToJson())!["resolution"]!);
        Assert.Equal(3, fixedAt3.Clusters);
    }

    [Fact]
    public async Task The_resolution_is_embedded_only_when_asked_for()
    {
        using var embedder = new SentenceEmbedder();
        var plain = new List<string>();
        var withResolution = new List<string>();

        await ClusteringEvaluation.RunAsync(_folder, texts => { plain.AddRange(texts); return embedder.Embed(texts); }, new ClusteringEvaluationOptions { Against = ClusteringGroundTruth.Category });
        ClusteringEvaluationResult result = await ClusteringEvaluation.RunAsync(
            _folder, texts => { withResolution.AddRange(texts); return embedder.Embed(texts); }, new ClusteringEvaluationOptions { Against = ClusteringGroundTruth.Category, IncludeResolution = true });

        Assert.Equal(12, plain.Count);
        Assert.DoesNotContain(plain, t => s_fixes.Any(f => t.Contains(f, StringComparison.Ordinal)));
        Assert.Equal(s_topics.SelectMany((titles, topic) => titles.Select(title => title + "\n\n" + s_fixes[topic])), withResolution);
        Assert.Equal(3, result.Clusters);
    }

    [Fact]
    public async Task Evaluation_uses_the_groups_file_when_present_and_scores_only_grouped_items()
    {
        using var embedder = new SentenceEmbedder();
        string cache = Path.Combine(_folder, "cache");

        ClusteringEvaluationResult first = await ClusteringEvaluation.RunAsync(
            _folder, texts => embedder.Embed(texts), new ClusteringEvaluationOptions { EmbeddingCacheDirectory = cache, Clusterer = new CaseClustererOptions { MinClusterSize = 2 } });
        ClusteringEvaluationResult cached = await ClusteringEvaluation.RunAsync(
            _folder, _ => throw new InvalidOperationException("the cache should answer"), new ClusteringEvaluationOptions { EmbeddingCacheDirectory = cache, Clusterer = new CaseClustererOptions { MinClusterSize = 2 } });

        Assert.Equal("groups", first.Against);
        Assert.Equal(6, first.Items);
        Assert.Equal(3, first.TrueClusters);
        Assert.Equal(first.Ari, cached.Ari);
        Assert.Equal(first.Nmi, cached.Nmi);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Left to the OS temp cleaner.
        }
    }
}
