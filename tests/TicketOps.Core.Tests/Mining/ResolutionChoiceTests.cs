using TicketOps.Core.Mining;
using Edge = TicketOps.Core.Mining.CommunityDetection.Edge;

namespace TicketOps.Core.Tests.Mining;

public class ResolutionChoiceTests
{
    // 30 five-case cliques in a ring, neighbours joined by one link: plain modularity (resolution 1) merges
    // neighbouring cliques in pairs (its resolution limit), and which pairs depends on the sample; a fine
    // resolution keeps every clique, whatever is left out.
    private static List<Edge> RingOfCliques()
    {
        var edges = new List<Edge>();
        const int Cliques = 30, Size = 5;
        for (int c = 0; c < Cliques; c++)
        {
            for (int a = 0; a < Size; a++)
            {
                for (int b = a + 1; b < Size; b++)
                {
                    edges.Add(new Edge((c * Size) + a, (c * Size) + b, 1));
                }
            }

            edges.Add(new Edge((c * Size) + Size - 1, (((c + 1) % Cliques) * Size) % (Cliques * Size), 1));
        }

        return edges;
    }

    // Six separate groups of 30 cases, each with random links (a third of the pairs): a group is one theme
    // with no finer structure, so a fine resolution cuts it differently in each sample.
    private static List<Edge> BroadThemes()
    {
        var random = new Random(3);
        var edges = new List<Edge>();
        const int Groups = 6, Size = 30;
        for (int g = 0; g < Groups; g++)
        {
            for (int a = 0; a < Size; a++)
            {
                for (int b = a + 1; b < Size; b++)
                {
                    if (random.NextDouble() < 1.0 / 3)
                    {
                        edges.Add(new Edge((g * Size) + a, (g * Size) + b, 1));
                    }
                }
            }
        }

        return edges;
    }

    // Both orders: ties go to the earlier candidate, so the same answer from both means one is strictly more stable.
    private static double[] Choose(List<Edge> edges, int nodeCount) =>
        [Choose(edges, nodeCount, [1, 4]), Choose(edges, nodeCount, [4, 1])];

    private static double Choose(List<Edge> edges, int nodeCount, double[] candidates) =>
        ResolutionChoice.Choose(nodeCount, edges, kept => Induced(edges, kept, nodeCount), candidates, r => r, minClusterSize: 3, samples: 12, share: 0.8, seed: 42).Resolution;

    private static List<Edge> Induced(List<Edge> edges, int[] kept, int nodeCount)
    {
        int[] index = Enumerable.Repeat(-1, nodeCount).ToArray();
        for (int i = 0; i < kept.Length; i++)
        {
            index[kept[i]] = i;
        }

        return edges.Where(e => index[e.A] >= 0 && index[e.B] >= 0).Select(e => new Edge(index[e.A], index[e.B], e.Weight)).ToList();
    }

    [Fact]
    public void Picks_the_fine_resolution_when_coarse_communities_are_arbitrary_merges_of_small_groups() =>
        Assert.Equal([4, 4], Choose(RingOfCliques(), 150));

    [Fact]
    public void The_chosen_partition_is_returned_with_small_groups_as_singletons()
    {
        List<Edge> edges = RingOfCliques();
        edges.Add(new Edge(150, 151, 1)); // a pair: below the minimum cluster size of 3
        var choice = ResolutionChoice.Choose(153, edges, kept => Induced(edges, kept, 153), [1, 4], r => r, minClusterSize: 3, samples: 12, share: 0.8, seed: 42);

        Assert.Equal(4, choice.Resolution);
        var clusters = choice.Labels.Take(150).GroupBy(l => l).ToList();
        Assert.Equal(30, clusters.Count);
        Assert.All(clusters, c => Assert.True(c.Key >= 0 && c.Count() == 5));
        Assert.All(choice.Labels.Skip(150), l => Assert.True(l < 0));
        Assert.Equal(3, choice.Labels.Skip(150).Distinct().Count()); // each its own singleton
    }

    [Fact]
    public void Picks_the_coarse_resolution_when_groups_have_no_finer_structure() =>
        Assert.Equal([1, 1], Choose(BroadThemes(), 180));

    [Fact]
    public void Choice_and_clusters_are_the_same_on_every_run()
    {
        var vectors = new VectorBuilder();
        var items = Enumerable.Range(0, 60).Select(i => VectorBuilder.Item($"case-{i}", vectors.Near(i % 6))).ToList();
        var options = new CaseClustererOptions { ResolutionCandidates = [1, 2, 4] };

        ClusteringResult first = new CaseClusterer(options).Cluster(items);
        ClusteringResult second = new CaseClusterer(options).Cluster(items);

        Assert.Contains(first.Resolution, options.ResolutionCandidates);
        Assert.Equal(first.Resolution, second.Resolution);
        Assert.Equal(first.Clusters.Select(c => c.Id), second.Clusters.Select(c => c.Id));
    }
}
