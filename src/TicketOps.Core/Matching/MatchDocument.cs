using TicketOps.Core.Cases;

namespace TicketOps.Core.Matching;

/// <summary>What a searchable item is; results are grouped by it (knowledge first, then cases).</summary>
public enum MatchDocumentKind
{
    /// <summary>A published playbook (knowledge article).</summary>
    Playbook = 0,

    /// <summary>A published investigation template.</summary>
    Template = 1,

    /// <summary>A resolved support case.</summary>
    Case = 2,
}

/// <summary>
/// One item the matcher can find: a resolved case or a piece of published knowledge, reduced to the
/// fields retrieval and explanation need. Ids are unique across kinds (e.g. <c>case:42</c>, <c>playbook:vpn-timeout</c>).
/// </summary>
public sealed record MatchDocument
{
    private const string CaseIdPrefix = "case:";

    /// <summary>Unique id across all kinds; adding a document with an existing id replaces it.</summary>
    public required string Id { get; init; }

    /// <summary>What the item is.</summary>
    public required MatchDocumentKind Kind { get; init; }

    /// <summary>Title (a case's subject, a playbook's issue line).</summary>
    public required string Title { get; init; }

    /// <summary>Symptoms in the customer's words (a case's description, a playbook's issue section).</summary>
    public string Body { get; init; } = "";

    /// <summary>Cause and resolution steps.</summary>
    public string Resolution { get; init; } = "";

    /// <summary>Product area, used for filters and explanations.</summary>
    public string? Product { get; init; }

    /// <summary>Component within the product area.</summary>
    public string? Component { get; init; }

    /// <summary>Product version (a filter for <c>2.3</c> also matches <c>2.3.1</c>).</summary>
    public string? Version { get; init; }

    /// <summary>When the item was created (UTC); lets duplicate search look only at earlier cases.</summary>
    public DateTime? CreatedAt { get; init; }

    /// <summary>The text the dense index embeds: title plus the fields that describe the problem and its fix.</summary>
    public string EmbeddingText => JoinNonEmpty(Title, Body, Resolution);

    /// <summary>
    /// Maps a support case. The body is the customer's description; the resolution joins the recorded
    /// cause and fix, which is what makes an old case useful to the agent reading a new one.
    /// </summary>
    public static MatchDocument FromCase(SupportCase supportCase)
    {
        ArgumentNullException.ThrowIfNull(supportCase);
        return new MatchDocument
        {
            Id = CaseId(supportCase),
            Kind = MatchDocumentKind.Case,
            Title = supportCase.Title,
            Body = supportCase.Description,
            Resolution = JoinNonEmpty(supportCase.Cause ?? "", supportCase.Resolution ?? ""),
            Product = supportCase.Product,
            Component = supportCase.Component,
            Version = supportCase.Version,
            CreatedAt = supportCase.CreatedAt,
        };
    }

    /// <summary>True for the id of a case's document (knowledge ids look like <c>PB-0001</c>).</summary>
    public static bool IsCaseId(string id) => id.StartsWith(CaseIdPrefix, StringComparison.Ordinal);

    /// <summary>The match id of a case: <c>case:{source}:{external id}</c>, stable across databases.</summary>
    public static string CaseId(SupportCase supportCase)
    {
        ArgumentNullException.ThrowIfNull(supportCase);
        return $"{CaseIdPrefix}{supportCase.Source}:{supportCase.ExternalId}";
    }

    private static string JoinNonEmpty(params string[] parts) =>
        string.Join("\n", parts.Where(p => !string.IsNullOrWhiteSpace(p)));
}
