namespace TicketOps.Core.Matching;

/// <summary>
/// Restricts which items a match may return. Every set criterion must hold; an item without a product
/// does not pass a product filter (filters are for narrowing, not for guessing).
/// </summary>
public sealed record MatchFilter
{
    /// <summary>No restriction.</summary>
    public static MatchFilter None { get; } = new();

    /// <summary>Only items of this product (case-insensitive).</summary>
    public string? Product { get; init; }

    /// <summary>Only items of this component (case-insensitive).</summary>
    public string? Component { get; init; }

    /// <summary>Only items of this version, or of a more specific one (<c>2.3</c> matches <c>2.3.1</c>).</summary>
    public string? Version { get; init; }

    /// <summary>Only these kinds; null or empty for all.</summary>
    public IReadOnlySet<MatchDocumentKind>? Kinds { get; init; }

    /// <summary>Only items created strictly before this time (UTC), e.g. to find earlier duplicates.</summary>
    public DateTime? CreatedBefore { get; init; }

    /// <summary>Items never to return (e.g. the ticket itself).</summary>
    public IReadOnlySet<string>? ExcludeIds { get; init; }

    /// <summary>Whether nothing is restricted.</summary>
    public bool IsEmpty =>
        Product is null && Component is null && Version is null && (Kinds is null || Kinds.Count == 0)
        && CreatedBefore is null && (ExcludeIds is null || ExcludeIds.Count == 0);

    /// <summary>Whether an item with these attributes passes.</summary>
    public bool Allows(string id, MatchDocumentKind kind, string? product, string? component, string? version, DateTime? createdAt)
    {
        if (ExcludeIds is not null && ExcludeIds.Contains(id))
        {
            return false;
        }

        if (Kinds is { Count: > 0 } && !Kinds.Contains(kind))
        {
            return false;
        }

        if (Product is not null && !string.Equals(Product, product, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (Component is not null && !string.Equals(Component, component, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (Version is not null && !VersionMatches(Version, version))
        {
            return false;
        }

        return CreatedBefore is null || (createdAt is not null && createdAt.Value < CreatedBefore.Value);
    }

    internal static string Normalize(string value) => value.Trim().ToLowerInvariant();

    private static bool VersionMatches(string wanted, string? actual)
    {
        if (actual is null)
        {
            return false;
        }

        string w = Normalize(wanted);
        string a = Normalize(actual);
        return a == w || a.StartsWith(w + ".", StringComparison.Ordinal);
    }
}
