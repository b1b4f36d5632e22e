using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using TicketOps.Web.Access;

namespace TicketOps.Web.Pages;

/// <summary>One job's pages in the navigation, shown to whoever the job's policy admits.</summary>
/// <param name="Job">The heading, e.g. "Agent".</param>
/// <param name="Policy">The <see cref="AccessPolicies"/> policy protecting the pages.</param>
/// <param name="Links">Path and link text of each page.</param>
internal sealed record NavigationSection(string Job, string Policy, IReadOnlyList<(string Path, string Text)> Links);

/// <summary>The navigation by role: each job's section, if the signed-in key's role may use it.</summary>
internal sealed class Navigation(IAuthorizationService authorization, IAuthorizationPolicyProvider policies)
{
    public static IReadOnlyList<NavigationSection> Sections { get; } =
    [
        new("Agent", AccessPolicies.Agent, [("/agent", "Match a ticket")]),
        new("Knowledge owner", AccessPolicies.KnowledgeOwner, [("/knowledge/queue", "Review queue"), ("/knowledge/health", "Content health"), ("/knowledge/log", "Review log")]),
        new("Lead", AccessPolicies.Lead, [("/lead/themes", "Themes"), ("/lead/metrics", "Metrics")]),
    ];

    /// <summary>The sections <paramref name="user"/> may open.</summary>
    public async Task<IReadOnlyList<NavigationSection>> VisibleToAsync(ClaimsPrincipal user)
    {
        var visible = new List<NavigationSection>();
        foreach (NavigationSection section in Sections)
        {
            // A host without the access policies (no sign-in configured) shows every section.
            bool allowed = await policies.GetPolicyAsync(section.Policy) is null
                || (await authorization.AuthorizeAsync(user, section.Policy)).Succeeded;
            if (allowed)
            {
                visible.Add(section);
            }
        }

        return visible;
    }
}
