using TicketOps.Core.Metrics;

namespace TicketOps.Core.Themes;

/// <summary>Which themes a product feedback report covers, and over which window.</summary>
/// <param name="From">Start of the window (UTC, inclusive); cases count by the time they were opened.</param>
/// <param name="To">End of the window (UTC, exclusive).</param>
/// <param name="ThemeId">One theme (a mined cluster id); every active theme when null.</param>
/// <param name="Period">Granularity of the volume series.</param>
/// <param name="Top">With no <paramref name="ThemeId"/>: the themes with the most cases in the window, at most this many.</param>
public sealed record FeedbackReportQuery(DateTime From, DateTime To, string? ThemeId = null, ThemePeriod Period = ThemePeriod.Month, int Top = 10)
{
    /// <summary>What is wrong with the query, or null.</summary>
    public string? Problem => To <= From ? $"The window is empty: 'to' ({To:yyyy-MM-dd}) must be after 'from' ({From:yyyy-MM-dd})."
        : Top is < 1 or > 200 ? "top must be between 1 and 200."
        : null;
}

/// <summary>
/// One theme written up for the product team: what hurts, how often, whom, what it costs engineering, the
/// cases that show it, what support does about it today, and the question product has to answer.
/// Definitions: docs/queue-and-feedback.md, "Product feedback report".
/// </summary>
public sealed record ProductFeedback
{
    /// <summary>The theme (mined cluster) id.</summary>
    public required string ThemeId { get; init; }

    /// <summary>The theme's label.</summary>
    public required string Label { get; init; }

    /// <summary>Window start (UTC, inclusive).</summary>
    public required DateTime From { get; init; }

    /// <summary>Window end (UTC, exclusive).</summary>
    public required DateTime To { get; init; }

    /// <summary>Its cases are far less alike than a typical theme's (as <see cref="Theme.Mixed"/>): likely several problems under one label. Listed after the others.</summary>
    public bool Mixed { get; init; }

    /// <summary>The friction in one line: the main cause, how many cases and customers, where.</summary>
    public required string Friction { get; init; }

    /// <summary>Cases of the theme opened in the window, open ones included.</summary>
    public required int Cases { get; init; }

    /// <summary>Of <see cref="Cases"/>, still open.</summary>
    public required int Open { get; init; }

    /// <summary>Cases per period, oldest first, zeros included.</summary>
    public required IReadOnlyList<ThemeCount> Volume { get; init; }

    /// <summary>Distinct customers among the cases (cases without a customer are not counted here).</summary>
    public required int Customers { get; init; }

    /// <summary>Cases that name no customer.</summary>
    public required int CasesWithoutCustomer { get; init; }

    /// <summary>The customers with the most cases, most first (at most ten).</summary>
    public required IReadOnlyList<CountedValue> TopCustomers { get; init; }

    /// <summary>Product areas with their cases, most first.</summary>
    public required IReadOnlyList<CountedValue> ProductAreas { get; init; }

    /// <summary>Components with their cases, most first.</summary>
    public required IReadOnlyList<CountedValue> Components { get; init; }

    /// <summary>Versions the customers ran, with their cases, most first.</summary>
    public required IReadOnlyList<CountedValue> Versions { get; init; }

    /// <summary>Recorded causes of the resolved cases (reworded lines counted as one), most first.</summary>
    public required IReadOnlyList<CountedValue> Causes { get; init; }

    /// <summary>Hours engineering held the theme's escalations.</summary>
    public required EngineeringTime EngineeringHours { get; init; }

    /// <summary>Resolved cases that involved engineering ÷ resolved cases.</summary>
    public required RateMetric EscalationShare { get; init; }

    /// <summary>Escalations returned to support for missing context ÷ escalations (resolved cases).</summary>
    public required RateMetric ReworkShare { get; init; }

    /// <summary>The most central cases of the theme in the window, with their evidence.</summary>
    public required IReadOnlyList<RepresentativeCase> RepresentativeCases { get; init; }

    /// <summary>What support does about it today.</summary>
    public required Workaround Workaround { get; init; }

    /// <summary>The question the product team is asked to answer.</summary>
    public required OpenQuestion OpenQuestion { get; init; }
}

/// <summary>A value and how many cases have it.</summary>
/// <param name="Value">The value.</param>
/// <param name="Cases">Cases with it.</param>
public sealed record CountedValue(string Value, int Cases);

/// <summary>
/// Elapsed hours from escalation to resolution over the theme's resolved escalated cases: the time the
/// problem sat with engineering. Ticket systems rarely export logged effort, so this is calendar time, an
/// upper bound of the effort, and says so.
/// </summary>
/// <param name="TotalHours">Sum over the measured cases; null when none could be measured.</param>
/// <param name="MedianHours">Median per measured case; null when none.</param>
/// <param name="Cases">Measured cases: resolved, engineering involved, with an escalation time not after the resolution.</param>
/// <param name="Unmeasured">Resolved cases that involved engineering without a usable escalation time.</param>
public sealed record EngineeringTime(double? TotalHours, double? MedianHours, int Cases, int Unmeasured);

/// <summary>A case that shows the theme, as the product team reads it.</summary>
/// <param name="Reference">The case as agents know it: <c>source:external id</c>.</param>
/// <param name="Title">Title in the customer's words.</param>
/// <param name="OpenedAt">When it was opened (UTC).</param>
/// <param name="Version">Version the customer ran.</param>
/// <param name="Platform">Platform.</param>
/// <param name="Customer">Customer organisation.</param>
/// <param name="Evidence">What was checked, in order, then what the newest escalation packet added.</param>
/// <param name="Cause">Recorded cause; null while open.</param>
/// <param name="Resolution">What fixed it; null while open.</param>
/// <param name="Escalated">Whether engineering was involved.</param>
/// <param name="Returned">Whether the escalation came back for missing context.</param>
public sealed record RepresentativeCase(
    string Reference, string Title, DateTime OpenedAt, string? Version, string? Platform, string? Customer,
    IReadOnlyList<string> Evidence, string? Cause, string? Resolution, bool Escalated, bool Returned);

/// <summary>
/// What support does about the theme today: the resolution steps of the cases it solved without engineering,
/// and the playbook most of the theme's cases were linked to.
/// </summary>
/// <param name="Steps">Resolution steps of cases solved without engineering, with how many took each, most first (at most five).</param>
/// <param name="SolvedWithoutEngineering">Resolved cases that did not involve engineering.</param>
/// <param name="PlaybookId">The playbook linked to the most of the theme's cases; null when none is.</param>
/// <param name="PlaybookTitle">Its title.</param>
/// <param name="PlaybookCases">Cases it was linked to.</param>
public sealed record Workaround(IReadOnlyList<CountedValue> Steps, int SolvedWithoutEngineering, string? PlaybookId, string? PlaybookTitle, int PlaybookCases)
{
    /// <summary>True when support has no way around it: no case was solved without engineering and no playbook is linked.</summary>
    public bool None => Steps.Count == 0 && PlaybookId is null;
}

/// <summary>The question for the product team and where it came from.</summary>
/// <param name="Text">The question.</param>
/// <param name="Source"><c>escalation</c> (asked by support in an escalation packet) or <c>composed</c> (written by TicketOps from the figures).</param>
/// <param name="CaseReference">For <c>escalation</c>: the case whose packet asked it.</param>
/// <param name="Asked">For <c>escalation</c>: packets among the theme's cases that asked this question.</param>
public sealed record OpenQuestion(string Text, string Source, string? CaseReference, int Asked);
