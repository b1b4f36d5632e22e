using System.Text.Json;
using System.Text.Json.Serialization;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Mining;

namespace TicketOps.Core.Review;

/// <summary>
/// Turns a mined draft into the knowledge article an approval writes: the drafted lines become the fixed
/// sections, without the evidence counts (those are for the reviewer, not for the agent reading the playbook).
/// </summary>
public static class CandidateArticle
{
    private static readonly JsonSerializerOptions s_json = new() { Converters = { new JsonStringEnumConverter() } };

    /// <summary>The draft stored with a candidate, or null when the JSON is missing or unreadable.</summary>
    /// <param name="candidate">The stored candidate.</param>
    public static CandidateDraft? DraftOf(MiningCandidate candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        if (string.IsNullOrWhiteSpace(candidate.DraftJson))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<CandidateDraft>(candidate.DraftJson, s_json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The validated LLM rewrite stored with a candidate, or null when the extractive draft stands.</summary>
    /// <param name="candidate">The stored candidate.</param>
    public static RewrittenCandidate? RewriteOf(MiningCandidate candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        if (string.IsNullOrWhiteSpace(candidate.RewriteJson))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<RewrittenCandidate>(candidate.RewriteJson, s_json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The playbook sections of a validated rewrite: what the reviewer read is what gets approved. The
    /// rewrite was checked to cite only the draft's source cases when it was stored.
    /// </summary>
    /// <param name="rewrite">The rewrite.</param>
    public static List<KnowledgeSection> SectionsOf(RewrittenCandidate rewrite)
    {
        ArgumentNullException.ThrowIfNull(rewrite);
        return
        [
            new("Issue", OneParagraph(rewrite.Issue)),
            new("Environment", OneParagraph(rewrite.Environment)),
            new("Cause", OneParagraph(rewrite.Cause)),
            new("Resolution", string.Join('\n', rewrite.Resolution.Select((l, i) => $"{i + 1}. {OneLine(l)}"))),
        ];
    }

    /// <summary>The article type a candidate kind becomes.</summary>
    public static KnowledgeType TypeOf(CandidateKind kind) =>
        kind == CandidateKind.InvestigationTemplate ? KnowledgeType.Template : KnowledgeType.Playbook;

    /// <summary>The sections of the article a draft becomes, in the type's canonical order.</summary>
    /// <param name="draft">The draft.</param>
    public static List<KnowledgeSection> SectionsOf(CandidateDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (TypeOf(draft.Kind) == KnowledgeType.Playbook)
        {
            return
            [
                new("Issue", Bullets(draft.Issue)),
                new("Environment", Bullets(draft.Environment)),
                new("Cause", Bullets(draft.Causes)),
                new("Resolution", Numbered(draft.ResolutionSteps)),
            ];
        }

        // Drafts carry no hypothesis or closing text: the owner writes those; a stated default beats an empty section.
        string hypothesis = draft.Causes.Count > 0
            ? "State it as: because X, Y fails when Z. Causes seen most often:\n\n" + Bullets(draft.Causes)
            : "State it as: because X, Y fails when Z.";
        return
        [
            new("Framing", Bullets(draft.Framing)),
            new("Evidence to gather first", Numbered(draft.EvidenceSteps)),
            new("Hypothesis", hypothesis),
            new("When to escalate", Bullets(draft.EscalateWhen)),
            new("Escalation packet", Bullets(draft.EscalationPacket)),
            new("Closing the loop", "Link the playbook that solved the case; flag it when it was wrong or incomplete."),
        ];
    }

    private static string Bullets(IReadOnlyList<DraftLine> lines) => string.Join('\n', lines.Select(l => "- " + OneLine(l.Text)));

    private static string Numbered(IReadOnlyList<DraftLine> lines) => string.Join('\n', lines.Select((l, i) => $"{i + 1}. {OneLine(l.Text)}"));

    // Prose from the model: headings inside it would break the article's fixed section structure.
    private static string OneParagraph(string text) =>
        string.Join('\n', text.ReplaceLineEndings("\n").Split('\n').Select(l => l.Trim().TrimStart('#').Trim())).Trim();

    // A drafted line is quoted from cases; a line break or a leading '#' in it would break the section structure.
    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim().TrimStart('#').Trim();
}
