using TicketOps.Core.Cases;
using TicketOps.Core.Mining;

namespace TicketOps.Core.Tests.Mining;

/// <summary>Builds hand-made support cases (our own wording, never the evaluation data's).</summary>
internal sealed class CaseBuilder
{
    private static readonly DateTime s_start = new(2026, 1, 5, 9, 0, 0, DateTimeKind.Utc);
    private readonly SupportCase _case;

    public CaseBuilder(string id)
    {
        _case = new SupportCase
        {
            Source = "test",
            ExternalId = id,
            Title = "SSO login fails",
            Description = "Users are sent back to the login page after entering their password.",
            Product = "SSO",
            Status = CaseStatus.Resolved,
            CreatedAt = s_start,
            ResolvedAt = s_start.AddHours(4),
            Resolution = "Renew the IdP signing certificate; Upload the new metadata",
        };
    }

    public CaseBuilder Titled(string title, string description = "")
    {
        _case.Title = title;
        _case.Description = description;
        return this;
    }

    public CaseBuilder Cause(string? cause)
    {
        _case.Cause = cause;
        return this;
    }

    public CaseBuilder Resolution(string? resolution)
    {
        _case.Resolution = resolution;
        return this;
    }

    public CaseBuilder Evidence(params string[] steps)
    {
        _case.EvidenceSteps = [.. steps];
        return this;
    }

    public CaseBuilder Environment(string? product = "SSO", string? version = null, string? platform = null, string? component = null)
    {
        _case.Product = product;
        _case.Version = version;
        _case.Platform = platform;
        _case.Component = component;
        return this;
    }

    public CaseBuilder Escalated(bool returnedForMissingContext = false)
    {
        _case.EscalatedAt = _case.CreatedAt.AddHours(2);
        _case.EngineeringInvolved = true;
        _case.EscalationReturnedForMissingContext = returnedForMissingContext;
        return this;
    }

    public CaseBuilder CreatedAt(DateTime createdAt)
    {
        _case.CreatedAt = createdAt;
        _case.ResolvedAt = createdAt.AddHours(4);
        return this;
    }

    public SupportCase Build() => _case;

    public static CaseCluster ClusterOf(string id, IEnumerable<SupportCase> cases, double cohesion = 0.8) => new()
    {
        Id = id,
        Members = cases.Select((c, i) => new ClusterMember(c.ExternalId, Math.Round(0.95 - (0.01 * i), 2))).ToList(),
        Cohesion = cohesion,
    };
}
