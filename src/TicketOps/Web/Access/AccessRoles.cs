namespace TicketOps.Web.Access;

/// <summary>
/// The roles an API key carries. A key has exactly one role; admin may do everything the others may.
/// </summary>
internal static class AccessRoles
{
    public const string Agent = "agent";
    public const string KnowledgeOwner = "knowledge-owner";
    public const string Lead = "lead";
    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } = [Agent, KnowledgeOwner, Lead, Admin];
}

/// <summary>
/// Authorization policies, one per job: endpoints and pages name the job they serve, not a role list.
/// </summary>
internal static class AccessPolicies
{
    /// <summary>Match tickets, record feedback, check escalation packets: agents, knowledge owners, admins.</summary>
    public const string Agent = "agent-work";

    /// <summary>Review queue and knowledge decisions: knowledge owners, admins.</summary>
    public const string KnowledgeOwner = "knowledge-work";

    /// <summary>Themes and metrics: leads, knowledge owners, admins.</summary>
    public const string Lead = "lead-work";

    /// <summary>Receiving cases from a ticket system, keys: admins (integrations use an admin key).</summary>
    public const string Admin = "admin-work";
}
