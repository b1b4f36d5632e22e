using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TicketOps.Core.Cases;

namespace TicketOps.Core.Knowledge;

/// <summary>
/// An agent's (or the matcher's) record of what happened between a case and a piece of knowledge. These
/// events are the raw material of <see cref="Metrics.SupportMetrics"/>.
/// </summary>
public sealed class KnowledgeEvent
{
    /// <summary>Database key.</summary>
    public long Id { get; set; }

    /// <summary>The case (<see cref="SupportCase.Id"/>).</summary>
    public long CaseId { get; set; }

    /// <summary>The article (<see cref="KnowledgeArticle.Id"/>).</summary>
    public required string KnowledgeId { get; set; }

    /// <summary>What happened.</summary>
    public KnowledgeEventKind Kind { get; set; }

    /// <summary>Why the article was flagged; null for the other kinds.</summary>
    public string? Reason { get; set; }

    /// <summary>When it happened (UTC).</summary>
    public DateTime At { get; set; }

    /// <summary>Who recorded it: an agent's handle, or <c>matcher</c> for suggestions.</summary>
    public required string Actor { get; set; }

    /// <summary>For a flag, when the owner dealt with it (UTC); null while it is open.</summary>
    public DateTime? ResolvedAt { get; set; }

    /// <summary>For a flag, who dealt with it.</summary>
    public string? ResolvedBy { get; set; }
}

/// <summary>The kinds of <see cref="KnowledgeEvent"/>.</summary>
public enum KnowledgeEventKind
{
    /// <summary>The knowledge was suggested for the case (it matched the case's pattern).</summary>
    Suggested = 0,

    /// <summary>The agent used the knowledge and linked it to the case.</summary>
    Used = 1,

    /// <summary>The agent says the knowledge helped solve the case.</summary>
    Helped = 2,

    /// <summary>The agent says the knowledge did not help.</summary>
    DidNotHelp = 3,

    /// <summary>The agent flagged the knowledge as wrong, stale or incomplete (with a reason).</summary>
    Flagged = 4,
}

/// <summary>Maps <see cref="KnowledgeEvent"/> to the <c>knowledge_events</c> table.</summary>
internal sealed class KnowledgeEventConfiguration : IEntityTypeConfiguration<KnowledgeEvent>
{
    public void Configure(EntityTypeBuilder<KnowledgeEvent> builder)
    {
        builder.ToTable("knowledge_events");
        builder.Property(e => e.KnowledgeId).HasMaxLength(32);
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.Actor).HasMaxLength(200);
        builder.Property(e => e.ResolvedBy).HasMaxLength(200);
        builder.HasOne<SupportCase>().WithMany().HasForeignKey(e => e.CaseId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<KnowledgeArticle>().WithMany().HasForeignKey(e => e.KnowledgeId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(e => new { e.CaseId, e.Kind });
        builder.HasIndex(e => new { e.KnowledgeId, e.Kind });
        builder.HasIndex(e => e.At);
    }
}
