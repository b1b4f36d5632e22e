using TicketOps.Core.Review;

namespace TicketOps.Web.Pages.Knowledge;

/// <summary>The answer to a review decision taken on a page: what was done (with the article id) or why it was refused.</summary>
/// <param name="Done">True when the decision was taken.</param>
/// <param name="Message">What was done, or why not and what to do.</param>
/// <param name="KnowledgeId">The article created or changed.</param>
public sealed record DecisionOutcome(bool Done, string Message, string? KnowledgeId)
{
    /// <summary>For a refused edited text: each problem as <c>line N: problem</c>, shown beside the text area.</summary>
    public IReadOnlyList<string> LineErrors { get; init; } = [];

    /// <summary>The HTTP status the page answers with: 200 when done, else what the API would answer for the same refusal.</summary>
    public int Status { get; init; } = StatusCodes.Status200OK;

    /// <summary>The outcome of <see cref="ReviewDesk.DecideAsync"/>: null (no knowledge folder) is 503, not found 404, any other refusal 422.</summary>
    public static DecisionOutcome Of(ReviewResult<ReviewDecision>? result)
    {
        if (result is null)
        {
            return Refused(ReviewDesk.NoKnowledgeFolder, StatusCodes.Status503ServiceUnavailable);
        }

        if (result.Value is { } done)
        {
            return new DecisionOutcome(true, done.Audit.Summary + (done.Indexed ? "; published to matching." : "."), done.KnowledgeId);
        }

        ReviewError error = result.Error!;
        return Refused(error.Message, error.Code == ReviewErrorCode.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status422UnprocessableEntity) with
        {
            LineErrors = [.. error.FileErrors.Select(e => $"line {e.Line}: {e.Problem}")],
        };
    }

    /// <summary>A refusal decided by the page itself (a missing field).</summary>
    public static DecisionOutcome Refused(string message, int status = StatusCodes.Status422UnprocessableEntity) => new(false, message, null) { Status = status };
}
