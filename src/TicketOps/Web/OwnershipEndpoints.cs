using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using TicketOps.Core.Cases;
using TicketOps.Core.Routing;
using TicketOps.Core.Storage;
using TicketOps.Core.Themes;
using TicketOps.Web.Access;

namespace TicketOps.Web;

/// <summary><c>POST /api/ownership/decisions</c>: where an agent sent a case, beside the ownership advice they were shown.</summary>
internal static class OwnershipEndpoints
{
    public static IEndpointRouteBuilder MapOwnershipEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/ownership/decisions", RecordAsync)
            .RequireAuthorization(AccessPolicies.Agent)
            .WithTags("Matching")
            .WithName("RecordOwnershipDecision")
            .WithSummary("Record where a case was sent (frontline, l2, engineering, incident) and the depth advised with its match (null when the advice was 'not enough evidence').");
        return endpoints;
    }

    private static async Task<Results<Created<OwnershipDecisionView>, ValidationProblem, ProblemHttpResult>> RecordAsync(
        OwnershipDecisionRequest request, TicketOpsDbContext db, TimeProvider timeProvider, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        OwnershipDepth? chosen = OwnershipDepths.Parse(request.Chosen);
        OwnershipDepth? advised = OwnershipDepths.Parse(request.Advised);
        if (chosen is null)
        {
            errors["chosen"] = [$"'{request.Chosen}' is not a depth; use frontline, l2, engineering or incident."];
        }

        if (!string.IsNullOrWhiteSpace(request.Advised) && advised is null)
        {
            errors["advised"] = [$"'{request.Advised}' is not a depth; use frontline, l2, engineering, incident, or leave it out when the advice was 'not enough evidence'."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        (OwnershipDecision? decision, string? problem) = await OwnershipDecisions.RecordAsync(
            db, request.CaseId, advised, chosen!.Value, AccessClaims.ActorOf(user), request.At?.UtcDateTime ?? timeProvider.GetUtcNow().UtcDateTime, cancellationToken);
        return decision is null
            ? TypedResults.Problem(title: "Not found", detail: problem, statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Created((string?)null, OwnershipDecisionView.Of(decision));
    }
}

/// <summary>The body of <c>POST /api/ownership/decisions</c>; the actor is the key that sends it.</summary>
/// <param name="CaseId">The case's id (as in <c>/api/feedback</c>).</param>
/// <param name="Chosen">Where the case was sent: frontline, l2, engineering or incident.</param>
/// <param name="Advised">The depth the match advised; null or absent when it said "not enough evidence".</param>
/// <param name="At">When (default now).</param>
internal sealed record OwnershipDecisionRequest(long CaseId, string? Chosen, string? Advised = null, DateTimeOffset? At = null);

/// <summary>A recorded routing decision.</summary>
internal sealed record OwnershipDecisionView(long Id, long CaseId, string? Advised, string Chosen, bool? Followed, DateTime At, string Actor)
{
    public static OwnershipDecisionView Of(OwnershipDecision d) =>
        new(d.Id, d.CaseId, d.Advised is { } a ? OwnershipDepths.Name(a) : null, OwnershipDepths.Name(d.Chosen), d.Followed, d.At, d.Actor);
}

/// <summary>The ownership part of a match (the CLI's <c>match --format json</c> prints the same).</summary>
/// <param name="Depth">frontline, l2, engineering or incident; null for "not enough evidence".</param>
/// <param name="Reason">Why, in one line.</param>
/// <param name="Agreement">Share of the similar cases' score-weighted votes for the leading depth.</param>
/// <param name="Votes">Similar resolved cases per final depth.</param>
/// <param name="Cases">The similar resolved cases behind it.</param>
/// <param name="EscalateWhen">The matching playbook's template's escalation criteria.</param>
/// <param name="CriteriaFrom">That template's id.</param>
/// <param name="Surge">A burst of recent cases quoting the ticket's identifier, when there is one.</param>
internal sealed record OwnershipAdviceView(
    string? Depth, string Reason, double? Agreement, IReadOnlyDictionary<string, int> Votes, IReadOnlyList<OwnershipCaseView> Cases,
    string? EscalateWhen, string? CriteriaFrom, IncidentSignalView? Surge)
{
    public static OwnershipAdviceView Of(OwnershipAdvice advice) => new(
        advice.Depth is { } d ? OwnershipDepths.Name(d) : null,
        advice.Reason,
        advice.Agreement,
        advice.Votes.ToDictionary(v => OwnershipDepths.Name(v.Depth), v => v.Cases),
        [.. advice.Cases.Select(c => new OwnershipCaseView(c.CaseId, c.Title, OwnershipDepths.Name(c.FinalDepth), c.Score, c.OwnerChanges))],
        advice.EscalateWhen,
        advice.CriteriaFrom,
        advice.Surge is { } s ? IncidentSignalView.Of(s) : null);
}

/// <summary>A similar resolved case behind an ownership advice.</summary>
internal sealed record OwnershipCaseView(string CaseId, string Title, string SolvedAt, double Score, int OwnerChanges);

/// <summary>A suspected incident: a burst of cases quoting one identifier on one release line.</summary>
internal sealed record IncidentSignalView(
    string Identifier, string VersionLine, string FirstCase, DateTime FirstAt, DateTime FlaggedAt, int CasesToFlag, int Cases, int Customers, double PerHour, double BaselinePerHour)
{
    public static IncidentSignalView Of(IncidentSignal s) =>
        new(s.Identifier, s.VersionLine, s.FirstCase, s.FirstAt, s.FlaggedAt, s.CasesToFlag, s.Cases, s.Customers, s.PerHour, s.BaselinePerHour);
}
