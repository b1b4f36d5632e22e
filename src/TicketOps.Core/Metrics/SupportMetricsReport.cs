using System.Text.Json;
using System.Text.Json.Serialization;

namespace TicketOps.Core.Metrics;

/// <summary>
/// The operations and KCS metrics for one <see cref="MetricsQuery"/>. Every metric carries the counts it
/// was computed from; a rate whose denominator is empty is null ("n/a"), never zero or one.
/// </summary>
public sealed record SupportMetricsReport
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Start of the window (UTC, inclusive).</summary>
    public required DateTime From { get; init; }

    /// <summary>End of the window (UTC, exclusive).</summary>
    public required DateTime To { get; init; }

    /// <summary>The product area filter; null for all.</summary>
    public string? ProductArea { get; init; }

    /// <summary>The team filter; null for all.</summary>
    public string? Team { get; init; }

    /// <summary>Median and p90 hours from assignment to first evidence (<c>time_to_first_evidence</c>).</summary>
    public required TimeToFirstEvidenceMetric TimeToFirstEvidence { get; init; }

    /// <summary>Resolved technical cases without engineering ÷ resolved technical cases.</summary>
    public required RateMetric SolveWithoutEngineeringRate { get; init; }

    /// <summary>Escalations returned for missing context ÷ escalations.</summary>
    public required RateMetric EscalationReworkRate { get; init; }

    /// <summary>Approved knowledge that came from mined cases, and its reuse per playbook.</summary>
    public required WorkflowReuseMetric WorkflowReuseCount { get; init; }

    /// <summary>New cases matching an existing playbook that linked it ÷ new cases matching one.</summary>
    public required RateMetric RepeatCaseRate { get; init; }

    /// <summary>Closed cases with a knowledge link ÷ closed cases (KCS).</summary>
    public required RateMetric LinkRate { get; init; }

    /// <summary>Links of knowledge to cases other than its source cases, beside new knowledge (KCS).</summary>
    public required ReuseMetric Reuse { get; init; }

    /// <summary>Closed cases solved by knowledge that existed before the case vs created for it (KCS).</summary>
    public required NewVsKnownMetric NewVsKnown { get; init; }

    /// <summary>Resolved cases whose owner (team or tier) changed two or more times ÷ resolved cases with an ownership history.</summary>
    public required RateMetric BounceRate { get; init; }

    /// <summary>Routing decisions made with advice that followed it ÷ routing decisions made with advice.</summary>
    public required RateMetric AdviceFollowedRate { get; init; }

    /// <summary>Resolved cases whose last advised depth is where they were finally solved ÷ resolved cases routed with advice.</summary>
    public required RateMetric AdviceMatchedFinalRate { get; init; }

    /// <summary>What the receiving team asked for on returned escalations, per investigation template and month.</summary>
    public required Escalation.EscalationQualityMetric EscalationQuality { get; init; }

    /// <summary>The metrics as flat lines (one per value) for tables and CSV, in the BRIEF's order.</summary>
    public IReadOnlyList<MetricLine> Lines()
    {
        TimeToFirstEvidenceMetric ttfe = TimeToFirstEvidence;
        string measured = $"{ttfe.Cases} of {ttfe.ResolvedTechnicalCases} resolved technical cases ({ttfe.ExcludedCases} without both timestamps)";
        return
        [
            new("time_to_first_evidence.median_hours", ttfe.MedianHours, measured),
            new("time_to_first_evidence.p90_hours", ttfe.P90Hours, measured),
            new("solve_without_engineering_rate", SolveWithoutEngineeringRate.Value, $"{SolveWithoutEngineeringRate.Numerator} of {SolveWithoutEngineeringRate.Denominator} resolved technical cases"),
            new("escalation_rework_rate", EscalationReworkRate.Value, $"{EscalationReworkRate.Numerator} of {EscalationReworkRate.Denominator} escalations returned"),
            new("workflow_reuse_count", WorkflowReuseCount.Value, $"{WorkflowReuseCount.ConvertedInWindow} converted in the window; reuse by later cases: {WorkflowReuseCount.PerPlaybook.Sum(p => p.LaterCases)}"),
            new("repeat_case_rate", RepeatCaseRate.Value, $"{RepeatCaseRate.Numerator} of {RepeatCaseRate.Denominator} new cases matching a playbook followed it"),
            new("link_rate", LinkRate.Value, $"{LinkRate.Numerator} of {LinkRate.Denominator} closed cases linked"),
            new("reuse", Reuse.Value, $"{Reuse.Value} reuse links vs {Reuse.NewKnowledge} new articles ({Reuse.LinksToSourceCases} links to source cases)"),
            new("new_vs_known", NewVsKnown.Value, $"{NewVsKnown.KnownCases} known, {NewVsKnown.NewCases} new, {NewVsKnown.ClosedWithoutKnowledge} of {NewVsKnown.ClosedCases} closed cases without knowledge"),
            new("bounce_rate", BounceRate.Value, $"{BounceRate.Numerator} of {BounceRate.Denominator} resolved cases with an ownership history changed owner twice or more"),
            new("advice_followed_rate", AdviceFollowedRate.Value, $"{AdviceFollowedRate.Numerator} of {AdviceFollowedRate.Denominator} routing decisions made with advice followed it"),
            new("advice_matched_final_rate", AdviceMatchedFinalRate.Value, $"{AdviceMatchedFinalRate.Numerator} of {AdviceMatchedFinalRate.Denominator} resolved cases routed with advice were solved at the advised depth"),
            new("escalation_asks_recorded_rate", EscalationQuality.AsksRecorded.Value, $"{EscalationQuality.AsksRecorded.Numerator} of {EscalationQuality.AsksRecorded.Denominator} returned escalations say what the receiving team asked for ({EscalationQuality.UnclearOwnership} unclear ownership)"),
        ];
    }

    /// <summary>The report as JSON with snake_case keys (<c>time_to_first_evidence</c>, ...).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, s_json);
}

