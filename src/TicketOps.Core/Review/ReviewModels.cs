using System.Text.Json.Serialization;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Mining;

namespace TicketOps.Core.Review;

/// <summary>A candidate waiting for review.</summary>
/// <param name="CandidateId">The candidate's id.</param>
/// <param name="Kind">Playbook, update suggestion or investigation template.</param>
/// <param name="Title">Proposed title.</param>
/// <param name="ClusterSize">Cases in the cluster when drafted.</param>
/// <param name="Confidence">Drafting confidence 0..1.</param>
/// <param name="CreatedAt">When mining first proposed it (UTC).</param>
/// <param name="TargetKnowledgeId">For update suggestions: the article to update.</param>
public sealed record ReviewQueueItem(long CandidateId, [property: JsonConverter(typeof(JsonStringEnumConverter<CandidateKind>))] CandidateKind Kind, string Title, int ClusterSize, double Confidence, DateTime CreatedAt, string? TargetKnowledgeId);

/// <summary>A source case of a candidate as a reviewer sees it.</summary>
/// <param name="ExternalId">The case's id in the ticket system.</param>
/// <param name="Title">Its title.</param>
/// <param name="Similarity">Cosine to the cluster centre.</param>
public sealed record ReviewSourceCase(string ExternalId, string Title, double Similarity);

/// <summary>Everything a reviewer needs to decide on one candidate.</summary>
public sealed record CandidateReview
{
    /// <summary>The candidate's id.</summary>
    public required long CandidateId { get; init; }

    /// <summary>Kind of draft.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<CandidateKind>))]
    public required CandidateKind Kind { get; init; }

    /// <summary>Review state.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<CandidateState>))]
    public required CandidateState State { get; init; }

    /// <summary>Proposed title.</summary>
    public required string Title { get; init; }

    /// <summary>Drafting confidence 0..1.</summary>
    public required double Confidence { get; init; }

    /// <summary>Cases in the cluster when drafted.</summary>
    public required int ClusterSize { get; init; }

    /// <summary>Why an update instead of a new playbook, or the rejection reason.</summary>
    public string? Reason { get; init; }

    /// <summary>For update suggestions: the article to update.</summary>
    public string? TargetKnowledgeId { get; init; }

    /// <summary>After review: the article it became or was merged into.</summary>
    public string? KnowledgeId { get; init; }

    /// <summary>The draft as the reviewer reads it, with the evidence count of every line.</summary>
    public required string DraftMarkdown { get; init; }

    /// <summary>
    /// The article file an approval would write now (next free id, today's date), to edit and pass back to
    /// an approval; empty when the candidate cannot be approved as a new article.
    /// </summary>
    public required string ProposedArticleMarkdown { get; init; }

    /// <summary>The cases it was drafted from, most similar first.</summary>
    public required IReadOnlyList<ReviewSourceCase> SourceCases { get; init; }

    /// <summary>The existing knowledge it resembles, section by section.</summary>
    public required IReadOnlyList<SimilarKnowledge> SimilarKnowledge { get; init; }

    /// <summary>Duplicate and contradiction warnings, in words, with what to do.</summary>
    public required IReadOnlyList<string> Warnings { get; init; }

    /// <summary>The article to merge into when the candidate duplicates one (or is an update suggestion); null otherwise.</summary>
    public string? SuggestedMergeTarget { get; init; }
}

/// <summary>A request to approve a candidate as a new article.</summary>
public sealed record ApproveRequest
{
    /// <summary>The candidate.</summary>
    public required long CandidateId { get; init; }

    /// <summary>Who decides.</summary>
    public required string Actor { get; init; }

    /// <summary>The article's owner; the actor when null.</summary>
    public string? Owner { get; init; }

    /// <summary>
    /// The article state: <see cref="KnowledgeState.Validated"/> (published, matched at once) or
    /// <see cref="KnowledgeState.NotValidated"/>. Ignored for an edited text, whose front matter says.
    /// </summary>
    [JsonConverter(typeof(JsonStringEnumConverter<KnowledgeState>))]
    public KnowledgeState State { get; init; } = KnowledgeState.Validated;

    /// <summary>An edited article file (see <see cref="CandidateReview.ProposedArticleMarkdown"/>); null to approve the draft as it is.</summary>
    public string? EditedMarkdown { get; init; }

    /// <summary>Where the edited text came from, for the line numbers of its problems.</summary>
    public string EditedPath { get; init; } = "edited article";
}

/// <summary>A request to merge a candidate into an existing article.</summary>
public sealed record MergeRequest
{
    /// <summary>The candidate.</summary>
    public required long CandidateId { get; init; }

    /// <summary>The article to merge into, e.g. <c>PB-0003</c>.</summary>
    public required string TargetId { get; init; }

    /// <summary>Who decides.</summary>
    public required string Actor { get; init; }

    /// <summary>The target article's file as edited by the reviewer (its title and sections are taken); null to only add the source cases.</summary>
    public string? EditedMarkdown { get; init; }

    /// <summary>Where the edited text came from, for the line numbers of its problems.</summary>
    public string EditedPath { get; init; } = "edited article";

    /// <summary>Why, optionally.</summary>
    public string? Reason { get; init; }
}
