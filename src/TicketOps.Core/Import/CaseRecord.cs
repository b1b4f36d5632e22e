using System.Text.Json.Serialization;

namespace TicketOps.Core.Import;

/// <summary>
/// One case in TicketOps' own interchange format: what every reader (CSV, JSON, JSONL, Zendesk, Jira)
/// produces and what <c>ticketops generate</c> writes, one JSON object a line, snake_case names.
/// Timestamps are UTC. Unknown fields are ignored by the importer.
/// </summary>
public sealed class CaseRecord
{
    /// <summary>The ticket's id in its source system (required).</summary>
    [JsonPropertyName("external_id")] public string? ExternalId { get; set; }

    /// <summary>Source system name; the import's <c>--source</c> wins when set.</summary>
    [JsonPropertyName("source")] public string? Source { get; set; }

    /// <summary>Title or subject (required).</summary>
    [JsonPropertyName("title")] public string? Title { get; set; }

    /// <summary>Description in the customer's words.</summary>
    [JsonPropertyName("description")] public string? Description { get; set; }

    /// <summary>Product area.</summary>
    [JsonPropertyName("product")] public string? Product { get; set; }

    /// <summary>Component.</summary>
    [JsonPropertyName("component")] public string? Component { get; set; }

    /// <summary>Product version.</summary>
    [JsonPropertyName("version")] public string? Version { get; set; }

    /// <summary>Platform.</summary>
    [JsonPropertyName("platform")] public string? Platform { get; set; }

    /// <summary>Owning support team.</summary>
    [JsonPropertyName("team")] public string? Team { get; set; }

    /// <summary>The customer organisation or account id (never a person's name).</summary>
    [JsonPropertyName("customer")] public string? Customer { get; set; }

    /// <summary>The incident or problem ticket this case was linked to.</summary>
    [JsonPropertyName("incident_id")] public string? IncidentId { get; set; }

    /// <summary>Ownership history, oldest first: each team (and optionally tier) the case moved to.</summary>
    [JsonPropertyName("handoffs")] public List<HandoffRecord>? Handoffs { get; set; }

    /// <summary>new, open, pending, hold, solved, resolved, closed (case-insensitive).</summary>
    [JsonPropertyName("status")] public string? Status { get; set; }

    /// <summary>Whether the case is technical; defaults to true.</summary>
    [JsonPropertyName("technical")] public bool? Technical { get; set; }

    /// <summary>Opened (required).</summary>
    [JsonPropertyName("created_at")] public DateTime? CreatedAt { get; set; }

    /// <summary>
    /// When the source system last changed the ticket; orders versions of one ticket (the newer one is kept).
    /// Left out of the JSON when absent, so the content hash of a record without it is what it was before the field existed.
    /// </summary>
    [JsonPropertyName("updated_at")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTime? UpdatedAt { get; set; }

    /// <summary>First assigned to an agent.</summary>
    [JsonPropertyName("assigned_at")] public DateTime? AssignedAt { get; set; }

    /// <summary>First evidence recorded.</summary>
    [JsonPropertyName("first_evidence_at")] public DateTime? FirstEvidenceAt { get; set; }

    /// <summary>Escalated to engineering.</summary>
    [JsonPropertyName("escalated_at")] public DateTime? EscalatedAt { get; set; }

    /// <summary>Resolved.</summary>
    [JsonPropertyName("resolved_at")] public DateTime? ResolvedAt { get; set; }

    /// <summary>What was checked, in order.</summary>
    [JsonPropertyName("evidence_steps")] public List<string>? EvidenceSteps { get; set; }

    /// <summary>Recorded cause.</summary>
    [JsonPropertyName("cause")] public string? Cause { get; set; }

    /// <summary>What fixed it.</summary>
    [JsonPropertyName("resolution")] public string? Resolution { get; set; }

    /// <summary>Engineering was involved; defaults to true when <see cref="EscalatedAt"/> is set.</summary>
    [JsonPropertyName("engineering_involved")] public bool? EngineeringInvolved { get; set; }

    /// <summary>The escalation came back for missing context.</summary>
    [JsonPropertyName("escalation_returned")] public bool? EscalationReturned { get; set; }

    /// <summary>
    /// What the receiving team asked for on the returned escalation: objects <c>{kind, item}</c> with kind
    /// <c>missing_evidence</c> or <c>unclear_ownership</c>; a CSV cell holds <c>kind|item</c> entries separated by <c>;</c>.
    /// </summary>
    [JsonPropertyName("escalation_asks")] public List<EscalationAskRecord>? EscalationAsks { get; set; }

    /// <summary>Knowledge ids linked in the source system.</summary>
    [JsonPropertyName("linked_knowledge")] public List<string>? LinkedKnowledge { get; set; }

    /// <summary>Tags.</summary>
    [JsonPropertyName("tags")] public List<string>? Tags { get; set; }

    /// <summary>Conversation after the description.</summary>
    [JsonPropertyName("comments")] public List<CommentRecord>? Comments { get; set; }

    /// <summary>
    /// Ground-truth issue family of a synthetic case. Written by the generator for evaluation code only:
    /// the importer never stores it, so nothing in the product can peek at the answer.
    /// </summary>
    [JsonPropertyName("_eval_family")] public string? EvalFamily { get; set; }
}

/// <summary>One ask of a returned escalation in the interchange format.</summary>
public sealed class EscalationAskRecord
{
    /// <summary><c>missing_evidence</c> or <c>unclear_ownership</c> (required).</summary>
    [JsonPropertyName("kind")] public string? Kind { get; set; }

    /// <summary>The evidence item asked for (required for <c>missing_evidence</c>), or a note.</summary>
    [JsonPropertyName("item")] public string? Item { get; set; }
}

/// <summary>One ownership change in the interchange format.</summary>
public sealed class HandoffRecord
{
    /// <summary>When the case moved (UTC).</summary>
    [JsonPropertyName("at")] public DateTime? At { get; set; }

    /// <summary>The team it moved to (required).</summary>
    [JsonPropertyName("team")] public string? Team { get; set; }

    /// <summary><c>frontline</c>, <c>l2</c>, <c>engineering</c> or <c>incident</c>; read from the team's name when absent.</summary>
    [JsonPropertyName("tier")] public string? Tier { get; set; }
}

/// <summary>A comment in the interchange format.</summary>
public sealed class CommentRecord
{
    /// <summary><c>customer</c>, <c>agent</c> or <c>engineering</c>.</summary>
    [JsonPropertyName("author")] public string? Author { get; set; }

    /// <summary>Visible to the customer.</summary>
    [JsonPropertyName("public")] public bool? Public { get; set; }

    /// <summary>Written at (UTC).</summary>
    [JsonPropertyName("created_at")] public DateTime? CreatedAt { get; set; }

    /// <summary>Text.</summary>
    [JsonPropertyName("body")] public string? Body { get; set; }
}
