using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Cases;
using TicketOps.Core.Mining;
using TicketOps.Core.Storage;

namespace TicketOps.Core.Themes;

/// <summary>Themes from the clusters the last mining run stored: what leads see.</summary>
public static class ThemeReport
{
    /// <summary>Tracks every active (not retired) mined cluster over time up to <paramref name="asOf"/>.</summary>
    public static async Task<IReadOnlyList<Theme>> BuildAsync(TicketOpsDbContext db, ThemeTrackerOptions options, DateTime asOf, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        List<MinedCluster> stored = await db.Set<MinedCluster>().AsNoTracking()
            .Where(c => c.RetiredAt == null)
            .ToListAsync(cancellationToken);
        var clusters = stored
            .Select(c => new CaseCluster { Id = c.Id, Members = [.. c.MemberCaseIds.Concat(c.OpenCaseIds).Select(id => new ClusterMember(id, 0))], Cohesion = c.Cohesion })
            .ToList();
        var labels = stored.ToDictionary(c => c.Id, c => c.Label, StringComparer.Ordinal);
        var memberIds = stored.SelectMany(c => c.MemberCaseIds.Concat(c.OpenCaseIds))
            .Select(id => long.TryParse(id, out long value) ? value : -1)
            .Where(id => id > 0)
            .ToHashSet();
        var cases = new List<ThemeCase>(memberIds.Count);
        foreach (long[] chunk in memberIds.Chunk(2_000))
        {
            cases.AddRange(await db.Set<SupportCase>().AsNoTracking()
                .Where(c => chunk.Contains(c.Id))
                .Select(c => new ThemeCase(c.Id.ToString(), c.Title, c.CreatedAt, c.EngineeringInvolved, c.Product, c.ResolvedAt == null,
                    c.ExternalId, c.Title + "\n" + c.Description, c.Version, c.Customer))
                .ToListAsync(cancellationToken));
        }

        return new ThemeTracker(options).Track(clusters, labels, cases, asOf);
    }
}
