using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace TicketOps.Core.Review;

/// <summary>What a knowledge owner decided.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ReviewAction>))]
public enum ReviewAction
{
    /// <summary>A candidate became a new article.</summary>
    Approve = 0,

    /// <summary>A candidate became a new article from an edited Markdown text.</summary>
    ApproveEdited = 1,

    /// <summary>A candidate was rejected with a reason.</summary>
    Reject = 2,

    /// <summary>A candidate was merged into an existing article.</summary>
    Merge = 3,

    /// <summary>An article moved from draft to not validated.</summary>
    MarkNotValidated = 4,

    /// <summary>An article was validated (published).</summary>
    Validate = 5,

    /// <summary>An article was archived (retired from matching).</summary>
    Archive = 6,
}

/// <summary>
/// One review decision, written in the same transaction as the change it records: who, when, what was
/// decided about which candidate or article, the content before and after (hashes and a short summary)
/// and why.
/// </summary>
public sealed class AuditEntry
{
    /// <summary>Database key; increases with time.</summary>
    public long Id { get; set; }

    /// <summary>When (UTC).</summary>
    public DateTime At { get; set; }

    /// <summary>Who decided (the reviewer's name or login).</summary>
    public required string Actor { get; set; }

    /// <summary>What was decided.</summary>
    public ReviewAction Action { get; set; }

    /// <summary>The candidate decided on (<see cref="Mining.MiningCandidate.Id"/>), or null for an article state change.</summary>
    public long? CandidateId { get; set; }

    /// <summary>The article created, changed or merged into, e.g. <c>PB-0009</c>; null for a rejection.</summary>
    public string? KnowledgeId { get; set; }

    /// <summary>SHA-256 of the subject's content before (candidate Markdown or article file); null when it did not exist.</summary>
    public string? BeforeHash { get; set; }

    /// <summary>SHA-256 of the subject's content after; null when nothing was written.</summary>
    public string? AfterHash { get; set; }

    /// <summary>What changed, in one or two lines (states, sections, source cases).</summary>
    public string Summary { get; set; } = "";

    /// <summary>Why, in the reviewer's words; required for rejections and archiving.</summary>
    public string? Reason { get; set; }

    /// <summary>The subject as one string: the knowledge id when there is one, else <c>candidate:ID</c>.</summary>
    public string Subject => KnowledgeId ?? $"candidate:{CandidateId}";
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("audit_log");
        builder.Ignore(e => e.Subject);
        builder.Property(e => e.Actor).HasMaxLength(200);
        builder.Property(e => e.Action).HasConversion<string>().HasMaxLength(32);
        builder.Property(e => e.KnowledgeId).HasMaxLength(32);
        builder.Property(e => e.BeforeHash).HasMaxLength(64);
        builder.Property(e => e.AfterHash).HasMaxLength(64);
        builder.Property(e => e.Summary).HasMaxLength(2000);
        builder.Property(e => e.Reason).HasMaxLength(2000);
        builder.HasIndex(e => e.CandidateId);
        builder.HasIndex(e => e.KnowledgeId);
        builder.HasIndex(e => e.At);
    }
}
