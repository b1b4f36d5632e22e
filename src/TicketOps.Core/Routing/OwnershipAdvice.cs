using TicketOps.Core.Cases;
using TicketOps.Core.Themes;

namespace TicketOps.Core.Routing;

/// <summary>
/// Where a ticket most likely belongs — frontline, L2, engineering or incident handling — and the evidence
/// behind it, or an honest "not enough evidence" (<see cref="Depth"/> null) when the similar cases are few
/// or disagree.
/// </summary>
public sealed record OwnershipAdvice
{
    /// <summary>The advised depth; null when there is not enough evidence to advise.</summary>
    public OwnershipDepth? Depth { get; init; }

    /// <summary>One line a person reads: why this depth, or why no advice.</summary>
    public required string Reason { get; init; }

    /// <summary>Share of the similar cases' (score-weighted) votes for <see cref="Depth"/> or, without advice, for the leading depth; null without cases.</summary>
    public double? Agreement { get; init; }

    /// <summary>How many similar resolved cases ended at each depth, deepest first; depths without cases left out.</summary>
    public required IReadOnlyList<DepthVotes> Votes { get; init; }

    /// <summary>The similar resolved cases the advice rests on, most similar first.</summary>
    public required IReadOnlyList<AdviceCase> Cases { get; init; }

    /// <summary>The escalation criteria of the matching playbook's investigation template ("When to escalate"), when there is one.</summary>
    public string? EscalateWhen { get; init; }

    /// <summary>The template the criteria come from.</summary>
    public string? CriteriaFrom { get; init; }

    /// <summary>A burst of recent cases quoting the ticket's identifier: the pattern is surging now (the incident rule).</summary>
    public IncidentSignal? Surge { get; init; }
}

/// <summary>Similar cases that ended at one depth.</summary>
/// <param name="Depth">The depth.</param>
/// <param name="Cases">How many.</param>
public sealed record DepthVotes(OwnershipDepth Depth, int Cases);

/// <summary>A similar resolved case behind an advice.</summary>
/// <param name="CaseId">The ticket's id in its source system.</param>
/// <param name="Title">Its title.</param>
/// <param name="FinalDepth">Where it was finally solved (<see cref="OwnershipDepths.FinalDepth(SupportCase)"/>).</param>
/// <param name="Score">Its match score.</param>
/// <param name="OwnerChanges">How many times its owner changed (two or more is a bounce).</param>
public sealed record AdviceCase(string CaseId, string Title, OwnershipDepth FinalDepth, double Score, int OwnerChanges);
