using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using TicketOps.Core.Import;
using TicketOps.Core.Cases;
using TicketOps.Core.Knowledge;
using TicketOps.Web.Access;

namespace TicketOps.Web;

/// <summary>
/// Cases in from a ticket system (one, a batch, the generic and the Zendesk webhook) and case outcomes.
/// Records use the field names of <c>ticketops import</c>'s JSON format (docs/import.md).
/// </summary>
internal static class CaseEndpoints
{
    public static IEndpointRouteBuilder MapCaseEndpoints(this IEndpointRouteBuilder endpoints, TicketOpsWebOptions options)
    {
        RouteGroupBuilder cases = endpoints.MapGroup("/api/cases").WithTags("Cases");
        cases.MapPost("/", ReceiveOneAsync)
            .RequireAuthorization(AccessPolicies.Admin)
            .WithName("ReceiveCase")
            .WithSummary("Store one case (upsert by source and external_id); a resolved case is indexed for matching at once.");
        cases.MapPost("/batch", ReceiveBatchAsync)
            .RequireAuthorization(AccessPolicies.Admin)
            .WithMetadata(new RequestSizeLimitAttribute(options.MaxBatchBodyBytes))
            .WithName("ReceiveCaseBatch")
            .WithSummary("Store many cases in one transaction: all or nothing, with every invalid field named (cases[i].field).");
        cases.MapPost("/{id:long}/outcome", RecordOutcomeAsync)
            .RequireAuthorization(AccessPolicies.Agent)
            .WithName("RecordCaseOutcome")
            .WithSummary("Record what happened to a case: solved_without_engineering, escalated, escalation_returned, solved_by_engineering.");

        RouteGroupBuilder webhooks = endpoints.MapGroup("/api/webhooks").WithTags("Cases").RequireAuthorization(AccessPolicies.Admin);
        webhooks.MapPost("/tickets", ReceiveTicketEventAsync)
            .WithName("TicketWebhook")
            .WithSummary("A new, updated or resolved ticket from any system: {\"event\": \"created|updated|resolved\", \"ticket\": {case fields}}.");
        webhooks.MapPost("/zendesk", ReceiveZendeskEventAsync)
            .WithName("ZendeskWebhook")
            .WithSummary("A Zendesk ticket event ({\"type\": \"zen:event-type:ticket.…\", \"detail\": {ticket}}) or trigger payload ({\"ticket\": {…}}).");
        return endpoints;
    }

