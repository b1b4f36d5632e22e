namespace TicketOps.Core.Synthetic;

/// <summary>How an issue family's volume evolves over the twelve-month demo window.</summary>
public enum FamilyTrend
{
    /// <summary>About the same number of cases every month.</summary>
    Steady,

    /// <summary>Few cases at first, clearly more in the last quarter.</summary>
    Growing,

    /// <summary>Many cases at first, few in the last quarter (fixed or worked around).</summary>
    Fading,

    /// <summary>No cases before <see cref="IssueFamily.StartMonth"/> (usually a release), then many.</summary>
    Sudden,
}

/// <summary>One possible root cause of an issue family, with how often it is the real one.</summary>
/// <param name="Text">The cause as an agent would record it.</param>
/// <param name="Weight">Relative frequency among the family's causes.</param>
public sealed record FamilyCause(string Text, double Weight);

/// <summary>
/// A latent recurring issue of the fictional Cobaltline product: the ground truth behind a group of demo
/// cases. Mining and matching never see it; evaluation compares what they found with these families
/// through <see cref="Import.CaseRecord.EvalFamily"/>.
/// </summary>
/// <remarks>
/// Text lists may contain slots that the generator fills per case: <c>{code}</c> (one of
/// <see cref="ErrorCodes"/>), <c>{version}</c>, <c>{platform}</c>, <c>{component}</c>, <c>{n}</c> (a small
/// number), <c>{ts}</c> (an ISO timestamp near the case's creation) and <c>{workspace}</c>.
/// </remarks>
public sealed record IssueFamily
{
    /// <summary>Stable id, e.g. <c>sso-saml-clock-skew</c>; written to <c>_eval_family</c>.</summary>
    public required string Id { get; init; }

    /// <summary>Short human name.</summary>
    public required string Name { get; init; }

    /// <summary>Product area, one of <see cref="IssueFamilies.ProductAreas"/>.</summary>
    public required string ProductArea { get; init; }

    /// <summary>Components the family shows up in; the first is the usual one.</summary>
    public required IReadOnlyList<string> Components { get; init; }

    /// <summary>Platforms its cases report.</summary>
    public required IReadOnlyList<string> Platforms { get; init; }

    /// <summary>Volume over time.</summary>
    public FamilyTrend Trend { get; init; } = FamilyTrend.Steady;

    /// <summary>
    /// For <see cref="FamilyTrend.Sudden"/> families, the first month of the window (0-11) with cases;
    /// see <see cref="DemoDataOptions.MonthStart(int)"/>. Zero for the other trends.
    /// </summary>
    public int StartMonth { get; init; }

    /// <summary>Relative volume against the other families (1 = typical).</summary>
    public double Weight { get; init; } = 1.0;

    /// <summary>Error codes and messages specific to the family; every case quotes at least one, mostly.</summary>
    public required IReadOnlyList<string> ErrorCodes { get; init; }

    /// <summary>Ticket subjects in customer words (templates).</summary>
    public required IReadOnlyList<string> Titles { get; init; }

    /// <summary>Symptom phrasings in customer words (templates).</summary>
    public required IReadOnlyList<string> Symptoms { get; init; }

    /// <summary>Log lines or stack traces a customer might paste (templates); may be empty.</summary>
    public IReadOnlyList<string> LogLines { get; init; } = [];

    /// <summary>The ordered investigation an experienced agent follows; cases record a prefix of it.</summary>
    public required IReadOnlyList<string> EvidenceSteps { get; init; }

    /// <summary>One to three causes with weights.</summary>
    public required IReadOnlyList<FamilyCause> Causes { get; init; }

    /// <summary>Ordered resolution steps.</summary>
    public required IReadOnlyList<string> ResolutionSteps { get; init; }

    /// <summary>Probability that a case of this family is escalated to engineering.</summary>
    public required double EscalationShare { get; init; }

    /// <summary>Probability that an escalation is returned to support for missing context.</summary>
    public required double ReturnedShare { get; init; }

    /// <summary>
    /// Median hours from assignment to first evidence; short when the first evidence step is obvious
    /// (read an error code), long when the agent has to ask for logs.
    /// </summary>
    public double EvidenceHours { get; init; } = 3.0;

    /// <summary>Tags the source system would attach.</summary>
    public required IReadOnlyList<string> Tags { get; init; }

    /// <summary>
    /// Ids of the playbooks in the shipped <c>knowledge/</c> folder written for this family: the ground truth
    /// the agent simulation uses to decide whether a suggested playbook really fits a case. Empty for
    /// families the team has no playbook for (mining should find them).
    /// </summary>
    public IReadOnlyList<string> PlaybookIds { get; init; } = [];

    /// <summary>Ids of families deliberately close to this one (shared vocabulary, same area).</summary>
    public IReadOnlyList<string> CloseTo { get; init; } = [];
}
