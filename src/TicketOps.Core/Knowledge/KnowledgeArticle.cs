namespace TicketOps.Core.Knowledge;

/// <summary>
/// A piece of support knowledge: a playbook (one issue and cause) or an investigation template (how to
/// work a class of technical case). The Markdown file under <c>knowledge/</c> is the source of truth;
/// this row is loaded from it by <see cref="KnowledgeFolder.SyncAsync"/>.
/// </summary>
public sealed class KnowledgeArticle
{
    /// <summary>Stable id: <c>PB-0001</c> for playbooks, <c>IT-0001</c> for investigation templates.</summary>
    public required string Id { get; set; }

    /// <summary>Playbook or investigation template.</summary>
    public KnowledgeType Type { get; set; }

    /// <summary>Title, written as the file's level-one heading.</summary>
    public required string Title { get; set; }

    /// <summary>Where the article is in the KCS lifecycle.</summary>
    public KnowledgeState State { get; set; }

    /// <summary>Who answers for the article (flags are routed to this owner's queue).</summary>
    public required string Owner { get; set; }

    /// <summary>Product areas the article applies to, e.g. <c>SSO/Auth</c>.</summary>
    public List<string> ProductAreas { get; set; } = [];

    /// <summary>
    /// External ids (<see cref="Cases.SupportCase.ExternalId"/>) of the resolved cases the article was
    /// mined or written from; empty for knowledge written from scratch.
    /// </summary>
    public List<string> SourceCaseIds { get; set; } = [];

    /// <summary>The day the article was created.</summary>
    public DateOnly Created { get; set; }

    /// <summary>The day the article was last reviewed; null when never reviewed.</summary>
    public DateOnly? Reviewed { get; set; }

    /// <summary>Version number, starting at 1, raised by the editor on each published change.</summary>
    public int Version { get; set; } = 1;

    /// <summary>For a playbook, the id of the investigation template it points to; null otherwise.</summary>
    public string? TemplateId { get; set; }

    /// <summary>The id of the article that replaces this one (set when it was merged or superseded).</summary>
    public string? SupersededBy { get; set; }

    /// <summary>The fixed sections in canonical order (see <see cref="KnowledgeSections"/>).</summary>
    public List<KnowledgeSection> Sections { get; set; } = [];

    /// <summary>SHA-256 (hex) of the article's canonical Markdown; equal hash means nothing changed.</summary>
    public string ContentHash { get; set; } = "";

    /// <summary>Path of the file the article was last loaded from, relative to the knowledge folder.</summary>
    public string? SourcePath { get; set; }

    /// <summary>When the row was last inserted or changed by a sync (UTC).</summary>
    public DateTime LoadedAt { get; set; }

    /// <summary>The body of the section with <paramref name="heading"/>, or null when absent.</summary>
    /// <param name="heading">A heading from <see cref="KnowledgeSections"/>.</param>
    public string? Section(string heading)
    {
        foreach (KnowledgeSection section in Sections)
        {
            if (section.Heading == heading)
            {
                return section.Body;
            }
        }

        return null;
    }
}

/// <summary>One <c>## Heading</c> section of an article and its Markdown body (trimmed).</summary>
/// <param name="Heading">The heading text, one of <see cref="KnowledgeSections"/>.</param>
/// <param name="Body">The Markdown below the heading, without leading or trailing blank lines.</param>
public sealed record KnowledgeSection(string Heading, string Body);

/// <summary>The kind of a knowledge article.</summary>
public enum KnowledgeType
{
    /// <summary>One issue and cause: Issue, Environment, Cause, Resolution.</summary>
    Playbook = 0,

    /// <summary>How to work a class of technical case, up to the escalation packet.</summary>
    Template = 1,
}

/// <summary>KCS knowledge states. Rejected candidates live with mining, not here.</summary>
public enum KnowledgeState
{
    /// <summary>Work in progress, not shown to agents as an answer.</summary>
    Draft = 0,

    /// <summary>Usable but not yet confirmed by a knowledge owner.</summary>
    NotValidated = 1,

    /// <summary>Published: confirmed by a knowledge owner.</summary>
    Validated = 2,

    /// <summary>Retired; kept for history and reporting.</summary>
    Archived = 3,
}

/// <summary>The fixed section headings of each article type, in the order they are written.</summary>
public static class KnowledgeSections
{
    /// <summary>Playbook sections.</summary>
    public static IReadOnlyList<string> Playbook { get; } = ["Issue", "Environment", "Cause", "Resolution"];

    /// <summary>Investigation template sections.</summary>
    public static IReadOnlyList<string> Template { get; } =
        ["Framing", "Evidence to gather first", "Hypothesis", "When to escalate", "Escalation packet", "Closing the loop"];

    /// <summary>The headings of <paramref name="type"/>.</summary>
    /// <param name="type">The article type.</param>
    public static IReadOnlyList<string> For(KnowledgeType type) => type == KnowledgeType.Playbook ? Playbook : Template;
}
