using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Cases;
using TicketOps.Core.Escalation;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Matching;
using TicketOps.Core.Routing;
using TicketOps.Core.Storage;
using TicketOps.Web.Access;

namespace TicketOps.Web.Pages.Agent;

/// <summary>
/// The agent's page: paste a ticket, see playbooks and templates then similar resolved cases with why each
/// matched, and record with one click what was used and whether it helped.
/// </summary>
[Authorize(Policy = AccessPolicies.Agent)]
public sealed class MatchModel(TicketOpsDbContext db) : PageModel
{
    /// <summary>The longest ticket text accepted (a pasted log beyond this adds nothing the matcher uses).</summary>
    public const int MaxTicketLength = 20_000;

    [BindProperty]
    [Required(ErrorMessage = "Paste the ticket text (title and description) to match.")]
    [StringLength(MaxTicketLength, ErrorMessage = "The ticket text is longer than {1} characters; paste the title, the description and the key error lines.")]
    public string? Ticket { get; set; }

    [BindProperty]
    [StringLength(100)]
    public string? Product { get; set; }

    [BindProperty]
    [StringLength(100)]
    public string? Component { get; set; }

    [BindProperty]
    [StringLength(50)]
    public string? Version { get; set; }

    /// <summary>The case being worked on (ticket id or TicketOps id), to record feedback against.</summary>
    [BindProperty]
    [StringLength(200)]
    public string? CaseRef { get; set; }

    public MatchResult? Result { get; private set; }

    public float NoMatchThreshold { get; private set; }

    /// <summary>Per knowledge id: how often agents used it, and said it helped or did not.</summary>
    public IReadOnlyDictionary<string, KnowledgeUsage> Usage { get; private set; } = new Dictionary<string, KnowledgeUsage>();

    public string? Problem { get; private set; }

    public void OnGet()
    {
    }

    /// <summary>Where the ticket most likely belongs, shown above the matches.</summary>
    public OwnershipAdvice? Ownership { get; private set; }

    public async Task<IActionResult> OnPostAsync([FromServices] TicketMatcher matcher, [FromServices] TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(matcher);
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        if (matcher.Lexical.Count == 0)
        {
            Problem = "The match index is empty: import resolved cases (ticketops import) or rebuild it (ticketops index rebuild), then match again.";
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Page();
        }

        NoMatchThreshold = matcher.Options.NoMatchThreshold;
        var filter = new MatchFilter { Product = Blank(Product), Component = Blank(Component), Version = Blank(Version) };
        Result = await matcher.MatchAsync(
            new MatchRequest
            {
                Text = Ticket!,
                MaxResults = 5,
                Filter = filter,
            },
            cancellationToken);
        Usage = await KnowledgeUsage.OfAsync(db, Result.KnowledgeIds, cancellationToken);
        Ownership = await new OwnershipAdvisor(matcher).AdviseAsync(db, Ticket!, filter, Result.KnowledgeIds, timeProvider.GetUtcNow().UtcDateTime, cancellationToken);
        return Page();
    }

    /// <summary>Records where the agent sent the case beside the advice shown; answers with the outcome fragment (htmx) or the page.</summary>
    public async Task<IActionResult> OnPostRouteAsync([FromServices] TimeProvider timeProvider, [FromForm] RouteForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        ModelState.Clear();
        return Answer(await RouteAsync(form, timeProvider, cancellationToken));
    }

    // The case a click is about: the "Case" field now, else the one it held when the ticket was matched.
    private async Task<(long CaseId, string CaseRef, FeedbackOutcome? Refused)> WorkedOnCaseAsync(string? caseRef, string? caseRefAtMatch, CancellationToken cancellationToken)
    {
        string? reference = Blank(caseRef) ?? Blank(caseRefAtMatch);
        if (reference is null)
        {
            return (0, "", FeedbackOutcome.Refused("Enter the case you are working on (its ticket id) in the 'Case' field above, then click again."));
        }

        (long? caseId, string? problem) = await ResolveCaseAsync(reference, cancellationToken);
        return caseId is { } id ? (id, reference, null) : (0, reference, FeedbackOutcome.Refused(problem ?? $"No case '{reference}'."));
    }

