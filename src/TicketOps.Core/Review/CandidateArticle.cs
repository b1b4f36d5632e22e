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

    // A drafted line is quoted from cases; a line break or a leading '#' in it would break the section structure.
    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim().TrimStart('#').Trim();
}
