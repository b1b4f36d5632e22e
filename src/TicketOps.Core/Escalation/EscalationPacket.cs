using TicketOps.Core.Cases;

namespace TicketOps.Core.Escalation;

/// <summary>
/// What engineering receives when support escalates a case: enough context to act without asking back.
/// Follows the "Escalation packet" section of the case's investigation template.
/// </summary>
public sealed record EscalationPacket
{
    /// <summary>The case as agents know it: <c>source:external id</c>.</summary>
    public required string CaseReference { get; init; }

    /// <summary>One line: the case's title in the customer's words.</summary>
    public required string Summary { get; init; }

    /// <summary>Product area, component, version and platform as recorded on the case.</summary>
    public required EscalationEnvironment Environment { get; init; }

    /// <summary>What was checked, in order: the case's evidence steps, then anything the agent added.</summary>
    public required IReadOnlyList<string> Evidence { get; init; }

    /// <summary>The current hypothesis, one sentence naming component, mechanism and how to confirm it.</summary>
    public string Hypothesis { get; init; } = "";

    /// <summary>The one question engineering is asked to answer.</summary>
    public string OpenQuestion { get; init; } = "";

    /// <summary>Who cannot work and whether a workaround exists.</summary>
    public string CustomerImpact { get; init; } = "";

    /// <summary>The investigation template the packet follows; null when none applies.</summary>
    public string? TemplateId { get; init; }

    /// <summary>Builds the packet for <paramref name="supportCase"/> from what the agent wrote.</summary>
    /// <param name="supportCase">The case to escalate.</param>
    /// <param name="draft">Hypothesis, open question, impact and extra evidence from the agent.</param>
    /// <param name="templateId">The template it follows, or null.</param>
    public static EscalationPacket For(SupportCase supportCase, EscalationDraft draft, string? templateId)
    {
        ArgumentNullException.ThrowIfNull(supportCase);
        ArgumentNullException.ThrowIfNull(draft);
        return new EscalationPacket
        {
            CaseReference = $"{supportCase.Source}:{supportCase.ExternalId}",
            Summary = supportCase.Title,
            Environment = new EscalationEnvironment(supportCase.Product, supportCase.Component, supportCase.Version, supportCase.Platform),
            Evidence = [.. supportCase.EvidenceSteps.Concat(draft.AddedEvidence).Select(e => e.Trim()).Where(e => e.Length > 0)],
            Hypothesis = draft.Hypothesis?.Trim() ?? "",
            OpenQuestion = draft.OpenQuestion?.Trim() ?? "",
            CustomerImpact = draft.CustomerImpact?.Trim() ?? "",
            TemplateId = templateId,
        };
    }
}

/// <summary>The environment of an escalated case.</summary>
/// <param name="Product">Product area.</param>
/// <param name="Component">Component within the area.</param>
/// <param name="Version">Product version.</param>
/// <param name="Platform">Platform or identity provider.</param>
public sealed record EscalationEnvironment(string? Product, string? Component, string? Version, string? Platform)
{
    /// <summary>The values that are set, for display and for matching template items.</summary>
    public IEnumerable<string> Values() => new[] { Product, Component, Version, Platform }.OfType<string>().Where(v => v.Length > 0);
}

/// <summary>What the agent writes when escalating; the rest of the packet comes from the case.</summary>
/// <param name="Hypothesis">The current hypothesis.</param>
/// <param name="OpenQuestion">The question for engineering.</param>
/// <param name="CustomerImpact">Customer impact.</param>
/// <param name="AddedEvidence">Evidence gathered that the case's evidence steps do not show yet.</param>
public sealed record EscalationDraft(string? Hypothesis, string? OpenQuestion, string? CustomerImpact, IReadOnlyList<string> AddedEvidence)
{
    /// <summary>A draft with no extra evidence.</summary>
    public EscalationDraft(string? hypothesis, string? openQuestion, string? customerImpact)
        : this(hypothesis, openQuestion, customerImpact, [])
    {
    }
}