    private async Task<FeedbackOutcome> RouteAsync(RouteForm form, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        if (OwnershipDepths.Parse(form.Chosen) is not { } chosen)
        {
            return FeedbackOutcome.Refused($"Unknown depth '{form.Chosen}': use frontline, l2, engineering or incident.");
        }

        (long caseId, string caseRef, FeedbackOutcome? refused) = await WorkedOnCaseAsync(form.CaseRef, form.CaseRefAtMatch, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        OwnershipDepth? advised = OwnershipDepths.Parse(form.Advised);
        (OwnershipDecision? decision, string? problem) = await OwnershipDecisions.RecordAsync(db, caseId, advised, chosen, AccessClaims.ActorOf(User), timeProvider.GetUtcNow().UtcDateTime, cancellationToken);
        if (decision is null)
        {
            return FeedbackOutcome.Refused(problem!);
        }

        string followed = decision.Followed switch { true => "as advised", false => "against the advice (" + OwnershipDepths.Name(advised!.Value) + ")", null => "no advice was given" };
        return FeedbackOutcome.Ok($"Recorded: case {caseRef} sent to {OwnershipDepths.Name(chosen)}, {followed}.");
    }

    /// <summary>Records one feedback event; answers with the outcome fragment (htmx) or the page (no script).</summary>
    public async Task<IActionResult> OnPostFeedbackAsync([FromServices] FeedbackService feedback, [FromForm] FeedbackForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        ArgumentNullException.ThrowIfNull(form);
        ModelState.Clear();
        return Answer(await RecordAsync(feedback, form, cancellationToken));
    }

    // A click's outcome: the fragment beside the button (htmx), or the whole page when posted without script.
    private IActionResult Answer(FeedbackOutcome outcome)
    {
        if (!outcome.Recorded)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }

        if (Request.Headers.ContainsKey("HX-Request"))
        {
            return Partial("_FeedbackOutcome", outcome);
        }

        LastFeedback = outcome;
        return Page();
    }

    /// <summary>The outcome of a feedback click posted without script.</summary>
    public FeedbackOutcome? LastFeedback { get; private set; }