/// <summary>A rate with the counts behind it.</summary>
/// <param name="Value">Numerator ÷ denominator; null (n/a) when the denominator is zero.</param>
/// <param name="Numerator">The counted cases.</param>
/// <param name="Denominator">The cases the rate is taken over.</param>
public sealed record RateMetric(double? Value, int Numerator, int Denominator)
{
    /// <summary>The rate of <paramref name="numerator"/> over <paramref name="denominator"/>, n/a for an empty denominator.</summary>
    /// <param name="numerator">The counted cases.</param>
    /// <param name="denominator">The cases the rate is taken over.</param>
    public static RateMetric Of(int numerator, int denominator) =>
        new(denominator == 0 ? null : (double)numerator / denominator, numerator, denominator);
}

/// <summary>Hours from assignment to first evidence over resolved technical cases.</summary>
/// <param name="MedianHours">The median; null when no case has both timestamps.</param>
/// <param name="P90Hours">The 90th percentile (nearest rank); null when no case has both timestamps.</param>
/// <param name="Cases">Cases measured (both timestamps, evidence not before assignment).</param>
/// <param name="ResolvedTechnicalCases">Resolved technical cases in the window.</param>
/// <param name="ExcludedCases">Of those, cases without an assignment or first-evidence time, or with evidence before assignment.</param>
public sealed record TimeToFirstEvidenceMetric(double? MedianHours, double? P90Hours, int Cases, int ResolvedTechnicalCases, int ExcludedCases);

/// <summary>Resolved patterns converted into reusable process.</summary>
/// <param name="Value">Validated playbooks and templates with source cases, created before the window's end.</param>
/// <param name="ConvertedInWindow">Of those, created inside the window.</param>
/// <param name="PerPlaybook">For each converted playbook, the later cases that reused it.</param>
public sealed record WorkflowReuseMetric(int Value, int ConvertedInWindow, IReadOnlyList<PlaybookReuse> PerPlaybook);

/// <summary>How often one converted playbook was reused.</summary>
/// <param name="KnowledgeId">The playbook.</param>
/// <param name="Title">Its title.</param>
/// <param name="LaterCases">Cases opened after the playbook was created, not among its sources, linked to it in the window.</param>
public sealed record PlaybookReuse(string KnowledgeId, string Title, int LaterCases);

/// <summary>KCS reuse: links of existing knowledge to cases other than those it came from.</summary>
/// <param name="Value">Reuse links in the window (distinct case and article pairs).</param>
/// <param name="LinksToKnowledge">All links to known articles in the window.</param>
/// <param name="LinksToSourceCases">Links to an article's own source cases (not reuse).</param>
/// <param name="NewKnowledge">Articles (not drafts) created in the window.</param>
/// <param name="Healthy">Reuse ≥ new knowledge; null when both are zero.</param>
public sealed record ReuseMetric(int Value, int LinksToKnowledge, int LinksToSourceCases, int NewKnowledge, bool? Healthy);

/// <summary>KCS new vs known over closed cases solved with knowledge.</summary>
/// <param name="Value">Known share: known ÷ (known + new); null when no closed case was solved with knowledge.</param>
/// <param name="NewShare">New ÷ (known + new); null likewise.</param>
/// <param name="KnownCases">Closed cases linked to knowledge created before the case opened.</param>
/// <param name="NewCases">Closed cases linked only to knowledge created on or after the day it opened, or from the case itself.</param>
/// <param name="ClosedCases">Closed cases in the window.</param>
/// <param name="ClosedWithoutKnowledge">Closed cases with no link to a known article.</param>
public sealed record NewVsKnownMetric(double? Value, double? NewShare, int KnownCases, int NewCases, int ClosedCases, int ClosedWithoutKnowledge);
