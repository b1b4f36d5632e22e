using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using TicketOps.Core.Knowledge;
using TicketOps.Web.Access;

namespace TicketOps.Web;

/// <summary><c>POST /api/feedback</c>: what an agent did with a piece of knowledge on a case.</summary>
internal static class FeedbackEndpoints
{
    public static IEndpointRouteBuilder MapFeedbackEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/feedback", RecordAsync)
            .RequireAuthorization(AccessPolicies.Agent)
            .WithTags("Feedback")
            .WithName("RecordFeedback")
            .WithSummary("Record a knowledge event on a case: suggested, used, helped, did_not_help or flagged (with a reason).");
        return endpoints;
    }

    private static async Task<Results<Created<KnowledgeEventView>, ProblemHttpResult>> RecordAsync(
        FeedbackRequest request, FeedbackService feedback, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        FeedbackResult result = await feedback.RecordAsync(
            new KnowledgeFeedback(request.CaseId, request.KnowledgeId ?? "", request.Kind, AccessClaims.ActorOf(user), request.Reason, request.At?.UtcDateTime),
            cancellationToken);
        return result.Succeeded
            ? TypedResults.Created((string?)null, KnowledgeEventView.Of(result.Event!))
            : FeedbackProblems.Of(result);
    }
}

/// <summary>The body of <c>POST /api/feedback</c>; the actor is the key that sends it.</summary>
internal sealed record FeedbackRequest(long CaseId, string? KnowledgeId, KnowledgeEventKind Kind, string? Reason = null, DateTimeOffset? At = null);

/// <summary>A recorded knowledge event.</summary>
internal sealed record KnowledgeEventView(long Id, long CaseId, string KnowledgeId, KnowledgeEventKind Kind, string? Reason, DateTime At, string Actor)
{
    public static KnowledgeEventView Of(KnowledgeEvent e) => new(e.Id, e.CaseId, e.KnowledgeId, e.Kind, e.Reason, e.At, e.Actor);
}

/// <summary>Feedback errors as ProblemDetails: a missing case or article is 404, an illegal outcome or an escalation without a complete packet 409, the rest 400.</summary>
internal static class FeedbackProblems
{
    public static ProblemHttpResult Of(FeedbackResult result) => result.ErrorCode switch
    {
        FeedbackErrorCode.CaseNotFound or FeedbackErrorCode.KnowledgeNotFound or FeedbackErrorCode.FlagNotFound =>
            TypedResults.Problem(title: "Not found", detail: result.Message, statusCode: StatusCodes.Status404NotFound),
        FeedbackErrorCode.EscalationPacketIncomplete =>
            TypedResults.Problem(title: "Escalation packet incomplete", detail: result.Message, statusCode: StatusCodes.Status409Conflict),
        FeedbackErrorCode.InvalidOutcome =>
            TypedResults.Problem(title: "Outcome does not fit the case", detail: result.Message, statusCode: StatusCodes.Status409Conflict),
        _ => TypedResults.Problem(title: "Invalid feedback", detail: result.Message, statusCode: StatusCodes.Status400BadRequest),
    };
}
