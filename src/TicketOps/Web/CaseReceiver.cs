using System.Text.Json;
using TicketOps.Core.Import;
using TicketOps.Core.Matching;
using TicketOps.Core.Storage;

namespace TicketOps.Web;

/// <summary>What a request that sent cases changed.</summary>
/// <param name="Received">Records in the request.</param>
/// <param name="Inserted">New cases stored.</param>
/// <param name="Updated">Stored cases whose content changed.</param>
/// <param name="Unchanged">Records identical to what was stored.</param>
/// <param name="Stale">Records older (by their source <c>updated_at</c>) than the version stored, not applied.</param>
/// <param name="Indexed">Resolved cases (re)indexed for matching.</param>
/// <param name="RemovedFromIndex">Cases that left the index (no longer resolved).</param>
/// <param name="CaseIds">Database ids of the inserted and updated cases (feedback and outcomes use them).</param>
/// <param name="PendingVectors">Items of the whole index still waiting for their vector (computed in the background; matched by BM25 alone until then).</param>
internal sealed record CasesReceived(int Received, int Inserted, int Updated, int Unchanged, int Stale, int Indexed, int RemovedFromIndex, IReadOnlyList<long> CaseIds, int PendingVectors);

/// <summary>
/// Stores cases sent over HTTP the way <c>ticketops import</c> stores a file (validated together,
/// redacted, one transaction, nothing written if one is invalid) and indexes the resolved ones for BM25 at
/// once; their vectors are computed in the background (a stored vector of the same text is reused at once),
/// so a request never waits for the encoder.
/// </summary>
internal sealed class CaseReceiver(CaseImporter importer, TicketOpsDbContext db, TicketMatcher matcher)
{
    /// <summary>The outcome: the counts, or the per-record field errors keyed <c>field</c> (one record) or <c>cases[i].field</c>.</summary>
    public async Task<(CasesReceived? Received, IDictionary<string, string[]>? Errors)> ReceiveAsync(
        IReadOnlyList<JsonElement> records, ImportFormat format, string origin, bool batch, CancellationToken cancellationToken)
    {
        ImportResult result = await importer.ImportRecordsAsync(records, format, origin, new ImportOptions(), cancellationToken);
        if (!result.Succeeded)
        {
            return (null, ErrorsOf(result, batch));
        }

        (int indexed, int removed) = await CaseIndexSync.UpdateAsync(db, matcher, result.ChangedCaseIds, timing: VectorTiming.Later, cancellationToken: cancellationToken);
        return (new CasesReceived(result.Read, result.Inserted, result.Updated, result.Unchanged, result.Stale, indexed, removed, result.ChangedCaseIds, matcher.PendingVectors), null);
    }

    /// <summary>Brings one case's index entry up to date after its outcome changed.</summary>
    public Task ReindexAsync(long caseId, CancellationToken cancellationToken) =>
        CaseIndexSync.UpdateAsync(db, matcher, [caseId], timing: VectorTiming.Later, cancellationToken: cancellationToken);

    private static Dictionary<string, string[]> ErrorsOf(ImportResult result, bool batch)
    {
        if (result.Problem is { } problem)
        {
            return new Dictionary<string, string[]> { [""] = [problem] };
        }

        return result.Invalid
            .SelectMany(failure => failure.Errors.Select(error => (
                Key: batch ? $"cases[{failure.Location.Record - 1}].{error.Field}" : error.Field,
                Message: error.SourceField is null || error.SourceField == error.Field ? error.Message : $"(from '{error.SourceField}') {error.Message}")))
            .GroupBy(e => e.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray(), StringComparer.Ordinal);
    }
}
