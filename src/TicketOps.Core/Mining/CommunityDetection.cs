namespace TicketOps.Core.Mining;

/// <summary>
/// Louvain modularity optimisation on a weighted undirected graph: local moving of single nodes, then
/// aggregation of the communities into nodes, repeated until nothing moves. Nodes are visited in index order
/// and ties keep the current community (or take the lower id), so the same graph gives the same partition.
/// Disconnected parts are never merged, which is what leaves one-off cases on their own.
/// </summary>
internal static class CommunityDetection
{
    public readonly record struct Edge(int A, int B, double Weight);

    public static int[] Louvain(int nodeCount, IReadOnlyList<Edge> edges, double resolution, int maxLevels = 20)
    {
        int[] membership = Enumerable.Range(0, nodeCount).ToArray();
        var graph = Graph.From(nodeCount, edges, new double[nodeCount]);
        for (int level = 0; level < maxLevels; level++)
        {
            int[] community = MoveNodes(graph, resolution, out bool moved);
            if (!moved)
            {
                break;
            }

            int communityCount = Renumber(community);
            for (int i = 0; i < nodeCount; i++)
            {
                membership[i] = community[membership[i]];
            }

            graph = graph.Aggregate(community, communityCount);
        }

        Renumber(membership);
        return membership;
    }

    private static int[] MoveNodes(Graph graph, double resolution, out bool movedAny)
    {
        int n = graph.NodeCount;
        int[] community = Enumerable.Range(0, n).ToArray();
        double[] total = (double[])graph.Degree.Clone();
        double twoM = graph.TotalWeight;
        movedAny = false;
        if (twoM <= 0)
        {
            return community;
        }

        double[] weightTo = new double[n];
        var touched = new List<int>();
        for (int pass = 0; pass < 50; pass++)
        {
            int moves = 0;
            for (int i = 0; i < n; i++)
            {
                int current = community[i];
                double degree = graph.Degree[i];
                touched.Clear();
                for (int e = graph.Offsets[i]; e < graph.Offsets[i + 1]; e++)
                {
                    int c = community[graph.Targets[e]];
                    if (weightTo[c] == 0)
                    {
                        touched.Add(c);
                    }

                    weightTo[c] += graph.Weights[e];
                }

                total[current] -= degree;
                int best = current;
                double bestGain = weightTo[current] - (resolution * total[current] * degree / twoM);
                foreach (int c in touched)
                {
                    double gain = weightTo[c] - (resolution * total[c] * degree / twoM);
                    if (gain > bestGain + 1e-12 || (Math.Abs(gain - bestGain) <= 1e-12 && c < best && best != current))
                    {
                        bestGain = gain;
                        best = c;
                    }
                }

                total[best] += degree;
                foreach (int c in touched)
                {
                    weightTo[c] = 0;
                }

                if (best != current)
                {
                    community[i] = best;
                    moves++;
                    movedAny = true;
                }
            }

            if (moves == 0)
            {
                break;
            }
        }

        return community;
    }

    /// <summary>Renumbers labels 0..C-1 in order of first appearance; returns C.</summary>
    private static int Renumber(int[] labels)
    {
        var map = new Dictionary<int, int>();
        for (int i = 0; i < labels.Length; i++)
        {
            if (!map.TryGetValue(labels[i], out int id))
            {
                id = map.Count;
                map[labels[i]] = id;
            }

            labels[i] = id;
        }

        return map.Count;
    }

    private sealed class Graph
    {
        public required int NodeCount { get; init; }

        public required int[] Offsets { get; init; }

        public required int[] Targets { get; init; }

        public required double[] Weights { get; init; }

        /// <summary>Weighted degree, self-loops counted twice (the modularity convention).</summary>
        public required double[] Degree { get; init; }

        public required double[] SelfLoops { get; init; }

        public double TotalWeight { get; private init; }

        public static Graph From(int n, IReadOnlyList<Edge> edges, double[] selfLoops)
        {
            int[] counts = new int[n + 1];
            foreach (Edge edge in edges)
            {
                counts[edge.A + 1]++;
                counts[edge.B + 1]++;
            }

            for (int i = 0; i < n; i++)
            {
                counts[i + 1] += counts[i];
            }

            int[] targets = new int[counts[n]];
            double[] weights = new double[counts[n]];
            int[] fill = (int[])counts.Clone();
            double[] degree = new double[n];
            foreach (Edge edge in edges)
            {
                targets[fill[edge.A]] = edge.B;
                weights[fill[edge.A]++] = edge.Weight;
                targets[fill[edge.B]] = edge.A;
                weights[fill[edge.B]++] = edge.Weight;
                degree[edge.A] += edge.Weight;
                degree[edge.B] += edge.Weight;
            }

            double total = 0;
            for (int i = 0; i < n; i++)
            {
                degree[i] += 2 * selfLoops[i];
                total += degree[i];
            }

            return new Graph
            {
                NodeCount = n,
                Offsets = counts,
                Targets = targets,
                Weights = weights,
                Degree = degree,
                SelfLoops = selfLoops,
                TotalWeight = total,
            };
        }

        public Graph Aggregate(int[] community, int communityCount)
        {
            double[] selfLoops = new double[communityCount];
            var between = new Dictionary<(int, int), double>();
            for (int i = 0; i < NodeCount; i++)
            {
                selfLoops[community[i]] += SelfLoops[i];
                for (int e = Offsets[i]; e < Offsets[i + 1]; e++)
                {
                    int j = Targets[e];
                    if (j < i)
                    {
                        continue; // each undirected edge once
                    }

                    int a = community[i];
                    int b = community[j];
                    if (a == b)
                    {
                        selfLoops[a] += Weights[e];
                    }
                    else
                    {
                        var key = a < b ? (a, b) : (b, a);
                        between[key] = between.GetValueOrDefault(key) + Weights[e];
                    }
                }
            }

            var edges = between
                .OrderBy(p => p.Key.Item1).ThenBy(p => p.Key.Item2)
                .Select(p => new Edge(p.Key.Item1, p.Key.Item2, p.Value))
                .ToList();
            return From(communityCount, edges, selfLoops);
        }
    }
}
