using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Storage;

namespace TicketOps.Core.Knowledge;

/// <summary>
/// An article's usage history as agents recorded it: part of why a match is worth trying (a playbook that
/// helped forty times and failed twice says more than its score).
/// </summary>
/// <param name="Used">Cases linked to it.</param>
/// <param name="Helped">Times an agent said it helped.</param>
/// <param name="DidNotHelp">Times an agent said it did not.</param>
/// <param name="LastUsedAt">When it was last linked to a case (UTC), or null.</param>
public sealed record KnowledgeUsage(int Used, int Helped, int DidNotHelp, DateTime? LastUsedAt)
{
    /// <summary>One line for people: <c>used 12 times, last 2026-10-03; helped 9, did not help 1</c>.</summary>
    public string Summary => Used == 0 && Helped == 0 && DidNotHelp == 0
        ? "not used yet"
        : string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"used {Used} time{(Used == 1 ? "" : "s")}{(LastUsedAt is { } last ? $", last {last:yyyy-MM-dd}" : "")}; helped {Helped}, did not help {DidNotHelp}");

    /// <summary>The usage of each of <paramref name="ids"/> (articles without events get zeros).</summary>
    public static async Task<IReadOnlyDictionary<string, KnowledgeUsage>> OfAsync(TicketOpsDbContext db, IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return new Dictionary<string, KnowledgeUsage>(StringComparer.Ordinal);
        }

        var counts = await db.Set<KnowledgeEvent>().AsNoTracking()
            .Where(e => ids.Contains(e.KnowledgeId))
            .GroupBy(e => new { e.KnowledgeId, e.Kind })
            .Select(g => new { g.Key.KnowledgeId, g.Key.Kind, Count = g.Count(), Last = g.Max(e => e.At) })
            .ToListAsync(cancellationToken);
        return ids.Distinct(StringComparer.Ordinal).ToDictionary(
            id => id,
            id =>
            {
                var of = counts.Where(c => c.KnowledgeId == id).ToList();
                var used = of.Where(c => c.Kind == KnowledgeEventKind.Used).ToList();
                return new KnowledgeUsage(
                    used.Sum(c => c.Count),
                    of.Where(c => c.Kind == KnowledgeEventKind.Helped).Sum(c => c.Count),
                    of.Where(c => c.Kind == KnowledgeEventKind.DidNotHelp).Sum(c => c.Count),
                    used.Count == 0 ? null : used.Max(c => c.Last));
            },
            StringComparer.Ordinal);
    }
}
