using TicketOps.Core.Evaluation;
using TicketOps.Core.Matching;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TicketOps.Core.Mining;

/// <summary>Which ground truth a clustering evaluation compares against.</summary>
public enum ClusteringGroundTruth
{
    /// <summary><c>groups.jsonl</c> when the folder has one, else <c>category</c>.</summary>
    Auto = 0,

    /// <summary>The <c>category</c> field of <c>corpus.jsonl</c>.</summary>
    Category = 1,

    /// <summary>The duplicate groups of <c>groups.jsonl</c>.</summary>
    Groups = 2,
}

/// <summary>Settings of <see cref="ClusteringEvaluation"/>.</summary>
public sealed class ClusteringEvaluationOptions
{
    /// <summary>What to compare against.</summary>
    public ClusteringGroundTruth Against { get; set; } = ClusteringGroundTruth.Auto;

    /// <summary>
    /// Clusterer settings. When null: the defaults, except that against duplicate groups a cluster may have
    /// two members (a duplicate pair is the typical group there).
    /// </summary>
    public CaseClustererOptions? Clusterer { get; set; }

    /// <summary>
    /// When <see cref="Clusterer"/> is null: a fixed modularity resolution instead of the product's choice by
    /// stability, for comparison. Null keeps the choice.
    /// </summary>
    public double? Resolution { get; set; }

    /// <summary>
    /// Folder for cached embeddings (keyed by a hash of the texts), because MiniLM needs minutes for a few
    /// thousand documents on two cores. Null disables the cache.
    /// </summary>
    public string? EmbeddingCacheDirectory { get; set; }

    /// <summary>The id of the encoder behind the embedding function (cached vectors are keyed by it).</summary>
    public string EncoderId { get; set; } = SentenceEmbedder.EncoderIdOf(EncoderPrecision.Quantized);

    /// <summary>
    /// Cluster every corpus item, not only the labelled ones, and score the labelled ones (default). This is
    /// how mining meets cases in production: the duplicates of gitbugs must be found among all reports, not
    /// handed over as a small set that contains nothing else. The baseline always sees the labelled items only
    /// (its k is only known for them).
    /// </summary>
    public bool ClusterAllItems { get; set; } = true;

    /// <summary>
    /// Embed title + body + resolution, as mining embeds a resolved case (title, description, cause and
    /// resolution), instead of title + body. Only for data sets whose resolution is a real fix: in gitbugs it is a
    /// status word, and "Duplicate" would hand the clusterer the answer.
    /// </summary>
    public bool IncludeResolution { get; set; }

    /// <summary>Name reported as <c>dataset</c>; the folder name when null.</summary>
    public string? DatasetName { get; set; }
}

/// <summary>ARI and NMI of one method.</summary>
public sealed class ClusteringScore
{
    /// <summary>Method name, e.g. <c>kmeans-true-k</c>.</summary>
    [JsonPropertyName("method")] public required string Method { get; init; }

    /// <summary>Adjusted Rand index.</summary>
    [JsonPropertyName("ari")] public double Ari { get; init; }

    /// <summary>Normalised mutual information.</summary>
    [JsonPropertyName("nmi")] public double Nmi { get; init; }
}

/// <summary>The figures of one clustering evaluation; serialises to the shape documented in docs/mining.md.</summary>
public sealed class ClusteringEvaluationResult
{
    /// <summary>Data set name.</summary>
    [JsonPropertyName("dataset")] public required string Dataset { get; init; }

    /// <summary>Items evaluated (those with a ground-truth label).</summary>
    [JsonPropertyName("items")] public int Items { get; init; }

    /// <summary>Clusters found by <see cref="CaseClusterer"/> (without being told k).</summary>
    [JsonPropertyName("clusters")] public int Clusters { get; init; }

    /// <summary>Adjusted Rand index of <see cref="CaseClusterer"/>; unclustered items count as singletons.</summary>
    [JsonPropertyName("ari")] public double Ari { get; init; }

