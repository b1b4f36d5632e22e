using Markdig;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Cases;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Matching;
using TicketOps.Core.Mining;
using TicketOps.Core.Review;
using TicketOps.Core.Storage;
using TicketOps.Web.Access;

namespace TicketOps.Web.Pages.Knowledge;

/// <summary>
/// One candidate beside the existing article it most resembles (or the one it proposes to update), with the
/// resolved cases it was mined from, and the review decisions (approve as it is, edit then approve, reject
/// with a reason, merge into an article), each taken by <see cref="KnowledgeReview"/> as the signed-in key.
/// </summary>
[Authorize(Policy = AccessPolicies.KnowledgeOwner)]
public sealed class CandidateModel(TicketOpsDbContext db, TicketMatcher matcher, ReviewDesk desk) : PageModel
{
    // Raw HTML in a draft (it quotes customers' words) is shown as text, never rendered.
    private static readonly MarkdownPipeline s_markdown = new MarkdownPipelineBuilder().UseAdvancedExtensions().DisableHtml().Build();

    public MiningCandidate Candidate { get; private set; } = null!;

    public IReadOnlyList<SupportCase> SourceCases { get; private set; } = [];

    /// <summary>The existing article to compare with; null when nothing in the knowledge base resembles it.</summary>
    public KnowledgeArticle? Nearest { get; private set; }

    /// <summary>How the nearest article matched the candidate; null for an update suggestion's named target that did not match.</summary>
    public MatchedItem? NearestMatch { get; private set; }

    /// <summary>The review service's view: the article an approval writes (to edit), warnings, the suggested merge target.</summary>
    public CandidateReview? Review { get; private set; }

    /// <summary>The last decision's answer: what was done (with the article id) or why it was refused.</summary>
    public DecisionOutcome? Outcome { get; private set; }

    /// <summary>The edited article text posted back (kept when a refusal sends the page back).</summary>
    [BindProperty]
    public string? EditedMarkdown { get; set; }

    /// <summary>Why a candidate is rejected.</summary>
    [BindProperty]
    public string? Reason { get; set; }

    /// <summary>The article to merge into.</summary>
    [BindProperty]
    public string? MergeTarget { get; set; }

    /// <summary>Approve as not validated (kept out of matching).</summary>
    [BindProperty]
    public bool NotValidated { get; set; }

    /// <summary>The target a merge is offered into: the service's suggestion, else the most similar article.</summary>
    public string? SuggestedMergeTarget => Review?.SuggestedMergeTarget ?? Nearest?.Id;

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public Task<IActionResult> OnPostApproveAsync(long id, CancellationToken cancellationToken) =>
        DecideAsync(id, (review, ct) => review.ApproveAsync(new ApproveRequest { CandidateId = id, Actor = AccessClaims.ActorOf(User), State = NotValidated ? KnowledgeState.NotValidated : KnowledgeState.Validated }, ct), cancellationToken);

    public Task<IActionResult> OnPostApproveEditedAsync(long id, CancellationToken cancellationToken) =>
        DecideAsync(id, (review, ct) => review.ApproveAsync(new ApproveRequest { CandidateId = id, Actor = AccessClaims.ActorOf(User), EditedMarkdown = EditedMarkdown ?? "", EditedPath = "edited article" }, ct), cancellationToken);

    public Task<IActionResult> OnPostRejectAsync(long id, CancellationToken cancellationToken) =>
        DecideAsync(id, (review, ct) => review.RejectAsync(id, AccessClaims.ActorOf(User), Reason ?? "", ct), cancellationToken);

    public Task<IActionResult> OnPostMergeAsync(long id, CancellationToken cancellationToken) =>
        string.IsNullOrWhiteSpace(MergeTarget)
            ? RefuseAsync(id, "Enter the article to merge into (e.g. PB-0003).", cancellationToken)
            : DecideAsync(id, (review, ct) => review.MergeAsync(new MergeRequest { CandidateId = id, TargetId = MergeTarget.Trim(), Actor = AccessClaims.ActorOf(User), Reason = Reason }, ct), cancellationToken);

