using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Storage;

namespace TicketOps.Core.Cases;

/// <summary>
/// Finds a case by the id agents know: <c>source:external id</c> (e.g. <c>zendesk:48213</c>), or the
/// external id alone when only one source uses it.
/// </summary>
public static class CaseReference
{
    /// <summary>Resolves <paramref name="reference"/> to a case id, or explains why it cannot.</summary>
    /// <param name="db">The database.</param>
    /// <param name="reference">The reference as typed.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    public static async Task<(long? CaseId, string? Problem)> ResolveAsync(TicketOpsDbContext db, string reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        string text = (reference ?? "").Trim();
        if (text.Length == 0)
        {
            return (null, "Name the case by its external id, e.g. DEMO-000123 or demo:DEMO-000123.");
        }

        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0)
        {
            string source = text[..colon];
            string externalId = text[(colon + 1)..];
            long? exact = await db.Cases.Where(c => c.Source == source && c.ExternalId == externalId).Select(c => (long?)c.Id).SingleOrDefaultAsync(cancellationToken);
            if (exact is not null)
            {
                return (exact, null);
            }
        }

        var matches = await db.Cases.Where(c => c.ExternalId == text).Select(c => new { c.Id, c.Source }).Take(5).ToListAsync(cancellationToken);
        return matches.Count switch
        {
            1 => (matches[0].Id, null),
            0 => (null, $"No case '{text}'. Use the ticket's id in its source system, e.g. DEMO-000123, or source:id."),
            _ => (null, $"'{text}' exists in several sources ({string.Join(", ", matches.Select(m => m.Source))}); write it as source:{text}."),
        };
    }
}
