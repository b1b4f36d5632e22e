using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Storage;
using TicketOps.Web.Access;

namespace TicketOps.Web;

/// <summary>Reading knowledge (any role) and flagging it as wrong or stale (agents).</summary>
internal static class KnowledgeEndpoints
{
    public static IEndpointRouteBuilder MapKnowledgeEndpoints(this IEndpointRouteBuilder endpoints)
    {
        RouteGroupBuilder knowledge = endpoints.MapGroup("/api/knowledge").WithTags("Knowledge");
        knowledge.MapGet("/", ListAsync)
            .WithName("ListKnowledge")
            .WithSummary("Playbooks and investigation templates, optionally only one state, type or product area.");
        knowledge.MapGet("/{id}", GetAsync)
            .WithName("GetKnowledge")
            .WithSummary("One article with its sections and metadata.");
        knowledge.MapPost("/{id}/flag", FlagAsync)
            .RequireAuthorization(AccessPolicies.Agent)
            .WithName("FlagKnowledge")
            .WithSummary("Flag an article as wrong, stale or incomplete on a case; it goes to its owner's queue.");
        return endpoints;
    }

    private static async Task<Results<Ok<IReadOnlyList<KnowledgeSummary>>, ValidationProblem>> ListAsync(
        TicketOpsDbContext db, [FromQuery(Name = "state")] string? stateName, [FromQuery(Name = "type")] string? typeName, string? product, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        KnowledgeState? state = ParseWord<KnowledgeState>("state", stateName, "draft, not_validated, validated or archived", errors);
        KnowledgeType? type = ParseWord<KnowledgeType>("type", typeName, "playbook or template", errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        IQueryable<KnowledgeArticle> query = db.Set<KnowledgeArticle>().AsNoTracking();
        if (state is not null)
        {
            query = query.Where(a => a.State == state);
        }

        if (type is not null)
        {
            query = query.Where(a => a.Type == type);
        }

        List<KnowledgeArticle> articles = await query.OrderBy(a => a.Id).ToListAsync(cancellationToken);
        IReadOnlyList<KnowledgeSummary> summaries = [.. articles
            .Where(a => product is null || a.ProductAreas.Contains(product, StringComparer.OrdinalIgnoreCase))
            .Select(KnowledgeSummary.Of)];
        return TypedResults.Ok(summaries);
    }

    // Query values are the words the JSON uses (not_validated), not the C# names.
    private static T? ParseWord<T>(string name, string? text, string allowed, Dictionary<string, string[]> errors)
        where T : struct, Enum
    {
        if (text is null)
        {
            return null;
        }

        if (Enum.TryParse(text.Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out T value) && Enum.IsDefined(value))
        {
            return value;
        }

        errors[name] = [$"must be {allowed}, not '{text}'."];
        return null;
    }

    private static async Task<Results<Ok<KnowledgeDetail>, ProblemHttpResult>> GetAsync(string id, TicketOpsDbContext db, CancellationToken cancellationToken)
    {
        KnowledgeArticle? article = await db.Set<KnowledgeArticle>().AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        return article is null
            ? TypedResults.Problem(title: "Not found", detail: $"No knowledge article '{id}'.", statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Ok(KnowledgeDetail.Of(article));
    }

    private static async Task<Results<Created<KnowledgeEventView>, ProblemHttpResult>> FlagAsync(
        string id, FlagRequest request, FeedbackService feedback, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        FeedbackResult result = await feedback.RecordAsync(
            new KnowledgeFeedback(request.CaseId, id, KnowledgeEventKind.Flagged, AccessClaims.ActorOf(user), request.Reason),
            cancellationToken);
        return result.Succeeded
            ? TypedResults.Created((string?)null, KnowledgeEventView.Of(result.Event!))
            : FeedbackProblems.Of(result);
    }
}

/// <summary>The body of <c>POST /api/knowledge/{id}/flag</c>.</summary>
/// <param name="CaseId">The case on which the article was wrong or stale.</param>
/// <param name="Reason">What is wrong, so the owner can act (e.g. "step 3 no longer exists in v4.3").</param>
internal sealed record FlagRequest(long CaseId, string? Reason);

/// <summary>An article in a list.</summary>
internal sealed record KnowledgeSummary(
    string Id, KnowledgeType Type, string Title, KnowledgeState State, string Owner, IReadOnlyList<string> ProductAreas,
    int Version, DateOnly Created, DateOnly? Reviewed, string? TemplateId, string? SupersededBy)
{
    public static KnowledgeSummary Of(KnowledgeArticle a) =>
        new(a.Id, a.Type, a.Title, a.State, a.Owner, a.ProductAreas, a.Version, a.Created, a.Reviewed, a.TemplateId, a.SupersededBy);
}

/// <summary>An article with its sections and where it came from.</summary>
internal sealed record KnowledgeDetail(KnowledgeSummary Summary, IReadOnlyList<KnowledgeSection> Sections, IReadOnlyList<string> SourceCaseIds, string? SourcePath)
{
    public static KnowledgeDetail Of(KnowledgeArticle a) => new(KnowledgeSummary.Of(a), a.Sections, a.SourceCaseIds, a.SourcePath);
}