    private async Task<FeedbackOutcome> RecordAsync(FeedbackService feedback, FeedbackForm form, CancellationToken cancellationToken)
    {
        if (!FeedbackForm.Kinds.TryGetValue(form.Kind ?? "", out KnowledgeEventKind kind))
        {
            return FeedbackOutcome.Refused($"Unknown feedback '{form.Kind}': use used, helped, did-not-help or flag.");
        }

        (long caseId, string caseRef, FeedbackOutcome? refused) = await WorkedOnCaseAsync(form.CaseRef, form.CaseRefAtMatch, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        string actor = AccessClaims.ActorOf(User);
        FeedbackResult result = await feedback.RecordAsync(
            new KnowledgeFeedback(caseId, form.KnowledgeId ?? "", kind, actor, Blank(form.Reason)),
            cancellationToken);
        return result.Succeeded
            ? FeedbackOutcome.Ok($"Recorded: {FeedbackForm.Describe(kind)} {form.KnowledgeId} on case {caseRef}.")
            : FeedbackOutcome.Refused(result.Message!);
    }

    /// <summary>The last escalation packet written on this page: stored and checked, or why not.</summary>
    public EscalationOutcome? LastEscalation { get; private set; }

    /// <summary>Writes, checks and stores the escalation packet of a case; the check's missing pieces are shown beside the form.</summary>
    public async Task<IActionResult> OnPostEscalationAsync([FromServices] EscalationService escalation, [FromForm] EscalationForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(escalation);
        ArgumentNullException.ThrowIfNull(form);
        ModelState.Clear();
        string? caseRef = Blank(form.Case) ?? Blank(CaseRef);
        (long? caseId, string? caseProblem) = caseRef is null
            ? (null, "Enter the case to escalate (its ticket id or TicketOps id).")
            : await ResolveCaseAsync(caseRef, cancellationToken);
        if (caseId is null)
        {
            LastEscalation = new EscalationOutcome(false, caseProblem!, []);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        string[] evidence = (form.Evidence ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        EscalationPacketResult result = await escalation.PrepareAsync(
            caseId.Value, new EscalationDraft(form.Hypothesis, form.Question, form.Impact, evidence), AccessClaims.ActorOf(User), Blank(form.Template), cancellationToken: cancellationToken);
        if (!result.Succeeded)
        {
            LastEscalation = new EscalationOutcome(false, result.Problem!, []);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        EscalationCheckResult check = result.Check!;
        LastEscalation = check.IsComplete
            ? new EscalationOutcome(true, $"Escalation packet for case {caseRef} is complete{(check.TemplateId is null ? "" : $" (template {check.TemplateId})")}: the case may be escalated.", [])
            : new EscalationOutcome(false, $"Escalation packet for case {caseRef} stored, but incomplete{(check.TemplateId is null ? "" : $" (template {check.TemplateId})")}; add before escalating:", [.. check.Missing.Select(m => m.Describe())]);
        return Page();
    }

    /// <summary>A case by its ticket-system id (any source), or by its TicketOps id when that is all that matches.</summary>
    private async Task<(long? CaseId, string? Problem)> ResolveCaseAsync(string caseRef, CancellationToken cancellationToken)
    {
        List<long> byExternal = await db.Cases.AsNoTracking().Where(c => c.ExternalId == caseRef).OrderBy(c => c.Id).Select(c => c.Id).Take(2).ToListAsync(cancellationToken);
        if (byExternal.Count == 1)
        {
            return (byExternal[0], null);
        }

        if (byExternal.Count > 1)
        {
            return (null, $"Several sources have a case '{caseRef}'; enter its TicketOps id instead.");
        }

        if (long.TryParse(caseRef, System.Globalization.CultureInfo.InvariantCulture, out long id)
            && await db.Cases.AnyAsync(c => c.Id == id, cancellationToken))
        {
            return (id, null);
        }

        return (null, $"No case '{caseRef}': import it first, or check the ticket id.");
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>One click on a suggested article.</summary>
/// <summary>The "sent to" buttons under the ownership advice.</summary>
public sealed class RouteForm
{
    public string? Chosen { get; set; }

    public string? Advised { get; set; }

    public string? CaseRef { get; set; }

    public string? CaseRefAtMatch { get; set; }
}

public sealed class FeedbackForm
{
    public static IReadOnlyDictionary<string, KnowledgeEventKind> Kinds { get; } = new Dictionary<string, KnowledgeEventKind>(StringComparer.Ordinal)
    {
        ["used"] = KnowledgeEventKind.Used,
        ["helped"] = KnowledgeEventKind.Helped,
        ["did-not-help"] = KnowledgeEventKind.DidNotHelp,
        ["flag"] = KnowledgeEventKind.Flagged,
    };

    public string? KnowledgeId { get; set; }

    /// <summary>used, helped, did-not-help or flag (the clicked button's value).</summary>
    public string? Kind { get; set; }

    /// <summary>Why the article is flagged.</summary>
    public string? Reason { get; set; }

    /// <summary>The case field as it is now (sent along by htmx).</summary>
    public string? CaseRef { get; set; }

    /// <summary>The case field as it was when the ticket was matched (the form without script).</summary>
    public string? CaseRefAtMatch { get; set; }

    public static string Describe(KnowledgeEventKind kind) => kind switch
    {
        KnowledgeEventKind.Used => "used",
        KnowledgeEventKind.Helped => "helped",
        KnowledgeEventKind.DidNotHelp => "did not help",
        KnowledgeEventKind.Flagged => "flagged",
        _ => kind.ToString(),
    };
}

/// <summary>What happened to a feedback click, shown beside the buttons.</summary>
public sealed record FeedbackOutcome(bool Recorded, string Message)
{
    public static FeedbackOutcome Ok(string message) => new(true, message);

    public static FeedbackOutcome Refused(string message) => new(false, message);
}

/// <summary>The escalation packet form of the agent page.</summary>
public sealed class EscalationForm
{
    /// <summary>The case (ticket id or TicketOps id); the page's case field when empty.</summary>
    public string? Case { get; set; }

    public string? Hypothesis { get; set; }

    public string? Question { get; set; }

    public string? Impact { get; set; }

    /// <summary>Evidence gathered beyond the case's own steps, one item a line.</summary>
    public string? Evidence { get; set; }

    /// <summary>The investigation template (IT-0001); picked by product area when empty.</summary>
    public string? Template { get; set; }
}

/// <summary>The answer to an escalation packet: complete, or what is missing.</summary>
/// <param name="Complete">True when the case may be escalated.</param>
/// <param name="Message">What happened, in words.</param>
/// <param name="Missing">The check's missing pieces.</param>
public sealed record EscalationOutcome(bool Complete, string Message, IReadOnlyList<string> Missing);
