using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TicketOps.Core.Metrics;
using TicketOps.Core.Storage;
using TicketOps.Web.Access;

namespace TicketOps.Web.Pages.Knowledge;

/// <summary>Which knowledge needs attention: flagged, unused, often did not help, archived or superseded.</summary>
[Authorize(Policy = AccessPolicies.KnowledgeOwner)]
public sealed class HealthModel(TicketOpsDbContext db, TimeProvider timeProvider) : PageModel
{
    public ContentHealthReport Report { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Report = await SupportMetrics.ContentHealthAsync(db, timeProvider.GetUtcNow().UtcDateTime, cancellationToken: cancellationToken);
}
