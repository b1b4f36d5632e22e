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
using TicketOps.Core.Storage;
using TicketOps.Web.Access;

namespace TicketOps.Web.Pages.Knowledge;

/// <summary>
/// One candidate beside the existing article it most resembles (or the one it proposes to update), with the
/// resolved cases it was mined from. Read-only until the review decisions are wired in.
/// </summary>
[Authorize(Policy = AccessPolicies.KnowledgeOwner)]
public sealed class CandidateModel(TicketOpsDbContext db) : PageModel
{
    // Raw HTML in a draft (it quotes customers' words) is shown as text, never rendered.
    private static readonly MarkdownPipeline s_markdown = new MarkdownPipelineBuilder().UseAdvancedExtensions().DisableHtml().Build();

    public MiningCandidate Candidate { get; private set; } = null!;

    public IReadOnlyList<SupportCase> SourceCases { get; private set; } = [];

    /// <summary>The existing article to compare with; null when nothing in the knowledge base resembles it.</summary>
    public KnowledgeArticle? Nearest { get; private set; }

    /// <summary>How the nearest article matched the candidate; null for an update suggestion's named target that did not match.</summary>
    public MatchedItem? NearestMatch { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, [FromServices] TicketMatcher matcher, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(matcher);
        MiningCandidate? candidate = await db.Set<MiningCandidate>().AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (candidate is null)
        {
            return NotFound();
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
        return Page();
    }

    public static IHtmlContent Render(string markdown) => new HtmlString(Markdown.ToHtml(markdown ?? "", s_markdown));
}
