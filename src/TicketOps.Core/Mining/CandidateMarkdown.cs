using System.Globalization;
using System.Text;

namespace TicketOps.Core.Mining;

/// <summary>Renders a draft as the Markdown a knowledge owner reviews (and that is written under knowledge/ on approval).</summary>
public static class CandidateMarkdown
{
    /// <summary>
    /// Renders the draft; every line shows how many source cases support it. With a validated LLM
    /// <paramref name="rewrite"/>, the sections are the rewrite's prose and the source cases stay listed.
    /// </summary>
    /// <param name="draft">The extractive draft.</param>
    /// <param name="rewrite">The validated rewrite of it, or null.</param>
    public static string Render(CandidateDraft draft, RewrittenCandidate? rewrite = null)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (rewrite is not null)
        {
            return RenderRewrite(draft, rewrite);
        }

        var text = new StringBuilder();
        string kind = draft.Kind switch
        {
            CandidateKind.Playbook => "Candidate playbook",
            CandidateKind.UpdateSuggestion => $"Update suggestion for {draft.TargetKnowledgeId}",
            CandidateKind.InvestigationTemplate => "Candidate investigation template",
            _ => "No draft",
        };
        text.Append(CultureInfo.InvariantCulture, $"# {draft.Title}\n\n_{kind} · cluster {draft.ClusterId} · confidence {draft.Confidence:0.00} · {draft.SourceCases.Count} source cases_\n\n");
        if (!string.IsNullOrEmpty(draft.Reason))
        {
            text.Append(CultureInfo.InvariantCulture, $"> {draft.Reason}\n\n");
        }

        Section(text, "What the new cases add", draft.Additions, counted: true);
        Section(text, "How to frame the case", draft.Framing, counted: false);
        Section(text, "Issue", draft.Issue, counted: false);
        Section(text, "Environment", draft.Environment, counted: true);
        Section(text, "Cause", draft.Causes, counted: true);
        Section(text, "Evidence to gather first", draft.EvidenceSteps, counted: true, numbered: true);
        Section(text, "Resolution", draft.ResolutionSteps, counted: true, numbered: true);
        Section(text, "When to escalate", draft.EscalateWhen, counted: false);
        Section(text, "Escalation packet", draft.EscalationPacket, counted: false);
        SourceCases(text, draft);
        return text.ToString();
    }

    private static string RenderRewrite(CandidateDraft draft, RewrittenCandidate rewrite)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# {rewrite.Title}\n\n_Rewritten by an LLM from the extractive draft of cluster {draft.ClusterId} · confidence {draft.Confidence:0.00} · cites {string.Join(", ", rewrite.CitedCases)}_\n\n");
        Prose(text, "Issue", rewrite.Issue);
        Prose(text, "Environment", rewrite.Environment);
        Prose(text, "Cause", rewrite.Cause);
        Section(text, "Evidence to gather first", ToLines(rewrite.Evidence), counted: false, numbered: true);
        Section(text, "Resolution", ToLines(rewrite.Resolution), counted: false, numbered: true);
        Section(text, "When to escalate", ToLines(rewrite.EscalateWhen), counted: false);
        Section(text, "Escalation packet", ToLines(rewrite.EscalationPacket), counted: false);
        SourceCases(text, draft);
        return text.ToString();
    }

    private static DraftLine[] ToLines(List<string> lines) => [.. lines.Select(l => new DraftLine(l, 0, 0))];

    private static void Prose(StringBuilder text, string heading, string body)
    {
        if (!string.IsNullOrWhiteSpace(body))
        {
            text.Append(CultureInfo.InvariantCulture, $"## {heading}\n\n{body.Trim()}\n\n");
        }
    }

    private static void SourceCases(StringBuilder text, CandidateDraft draft)
    {
        if (draft.SourceCases.Count > 0)
        {
            text.Append("## Source cases\n\n");
            foreach (SourceCase source in draft.SourceCases)
            {
                text.Append(CultureInfo.InvariantCulture, $"- {source.CaseId} ({source.Similarity:0.00}) {source.Title}\n");
            }

            text.Append('\n');
        }
    }

    private static void Section(StringBuilder text, string heading, IReadOnlyList<DraftLine> lines, bool counted, bool numbered = false)
    {
        if (lines.Count == 0)
        {
            return;
        }

        text.Append(CultureInfo.InvariantCulture, $"## {heading}\n\n");
        for (int i = 0; i < lines.Count; i++)
        {
            string bullet = numbered ? $"{i + 1}." : "-";
            string count = counted ? $" ({lines[i].Cases} cases, {lines[i].Share:P0})" : "";
            text.Append(CultureInfo.InvariantCulture, $"{bullet} {lines[i].Text}{count}\n");
        }

        text.Append('\n');
    }
}
