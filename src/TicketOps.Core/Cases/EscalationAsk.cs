using System.Text.Json.Serialization;

namespace TicketOps.Core.Cases;

/// <summary>What the receiving team asked for when it sent an escalation back to support.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EscalationAskKind>))]
public enum EscalationAskKind
{
    /// <summary>An evidence item the packet lacked (ideally an item of the investigation template).</summary>
    MissingEvidence = 0,

    /// <summary>It was not clear which team owns the problem.</summary>
    UnclearOwnership = 1,
}

/// <summary>
/// One thing the receiving team asked for on a returned escalation: a missing evidence item or unclear
/// ownership. Kept on the case (<see cref="SupportCase.EscalationAsks"/>), recorded with the
/// <c>returned</c> outcome or imported (<c>escalation_asks</c>); the escalation-quality report counts them
/// per investigation template (docs/queue-and-feedback.md, "Escalation quality").
/// </summary>
public sealed class EscalationAsk
{
    /// <summary>What kind of ask.</summary>
    public EscalationAskKind Kind { get; set; }

    /// <summary>
    /// For <see cref="EscalationAskKind.MissingEvidence"/>: the item in the receiving team's words (redacted);
    /// for unclear ownership an optional note.
    /// </summary>
    public string? Item { get; set; }

    /// <summary>The investigation template the returned packet followed, when known at recording time.</summary>
    public string? TemplateId { get; set; }

    /// <summary>When the escalation was returned (UTC); null for imports that do not say.</summary>
    public DateTime? At { get; set; }
}

/// <summary>Reading ask kinds as people and files write them.</summary>
public static class EscalationAsks
{
    /// <summary>The kind from <c>missing_evidence</c> / <c>missing-evidence</c> / <c>evidence</c>, <c>unclear_ownership</c> / <c>ownership</c>; null otherwise.</summary>
    public static EscalationAskKind? ParseKind(string? text) => (text ?? "").Trim().Replace('-', '_').ToLowerInvariant() switch
    {
        "missing_evidence" or "evidence" or "missingevidence" => EscalationAskKind.MissingEvidence,
        "unclear_ownership" or "ownership" or "unclearownership" => EscalationAskKind.UnclearOwnership,
        _ => null,
    };

    /// <summary>The kind as files and JSON write it.</summary>
    public static string Name(EscalationAskKind kind) => kind == EscalationAskKind.MissingEvidence ? "missing_evidence" : "unclear_ownership";
}
