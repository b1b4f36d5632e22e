using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TicketOps.Core.Cases;

namespace TicketOps.Core.Knowledge;

/// <summary>
/// Who recorded a case's outcome, and when (<see cref="FeedbackService.RecordOutcomeAsync"/>). The case's
/// own fields (<see cref="SupportCase.EscalatedAt"/>, <see cref="SupportCase.ResolvedAt"/>, ...) stay what the
/// metrics read; these rows are the history behind them, one per recorded outcome, as
/// <see cref="KnowledgeEvent"/> rows are for knowledge. Outcomes that arrive with an import have none.
/// </summary>
public sealed class CaseOutcomeEvent
{
    /// <summary>Database key; increases with time.</summary>
    public long Id { get; set; }

    /// <summary>The case (<see cref="SupportCase.Id"/>).</summary>
    public long CaseId { get; set; }

    /// <summary>What happened.</summary>
    public CaseOutcome Outcome { get; set; }

    /// <summary>When it happened (UTC), as recorded on the case.</summary>
    public DateTime At { get; set; }

    /// <summary>When it was recorded (UTC); differs from <see cref="At"/> when an outcome is recorded after the fact.</summary>
    public DateTime RecordedAt { get; set; }

    /// <summary>Who recorded it: the CLI's <c>--as NAME</c>, or the API key's <c>name (prefix)</c>.</summary>
    public required string Actor { get; set; }
}

internal sealed class CaseOutcomeEventConfiguration : IEntityTypeConfiguration<CaseOutcomeEvent>
{
    public void Configure(EntityTypeBuilder<CaseOutcomeEvent> builder)
    {
        builder.ToTable("case_outcomes");
        builder.Property(e => e.Outcome).HasConversion<string>().HasMaxLength(32);
        builder.Property(e => e.Actor).HasMaxLength(200);
        builder.HasOne<SupportCase>().WithMany().HasForeignKey(e => e.CaseId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(e => e.CaseId);
    }
}
