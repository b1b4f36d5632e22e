using TicketOps.Core.Knowledge;

namespace TicketOps.Core.Tests.Knowledge;

/// <summary>Builders for test articles.</summary>
public static class KnowledgeArticles
{
    public static KnowledgeArticle Playbook(string id = "PB-0001", string owner = "sso-team", string product = "SSO/Auth", DateOnly? created = null, params string[] sourceCases) => new()
    {
        Id = id,
        Type = KnowledgeType.Playbook,
        Title = "SAML login rejected for clock skew",
        State = KnowledgeState.Validated,
        Owner = owner,
        ProductAreas = [product],
        SourceCaseIds = [.. sourceCases],
        Created = created ?? new DateOnly(2026, 1, 10),
        Reviewed = new DateOnly(2026, 2, 1),
        Version = 2,
        TemplateId = "IT-0001",
        Sections =
        [
            new("Issue", "Users get `ERR_SAML_CLOCK_SKEW` after the IdP redirect.\n\n- some users only\n- retry works"),
            new("Environment", "SAML SSO, Okta or ADFS 2019."),
            new("Cause", "The IdP server clock drifted ahead of UTC."),
            new("Resolution", "1. Resync the IdP clock with NTP.\n2. Set the allowed skew back to 60 seconds.\n\n```\n## not a heading, inside code\n```"),
        ],
    };

    public static KnowledgeArticle Template(string id = "IT-0001", string owner = "sso-team") => new()
    {
        Id = id,
        Type = KnowledgeType.Template,
        Title = "Investigating login failures",
        State = KnowledgeState.Validated,
        Owner = owner,
        ProductAreas = ["SSO/Auth"],
        Created = new DateOnly(2026, 1, 5),
        Version = 1,
        Sections =
        [
            new("Framing", "Who cannot log in, since when, through which IdP."),
            new("Evidence to gather first", "1. The error code from the login audit log."),
            new("Hypothesis", "Write it as: because X, Y fails when Z."),
            new("When to escalate", "When the assertion is valid and login still fails."),
            new("Escalation packet", "Audit log line, SAML response, IdP name and version."),
            new("Closing the loop", "Link the playbook; flag it if it was wrong."),
        ],
    };
}
