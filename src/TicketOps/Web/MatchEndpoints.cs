using Microsoft.AspNetCore.Http.HttpResults;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Matching;
using TicketOps.Core.Routing;
using TicketOps.Core.Storage;
using TicketOps.Web.Access;

namespace TicketOps.Web;

/// <summary><c>POST /api/match</c>: knowledge and similar resolved cases for a ticket, with why each matched.</summary>
internal static class MatchEndpoints
{
    private const int MaxTextLength = 20_000;
    private const int MaxTop = 50;

    public static IEndpointRouteBuilder MapMatchEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/match", MatchAsync)
            .RequireAuthorization(AccessPolicies.Agent)
            .WithTags("Matching")
            .WithName("MatchTicket")
            .WithSummary("Match a ticket to playbooks, templates and similar resolved cases, grouped by kind, with explanations.")
            .WithDescription("An honest 'no good match' (has_good_match false) comes with the nearest items, for what they are worth.");
        return endpoints;
    }

    private static async Task<Results<Ok<MatchResponse>, ValidationProblem>> MatchAsync(
        MatchTicketRequest request, TicketMatcher matcher, TicketOpsDbContext db, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(request.Text))
        {
            errors["text"] = ["is required: the ticket's title and description in the customer's words."];
        }
        else if (request.Text.Length > MaxTextLength)
        {
            errors["text"] = [$"is {request.Text.Length} characters; send at most {MaxTextLength} (the title and the first part of the description match best)."];
        }

        if (request.Top is < 1 or > MaxTop)
        {
            errors["top"] = [$"must be between 1 and {MaxTop}."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var filter = new MatchFilter { Product = Blank(request.Product), Component = Blank(request.Component), Version = Blank(request.Version) };
        MatchResult result = await matcher.MatchAsync(
            new MatchRequest
            {
                Text = request.Text!,
                MaxResults = request.Top ?? 5,
                Filter = filter,
            },
            cancellationToken);
        OwnershipAdvice advice = await new OwnershipAdvisor(matcher).AdviseAsync(db, request.Text!, filter, result.KnowledgeIds, timeProvider.GetUtcNow().UtcDateTime, cancellationToken);
        return TypedResults.Ok(MatchResponse.Of(result, matcher.Options, await KnowledgeUsage.OfAsync(db, result.KnowledgeIds, cancellationToken)) with { Ownership = OwnershipAdviceView.Of(advice) });
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>The body of <c>POST /api/match</c>.</summary>
/// <param name="Text">The ticket text (title and description).</param>
/// <param name="Product">Only items of this product area.</param>
/// <param name="Component">Only items of this component.</param>
/// <param name="Version">Only items of this version (4.12 also matches 4.12.3).</param>
/// <param name="Top">Items per kind (knowledge, cases); default 5.</param>
internal sealed record MatchTicketRequest(string? Text, string? Product = null, string? Component = null, string? Version = null, int? Top = null);

/// <summary>A match result, grouped by kind (playbook, template, case), with the ownership-depth advice.</summary>
/// <param name="HasGoodMatch">False when even the best item is below the "no good match" threshold.</param>
/// <param name="NoMatchThreshold">The evidence a good match needs.</param>
/// <param name="Groups">The items by kind.</param>
/// <param name="PendingVectors">Items of the index still waiting for their vector (just received or imported): they took part by BM25 alone.</param>
internal sealed record MatchResponse(bool HasGoodMatch, float NoMatchThreshold, IReadOnlyList<MatchGroupView> Groups, int PendingVectors)
{
    /// <summary>Where the ticket most likely belongs (frontline, l2, engineering, incident), or "not enough evidence".</summary>
    public OwnershipAdviceView? Ownership { get; init; }

    /// <summary><c>fused</c>, or <c>tuned</c> when the ranking learned from the organisation's links ordered the items.</summary>
    public string RankedBy { get; init; } = "fused";

    public static MatchResponse Of(MatchResult result, MatcherOptions options, IReadOnlyDictionary<string, KnowledgeUsage> usage) =>
        new(result.HasGoodMatch, options.NoMatchThreshold, [.. result.Groups.Select(g => new MatchGroupView(KindName(g.Kind), [.. g.Items.Select(i => MatchItemView.Of(i, usage))]))], result.PendingVectors)
        {
            RankedBy = result.RankedBy.ToString().ToLowerInvariant(),
        };

    internal static string KindName(MatchDocumentKind kind) => kind.ToString().ToLowerInvariant();
}

/// <summary>The items of one kind, best first.</summary>
internal sealed record MatchGroupView(string Kind, IReadOnlyList<MatchItemView> Items);

/// <summary>One matched item and why it matched (the CLI's <c>match --format json</c> prints the same).</summary>
internal sealed record MatchItemView(string Id, string Kind, string Title, double Score, double Evidence, string Confidence, MatchExplanationView Explanation)
{
    public static MatchItemView Of(MatchedItem item, IReadOnlyDictionary<string, KnowledgeUsage> usage) => new(
        item.Id,
        MatchResponse.KindName(item.Kind),
        item.Title,
        Math.Round(item.Score, 4),
        Math.Round(item.Evidence, 4),
        item.Confidence.ToString().ToLowerInvariant(),
        new MatchExplanationView(
            item.Explanation.MatchedTerms,
            item.Explanation.SharedIdentifiers,
            item.Explanation.SharedEnvironment,
            Math.Round(item.Explanation.SemanticSimilarity, 4),
            item.Explanation.LexicalRank,
            item.Explanation.SemanticRank,
            item.Explanation.Snippets,
            usage.GetValueOrDefault(item.Id),
            item.Explanation.VectorPending));
}

/// <summary>
/// Why an item matched: shared terms, identifiers (error codes, versions), environment, semantic similarity, ranks,
/// highlighted snippets, for knowledge its usage history (null for cases), and whether its vector is still pending
/// (then it was ranked by BM25 alone).
/// </summary>
internal sealed record MatchExplanationView(
    IReadOnlyList<string> MatchedTerms,
    IReadOnlyList<string> SharedIdentifiers,
    IReadOnlyList<string> SharedEnvironment,
    double SemanticSimilarity,
    int? LexicalRank,
    int? SemanticRank,
    IReadOnlyList<string> Snippets,
    KnowledgeUsage? Usage,
    bool VectorPending);
