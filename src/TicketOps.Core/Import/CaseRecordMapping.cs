using TicketOps.Core.Cases;

namespace TicketOps.Core.Import;

/// <summary>Turns a validated, redacted <see cref="CaseRecord"/> into the stored <see cref="SupportCase"/>.</summary>
internal static class CaseRecordMapping
{
    public static SupportCase ToCase(CaseRecord record, string source, string hash, DateTime now)
    {
        var supportCase = new SupportCase { Source = source, ExternalId = record.ExternalId!, Title = record.Title!, ImportedAt = now };
        CopyTo(record, supportCase, hash, now);
        return supportCase;
    }

    public static void CopyTo(CaseRecord record, SupportCase target, string hash, DateTime now)
    {
        target.Title = record.Title!;
        target.Description = record.Description ?? "";
        target.Product = record.Product;
        target.Component = record.Component;
        target.Version = record.Version;
        target.Platform = record.Platform;
        target.Team = record.Team;
        target.Customer = record.Customer;
        target.IncidentId = record.IncidentId;
        target.Handoffs = [.. (record.Handoffs ?? [])
            .Where(h => !string.IsNullOrWhiteSpace(h.Team) && h.At is not null)
            .Select(h => new CaseHandoff { At = h.At!.Value, Team = h.Team!.Trim(), Depth = OwnershipDepths.Parse(h.Tier) ?? OwnershipDepths.OfTeam(h.Team) })
            .OrderBy(h => h.At)];
        target.Status = ParseStatus(record.Status, record.ResolvedAt);
        target.IsTechnical = record.Technical ?? true;
        target.CreatedAt = record.CreatedAt!.Value;
        target.AssignedAt = record.AssignedAt;
        target.FirstEvidenceAt = record.FirstEvidenceAt;
        target.EscalatedAt = record.EscalatedAt;
        target.ResolvedAt = record.ResolvedAt;
        target.EvidenceSteps = record.EvidenceSteps ?? [];
        target.Cause = record.Cause;
        target.Resolution = record.Resolution;
        target.EngineeringInvolved = record.EngineeringInvolved ?? record.EscalatedAt is not null;
        target.EscalationReturnedForMissingContext = record.EscalationReturned ?? false;
        target.EscalationAsks = [.. (record.EscalationAsks ?? [])
            .Select(a => (Kind: EscalationAsks.ParseKind(a.Kind), a.Item))
            .Where(a => a.Kind is not null)
            .Select(a => new EscalationAsk { Kind = a.Kind!.Value, Item = a.Item })];
        target.LinkedKnowledgeIds = record.LinkedKnowledge ?? [];
        target.Tags = record.Tags ?? [];
        target.Comments = [.. (record.Comments ?? []).Where(c => !string.IsNullOrWhiteSpace(c.Body)).Select(c => new CaseComment
        {
            Author = c.Author ?? "agent",
            Public = c.Public ?? true,
            CreatedAt = c.CreatedAt,
            Body = c.Body!,
        })];
        // A record that does not say when its source changed keeps the stored time, which still orders later versions.
        target.SourceUpdatedAt = record.UpdatedAt ?? target.SourceUpdatedAt;
        target.ContentHash = hash;
        target.UpdatedAt = now;
    }

    /// <summary>
    /// Ticket systems name their states freely (Zendesk: pending, hold; Jira: In Progress, Done, Patch
    /// Available); an unknown word is not an error, it is read as open or resolved by the resolution time.
    /// </summary>
    public static CaseStatus ParseStatus(string? status, DateTime? resolvedAt)
    {
        string s = (status ?? "").Trim().ToLowerInvariant();
        if (s.Contains("closed", StringComparison.Ordinal))
        {
            return CaseStatus.Closed;
        }

        if (s is "solved" or "resolved" or "done" or "fixed" || s.Contains("resolved", StringComparison.Ordinal))
        {
            return CaseStatus.Resolved;
        }

        if (s is "new" or "to do" or "todo" or "backlog")
        {
            return CaseStatus.New;
        }

        return s.Length == 0 && resolvedAt is not null ? CaseStatus.Resolved : CaseStatus.Open;
    }
}
