using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TicketOps.Core.Cases;
using TicketOps.Core.Storage;

namespace TicketOps.Core.Routing;

/// <summary>
/// An agent's routing decision on a case beside the advice they were shown: the raw material of the
/// report's "advice followed" and "advice matched where solved" rates.
/// </summary>
public sealed class OwnershipDecision
{
    /// <summary>Database key.</summary>
    public long Id { get; set; }

    /// <summary>The case (<see cref="SupportCase.Id"/>).</summary>
    public long CaseId { get; set; }

    /// <summary>The depth TicketOps advised; null when it said "not enough evidence".</summary>
    public OwnershipDepth? Advised { get; set; }

    /// <summary>Where the agent sent the case.</summary>
    public OwnershipDepth Chosen { get; set; }

    /// <summary>When (UTC).</summary>
    public DateTime At { get; set; }

    /// <summary>Who decided: the CLI's <c>--as NAME</c>, or the API key's <c>name (prefix)</c>.</summary>
    public required string Actor { get; set; }

    /// <summary>True when advice was given and the agent followed it; null without advice.</summary>
    public bool? Followed => Advised is null ? null : Advised == Chosen;
}

/// <summary>Records <see cref="OwnershipDecision"/>s.</summary>
public static class OwnershipDecisions
{
    /// <summary>Records that the agent sent case <paramref name="caseId"/> to <paramref name="chosen"/> after being advised <paramref name="advised"/>.</summary>
    /// <returns>The stored decision, or the problem (unknown case, no actor) in words.</returns>
    public static async Task<(OwnershipDecision? Decision, string? Problem)> RecordAsync(
        TicketOpsDbContext db, long caseId, OwnershipDepth? advised, OwnershipDepth chosen, string actor, DateTime at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (string.IsNullOrWhiteSpace(actor))
        {
            return (null, "Name who decided (actor).");
        }

        if (!await db.Cases.AnyAsync(c => c.Id == caseId, cancellationToken))
        {
            return (null, $"No case with id {caseId}.");
        }

        var decision = new OwnershipDecision { CaseId = caseId, Advised = advised, Chosen = chosen, At = at, Actor = actor.Trim() };
        db.Set<OwnershipDecision>().Add(decision);
        await db.SaveChangesAsync(cancellationToken);
        return (decision, null);
    }
}

internal sealed class OwnershipDecisionConfiguration : IEntityTypeConfiguration<OwnershipDecision>
{
    public void Configure(EntityTypeBuilder<OwnershipDecision> builder)
    {
        builder.ToTable("ownership_decisions");
        builder.Property(d => d.Advised).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.Chosen).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.Actor).HasMaxLength(200);
        builder.Ignore(d => d.Followed);
        builder.HasOne<SupportCase>().WithMany().HasForeignKey(d => d.CaseId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(d => d.CaseId);
        builder.HasIndex(d => d.At);
    }
}
