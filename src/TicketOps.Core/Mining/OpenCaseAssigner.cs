using TicketOps.Core.Matching;

namespace TicketOps.Core.Mining;

/// <summary>
/// Puts open cases into the clusters of the resolved cases they resemble, for the themes report only: a theme's
/// newest weeks are mostly cases still being worked, and counting only resolved ones would hide the growth a
/// lead needs to see. An open case joins a cluster when most of its nearest resolved cases (by the case vectors
/// the clustering used, and at least <see cref="MinSimilarity"/> close) belong to that cluster; otherwise it
/// stays out. Open cases never feed candidates, cluster identities or sizes. The same idea as the clusterer's
/// optional <see cref="CaseClustererOptions.AttachSimilarity"/>, but by a majority of neighbours rather than the
/// nearest one: an open case's vector lacks the cause, so a single neighbour is a weaker witness.
/// </summary>
public sealed class OpenCaseAssigner : IDisposable
{
    /// <summary>Nearest resolved cases consulted per open case.</summary>
    public const int Neighbours = 10;

    /// <summary>How many of those must share one cluster.</summary>
    public const int Majority = 6;

    /// <summary>
    /// A neighbour counts only this close (cosine). On the synthetic bench (3,000 cases) every open case of a
    /// family went to its family's theme at 0.4, 0.5 and 0.55 alike, while open one-offs placed somewhere fell
    /// from 12 to 11 to 6 (bench/RESULTS.md).
    /// </summary>
    public const float MinSimilarity = 0.55f;

    private readonly EmbeddingStore _resolved;
    private readonly Dictionary<string, string> _clusterOf;

    /// <summary>Prepares the nearest-neighbour search over the clustered run.</summary>
    /// <param name="resolvedCaseIds">Case ids in the order of <paramref name="vectors"/>.</param>
    /// <param name="vectors">The resolved cases' vectors, as clustered.</param>
    /// <param name="clusters">The run's clusters.</param>
    public OpenCaseAssigner(IReadOnlyList<string> resolvedCaseIds, IReadOnlyList<float[]> vectors, IReadOnlyList<CaseCluster> clusters)
    {
        ArgumentNullException.ThrowIfNull(resolvedCaseIds);
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(clusters);
        _resolved = new EmbeddingStore(vectors.Count == 0 ? SentenceEmbedder.Dimensions : vectors[0].Length);
        for (int i = 0; i < resolvedCaseIds.Count; i++)
        {
            _resolved.Upsert(resolvedCaseIds[i], vectors[i]);
        }

        _clusterOf = clusters.SelectMany(c => c.Members.Select(m => (m.CaseId, c.Id))).ToDictionary(p => p.CaseId, p => p.Id, StringComparer.Ordinal);
    }

    /// <summary>The cluster id for an open case's vector, or null when no cluster holds most of its neighbours.</summary>
    public string? ClusterFor(ReadOnlySpan<float> openCaseVector)
    {
        var votes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (ScoredId neighbour in _resolved.Search(openCaseVector, Neighbours))
        {
            if (neighbour.Score >= MinSimilarity && _clusterOf.TryGetValue(neighbour.Id, out string? cluster))
            {
                votes[cluster] = votes.GetValueOrDefault(cluster) + 1;
            }
        }

        return votes.Where(v => v.Value >= Majority).Select(v => v.Key).FirstOrDefault();
    }

    /// <inheritdoc/>
    public void Dispose() => _resolved.Dispose();
}
