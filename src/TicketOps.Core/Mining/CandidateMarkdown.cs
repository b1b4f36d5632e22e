using System.Globalization;
using System.Text;

namespace TicketOps.Core.Mining;

/// <summary>Renders a draft as the Markdown a knowledge owner reviews (and that is written under knowledge/ on approval).</summary>
public static class CandidateMarkdown
{
    /// <summary>Renders the draft; every line shows how many source cases support it.</summary>
    public static string Render(CandidateDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
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
        if (draft.SourceCases.Count > 0)
        {
            text.Append("## Source cases\n\n");
            foreach (SourceCase source in draft.SourceCases)
            {
                text.Append(CultureInfo.InvariantCulture, $"- {source.CaseId} ({source.Similarity:0.00}) {source.Title}\n");
            }

            text.Append('\n');
        }

        return text.ToString();
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
