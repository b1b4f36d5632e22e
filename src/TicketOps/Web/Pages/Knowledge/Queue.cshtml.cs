using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Mining;
using TicketOps.Core.Storage;
using TicketOps.Web.Access;

namespace TicketOps.Web.Pages.Knowledge;

/// <summary>The knowledge owner's review queue: mined candidates waiting for a decision.</summary>
[Authorize(Policy = AccessPolicies.KnowledgeOwner)]
public sealed class QueueModel(TicketOpsDbContext db) : PageModel
{
    public IReadOnlyList<MiningCandidate> Candidates { get; private set; } = [];

    /// <summary>Clusters the last mining run made no draft for (too few or too inconsistent cases).</summary>
    public int Skipped { get; private set; }

    /// <summary>Help-article suggestions: themes support solved by explaining, listed apart from the playbook candidates.</summary>
    public IReadOnlyList<HelpContentGap> HelpGaps { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        List<MiningCandidate> waiting = await db.Set<MiningCandidate>().AsNoTracking()
            .Where(c => c.State == CandidateState.Draft)
            .ToListAsync(cancellationToken);

        // New playbooks and update suggestions before templates; the most confident first within each.
        Candidates = [.. waiting.OrderBy(c => c.Kind == CandidateKind.InvestigationTemplate).ThenByDescending(c => c.Confidence).ThenBy(c => c.Id)];
        Skipped = await db.Set<MiningCandidate>().CountAsync(c => c.State == CandidateState.Skipped, cancellationToken);
        HelpGaps = await HelpContentGaps.FindAsync(db, cancellationToken);
    }

    public static string KindText(CandidateKind kind) => kind switch
    {
        CandidateKind.Playbook => "new playbook",
        CandidateKind.UpdateSuggestion => "update suggestion",
        CandidateKind.InvestigationTemplate => "investigation template",
        _ => "no draft",
    };
}
