using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Storage;

namespace TicketOps.Core.Cases;

/// <summary>How many cases a product area has and how they went: the summary after an import.</summary>
/// <param name="Product">Product area (<c>(none)</c> when the source gave none); <c>all</c> for the total row.</param>
/// <param name="Cases">Cases stored.</param>
/// <param name="Resolved">Cases with a resolution time.</param>
/// <param name="Open">Cases without one.</param>
/// <param name="Escalated">Cases engineering was involved in.</param>
/// <param name="ReturnedForContext">Escalations returned to support for missing context.</param>
/// <param name="MedianHoursToFirstEvidence">Median hours from assignment to first evidence over resolved cases that have both; null when none do.</param>
public sealed record CaseVolume(string Product, int Cases, int Resolved, int Open, int Escalated, int ReturnedForContext, double? MedianHoursToFirstEvidence)
{
    /// <summary>One row per product area, largest first, then an <c>all</c> row.</summary>
    public static async Task<IReadOnlyList<CaseVolume>> ByProductAsync(TicketOpsDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var cases = await db.Cases.AsNoTracking()
            .Select(c => new { c.Product, c.ResolvedAt, c.EngineeringInvolved, c.EscalationReturnedForMissingContext, c.AssignedAt, c.FirstEvidenceAt })
            .ToListAsync(cancellationToken);

        var rows = cases
            .GroupBy(c => c.Product ?? "(none)")
            .Select(g => Row(g.Key, [.. g.Select(c => (c.ResolvedAt, c.EngineeringInvolved, c.EscalationReturnedForMissingContext, c.AssignedAt, c.FirstEvidenceAt))]))
            .OrderByDescending(r => r.Cases)
            .ThenBy(r => r.Product, StringComparer.Ordinal)
            .ToList();
        if (cases.Count > 0)
        {
            rows.Add(Row("all", [.. cases.Select(c => (c.ResolvedAt, c.EngineeringInvolved, c.EscalationReturnedForMissingContext, c.AssignedAt, c.FirstEvidenceAt))]));
        }

        return rows;
    }

    private static CaseVolume Row(string product, List<(DateTime? ResolvedAt, bool Escalated, bool Returned, DateTime? AssignedAt, DateTime? FirstEvidenceAt)> cases)
    {
        double[] hours = [.. cases
            .Where(c => c.ResolvedAt is not null && c.AssignedAt is not null && c.FirstEvidenceAt is not null)
            .Select(c => (c.FirstEvidenceAt!.Value - c.AssignedAt!.Value).TotalHours)
            .Order()];
        double? median = hours.Length == 0 ? null
            : hours.Length % 2 == 1 ? hours[hours.Length / 2]
            : (hours[(hours.Length / 2) - 1] + hours[hours.Length / 2]) / 2;
        int resolved = cases.Count(c => c.ResolvedAt is not null);
        return new CaseVolume(product, cases.Count, resolved, cases.Count - resolved, cases.Count(c => c.Escalated), cases.Count(c => c.Returned), median);
    }
}
