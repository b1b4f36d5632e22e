using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Review;
using TicketOps.Core.Storage;
using TicketOps.Web.Access;

namespace TicketOps.Web;

/// <summary>
/// The knowledge owner's review workflow over HTTP: the queue, a candidate beside the knowledge it resembles,
/// the decisions (approve, reject, merge, validate, archive) and the audit log. Every decision is taken by
/// <see cref="KnowledgeReview"/> as the key that sends it; a refusal changes nothing.
/// </summary>
internal static class ReviewEndpoints
{
    public static IEndpointRouteBuilder MapReviewEndpoints(this IEndpointRouteBuilder endpoints)
    {
        RouteGroupBuilder review = endpoints.MapGroup("/api/review").RequireAuthorization(AccessPolicies.KnowledgeOwner).WithTags("Review");
        review.MapGet("/queue", async (ReviewDesk desk, CancellationToken cancellationToken) => TypedResults.Ok(await desk.Review.QueueAsync(cancellationToken)))
            .WithName("ReviewQueue")
            .WithSummary("Draft candidates and update suggestions waiting for review, oldest first.");
        review.MapGet("/candidates/{id:long}", ShowAsync)
            .WithName("ReviewCandidate")
            .WithSummary("A candidate with its source cases, the knowledge it resembles section by section, warnings and the suggested merge target.");
        review.MapPost("/candidates/{id:long}/approve", ApproveAsync)
            .WithName("ApproveCandidate")
            .WithSummary("Approve a candidate as a new article (optionally your edited Markdown of it; not_validated to keep it out of matching).");
        review.MapPost("/candidates/{id:long}/reject", RejectAsync)
            .WithName("RejectCandidate")
            .WithSummary("Reject a candidate with a reason; mining does not propose its cluster again until it grows.");
        review.MapPost("/candidates/{id:long}/merge", MergeAsync)
            .WithName("MergeCandidate")
            .WithSummary("Merge a candidate into an existing article (its source cases, optionally your edited Markdown of the target).");
        review.MapGet("/help-gaps", async (TicketOpsDbContext db, CancellationToken cancellationToken) =>
                TypedResults.Ok((IReadOnlyList<Commands.HelpGapView>)[.. (await Core.Mining.HelpContentGaps.FindAsync(db, cancellationToken)).Select(Commands.HelpGapView.Of)]))
            .WithName("HelpContentGaps")
            .WithSummary("Help-article suggestions, separate from playbooks: mined themes support solved by explaining without engineering, with the customers' questions in their words; the same as 'ticketops help-gaps --format json'.");
        review.MapGet("/log", async (ReviewDesk desk, string? subject, int? limit, CancellationToken cancellationToken) =>
                TypedResults.Ok(await desk.Review.AuditLogAsync(subject, Math.Clamp(limit ?? 100, 1, 1000), cancellationToken)))
            .WithName("ReviewLog")
            .WithSummary("The audit log of review decisions, newest first; ?subject=PB-0003 or candidate:12, ?limit=100.");

        RouteGroupBuilder knowledge = endpoints.MapGroup("/api/knowledge").RequireAuthorization(AccessPolicies.KnowledgeOwner).WithTags("Review");
        knowledge.MapPost("/{id}/validate", ValidateAsync)
            .WithName("ValidateKnowledge")
            .WithSummary("Validate (publish) a draft or not-validated article; it is matched at once.");
        knowledge.MapPost("/{id}/archive", ArchiveAsync)
            .WithName("ArchiveKnowledge")
            .WithSummary("Archive an article with a reason (optionally superseded by another); it leaves matching at once.");
        return endpoints;
    }

    private static async Task<Results<Ok<CandidateReview>, ProblemHttpResult>> ShowAsync(long id, ReviewDesk desk, CancellationToken cancellationToken)
    {
        ReviewResult<CandidateReview> result = await desk.ShowAsync(id, cancellationToken);
        return result.Value is { } candidate ? TypedResults.Ok(candidate) : ReviewProblems.Of(result.Error!);
    }

    private static Task<Results<Ok<ReviewDecision>, ProblemHttpResult>> ApproveAsync(
        long id, ApproveCandidateRequest? request, ReviewDesk desk, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        DecideAsync(desk, (review, ct) => review.ApproveAsync(
            new ApproveRequest
            {
                CandidateId = id,
                Actor = AccessClaims.ActorOf(user),
                Owner = request?.Owner,
                State = request?.NotValidated == true ? KnowledgeState.NotValidated : KnowledgeState.Validated,
                EditedMarkdown = request?.EditedMarkdown,
                EditedPath = "edited_markdown",
            },
            ct), cancellationToken);

    private static Task<Results<Ok<ReviewDecision>, ProblemHttpResult>> RejectAsync(
        long id, RejectCandidateRequest? request, ReviewDesk desk, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        DecideAsync(desk, (review, ct) => review.RejectAsync(id, AccessClaims.ActorOf(user), request?.Reason ?? "", ct), cancellationToken);

    private static async Task<Results<Ok<ReviewDecision>, ProblemHttpResult>> MergeAsync(
        long id, MergeCandidateRequest? request, ReviewDesk desk, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request?.TargetId))
        {
            return ReviewProblems.Of(new ReviewError(ReviewErrorCode.MissingInput, "Name the article to merge into: {\"target_id\": \"PB-0003\"} (the candidate's suggested_merge_target, when it has one)."));
        }

        return await DecideAsync(desk, (review, ct) => review.MergeAsync(
            new MergeRequest
            {
                CandidateId = id,
                TargetId = request.TargetId.Trim(),
                Actor = AccessClaims.ActorOf(user),
                EditedMarkdown = request.EditedMarkdown,
                EditedPath = "edited_markdown",
                Reason = request.Reason,
            },
            ct), cancellationToken);
    }

