using TicketOps.Core.Escalation;

namespace TicketOps.Core.Tests.Escalation;

/// <summary>Drafts for the test template <c>KnowledgeArticles.Template</c> (error code from the audit log; audit log line, SAML response, IdP).</summary>
public static class EscalationPackets
{
    public static EscalationDraft CompleteDraft { get; } = new(
        "The IdP clock drifted ahead of UTC, so assertions are not yet valid; NotBefore in the captured response shows it.",
        "Why does login still fail with a skew of 20 s when 60 s are allowed?",
        "40 users cannot log in; password login works for admins only.",
        ["Error code ERR_SAML_CLOCK_SKEW in the login audit log for user 12", "Audit log line and captured SAML response attached; IdP Okta, version 2024.1"]);
}