    /// <summary>NMI of <see cref="CaseClusterer"/>; unclustered items count as singletons.</summary>
    [JsonPropertyName("nmi")] public double Nmi { get; init; }

    /// <summary>k-means on the same embeddings, given the true number of clusters.</summary>
    [JsonPropertyName("baseline")] public required ClusteringScore Baseline { get; init; }

    /// <summary>What the labels came from: <c>category</c> or <c>groups</c>.</summary>
    [JsonPropertyName("against")] public required string Against { get; init; }

    /// <summary>The true number of clusters (what the baseline was given).</summary>
    [JsonPropertyName("true_clusters")] public int TrueClusters { get; init; }

    /// <summary>Modularity resolution the clusterer used (chosen by stability when candidates are configured).</summary>
    [JsonPropertyName("resolution")] public double Resolution { get; init; }

    /// <summary>Items the clusterer left unclustered.</summary>
    [JsonPropertyName("unclustered")] public int Unclustered { get; init; }

    /// <summary>Items given to the clusterer (all corpus items, or only the labelled ones).</summary>
    [JsonPropertyName("clustered_items")] public int ClusteredItems { get; init; }

    /// <summary>Wall time of <see cref="CaseClusterer.Cluster"/> alone, in milliseconds.</summary>
    [JsonPropertyName("clustering_ms")] public long ClusteringMilliseconds { get; init; }

    /// <summary>Serialises to indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, s_json);

    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };
}

/// <summary>
/// Measures <see cref="CaseClusterer"/> on any folder in the evaluation format (<c>corpus.jsonl</c> with
/// <c>category</c>, or <c>groups.jsonl</c>): ARI and NMI on the items that have a label, beside spherical
/// k-means (k-means++ seeding, fixed seed) given the true k on the same embeddings. Both methods see the same
/// items; the text embedded is title + body (what the customer wrote), with the resolution only when
/// <see cref="ClusteringEvaluationOptions.IncludeResolution"/> asks for it.
/// </summary>
public static class ClusteringEvaluation
{
    /// <summary>Runs the evaluation. <paramref name="embed"/> turns texts into unit vectors (e.g. <c>SentenceEmbedder.Embed</c>).</summary>
    public static Task<ClusteringEvaluationResult> RunAsync(
        string datasetDirectory,
        Func<IReadOnlyList<string>, float[][]> embed,
        ClusteringEvaluationOptions? options = null,
        CancellationToken cancellationToken = default) =>
        Task.Run(() => Run(datasetDirectory, embed, options, cancellationToken), cancellationToken);