    private static Task<Results<Ok<ReviewDecision>, ProblemHttpResult>> ValidateAsync(
        string id, KnowledgeDecisionRequest? request, ReviewDesk desk, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        DecideAsync(desk, (review, ct) => review.ValidateAsync(id, AccessClaims.ActorOf(user), request?.Reason, ct), cancellationToken);

    private static Task<Results<Ok<ReviewDecision>, ProblemHttpResult>> ArchiveAsync(
        string id, KnowledgeDecisionRequest? request, ReviewDesk desk, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        DecideAsync(desk, (review, ct) => review.ArchiveAsync(id, AccessClaims.ActorOf(user), request?.Reason ?? "", request?.SupersededBy, ct), cancellationToken);

    private static async Task<Results<Ok<ReviewDecision>, ProblemHttpResult>> DecideAsync(
        ReviewDesk desk, Func<KnowledgeReview, CancellationToken, Task<ReviewResult<ReviewDecision>>> decision, CancellationToken cancellationToken)
    {
        ReviewResult<ReviewDecision>? result = await desk.DecideAsync(decision, cancellationToken);
        return result switch
        {
            null => ReviewProblems.NoKnowledgeFolder(),
            { Value: { } done } => TypedResults.Ok(done),
            _ => ReviewProblems.Of(result.Error!),
        };
    }
}

/// <summary>The body of <c>POST /api/review/candidates/{id}/approve</c> (optional: an empty body approves the draft as it is).</summary>
/// <param name="EditedMarkdown">The article file as the reviewer edited it (start from <c>proposed_article_markdown</c>).</param>
/// <param name="NotValidated">Create the article as not validated (kept out of matching).</param>
/// <param name="Owner">The article's owner; the key's name when null.</param>
internal sealed record ApproveCandidateRequest(string? EditedMarkdown = null, bool NotValidated = false, string? Owner = null);

/// <summary>The body of <c>POST /api/review/candidates/{id}/reject</c>.</summary>
/// <param name="Reason">Why (required).</param>
internal sealed record RejectCandidateRequest(string? Reason);

/// <summary>The body of <c>POST /api/review/candidates/{id}/merge</c>.</summary>
/// <param name="TargetId">The article to merge into, e.g. <c>PB-0003</c>.</param>
/// <param name="EditedMarkdown">The target article's file as the reviewer edited it; null to only add the source cases.</param>
/// <param name="Reason">Why, optionally.</param>
internal sealed record MergeCandidateRequest(string? TargetId, string? EditedMarkdown = null, string? Reason = null);

/// <summary>The body of <c>POST /api/knowledge/{id}/validate</c> and <c>/archive</c>.</summary>
/// <param name="Reason">Why (required to archive).</param>
/// <param name="SupersededBy">Archive: the article that replaces this one.</param>
internal sealed record KnowledgeDecisionRequest(string? Reason = null, string? SupersededBy = null);

/// <summary>Review refusals as ProblemDetails.</summary>
internal static class ReviewProblems
{
    /// <summary>NotFound 404, MissingInput 400, IllegalTransition, FileConflict and ConcurrentDecision 409, InvalidMarkdown 422 with each line's problem in <c>errors</c>.</summary>
    public static ProblemHttpResult Of(ReviewError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Code switch
        {
            ReviewErrorCode.NotFound => TypedResults.Problem(title: "Not found", detail: error.Message, statusCode: StatusCodes.Status404NotFound),
            ReviewErrorCode.MissingInput => TypedResults.Problem(title: "Incomplete decision", detail: error.Message, statusCode: StatusCodes.Status400BadRequest),
            ReviewErrorCode.InvalidMarkdown => TypedResults.Problem(
                title: "The edited Markdown is not a valid article",
                detail: error.Message,
                statusCode: StatusCodes.Status422UnprocessableEntity,
                extensions: new Dictionary<string, object?>
                {
                    ["errors"] = new Dictionary<string, string[]>
                    {
                        ["edited_markdown"] = error.FileErrors.Count > 0 ? [.. error.FileErrors.Select(e => $"line {e.Line}: {e.Problem}")] : [error.Message],
                    },
                }),
            ReviewErrorCode.FileConflict => TypedResults.Problem(title: "Knowledge file conflict", detail: error.Message, statusCode: StatusCodes.Status409Conflict),
            ReviewErrorCode.ConcurrentDecision => TypedResults.Problem(title: "Decided elsewhere at the same time", detail: error.Message, statusCode: StatusCodes.Status409Conflict),
            _ => TypedResults.Problem(title: "Decision refused", detail: error.Message, statusCode: StatusCodes.Status409Conflict),
        };
    }

    /// <summary>Decisions on a server without <c>TicketOps:KnowledgeDir</c>.</summary>
    public static ProblemHttpResult NoKnowledgeFolder() =>
        TypedResults.Problem(title: "No knowledge folder configured", detail: ReviewDesk.NoKnowledgeFolder, statusCode: StatusCodes.Status503ServiceUnavailable);
}
