using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Escalation;
using TicketOps.Core.Storage;
using TicketOps.Web.Access;

namespace TicketOps.Web;

/// <summary>
/// <c>POST /api/cases/{id}/escalation-packet</c>: the agent's escalation packet, checked against the case's
/// investigation template and stored complete or not; a case is escalated only after a complete one.
/// </summary>
internal static class EscalationEndpoints
{
    public static IEndpointRouteBuilder MapEscalationEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/cases/{id:long}/escalation-packet", PrepareAsync)
            .RequireAuthorization(AccessPolicies.Agent)
            .WithTags("Cases")
            .WithName("PrepareEscalationPacket")
            .WithSummary("Write, check and store a case's escalation packet; the answer names what is missing before the case may be escalated.");
        return endpoints;
    }

    private static async Task<Results<Ok<EscalationPacketChecked>, ProblemHttpResult>> PrepareAsync(
        long id, EscalationPacketRequest request, EscalationService escalation, TicketOpsDbContext db, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (!await db.Cases.AnyAsync(c => c.Id == id, cancellationToken))
        {
            return TypedResults.Problem(title: "Not found", detail: $"No case with id {id}; use the id the case endpoints return (case_ids).", statusCode: StatusCodes.Status404NotFound);
        }

        var draft = new EscalationDraft(request.Hypothesis, request.Question, request.Impact, request.Evidence ?? []);
        EscalationPacketResult result = await escalation.PrepareAsync(
            id, draft, AccessClaims.ActorOf(user), string.IsNullOrWhiteSpace(request.Template) ? null : request.Template.Trim(), cancellationToken: cancellationToken);
        return result.Succeeded
            ? TypedResults.Ok(EscalationPacketChecked.Of(result))
            : TypedResults.Problem(title: "Escalation packet not stored", detail: result.Problem, statusCode: StatusCodes.Status400BadRequest);
    }
}

/// <summary>The body of <c>POST /api/cases/{id}/escalation-packet</c>; the actor is the key that sends it.</summary>
/// <param name="Hypothesis">What the agent thinks is wrong.</param>
/// <param name="Question">The open question for engineering.</param>
/// <param name="Impact">Customer impact.</param>
/// <param name="Evidence">Evidence beyond what the case already carries (log lines, steps tried).</param>
/// <param name="Template">The investigation template to follow (<c>IT-0001</c>); picked by product area when absent.</param>
internal sealed record EscalationPacketRequest(string? Hypothesis, string? Question, string? Impact, IReadOnlyList<string>? Evidence = null, string? Template = null);

/// <summary>A stored packet and its check: complete, or the missing pieces in words.</summary>
internal sealed record EscalationPacketChecked(long StoredId, bool Complete, string? TemplateId, IReadOnlyList<string> Missing, EscalationPacket Packet)
{
    public static EscalationPacketChecked Of(EscalationPacketResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        EscalationCheckResult check = result.Check!;
        return new(result.StoredId, check.IsComplete, check.TemplateId, [.. check.Missing.Select(m => m.Describe())], result.Packet!);
    }
}
