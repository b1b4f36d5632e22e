using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Metrics;
using TicketOps.Core.Review;
using TicketOps.Core.Storage;
using TicketOps.Web.Access;

namespace TicketOps.Web.Pages.Knowledge;

/// <summary>
/// Which knowledge needs attention: flagged, unused, often did not help, waiting for validation, archived or
/// superseded; and the owner's answers to it, <b>Validate</b> and <b>Archive</b> (reason required, optionally
/// superseded by another article), taken by <see cref="KnowledgeReview"/> as the signed-in key exactly as
/// <c>POST /api/knowledge/{id}/validate</c> and <c>/archive</c> take them (same lock, same audit entry).
/// </summary>
[Authorize(Policy = AccessPolicies.KnowledgeOwner)]
public sealed class HealthModel(TicketOpsDbContext db, TimeProvider timeProvider, ReviewDesk desk) : PageModel
{
    public ContentHealthReport Report { get; private set; } = null!;

    /// <summary>Draft and not-validated articles: usable only once an owner validates them (not matched until then).</summary>
    public IReadOnlyList<KnowledgeArticle> AwaitingValidation { get; private set; } = [];

    /// <summary>The last decision's answer.</summary>
    public DecisionOutcome? Outcome { get; private set; }

    /// <summary>The article decided on.</summary>
    [BindProperty]
    public string? KnowledgeId { get; set; }

    /// <summary>Why (required to archive).</summary>
    [BindProperty]
    public string? Reason { get; set; }

    /// <summary>Archive: the live article that replaces this one, if any.</summary>
    [BindProperty]
    public string? SupersededBy { get; set; }

    public Task OnGetAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    public Task<IActionResult> OnPostValidateAsync(CancellationToken cancellationToken) =>
        DecideAsync((review, id, ct) => review.ValidateAsync(id, AccessClaims.ActorOf(User), Blank(Reason), ct), cancellationToken);

    public Task<IActionResult> OnPostArchiveAsync(CancellationToken cancellationToken) =>
        DecideAsync((review, id, ct) => review.ArchiveAsync(id, AccessClaims.ActorOf(User), Reason ?? "", Blank(SupersededBy)?.Trim(), ct), cancellationToken);

    private async Task<IActionResult> DecideAsync(Func<KnowledgeReview, string, CancellationToken, Task<ReviewResult<ReviewDecision>>> decision, CancellationToken cancellationToken)
    {
        Outcome = string.IsNullOrWhiteSpace(KnowledgeId)
            ? DecisionOutcome.Refused("Name the article (e.g. PB-0003).")
            : DecisionOutcome.Of(await desk.DecideAsync((review, ct) => decision(review, KnowledgeId.Trim(), ct), cancellationToken));
        if (Outcome.Done)
        {
            // The form fields are spent; the lists below show the article in its new place.
            ModelState.Clear();
            Reason = null;
            SupersededBy = null;
        }

        await LoadAsync(cancellationToken);
        Response.StatusCode = Outcome.Status;
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Report = await SupportMetrics.ContentHealthAsync(db, timeProvider.GetUtcNow().UtcDateTime, cancellationToken: cancellationToken);
        List<KnowledgeArticle> waiting = await db.Set<KnowledgeArticle>().AsNoTracking()
            .Where(a => a.State == KnowledgeState.Draft || a.State == KnowledgeState.NotValidated)
            .ToListAsync(cancellationToken);
        AwaitingValidation = [.. waiting.OrderBy(a => a.LoadedAt).ThenBy(a => a.Id, StringComparer.Ordinal)];
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
