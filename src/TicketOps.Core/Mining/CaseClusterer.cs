using System.Numerics.Tensors;

namespace TicketOps.Core.Mining;

/// <summary>One case as the clusterer sees it: its id, its embedding and the specifics it mentions.</summary>
/// <param name="CaseId">Stable id of the case (any string; the database key or the source id).</param>
/// <param name="Embedding">Sentence embedding of the case text (unit length is expected, and enforced).</param>
/// <param name="Specifics">Error codes, components, versions... (see <see cref="CaseSpecifics"/>); may be empty.</param>
public sealed record ClusteringItem(string CaseId, ReadOnlyMemory<float> Embedding, IReadOnlyCollection<string> Specifics);

/// <summary>A cluster from an earlier mining run, used to keep identities stable.</summary>
/// <param name="ClusterId">The id it was given.</param>
/// <param name="CaseIds">Its members then.</param>
public sealed record PreviousCluster(string ClusterId, IReadOnlyCollection<string> CaseIds);

/// <summary>A member of a cluster and how close it is to the cluster's centre (cosine to the mean vector).</summary>
public sealed record ClusterMember(string CaseId, double Similarity);

/// <summary>A recurring issue: cases that are alike in meaning and specifics.</summary>
public sealed class CaseCluster
{
    /// <summary>Stable id: carried over from the previous run's cluster it overlaps most, else derived from its members.</summary>
    public required string Id { get; init; }

    /// <summary>Members, most central first.</summary>
    public required IReadOnlyList<ClusterMember> Members { get; init; }

    /// <summary>Mean member similarity to the centre, 0..1: how tight the cluster is.</summary>
    public double Cohesion { get; init; }

    /// <summary>The previous cluster id this one continues, or null when it is new in this run.</summary>
    public string? ContinuesClusterId { get; init; }

    /// <summary>Number of members.</summary>
    public int Size => Members.Count;
}

/// <summary>The outcome of one clustering run.</summary>
public sealed class ClusteringResult
{
    /// <summary>Clusters, largest first.</summary>
    public required IReadOnlyList<CaseCluster> Clusters { get; init; }

    /// <summary>Cases that belong to no recurring issue (one-offs), in input order.</summary>
    public required IReadOnlyList<string> Unclustered { get; init; }

    /// <summary>Previous cluster ids that no cluster of this run continues (merged away or gone).</summary>
    public required IReadOnlyList<string> RetiredClusterIds { get; init; }

    /// <summary>Whether the neighbour search was exact or approximate (inverted file).</summary>
    public bool ApproximateNeighbours { get; init; }

    /// <summary>
    /// The modularity resolution the partition used: the candidate chosen by stability, or the fixed
    /// <see cref="CaseClustererOptions.Resolution"/> when <see cref="CaseClustererOptions.ResolutionCandidates"/> is null.
    /// </summary>
    public double Resolution { get; init; }
}

/// <summary>Settings of <see cref="CaseClusterer"/>. The defaults were tuned on the evaluation sets (docs/mining.md).</summary>
public sealed class CaseClustererOptions
{
    /// <summary>Neighbours considered per case.</summary>
    public int Neighbours { get; set; } = 10;

    /// <summary>
    /// Two cases are linked only when their similarity (cosine plus the specifics bonus) reaches this. Below 0.5
    /// MiniLM pairs are mostly "same product, different problem"; the resolution choice was measured at 0.5
    /// (docs/mining.md, "Granularity chosen from the data").
    /// </summary>
    public double MinSimilarity { get; set; } = 0.5;

    /// <summary>Link only mutual neighbours (each in the other's list): suppresses hubs that would chain clusters.</summary>
    public bool MutualNeighboursOnly { get; set; } = true;

    /// <summary>Bonus added to the cosine, times the Jaccard overlap of the two cases' specifics.</summary>
    public double SpecificsWeight { get; set; } = 0.15;

    /// <summary>
    /// Modularity resolution when <see cref="ResolutionCandidates"/> is null: higher gives more, smaller clusters.
    /// </summary>
    public double Resolution { get; set; } = 2.0;