    private async Task<IActionResult> DecideAsync(long id, Func<KnowledgeReview, CancellationToken, Task<ReviewResult<ReviewDecision>>> decision, CancellationToken cancellationToken)
    {
        ReviewResult<ReviewDecision>? result = await desk.DecideAsync(decision, cancellationToken);
        if (result is null)
        {
            return await RefuseAsync(id, ReviewDesk.NoKnowledgeFolder, cancellationToken, StatusCodes.Status503ServiceUnavailable);
        }

        if (result.Value is not { } done)
        {
            ReviewError error = result.Error!;
            string lines = string.Concat(error.FileErrors.Select(e => $"\nline {e.Line}: {e.Problem}"));
            return await RefuseAsync(id, error.Message + lines, cancellationToken, error.Code == ReviewErrorCode.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status422UnprocessableEntity);
        }

        // A decision succeeded: the form fields are spent; show the candidate as it is now.
        ModelState.Clear();
        EditedMarkdown = null;
        Reason = null;
        Outcome = new DecisionOutcome(true, done.Audit.Summary + (done.Indexed ? "; published to matching." : "."), done.KnowledgeId);
        return await LoadAsync(id, cancellationToken) ? Page() : NotFound();
    }

    private async Task<IActionResult> RefuseAsync(long id, string message, CancellationToken cancellationToken, int status = StatusCodes.Status422UnprocessableEntity)
    {
        Outcome = new DecisionOutcome(false, message, null);
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        Response.StatusCode = status;
        return Page();
    }

    private async Task<bool> LoadAsync(long id, CancellationToken cancellationToken)
    {
        MiningCandidate? candidate = await db.Set<MiningCandidate>().AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (candidate is null)
        {
            return false;
        }

        Candidate = candidate;
        long[] caseIds = [.. candidate.SourceCaseIds.Select(s => long.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out long v) ? v : -1).Where(v => v > 0)];
        List<SupportCase> cases = await db.Cases.AsNoTracking().Where(c => caseIds.Contains(c.Id)).ToListAsync(cancellationToken);
        var order = caseIds.Select((caseId, index) => (caseId, index)).ToDictionary(p => p.caseId, p => p.index);
        SourceCases = [.. cases.OrderBy(c => order[c.Id])];

        // The matcher answers "which existing knowledge is this most like" exactly as it would for a ticket
        // carrying the candidate's words, so the owner sees the duplicate an agent would have been offered.
        MatchResult match = await matcher.MatchAsync(
            new MatchRequest
            {
                Text = candidate.Title + "\n" + candidate.Markdown,
                MaxResults = 3,
                Filter = new MatchFilter { Kinds = new HashSet<MatchDocumentKind> { MatchDocumentKind.Playbook, MatchDocumentKind.Template } },
            },
            cancellationToken);
        string? nearestId = candidate.TargetKnowledgeId ?? (match.Items.Count > 0 ? match.Items[0].Id : null);
        NearestMatch = match.Items.FirstOrDefault(i => i.Id == nearestId);
        Nearest = nearestId is null ? null : await db.Set<KnowledgeArticle>().AsNoTracking().SingleOrDefaultAsync(a => a.Id == nearestId, cancellationToken);
        Review = (await desk.Review.ShowAsync(id, cancellationToken)).Value;
        return true;
    }

    /// <summary>The answer to a decision.</summary>
    /// <param name="Done">True when the decision was taken.</param>
    /// <param name="Message">What was done, or why not and what to do.</param>
    /// <param name="KnowledgeId">The article created or changed.</param>
    public sealed record DecisionOutcome(bool Done, string Message, string? KnowledgeId);

    public static IHtmlContent Render(string markdown) => new HtmlString(Markdown.ToHtml(markdown ?? "", s_markdown));
}
