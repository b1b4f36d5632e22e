using TicketOps.Core.Knowledge;

namespace TicketOps.Core.Metrics;

/// <summary>Which knowledge needs an owner's attention.</summary>
/// <param name="AsOf">The reference time (UTC).</param>
/// <param name="UnusedDays">The "unused" threshold in days.</param>
/// <param name="Flagged">Articles with open flags.</param>
/// <param name="Unused">Validated articles older than the threshold with no link within it.</param>
/// <param name="OftenDidNotHelp">Articles with many "did not help" votes, at least as many as "helped".</param>
/// <param name="ArchivedOrSuperseded">Archived articles and articles superseded by another.</param>
public sealed record ContentHealthReport(
    DateTime AsOf,
    int UnusedDays,
    IReadOnlyList<FlaggedArticle> Flagged,
    IReadOnlyList<UnusedArticle> Unused,
    IReadOnlyList<UnhelpfulArticle> OftenDidNotHelp,
    IReadOnlyList<RetiredArticle> ArchivedOrSuperseded);

/// <summary>An article with open flags.</summary>
/// <param name="KnowledgeId">The article.</param>
/// <param name="Title">Its title.</param>
/// <param name="Owner">Its owner.</param>
/// <param name="OpenFlags">Flags not yet resolved.</param>
public sealed record FlaggedArticle(string KnowledgeId, string Title, string Owner, int OpenFlags);

/// <summary>A validated article nobody linked recently.</summary>
/// <param name="KnowledgeId">The article.</param>
/// <param name="Title">Its title.</param>
/// <param name="Owner">Its owner.</param>
/// <param name="LastUsed">The last link (UTC); null when never linked.</param>
public sealed record UnusedArticle(string KnowledgeId, string Title, string Owner, DateTime? LastUsed);

/// <summary>An article agents often say did not help.</summary>
/// <param name="KnowledgeId">The article.</param>
/// <param name="Title">Its title.</param>
/// <param name="Owner">Its owner.</param>
/// <param name="Helped">"Helped" votes.</param>
/// <param name="DidNotHelp">"Did not help" votes.</param>
public sealed record UnhelpfulArticle(string KnowledgeId, string Title, string Owner, int Helped, int DidNotHelp);

/// <summary>An archived or superseded article.</summary>
/// <param name="KnowledgeId">The article.</param>
/// <param name="Title">Its title.</param>
/// <param name="State">Its state.</param>
/// <param name="SupersededBy">The article replacing it, if any.</param>
public sealed record RetiredArticle(string KnowledgeId, string Title, KnowledgeState State, string? SupersededBy);
