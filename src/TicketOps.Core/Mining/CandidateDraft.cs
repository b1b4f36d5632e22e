namespace TicketOps.Core.Mining;

/// <summary>What the drafter made of a cluster.</summary>
public enum CandidateKind
{
    /// <summary>A new candidate playbook.</summary>
    Playbook = 0,

    /// <summary>A suggestion to update the playbook that already covers the cluster.</summary>
    UpdateSuggestion = 1,

    /// <summary>An investigation template for a class of cases (product area).</summary>
    InvestigationTemplate = 2,

    /// <summary>No draft: too little or too inconsistent material (see the reason).</summary>
    NoDraft = 3,
}

/// <summary>A line of a drafted section and the evidence behind it.</summary>
/// <param name="Text">The line as it would appear in the playbook.</param>
/// <param name="Cases">How many source cases it came from.</param>
/// <param name="Share">Cases / cases considered, 0..1.</param>
public sealed record DraftLine(string Text, int Cases, double Share);

/// <summary>A case a draft was built from, with its similarity to the cluster centre.</summary>
/// <param name="CaseId">Case id.</param>
/// <param name="Title">Case title.</param>
/// <param name="Similarity">Cosine to the cluster centre.</param>
public sealed record SourceCase(string CaseId, string Title, double Similarity);

/// <summary>How well existing knowledge already covers a cluster (from the matcher or any scorer).</summary>
/// <param name="KnowledgeId">The best-matching playbook.</param>
/// <param name="Title">Its title.</param>
/// <param name="Score">Coverage, 0..1 (e.g. the share of the cluster's cases it matches above threshold).</param>
/// <param name="Text">Its body, so the update suggestion can say what the new cases add; may be empty.</param>
public sealed record KnowledgeCoverage(string KnowledgeId, string Title, double Score, string Text);

/// <summary>
/// Scores how well validated knowledge covers a cluster's cases; returns the best covering playbook, or
/// null when nothing matches. Plugged in from the matcher; a fixed table works for tests.
/// </summary>
/// <param name="cluster">The cluster.</param>
/// <param name="cases">Its cases, most central first.</param>
public delegate KnowledgeCoverage? CoverageScorer(CaseCluster cluster, IReadOnlyList<Cases.SupportCase> cases);

/// <summary>
/// A drafted candidate (playbook, update suggestion or investigation template) or the reason there is none.
/// Every list is ordered as it should be read and carries its counts.
/// </summary>
public sealed record CandidateDraft
{
    /// <summary>Kind of draft.</summary>
    public required CandidateKind Kind { get; init; }

    /// <summary>Cluster id (or product-area key for templates).</summary>
    public required string ClusterId { get; init; }

    /// <summary>Title proposed for the knowledge article.</summary>
    public string Title { get; init; } = "";

    /// <summary>Why there is no draft (for <see cref="CandidateKind.NoDraft"/>), or why this kind was chosen.</summary>
    public string? Reason { get; init; }

    /// <summary>Issue / symptoms in the customers' words, from the most central cases.</summary>
    public IReadOnlyList<DraftLine> Issue { get; init; } = [];

    /// <summary>Products, components, versions and platforms seen, most common first.</summary>
    public IReadOnlyList<DraftLine> Environment { get; init; } = [];

    /// <summary>Causes with how often each occurred, most common first.</summary>
    public IReadOnlyList<DraftLine> Causes { get; init; } = [];

    /// <summary>Evidence to gather first: most often taken first, then earliest.</summary>
    public IReadOnlyList<DraftLine> EvidenceSteps { get; init; } = [];

    /// <summary>Resolution steps, most common first.</summary>
    public IReadOnlyList<DraftLine> ResolutionSteps { get; init; } = [];

    /// <summary>When to escalate: what distinguished the escalated cases from the others.</summary>
    public IReadOnlyList<DraftLine> EscalateWhen { get; init; } = [];

    /// <summary>What the escalation packet must contain.</summary>
    public IReadOnlyList<DraftLine> EscalationPacket { get; init; } = [];

    /// <summary>For update suggestions: what the new cases add to the existing playbook.</summary>
    public IReadOnlyList<DraftLine> Additions { get; init; } = [];

    /// <summary>For update suggestions: the playbook to update.</summary>
    public string? TargetKnowledgeId { get; init; }

    /// <summary>For investigation templates: how to frame the case and state the hypothesis.</summary>
    public IReadOnlyList<DraftLine> Framing { get; init; } = [];

    /// <summary>Source cases with their similarity to the cluster centre, most similar first.</summary>
    public IReadOnlyList<SourceCase> SourceCases { get; init; } = [];

    /// <summary>0..1: size, tightness and agreement of the source material (see docs/mining.md).</summary>
    public double Confidence { get; init; }
}
