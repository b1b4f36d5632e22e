using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TicketOps.Core.Cases;
using TicketOps.Core.Storage;

namespace TicketOps.Core.Escalation;

/// <summary>
/// One saved version of a case's escalation packet with the result of its check. The newest row of a case
/// is the one <see cref="Knowledge.FeedbackService"/> looks at before it records an escalation; older rows
/// show how the packet was completed.
/// </summary>
public sealed class StoredEscalationPacket
{
    /// <summary>Database key.</summary>
    public long Id { get; set; }

    /// <summary>The case (<see cref="SupportCase.Id"/>).</summary>
    public long CaseId { get; set; }

    /// <summary>The template the packet was checked against; null when none applied.</summary>
    public string? TemplateId { get; set; }

    /// <summary>The packet as JSON (<see cref="EscalationPacket"/>).</summary>
    public required string PacketJson { get; set; }

    /// <summary>Whether the check found nothing missing.</summary>
    public bool IsComplete { get; set; }

    /// <summary>The missing pieces, one line each (empty when complete).</summary>
    public List<string> Missing { get; set; } = [];

    /// <summary>Who wrote the packet.</summary>
    public required string CreatedBy { get; set; }

    /// <summary>When (UTC).</summary>
    public DateTime CreatedAt { get; set; }
}

/// <summary>Maps <see cref="StoredEscalationPacket"/> to the <c>escalation_packets</c> table.</summary>
internal sealed class StoredEscalationPacketConfiguration : IEntityTypeConfiguration<StoredEscalationPacket>
{
    public void Configure(EntityTypeBuilder<StoredEscalationPacket> builder)
    {
        builder.ToTable("escalation_packets");
        builder.Property(p => p.TemplateId).HasMaxLength(32);
        builder.Property(p => p.CreatedBy).HasMaxLength(200);
        builder.Property(p => p.Missing).AsJsonColumn();
        builder.HasOne<SupportCase>().WithMany().HasForeignKey(p => p.CaseId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(p => new { p.CaseId, p.CreatedAt });
    }
}