    /// <summary>
    /// The resolution is chosen per run from these candidates (coarsest first): the one whose partition is most
    /// stable when a share of the cases is left out (mean ARI between the full partition and the partitions of
    /// <see cref="StabilitySamples"/> subsamples, each with its own neighbours). Ties go to the earlier candidate.
    /// Null uses the fixed <see cref="Resolution"/>.
    /// </summary>
    public IReadOnlyList<double>? ResolutionCandidates { get; set; } = StabilityResolutions;

    /// <summary>
    /// The default candidates: coarse enough for corpora of broad product areas, fine enough for corpora of
    /// duplicate pairs (docs/mining.md, "Real data").
    /// </summary>
    public static IReadOnlyList<double> StabilityResolutions { get; } = [1, 1.25, 1.5, 1.75, 2, 3, 4, 6, 8];

    /// <summary>Subsamples per resolution candidate when choosing by stability.</summary>
    public int StabilitySamples { get; set; } = 12;

    /// <summary>Share of the cases each stability subsample keeps.</summary>
    public double StabilitySampleShare { get; set; } = 0.8;

    /// <summary>Smallest group reported as a cluster; smaller groups are left unclustered.</summary>
    public int MinClusterSize { get; set; } = 3;

    /// <summary>
    /// When set, a case left out of every cluster joins the cluster of its most similar neighbour that belongs
    /// to one, if that similarity (cosine plus the specifics bonus) reaches this value. Null leaves one-offs
    /// unclustered.
    /// </summary>
    public double? AttachSimilarity { get; set; }

    /// <summary>Up to this many cases the neighbour search is exact; above it, approximate.</summary>
    public int ExactSearchLimit { get; set; } = 12_000;

    /// <summary>Cells probed per case by the approximate search.</summary>
    public int Probes { get; set; } = 8;

    /// <summary>Share of a previous cluster's members a new cluster must hold to inherit its id.</summary>
    public double IdentityOverlap { get; set; } = 0.5;

    /// <summary>Seed of the quantiser; fixed so runs are reproducible.</summary>
    public int Seed { get; set; } = 42;
}

/// <summary>
/// Groups resolved cases into recurring issues. Each case is linked to its mutual nearest neighbours
/// (embedding cosine plus a bonus for shared error codes, components and versions) when they are similar
/// enough; the resulting graph is partitioned by modularity (Louvain), so the number of clusters follows from
/// the data; groups smaller than <see cref="CaseClustererOptions.MinClusterSize"/> are one-offs and stay
/// unclustered. No all-pairs comparison beyond <see cref="CaseClustererOptions.ExactSearchLimit"/> cases.
/// Deterministic: the same items in the same order give the same clusters and ids.
/// </summary>
public sealed class CaseClusterer
{
    /// <summary>Case count from which <see cref="CaseClustererOptions.Resolution"/> applies in full.</summary>
    public const int ResolutionRampCases = 500;

    private readonly CaseClustererOptions _options;