    private static ClusteringEvaluationResult Run(
        string datasetDirectory,
        Func<IReadOnlyList<string>, float[][]> embed,
        ClusteringEvaluationOptions? options,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(datasetDirectory);
        ArgumentNullException.ThrowIfNull(embed);
        options ??= new ClusteringEvaluationOptions();

        string corpusPath = Path.Combine(datasetDirectory, "corpus.jsonl");
        string groupsPath = Path.Combine(datasetDirectory, "groups.jsonl");
        bool useGroups = options.Against switch
        {
            ClusteringGroundTruth.Groups => true,
            ClusteringGroundTruth.Category => false,
            _ => File.Exists(groupsPath),
        };
        if (useGroups && !File.Exists(groupsPath))
        {
            throw new EvaluationDataException($"{groupsPath}: file not found; evaluating against groups needs groups.jsonl.");
        }

        var groupOf = new Dictionary<string, string>(StringComparer.Ordinal);
        if (useGroups)
        {
            foreach ((JsonElement group, int line) in EvaluationData.ReadLines(groupsPath))
            {
                string groupId = EvaluationData.RequiredString(group, "group_id", groupsPath, line);
                foreach (string member in EvaluationData.RequiredStrings(group, "member_ids", groupsPath, line))
                {
                    groupOf.TryAdd(member, groupId);
                }
            }
        }

        var allIds = new List<string>();
        var allTexts = new List<string>();
        var labelOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((JsonElement item, int line) in EvaluationData.ReadLines(corpusPath))
        {
            cancellationToken.ThrowIfCancellationRequested();
            string id = EvaluationData.RequiredString(item, "id", corpusPath, line);
            string? label = useGroups ? groupOf.GetValueOrDefault(id) : (EvaluationData.OptionalString(item, "category") is { Length: > 0 } category ? category : null);
            if (label is null && !options.ClusterAllItems)
            {
                continue;
            }

            if (label is not null && !labelOf.TryAdd(id, label))
            {
                throw new EvaluationDataException($"{corpusPath}:{line}: id '{id}' appears more than once.");
            }

            allIds.Add(id);
            string text = EvaluationData.OptionalString(item, "title") + "\n" + EvaluationData.OptionalString(item, "body");
            if (options.IncludeResolution)
            {
                text += "\n" + EvaluationData.OptionalString(item, "resolution");
            }

            allTexts.Add(text.Trim());
        }

        var ids = allIds.Where(labelOf.ContainsKey).ToList();
        var labels = ids.Select(id => labelOf[id]).ToList();
        if (ids.Count == 0)
        {
            throw new EvaluationDataException($"No item in {corpusPath} has a {(useGroups ? "group in groups.jsonl" : "category")}; nothing to evaluate.");
        }

        float[][] allVectors = options.EmbeddingCacheDirectory is { } cacheDirectory
            ? new EmbeddingCache(cacheDirectory).GetOrEmbed(allTexts, options.EncoderId, embed, cancellationToken)
            : embed(allTexts);
        var items = allIds.Select((id, i) => new ClusteringItem(id, allVectors[i], CaseSpecifics.FromText(allTexts[i]))).ToList();
        float[][] vectors = allIds.Select((id, i) => (id, i)).Where(p => labelOf.ContainsKey(p.id)).Select(p => allVectors[p.i]).ToArray();

        var watch = Stopwatch.StartNew();
        CaseClustererOptions clustererOptions = options.Clusterer ?? new CaseClustererOptions { MinClusterSize = useGroups ? 2 : 3 };
        if (options.Clusterer is null && options.Resolution is { } resolution)
        {
            clustererOptions.ResolutionCandidates = null;
            clustererOptions.Resolution = resolution;
        }

        ClusteringResult result = new CaseClusterer(clustererOptions).Cluster(items);
        watch.Stop();

        var clusterOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (CaseCluster cluster in result.Clusters)
        {
            foreach (ClusterMember member in cluster.Members)
            {
                clusterOf[member.CaseId] = cluster.Id;
            }
        }

        // An unclustered item is a cluster of its own: it claims no pair, right or wrong.
        string[] predicted = ids.Select(id => clusterOf.GetValueOrDefault(id) ?? "single:" + id).ToArray();

        int trueK = labels.Distinct(StringComparer.Ordinal).Count();
        int[] baseline = KMeans.Cluster(new VectorSet(vectors.Select(v => (ReadOnlyMemory<float>)v).ToList()), trueK);

        return new ClusteringEvaluationResult
        {
            Dataset = options.DatasetName ?? new DirectoryInfo(datasetDirectory).Name,
            Items = ids.Count,
            Clusters = result.Clusters.Count,
            Ari = Math.Round(ClusteringMetrics.AdjustedRandIndex(labels, predicted), 4),
            Nmi = Math.Round(ClusteringMetrics.NormalizedMutualInformation(labels, predicted), 4),
            Baseline = new ClusteringScore
            {
                Method = "kmeans-true-k",
                Ari = Math.Round(ClusteringMetrics.AdjustedRandIndex(labels, baseline), 4),
                Nmi = Math.Round(ClusteringMetrics.NormalizedMutualInformation(labels, baseline), 4),
            },
            Against = useGroups ? "groups" : "category",
            TrueClusters = trueK,
            Resolution = result.Resolution,
            Unclustered = ids.Count(id => !clusterOf.ContainsKey(id)),
            ClusteredItems = items.Count,
            ClusteringMilliseconds = watch.ElapsedMilliseconds,
        };
    }
}
