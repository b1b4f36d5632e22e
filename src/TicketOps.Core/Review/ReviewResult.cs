using System.Text.Json.Serialization;
using TicketOps.Core.Knowledge;

namespace TicketOps.Core.Review;

/// <summary>Why a review request was refused; maps to an exit code or an HTTP status.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ReviewErrorCode>))]
public enum ReviewErrorCode
{
    /// <summary>No such candidate or article (404).</summary>
    NotFound = 0,

    /// <summary>The request is incomplete: no actor, no reason (400).</summary>
    MissingInput = 1,

    /// <summary>The subject is not in a state that allows the decision (409).</summary>
    IllegalTransition = 2,

    /// <summary>The edited Markdown does not parse or does not fit the candidate (422); see <see cref="ReviewError.FileErrors"/>.</summary>
    InvalidMarkdown = 3,

    /// <summary>The knowledge file cannot be written (a hand edit in progress, I/O) (409).</summary>
    FileConflict = 4,

    /// <summary>
    /// Another decision (on this or another TicketOps instance) changed the candidate or article between this
    /// decision's read and its save; nothing was written (409).
    /// </summary>
    ConcurrentDecision = 5,
}

/// <summary>A refused review request: what was wrong and what to do.</summary>
/// <param name="Code">The kind of problem.</param>
/// <param name="Message">What was wrong, where, and what to do.</param>
public sealed record ReviewError(ReviewErrorCode Code, string Message)
{
    /// <summary>For <see cref="ReviewErrorCode.InvalidMarkdown"/>: every problem with its line.</summary>
    public IReadOnlyList<KnowledgeFileError> FileErrors { get; init; } = [];

    /// <summary>A new article's id was taken by an approval saved at the same moment: the approval is taken again with the next id.</summary>
    internal bool ArticleIdTaken { get; init; }
}

/// <summary>The outcome of a review request: a value or an error, never both.</summary>
/// <typeparam name="T">The value's type.</typeparam>
public sealed record ReviewResult<T>
    where T : class
{
    internal ReviewResult(T? value, ReviewError? error)
    {
        Value = value;
        Error = error;
    }

    /// <summary>The value; null when refused.</summary>
    public T? Value { get; }

    /// <summary>The problem; null on success.</summary>
    public ReviewError? Error { get; }

    /// <summary>True when the request succeeded.</summary>
    public bool Succeeded => Error is null;
}

/// <summary>Builds <see cref="ReviewResult{T}"/> values.</summary>
public static class ReviewResult
{
    /// <summary>A success.</summary>
    public static ReviewResult<T> Ok<T>(T value)
        where T : class => new(value ?? throw new ArgumentNullException(nameof(value)), null);

    /// <summary>A refusal.</summary>
    public static ReviewResult<T> Fail<T>(ReviewErrorCode code, string message)
        where T : class => new(null, new ReviewError(code, message));

    /// <summary>A refusal carrying an error built elsewhere.</summary>
    public static ReviewResult<T> Fail<T>(ReviewError error)
        where T : class => new(null, error ?? throw new ArgumentNullException(nameof(error)));
}

/// <summary>What a decision did.</summary>
/// <param name="Action">The decision.</param>
/// <param name="CandidateId">The candidate decided on, if any.</param>
/// <param name="KnowledgeId">The article created or changed, if any.</param>
/// <param name="Path">The knowledge file written, relative to the knowledge folder; null when none.</param>
/// <param name="Audit">The audit entry written with the change.</param>
public sealed record ReviewDecision(ReviewAction Action, long? CandidateId, string? KnowledgeId, string? Path, AuditEntry Audit)
{
    /// <summary>For approvals and merges: whether the article is now in the match index (validated articles only).</summary>
    public bool Indexed { get; init; }
}
