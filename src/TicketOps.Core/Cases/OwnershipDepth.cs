namespace TicketOps.Core.Cases;

/// <summary>
/// How deep in the support organisation a case belongs: the queue-design question "who should own this?".
/// Ordered from shallow to deep; a case that needed engineering also passed through support.
/// </summary>
public enum OwnershipDepth
{
    /// <summary>Frontline (L1, tier 1): solved with known answers and playbooks.</summary>
    Frontline = 0,

    /// <summary>Second line (L2, tier 2): needs deeper investigation by support specialists.</summary>
    L2 = 1,

    /// <summary>Engineering: a defect or a change only engineering can make (an escalation).</summary>
    Engineering = 2,

    /// <summary>Incident handling: one problem hitting many customers at once, worked as one incident.</summary>
    Incident = 3,
}

/// <summary>
/// One change of ownership of a case: the team (and so the tier) it moved to, and when. A case's
/// <see cref="SupportCase.Handoffs"/> list these oldest first, starting with the first team that owned it.
/// </summary>
public sealed record CaseHandoff
{
    /// <summary>When the case moved (UTC).</summary>
    public DateTime At { get; init; }

    /// <summary>The team (Zendesk group, Jira assignment group) that owned the case from then on.</summary>
    public required string Team { get; init; }

    /// <summary>The depth of that team; null when the source gave none and the team's name does not say (<see cref="OwnershipDepths.OfTeam"/>).</summary>
    public OwnershipDepth? Depth { get; init; }
}

/// <summary>
/// The ownership rules every report and the advice share (docs/queue-and-feedback.md defines them):
/// which depth a team name stands for, where a case was finally solved, and how often its owner changed.
/// </summary>
public static class OwnershipDepths
{
    /// <summary>The lower-case names used in the CLI, the API and the docs: <c>frontline</c>, <c>l2</c>, <c>engineering</c>, <c>incident</c>.</summary>
    public static string Name(OwnershipDepth depth) => depth.ToString().ToLowerInvariant();

    /// <summary>Parses <see cref="Name"/> (and the common synonyms tier1/l1, tier2, l3/dev) case-insensitively.</summary>
    public static OwnershipDepth? Parse(string? text) => (text ?? "").Trim().ToLowerInvariant().Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal) switch
    {
        "frontline" or "l1" or "tier1" or "t1" => OwnershipDepth.Frontline,
        "l2" or "tier2" or "t2" => OwnershipDepth.L2,
        "engineering" or "l3" or "tier3" or "dev" or "development" => OwnershipDepth.Engineering,
        "incident" => OwnershipDepth.Incident,
        _ => null,
    };

    /// <summary>
    /// The depth a team's name says: <c>Tier 1 EMEA</c>, <c>L1</c>, <c>Frontline</c> → frontline; <c>Tier 2</c>,
    /// <c>L2</c> → L2; names with engineering, development or <c>L3</c> → engineering; names with incident →
    /// incident; anything else (e.g. <c>Billing Desk</c>) → null, which counts as frontline where a depth is needed.
    /// </summary>
    /// <param name="team">The team's name as the ticket system gives it.</param>
    public static OwnershipDepth? OfTeam(string? team)
    {
        string name = (team ?? "").ToLowerInvariant();
        return name.Length == 0 ? null
            : name.Contains("incident", StringComparison.Ordinal) ? OwnershipDepth.Incident
            : name.Contains("engineer", StringComparison.Ordinal) || name.Contains("develop", StringComparison.Ordinal) || Word(name, "l3") || Word(name, "tier 3") ? OwnershipDepth.Engineering
            : Word(name, "l2") || Word(name, "tier 2") || Word(name, "tier2") || name.Contains("second line", StringComparison.Ordinal) ? OwnershipDepth.L2
            : Word(name, "l1") || Word(name, "tier 1") || Word(name, "tier1") || name.Contains("frontline", StringComparison.Ordinal) || name.Contains("first line", StringComparison.Ordinal) ? OwnershipDepth.Frontline
            : null;

        static bool Word(string name, string word)
        {
            int at = name.IndexOf(word, StringComparison.Ordinal);
            return at >= 0 && (at == 0 || !char.IsLetterOrDigit(name[at - 1])) && (at + word.Length == name.Length || !char.IsLetterOrDigit(name[at + word.Length]));
        }
    }

    /// <summary>
    /// Where a case was finally solved: incident when it was linked to an incident, engineering when
    /// engineering was involved, else the depth of its last owning team (L2 or frontline; a team whose name
    /// says no depth counts as frontline). Null while the case is open.
    /// </summary>
    /// <param name="supportCase">The case.</param>
    public static OwnershipDepth? FinalDepth(SupportCase supportCase)
    {
        ArgumentNullException.ThrowIfNull(supportCase);
        return supportCase.ResolvedAt is null ? null : FinalDepth(supportCase.IncidentId, supportCase.EngineeringInvolved, supportCase.Handoffs, supportCase.Team);
    }

    /// <summary>The rule of <see cref="FinalDepth(SupportCase)"/> on the fields it reads.</summary>
    public static OwnershipDepth FinalDepth(string? incidentId, bool engineeringInvolved, IReadOnlyList<CaseHandoff> handoffs, string? team)
    {
        ArgumentNullException.ThrowIfNull(handoffs);
        if (!string.IsNullOrWhiteSpace(incidentId))
        {
            return OwnershipDepth.Incident;
        }

        if (engineeringInvolved)
        {
            return OwnershipDepth.Engineering;
        }

        // The last support team that held the case solved it (an engineering hop that came back is a return, not the solver).
        for (int i = handoffs.Count - 1; i >= 0; i--)
        {
            OwnershipDepth? depth = handoffs[i].Depth ?? OfTeam(handoffs[i].Team);
            if (depth is OwnershipDepth.Frontline or OwnershipDepth.L2)
            {
                return depth.Value;
            }
        }

        return OfTeam(team) is OwnershipDepth.L2 ? OwnershipDepth.L2 : OwnershipDepth.Frontline;
    }

    /// <summary>
    /// How many times the case changed owner: handoffs after the first whose team or depth differs from the
    /// one before. A case with two or more changes bounced (docs/queue-and-feedback.md, "bounce rate").
    /// </summary>
    /// <param name="handoffs">The case's handoffs, oldest first.</param>
    public static int OwnerChanges(IReadOnlyList<CaseHandoff> handoffs)
    {
        ArgumentNullException.ThrowIfNull(handoffs);
        int changes = 0;
        for (int i = 1; i < handoffs.Count; i++)
        {
            CaseHandoff before = handoffs[i - 1];
            CaseHandoff now = handoffs[i];
            bool sameTeam = string.Equals(before.Team.Trim(), now.Team.Trim(), StringComparison.OrdinalIgnoreCase);
            bool sameDepth = (before.Depth ?? OfTeam(before.Team)) == (now.Depth ?? OfTeam(now.Team));
            if (!sameTeam || !sameDepth)
            {
                changes++;
            }
        }

        return changes;
    }
}
