using System.Security.Cryptography;
using System.Text;

namespace TicketOps.Core.Mining;

/// <summary>
/// Keeps cluster ids stable across mining runs: a new cluster inherits the id of the previous cluster whose
/// members it holds most of (at least the required share), one-to-one, largest overlap first. A cluster that
/// inherits nothing gets an id derived from its members, so re-running on the same cases reproduces it.
/// </summary>
internal static class ClusterIdentity
{
    public sealed record Assignment(string[] Ids, string?[] Continued, IReadOnlyList<string> Retired);

    public static Assignment Assign(IReadOnlyList<IReadOnlyCollection<string>> clusters, IReadOnlyList<PreviousCluster> previous, double minimumOverlap)
    {
        var ownerOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int c = 0; c < clusters.Count; c++)
        {
            foreach (string id in clusters[c])
            {
                ownerOf[id] = c;
            }
        }

        var candidates = new List<(int Cluster, int Previous, int Overlap)>();
        for (int p = 0; p < previous.Count; p++)
        {
            var counts = new Dictionary<int, int>();
            foreach (string id in previous[p].CaseIds)
            {
                if (ownerOf.TryGetValue(id, out int c))
                {
                    counts[c] = counts.GetValueOrDefault(c) + 1;
                }
            }

            int needed = (int)Math.Ceiling(minimumOverlap * previous[p].CaseIds.Count);
            candidates.AddRange(counts.Where(kv => kv.Value >= Math.Max(1, needed)).Select(kv => (kv.Key, p, kv.Value)));
        }

        string[] ids = new string[clusters.Count];
        string?[] continued = new string?[clusters.Count];
        bool[] previousTaken = new bool[previous.Count];
        foreach (var (cluster, p, _) in candidates
            .OrderByDescending(x => x.Overlap)
            .ThenBy(x => previous[x.Previous].ClusterId, StringComparer.Ordinal)
            .ThenBy(x => x.Cluster))
        {
            if (ids[cluster] is null && !previousTaken[p])
            {
                ids[cluster] = previous[p].ClusterId;
                continued[cluster] = previous[p].ClusterId;
                previousTaken[p] = true;
            }
        }

        var used = new HashSet<string>(previous.Select(p => p.ClusterId), StringComparer.Ordinal);
        for (int c = 0; c < clusters.Count; c++)
        {
            if (ids[c] is null)
            {
                string id = DerivedId(clusters[c]);
                while (!used.Add(id))
                {
                    id = DerivedId([.. clusters[c], id]);
                }

                ids[c] = id;
            }
        }

        var retired = previous.Where((_, p) => !previousTaken[p]).Select(p => p.ClusterId).ToList();
        return new Assignment(ids, continued, retired);
    }

    private static string DerivedId(IEnumerable<string> members)
    {
        string joined = string.Join('\n', members.Order(StringComparer.Ordinal));
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(joined));
        return "cl-" + Convert.ToHexStringLower(hash.AsSpan(0, 5));
    }
}
