using TicketOps.Core.Cases;

namespace TicketOps.Core.Tests.Knowledge;

/// <summary>Builder for test cases: everything not given is empty (open, not escalated, no evidence).</summary>
public static class SupportCases
{
    public static SupportCase Case(
        string externalId,
        string created,
        string product = "SSO/Auth",
        string team = "Tier 1 EMEA",
        bool technical = true,
        string? assigned = null,
        string? firstEvidence = null,
        string? escalated = null,
        bool returned = false,
        string? resolved = null,
        params string[] linked) => new()
        {
            Source = "test",
            ExternalId = externalId,
            Title = "Case " + externalId,
            Product = product,
            Team = team,
            IsTechnical = technical,
            CreatedAt = At(created),
            AssignedAt = Maybe(assigned),
            FirstEvidenceAt = Maybe(firstEvidence),
            EscalatedAt = Maybe(escalated),
            EngineeringInvolved = escalated is not null,
            EscalationReturnedForMissingContext = returned,
            ResolvedAt = Maybe(resolved),
            Status = resolved is null ? CaseStatus.Open : CaseStatus.Resolved,
            LinkedKnowledgeIds = [.. linked],
        };

    /// <summary>"2026-03-02 09:00" as UTC.</summary>
    public static DateTime At(string text) =>
        DateTime.SpecifyKind(DateTime.ParseExact(text, text.Length > 10 ? "yyyy-MM-dd HH:mm" : "yyyy-MM-dd", null), DateTimeKind.Utc);

    private static DateTime? Maybe(string? text) => text is null ? null : At(text);
}
