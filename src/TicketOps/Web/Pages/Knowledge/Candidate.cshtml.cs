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
public sealed class CandidateModel(TicketOpsDbContext db, TicketMatcher matcher, ReviewDesk desk, FeedbackService feedback) : PageModel
{
    // Raw HTML in a draft (it quotes customers' words) is shown as text, never rendered.
    private static readonly MarkdownPipeline s_markdown = new MarkdownPipelineBuilder().UseAdvancedExtensions().DisableHtml().Build();

    public MiningCandidate Candidate { get; private set; } = null!;

    public IReadOnlyList<SupportCase> SourceCases { get; private set; } = [];

    /// <summary>The outcomes recorded through TicketOps on the source cases (who and when); imported outcomes have none.</summary>
    public ILookup<long, CaseOutcomeEvent> Outcomes { get; private set; } = Array.Empty<CaseOutcomeEvent>().ToLookup(e => e.CaseId);

    /// <summary>The existing article to compare with; null when nothing in the knowledge base resembles it.</summary>
    public KnowledgeArticle? Nearest { get; private set; }

    /// <summary>How the nearest article matched the candidate; null for an update suggestion's named target that did not match.</summary>
    public MatchedItem? NearestMatch { get; private set; }

    /// <summary>The review service's view: the article an approval writes (to edit), warnings, the suggested merge target.</summary>
    public CandidateReview? Review { get; private set; }

    /// <summary>The last decision's answer: what was done (with the article id) or why it was refused.</summary>
    public DecisionOutcome? Outcome { get; private set; }

    /// <summary>Which edit form the last refusal's line errors belong to: <c>approve</c> or <c>merge</c>; null for none.</summary>
    public string? EditRefused { get; private set; }

    /// <summary>The edited article text posted back (kept when a refusal sends the page back).</summary>
    [BindProperty]
    public string? EditedMarkdown { get; set; }

    /// <summary>The merge target's file as the reviewer edited it (kept when a refusal sends the page back).</summary>
    [BindProperty]
    public string? MergeMarkdown { get; set; }

    /// <summary>Why a candidate is rejected (or merged).</summary>
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

    /// <summary>The article the edit-then-merge form edits: the one named (<c>?target=</c> or the posted target), else the suggested one.</summary>
    public KnowledgeArticle? MergeArticle { get; private set; }

    /// <summary>The merge article's file as it is now (front matter and sections), to edit.</summary>
    public string MergeArticleMarkdown => MergeArticle is null ? "" : KnowledgeMarkdown.Write(MergeArticle);

    public async Task<IActionResult> OnGetAsync(long id, string? target, CancellationToken cancellationToken)
    {
        MergeTarget = string.IsNullOrWhiteSpace(target) ? null : target.Trim();
        return await LoadAsync(id, cancellationToken) ? Page() : NotFound();
    }

    public Task<IActionResult> OnPostApproveAsync(long id, CancellationToken cancellationToken) =>
        DecideAsync(id, (review, ct) => review.ApproveAsync(new ApproveRequest { CandidateId = id, Actor = AccessClaims.ActorOf(User), State = NotValidated ? KnowledgeState.NotValidated : KnowledgeState.Validated }, ct), cancellationToken);

    public Task<IActionResult> OnPostApproveEditedAsync(long id, CancellationToken cancellationToken)
    {
        EditRefused = "approve";
        return DecideAsync(id, (review, ct) => review.ApproveAsync(new ApproveRequest { CandidateId = id, Actor = AccessClaims.ActorOf(User), EditedMarkdown = EditedMarkdown ?? "", EditedPath = "edited article" }, ct), cancellationToken);
    }

    public Task<IActionResult> OnPostRejectAsync(long id, CancellationToken cancellationToken) =>
        DecideAsync(id, (review, ct) => review.RejectAsync(id, AccessClaims.ActorOf(User), Reason ?? "", ct), cancellationToken);

    public Task<IActionResult> OnPostMergeAsync(long id, CancellationToken cancellationToken) =>
        string.IsNullOrWhiteSpace(MergeTarget)
            ? RefuseAsync(id, "Enter the article to merge into (e.g. PB-0003).", cancellationToken)
            : DecideAsync(id, (review, ct) => review.MergeAsync(new MergeRequest { CandidateId = id, TargetId = MergeTarget.Trim(), Actor = AccessClaims.ActorOf(User), Reason = Reason }, ct), cancellationToken);

    /// <summary>
    /// Merges with the reviewer's edit of the target article (title and sections; the source cases, version
    /// and review date are the service's), checked line by line as an edited approval is.
    /// </summary>
    public Task<IActionResult> OnPostMergeEditedAsync(long id, CancellationToken cancellationToken)
    {
        EditRefused = "merge";
        return string.IsNullOrWhiteSpace(MergeTarget)
            ? RefuseAsync(id, "Enter the article to merge into (e.g. PB-0003).", cancellationToken)
            : DecideAsync(id, (review, ct) => review.MergeAsync(new MergeRequest { CandidateId = id, TargetId = MergeTarget.Trim(), Actor = AccessClaims.ActorOf(User), EditedMarkdown = MergeMarkdown ?? "", EditedPath = "edited article", Reason = Reason }, ct), cancellationToken);
    }

    private async Task<IActionResult> DecideAsync(long id, Func<KnowledgeReview, CancellationToken, Task<ReviewResult<ReviewDecision>>> decision, CancellationToken cancellationToken)
    {
        DecisionOutcome outcome = DecisionOutcome.Of(await desk.DecideAsync(decision, cancellationToken));
        if (!outcome.Done)
        {
            return await ShowAsync(id, outcome, cancellationToken);
        }

        // A decision succeeded: the form fields are spent; show the candidate as it is now.
        ModelState.Clear();
        EditedMarkdown = null;
        MergeMarkdown = null;
        Reason = null;
        EditRefused = null;
        return await ShowAsync(id, outcome, cancellationToken);
    }

    private Task<IActionResult> RefuseAsync(long id, string message, CancellationToken cancellationToken) =>
        ShowAsync(id, DecisionOutcome.Refused(message), cancellationToken);

    private async Task<IActionResult> ShowAsync(long id, DecisionOutcome outcome, CancellationToken cancellationToken)
    {
        Outcome = outcome;
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        Response.StatusCode = outcome.Status;
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
        Outcomes = await feedback.OutcomesAsync(caseIds, cancellationToken);

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
        Review = (await desk.ShowAsync(id, cancellationToken)).Value;
        string? mergeId = MergeTarget ?? SuggestedMergeTarget;
        MergeArticle = mergeId is null ? null : await db.Set<KnowledgeArticle>().AsNoTracking().SingleOrDefaultAsync(a => a.Id == mergeId, cancellationToken);
        return true;
    }

    public static IHtmlContent Render(string markdown) => new HtmlString(Markdown.ToHtml(markdown ?? "", s_markdown));
}