    private static Task<Results<Ok<CasesReceived>, ValidationProblem>> ReceiveOneAsync(
        JsonElement body, CaseReceiver receiver, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        ReceiveAsync(receiver, [body], ImportFormat.Json, Origin("/api/cases", user), batch: false, cancellationToken);

    private static async Task<Results<Ok<CasesReceived>, ValidationProblem>> ReceiveBatchAsync(
        JsonElement body, CaseReceiver receiver, IOptions<TicketOpsWebOptions> options, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        JsonElement list = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("cases", out JsonElement wrapped) ? wrapped : body;
        if (list.ValueKind != JsonValueKind.Array)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["cases"] = ["send a JSON array of cases, or {\"cases\": [...]}."] });
        }

        int count = list.GetArrayLength();
        if (count == 0 || count > options.Value.MaxBatchCases)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["cases"] = [count == 0 ? "is empty." : $"has {count} cases; send at most {options.Value.MaxBatchCases} per request, or use 'ticketops import' for a bulk load."],
            });
        }

        return await ReceiveAsync(receiver, [.. list.EnumerateArray()], ImportFormat.Json, Origin("/api/cases/batch", user), batch: true, cancellationToken);
    }

    private static async Task<Results<Ok<CasesReceived>, ValidationProblem>> ReceiveTicketEventAsync(
        JsonElement body, CaseReceiver receiver, TimeProvider timeProvider, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["ticket"] = ["send {\"event\": \"created|updated|resolved\", \"ticket\": {case fields}}."] });
        }

        JsonElement ticket = body.TryGetProperty("ticket", out JsonElement inner) ? inner : body;
        string? kind = body.TryGetProperty("event", out JsonElement e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
        if (ticket.ValueKind == JsonValueKind.Object && kind is not null && kind.EndsWith("resolved", StringComparison.OrdinalIgnoreCase)
            && (!ticket.TryGetProperty("resolved_at", out JsonElement resolvedAt) || resolvedAt.ValueKind == JsonValueKind.Null))
        {
            // A "resolved" event is the resolution: when the ticket system does not say when, it is now.
            var patched = System.Text.Json.Nodes.JsonNode.Parse(ticket.GetRawText())!.AsObject();
            patched["resolved_at"] = timeProvider.GetUtcNow().UtcDateTime;
            ticket = JsonSerializer.SerializeToElement(patched);
        }

        return await ReceiveAsync(receiver, [ticket], ImportFormat.Json, Origin("/api/webhooks/tickets", user), batch: false, cancellationToken);
    }

    private static Task<Results<Ok<CasesReceived>, ValidationProblem>> ReceiveZendeskEventAsync(
        JsonElement body, CaseReceiver receiver, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        ReceiveAsync(receiver, [ZendeskWebhook.TicketOf(body)], ImportFormat.Zendesk, Origin("/api/webhooks/zendesk", user), batch: false, cancellationToken);

    private static async Task<Results<Ok<CasesReceived>, ValidationProblem>> ReceiveAsync(
        CaseReceiver receiver, IReadOnlyList<JsonElement> records, ImportFormat format, string origin, bool batch, CancellationToken cancellationToken)
    {
        (CasesReceived? received, IDictionary<string, string[]>? errors) = await receiver.ReceiveAsync(records, format, origin, batch, cancellationToken);
        return received is not null
            ? TypedResults.Ok(received)
            : TypedResults.ValidationProblem(errors!, detail: "Nothing was stored; fix the fields named in errors and send the request again.");
    }

    private static async Task<Results<Ok<CaseOutcomeRecorded>, ProblemHttpResult>> RecordOutcomeAsync(
        long id, CaseOutcomeRequest request, FeedbackService feedback, CaseReceiver receiver, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        List<EscalationAsk> asks = [.. (request.Asks ?? []).Select(a => new EscalationAsk { Kind = a.Kind, Item = a.Item })];
        FeedbackResult result = await feedback.RecordOutcomeAsync(id, request.Outcome, AccessClaims.ActorOf(user), request.At?.UtcDateTime, asks, cancellationToken);
        if (!result.Succeeded)
        {
            return FeedbackProblems.Of(result);
        }

        // Solving a case makes it matchable; the index follows at once, as it does for imports.
        await receiver.ReindexAsync(id, cancellationToken);
        CaseOutcomeEvent recorded = result.Outcome!;
        return TypedResults.Ok(new CaseOutcomeRecorded(id, recorded.Outcome, recorded.At, recorded.Actor));
    }

    private static string Origin(string path, ClaimsPrincipal user) => $"api {path} by {AccessClaims.ActorOf(user)}";
}

/// <summary>The body of <c>POST /api/cases/{id}/outcome</c>.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="At">When; now when absent.</param>
/// <param name="Asks">With <c>escalation_returned</c>: what the receiving team asked for.</param>
internal sealed record CaseOutcomeRequest(CaseOutcome Outcome, DateTimeOffset? At = null, IReadOnlyList<EscalationAskRequest>? Asks = null);

/// <summary>One ask of the receiving team in <see cref="CaseOutcomeRequest"/>.</summary>
/// <param name="Kind"><c>missing_evidence</c> or <c>unclear_ownership</c>.</param>
/// <param name="Item">The evidence item asked for (required for missing evidence), or a note.</param>
internal sealed record EscalationAskRequest(EscalationAskKind Kind, string? Item = null);

/// <summary>An outcome recorded on a case.</summary>
/// <param name="CaseId">The case.</param>
/// <param name="Outcome">What happened.</param>
/// <param name="At">When it happened (UTC).</param>
/// <param name="RecordedBy">The key that recorded it (<c>name (prefix)</c>).</param>
internal sealed record CaseOutcomeRecorded(long CaseId, CaseOutcome Outcome, DateTime At, string RecordedBy);

/// <summary>
/// Zendesk sends either an event webhook (<c>{"type": "zen:event-type:ticket.created", "detail": {ticket}}</c>,
/// status in capitals) or whatever JSON a trigger's body template makes, usually <c>{"ticket": {...}}</c>.
/// Both become a ticket in the Zendesk export shape, which the importer already reads.
/// </summary>
internal static class ZendeskWebhook
{
    public static JsonElement TicketOf(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return body;
        }

        JsonElement ticket = body.TryGetProperty("detail", out JsonElement detail) && detail.ValueKind == JsonValueKind.Object ? detail
            : body.TryGetProperty("ticket", out JsonElement inner) && inner.ValueKind == JsonValueKind.Object ? inner
            : body;
        if (!ticket.TryGetProperty("status", out JsonElement status) || status.ValueKind != JsonValueKind.String)
        {
            return ticket;
        }

        var normalised = System.Text.Json.Nodes.JsonNode.Parse(ticket.GetRawText())!.AsObject();
        normalised["status"] = status.GetString()!.ToLowerInvariant();
        return JsonSerializer.SerializeToElement(normalised);
    }
}
