using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace TicketOps.Core.Storage;

/// <summary>What changed, as far as a derived match index cares.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ChangeKind>))]
public enum ChangeKind
{
    /// <summary>A case was stored for the first time.</summary>
    CaseAdded = 0,

    /// <summary>A stored case's content changed.</summary>
    CaseUpdated = 1,

    /// <summary>A case was resolved (an outcome was recorded).</summary>
    CaseResolved = 2,

    /// <summary>An article was created or changed and is validated (matched).</summary>
    ArticlePublished = 3,

    /// <summary>An article was archived (leaves matching).</summary>
    ArticleArchived = 4,

    /// <summary>A candidate was merged into an article (its text or source cases changed).</summary>
    ArticleMerged = 5,

    /// <summary>An article was created or changed without being published (draft, not validated).</summary>
    ArticleChanged = 6,
}

/// <summary>
/// One change, written in the same transaction as the change itself (<c>change_log</c>): what every instance
/// sharing the database reads to bring its own match index up to date. Ids increase; the subject is read again
/// from the database when the change is applied, so applying a change twice is harmless.
/// </summary>
public sealed class ChangeLogEntry
{
    /// <summary>Database key, increasing in the order the changes were written.</summary>
    public long Id { get; set; }

    /// <summary>What changed.</summary>
    public ChangeKind Kind { get; set; }

    /// <summary>The case's database id (as text) or the article's id (<c>PB-0003</c>).</summary>
    public required string SubjectId { get; set; }

    /// <summary>When (UTC).</summary>
    public DateTime At { get; set; }

    /// <summary>True for the case kinds (the subject is a case's database id).</summary>
    public bool IsCase => Kind is ChangeKind.CaseAdded or ChangeKind.CaseUpdated or ChangeKind.CaseResolved;
}

internal sealed class ChangeLogEntryConfiguration : IEntityTypeConfiguration<ChangeLogEntry>
{
    public void Configure(EntityTypeBuilder<ChangeLogEntry> builder)
    {
        builder.ToTable(ChangeLog.Table);
        builder.Ignore(e => e.IsCase);
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(32);
        builder.Property(e => e.SubjectId).HasMaxLength(64);
    }
}

/// <summary>Writes the change log beside the changes (the caller's save or transaction commits both).</summary>
public static class ChangeLog
{
    /// <summary>The table's name.</summary>
    public const string Table = "change_log";

    /// <summary>Adds a change to the context; saved with the caller's next save.</summary>
    public static void Add(TicketOpsDbContext db, ChangeKind kind, string subjectId, DateTime at)
    {
        ArgumentNullException.ThrowIfNull(db);
        db.Add(new ChangeLogEntry { Kind = kind, SubjectId = subjectId, At = at });
    }

    /// <summary>Adds one change per case.</summary>
    public static void AddCases(TicketOpsDbContext db, ChangeKind kind, IEnumerable<long> caseIds, DateTime at)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(caseIds);
        db.AddRange(caseIds.Select(id => new ChangeLogEntry { Kind = kind, SubjectId = id.ToString(System.Globalization.CultureInfo.InvariantCulture), At = at }));
    }

    /// <summary>The latest change's id; 0 when there is none.</summary>
    public static async Task<long> LatestIdAsync(TicketOpsDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.Set<ChangeLogEntry>().MaxAsync(e => (long?)e.Id, cancellationToken) ?? 0;
    }
}
