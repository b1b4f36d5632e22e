namespace TicketOps.Core.Cases;

/// <summary>
/// A support ticket as TicketOps keeps it: the customer's words, the environment, the timestamps the
/// operations metrics are computed from, what was checked, what caused it and what fixed it.
/// Identity for upserts is (<see cref="Source"/>, <see cref="ExternalId"/>).
/// </summary>
public sealed class SupportCase
{
    /// <summary>Database key.</summary>
    public long Id { get; set; }

    /// <summary>Where the case came from, e.g. <c>zendesk</c>, <c>jira</c>, <c>csv</c>, <c>demo</c>.</summary>
    public required string Source { get; set; }

    /// <summary>The ticket's id in its source system.</summary>
    public required string ExternalId { get; set; }

    /// <summary>Title or subject in the customer's words (personal data redacted).</summary>
    public required string Title { get; set; }

    /// <summary>Description in the customer's words (personal data redacted).</summary>
    public string Description { get; set; } = "";

    /// <summary>Product area, e.g. <c>SSO</c> or <c>Billing</c>.</summary>
    public string? Product { get; set; }

    /// <summary>Component within the product area.</summary>
    public string? Component { get; set; }

    /// <summary>Product version the customer runs.</summary>
    public string? Version { get; set; }

    /// <summary>Platform, e.g. <c>Windows</c>, <c>iOS</c>, <c>Chrome</c>.</summary>
    public string? Platform { get; set; }

    /// <summary>Support team that owned the case.</summary>
    public string? Team { get; set; }

    /// <summary>
    /// The customer (organisation or account) the case came from, as the source identifies it (e.g. a
    /// Zendesk organization id); never a person's name. Counts "customers affected" in themes and incidents.
    /// </summary>
    public string? Customer { get; set; }

    /// <summary>
    /// The incident or problem ticket the case was linked to in the source system (Zendesk <c>problem_id</c>,
    /// a Jira incident link); null when it was worked alone.
    /// </summary>
    public string? IncidentId { get; set; }

    /// <summary>Who owned the case over time (team and tier), oldest first; empty when the source gave no history.</summary>
    public List<CaseHandoff> Handoffs { get; set; } = [];

    /// <summary>Lifecycle state as reported by the source system.</summary>
    public CaseStatus Status { get; set; }

    /// <summary>
    /// Whether the case is a technical one (the operations metrics count only technical cases;
    /// "how do I change my invoice address" is not).
    /// </summary>
    public bool IsTechnical { get; set; } = true;

    /// <summary>When the customer opened the case (UTC).</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>When an agent was assigned (UTC).</summary>
    public DateTime? AssignedAt { get; set; }

    /// <summary>When the first piece of evidence (log, trace, repro) was recorded (UTC).</summary>
    public DateTime? FirstEvidenceAt { get; set; }

    /// <summary>When the case was escalated to engineering (UTC); null when it never was.</summary>
    public DateTime? EscalatedAt { get; set; }

    /// <summary>When the case was resolved (UTC); null while open.</summary>
    public DateTime? ResolvedAt { get; set; }

    /// <summary>What was checked, in the order it was checked.</summary>
    public List<string> EvidenceSteps { get; set; } = [];

    /// <summary>The cause as recorded when the case was solved.</summary>
    public string? Cause { get; set; }

    /// <summary>What fixed it.</summary>
    public string? Resolution { get; set; }

    /// <summary>Whether engineering was involved (an escalation, a bug, a code change).</summary>
    public bool EngineeringInvolved { get; set; }

    /// <summary>Whether an escalation came back to support because context or evidence was missing.</summary>
    public bool EscalationReturnedForMissingContext { get; set; }

    /// <summary>What the receiving team asked for when it returned the escalation (missing evidence, unclear ownership); empty when nothing was recorded.</summary>
    public List<EscalationAsk> EscalationAsks { get; set; } = [];

    /// <summary>Ids of knowledge (playbooks, templates, articles) the source system says were linked.</summary>
    public List<string> LinkedKnowledgeIds { get; set; } = [];

    /// <summary>Conversation after the description (redacted), oldest first.</summary>
    public List<CaseComment> Comments { get; set; } = [];

    /// <summary>Free-form tags from the source system.</summary>
    public List<string> Tags { get; set; } = [];

    /// <summary>Fingerprint of the imported content: equal hash means a re-import changes nothing.</summary>
    public string ContentHash { get; set; } = "";

    /// <summary>
    /// When the source system last changed the ticket (UTC; its <c>updated_at</c>), null when the source did not say.
    /// Orders versions of the same ticket: an import never replaces a newer version with an older one.
    /// </summary>
    public DateTime? SourceUpdatedAt { get; set; }

    /// <summary>When TicketOps first stored the case (UTC).</summary>
    public DateTime ImportedAt { get; set; }

    /// <summary>When TicketOps last changed the case because its source changed (UTC).</summary>
    public DateTime UpdatedAt { get; set; }

    /// <summary>True once the case has a resolution time.</summary>
    public bool IsResolved => ResolvedAt is not null;

    /// <summary>The text an agent would paste: title and description.</summary>
    public string TicketText => string.IsNullOrWhiteSpace(Description) ? Title : Title + "\n" + Description;
}

/// <summary>A comment on a case, after the description.</summary>
public sealed class CaseComment
{
    /// <summary>Who wrote it: <c>customer</c>, <c>agent</c> or <c>engineering</c> (never a name).</summary>
    public string Author { get; set; } = "agent";

    /// <summary>Whether the customer could see it.</summary>
    public bool Public { get; set; } = true;

    /// <summary>When it was written (UTC).</summary>
    public DateTime? CreatedAt { get; set; }

    /// <summary>The comment text (redacted).</summary>
    public string Body { get; set; } = "";
}

/// <summary>Where a case is in its lifecycle.</summary>
public enum CaseStatus
{
    /// <summary>Open, not yet worked.</summary>
    New = 0,

    /// <summary>Being worked or waiting.</summary>
    Open = 1,

    /// <summary>Solved; may still reopen.</summary>
    Resolved = 2,

    /// <summary>Closed for good.</summary>
    Closed = 3,
}