    /// <summary>Creates a clusterer with the given settings (defaults when null).</summary>
    public CaseClusterer(CaseClustererOptions? options = null)
    {
        _options = options ?? new CaseClustererOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.Neighbours, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MinClusterSize, 2);
    }

    /// <summary>Clusters the items; ids continue those of <paramref name="previous"/> clusters they overlap.</summary>
    public ClusteringResult Cluster(IReadOnlyList<ClusteringItem> items, IReadOnlyList<PreviousCluster>? previous = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        var duplicate = items.GroupBy(i => i.CaseId, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Case id '{duplicate.Key}' appears more than once.", nameof(items));
        }

        var vectors = new VectorSet(items.Select(i => i.Embedding).ToList());
        int[] labels = Partition(vectors, items, out bool approximate, out NeighbourLists? lists, out string[][] specifics, out double resolution);

        var groups = new Dictionary<int, List<int>>();
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] < 0)
            {
                continue;
            }

            if (!groups.TryGetValue(labels[i], out var members))
            {
                groups[labels[i]] = members = [];
            }

            members.Add(i);
        }

        var kept = groups.Values
            .Where(g => g.Count >= _options.MinClusterSize)
            .OrderByDescending(g => g.Count).ThenBy(g => g[0])
            .ToList();
        if (_options.AttachSimilarity is { } floor && lists is not null)
        {
            Attach(kept, lists, specifics, floor);
        }

        var clustered = new bool[items.Count];
        var drafts = new List<(List<ClusterMember> Members, double Cohesion)>();
        foreach (var group in kept)
        {
            float[] centre = Centre(vectors, group);
            var members = group
                .Select(i => new ClusterMember(items[i].CaseId, Math.Round(TensorPrimitives.Dot(vectors[i], centre), 4)))
                .OrderByDescending(m => m.Similarity).ThenBy(m => m.CaseId, StringComparer.Ordinal)
                .ToList();
            drafts.Add((members, members.Average(m => m.Similarity)));
            foreach (int i in group)
            {
                clustered[i] = true;
            }
        }

        var identities = ClusterIdentity.Assign(
            drafts.Select(d => (IReadOnlyCollection<string>)d.Members.Select(m => m.CaseId).ToList()).ToList(),
            previous ?? [],
            _options.IdentityOverlap);

        var clusters = drafts.Select((d, index) => new CaseCluster
        {
            Id = identities.Ids[index],
            ContinuesClusterId = identities.Continued[index],
            Members = d.Members,
            Cohesion = Math.Round(d.Cohesion, 4),
        }).ToList();

        return new ClusteringResult
        {
            Clusters = clusters,
            Unclustered = items.Where((_, i) => !clustered[i]).Select(i => i.CaseId).ToList(),
            RetiredClusterIds = identities.Retired,
            ApproximateNeighbours = approximate,
            Resolution = resolution,
        };
    }

    /// <summary>Community label per item; -1 for items with no link at all.</summary>
    private int[] Partition(VectorSet vectors, IReadOnlyList<ClusteringItem> items, out bool approximate, out NeighbourLists? lists, out string[][] specifics, out double resolution)
    {
        int n = vectors.Count;
        resolution = _options.Resolution;
        approximate = n > _options.ExactSearchLimit;
        specifics = [];
        lists = null;
        if (n < 2)
        {
            return Enumerable.Repeat(-1, n).ToArray();
        }

        IReadOnlyList<double>? candidates = _options.ResolutionCandidates is { Count: > 0 } given ? given : null;
        bool choose = candidates is not null;

        // Choosing by stability needs each subsample's own neighbours (leaving cases out changes who is a mutual
        // neighbour: the perturbation a granularity must survive). The first k kept ones of a 2k list are what a
        // search of the subsample would find, so one wider search serves them all.
        NeighbourLists wide = NeighbourSearch.Find(vectors, choose ? 2 * _options.Neighbours : _options.Neighbours, _options.ExactSearchLimit, _options.Probes, _options.Seed);
        lists = choose ? wide.First(_options.Neighbours) : wide;
        specifics = items.Select(i => i.Specifics.Count == 0 ? [] : i.Specifics.Order(StringComparer.Ordinal).ToArray()).ToArray();

        var edges = Edges(lists, specifics, out bool[] linked);

        // Modularity's null model is the whole graph: in a graph of a dozen cases a resolution of 2 makes
        // even an isolated, strongly linked pair not worth merging (gain w(1 - resolution/2) = 0). The
        // resolution therefore ramps from 1 (plain modularity) to the configured value over the first
        // ResolutionRampCases cases; the tuned value applies from there on.
        int[] labels;
        if (candidates is not null)
        {
            string[][] allSpecifics = specifics;
            var choice = ResolutionChoice.Choose(
                n,
                edges,
                kept => Edges(wide.Restrict(kept, _options.Neighbours), kept.Select(i => allSpecifics[i]).ToArray(), out _),
                candidates,
                r => Ramped(r, n),
                _options.MinClusterSize,
                _options.StabilitySamples,
                _options.StabilitySampleShare,
                _options.Seed);
            resolution = choice.Resolution;
            labels = choice.Labels;
        }
        else
        {
            labels = CommunityDetection.Louvain(n, edges, Ramped(resolution, n));
        }

        for (int i = 0; i < n; i++)
        {
            if (!linked[i])
            {
                labels[i] = -1;
            }
        }

        return labels;
    }

    // Mutual-neighbour links whose similarity (cosine plus the specifics bonus) reaches MinSimilarity.
    private List<CommunityDetection.Edge> Edges(NeighbourLists lists, string[][] specifics, out bool[] linked)
    {
        int n = lists.Count;
        var edges = new List<CommunityDetection.Edge>();
        linked = new bool[n];
        int k = lists.K;
        for (int i = 0; i < n; i++)
        {
            for (int slot = 0; slot < k; slot++)
            {
                int j = lists.Indices[(i * k) + slot];
                if (j < 0)
                {
                    break;
                }

                bool mutual = IsNeighbour(lists, j, i);

                // Each undirected pair once: from the lower index when mutual, else from whoever listed it.
                if ((mutual && j < i) || (!mutual && _options.MutualNeighboursOnly))
                {
                    continue;
                }

                double weight = lists.Similarities[(i * k) + slot] + (_options.SpecificsWeight * Jaccard(specifics[i], specifics[j]));
                if (weight < _options.MinSimilarity)
                {
                    continue;
                }

                edges.Add(new CommunityDetection.Edge(i, j, weight));
                linked[i] = linked[j] = true;
            }
        }

        return edges;
    }

    private static double Ramped(double resolution, int caseCount) =>
        1 + ((resolution - 1) * Math.Min(1.0, caseCount / (double)ResolutionRampCases));

    /// <summary>
    /// Puts each case outside the kept clusters into the cluster of its most similar listed neighbour that is in
    /// one, when the link reaches <paramref name="floor"/>. Only the original members are candidates, so
    /// attachment never chains from one attached case to the next.
    /// </summary>
    private void Attach(List<List<int>> kept, NeighbourLists lists, string[][] specifics, double floor)
    {
        int[] clusterOf = new int[lists.Count];
        Array.Fill(clusterOf, -1);
        for (int c = 0; c < kept.Count; c++)
        {
            foreach (int i in kept[c])
            {
                clusterOf[i] = c;
            }
        }

        int k = lists.K;
        var joins = new List<(int Item, int Cluster)>();
        for (int i = 0; i < lists.Count; i++)
        {
            if (clusterOf[i] >= 0)
            {
                continue;
            }

            for (int slot = 0; slot < k; slot++)
            {
                int j = lists.Indices[(i * k) + slot];
                if (j < 0)
                {
                    break;
                }

                if (clusterOf[j] < 0)
                {
                    continue;
                }

                double weight = lists.Similarities[(i * k) + slot] + (_options.SpecificsWeight * Jaccard(specifics[i], specifics[j]));
                if (weight >= floor)
                {
                    joins.Add((i, clusterOf[j]));
                }

                break;
            }
        }

        foreach ((int item, int cluster) in joins)
        {
            kept[cluster].Add(item);
        }
    }

    private static bool IsNeighbour(NeighbourLists lists, int of, int candidate)
    {
        int start = of * lists.K;
        for (int slot = 0; slot < lists.K; slot++)
        {
            if (lists.Indices[start + slot] == candidate)
            {
                return true;
            }
        }

        return false;
    }

    private static double Jaccard(string[] a, string[] b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return 0;
        }

        int shared = 0;
        int x = 0;
        int y = 0;
        while (x < a.Length && y < b.Length)
        {
            int order = string.CompareOrdinal(a[x], b[y]);
            if (order == 0)
            {
                shared++;
                x++;
                y++;
            }
            else if (order < 0)
            {
                x++;
            }
            else
            {
                y++;
            }
        }

        return (double)shared / (a.Length + b.Length - shared);
    }

    internal static float[] Centre(VectorSet vectors, IReadOnlyList<int> members)
    {
        float[] centre = new float[vectors.Dimensions];
        foreach (int i in members)
        {
            TensorPrimitives.Add(centre, vectors[i], centre);
        }

        float norm = TensorPrimitives.Norm(centre);
        if (norm > 0)
        {
            TensorPrimitives.Divide(centre, norm, centre);
        }

        return centre;
    }
}
