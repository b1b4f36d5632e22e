using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Cases;
using TicketOps.Core.Storage;

namespace TicketOps.Core.Matching;

/// <summary>
/// Keeps the match indexes in step with the database after cases change: resolved cases are (re)indexed,
/// cases that are no longer resolved (reopened) leave the indexes.
/// </summary>
public static class CaseIndexSync
{
    private const int LoadChunk = 1_000;

    /// <summary>Brings the given cases' entries up to date; returns how many were indexed and removed.</summary>
    /// <param name="db">The database.</param>
    /// <param name="matcher">The matcher.</param>
    /// <param name="caseIds">The cases that changed.</param>
    /// <param name="progress">Cases indexed so far.</param>
    /// <param name="timing">When vectors the database does not hold yet are computed (see <see cref="VectorTiming"/>).</param>
    /// <param name="cancellationToken">Cancels.</param>
    public static async Task<(int Indexed, int Removed)> UpdateAsync(
        TicketOpsDbContext db, TicketMatcher matcher, IReadOnlyCollection<long> caseIds, IProgress<int>? progress = null, VectorTiming timing = VectorTiming.Now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(matcher);
        ArgumentNullException.ThrowIfNull(caseIds);
        var removed = new List<string>();
        int indexed = await matcher.IndexManyAsync(Resolved(db, caseIds, removed, cancellationToken), progress, timing, cancellationToken);
        if (removed.Count > 0)
        {
            await matcher.RemoveAsync(removed, cancellationToken);
        }

        return (indexed, removed.Count);
    }

    private static async IAsyncEnumerable<MatchDocument> Resolved(
        TicketOpsDbContext db, IReadOnlyCollection<long> caseIds, List<string> removed,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (long[] chunk in caseIds.Chunk(LoadChunk))
        {
            List<SupportCase> cases = await db.Cases.AsNoTracking().Where(c => chunk.Contains(c.Id)).ToListAsync(cancellationToken);
            foreach (SupportCase supportCase in cases)
            {
                if (supportCase.ResolvedAt is null)
                {
                    removed.Add(MatchDocument.CaseId(supportCase));
                }
                else
                {
                    yield return MatchDocument.FromCase(supportCase);
                }
            }
        }
    }
}
