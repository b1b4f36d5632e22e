using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TicketOps.Core.Review;
using TicketOps.Web.Access;

namespace TicketOps.Web.Pages.Knowledge;

/// <summary>The audit log of review decisions, newest first; <c>?subject=PB-0003</c> or <c>candidate:12</c> narrows it.</summary>
[Authorize(Policy = AccessPolicies.KnowledgeOwner)]
public sealed class LogModel(ReviewDesk desk) : PageModel
{
    public string? Subject { get; private set; }

    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];

    public async Task OnGetAsync(string? subject, CancellationToken cancellationToken)
    {
        Subject = string.IsNullOrWhiteSpace(subject) ? null : subject.Trim();
        Entries = await desk.Review.AuditLogAsync(Subject, 200, cancellationToken);
    }
}
