using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Cases;
using TicketOps.Core.Storage;

namespace TicketOps.Core.Matching;

/// <summary>Which stored cases the matcher should know about.</summary>
public static class CaseDocuments
{
    /// <summary>
    /// The resolved cases of the database as match documents, oldest first, streamed (no full load):
    /// the input of <see cref="TicketMatcher.RebuildAsync"/>. Open cases are left out: they have no
    /// resolution to offer yet.
    /// </summary>
    public static async IAsyncEnumerable<MatchDocument> ResolvedCasesAsync(
        TicketOpsDbContext database,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        IAsyncEnumerable<SupportCase> cases = database.Cases
            .AsNoTracking()
            .Where(c => c.ResolvedAt != null)
            .OrderBy(c => c.CreatedAt)
            .AsAsyncEnumerable();
        await foreach (SupportCase supportCase in cases.WithCancellation(cancellationToken))
        {
            yield return MatchDocument.FromCase(supportCase);
        }
    }
}
