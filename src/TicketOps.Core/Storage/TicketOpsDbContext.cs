using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Cases;

namespace TicketOps.Core.Storage;

/// <summary>The TicketOps database: one schema for SQLite (embedded default) and, later, PostgreSQL.</summary>
public sealed class TicketOpsDbContext(DbContextOptions<TicketOpsDbContext> options) : DbContext(options)
{
    /// <summary>Imported support cases.</summary>
    public DbSet<SupportCase> Cases => Set<SupportCase>();

    /// <summary>One row per import: what was read, written and rejected.</summary>
    public DbSet<ImportRun> ImportRuns => Set<ImportRun>();

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var supportCase = modelBuilder.Entity<SupportCase>();
        supportCase.ToTable("cases");
        supportCase.HasIndex(c => new { c.Source, c.ExternalId }).IsUnique();
        supportCase.HasIndex(c => c.CreatedAt);
        supportCase.HasIndex(c => c.ResolvedAt);
        supportCase.HasIndex(c => c.Product);
        supportCase.Property(c => c.Source).HasMaxLength(64);
        supportCase.Property(c => c.ExternalId).HasMaxLength(200);
        supportCase.Property(c => c.Status).HasConversion<string>().HasMaxLength(16);
        supportCase.Property(c => c.ContentHash).HasMaxLength(64);
        supportCase.Property(c => c.Comments).AsJsonColumn();
        supportCase.Property(c => c.EvidenceSteps).AsJsonColumn();
        supportCase.Property(c => c.LinkedKnowledgeIds).AsJsonColumn();
        supportCase.Property(c => c.Tags).AsJsonColumn();
        supportCase.Ignore(c => c.IsResolved);
        supportCase.Ignore(c => c.TicketText);

        var importRun = modelBuilder.Entity<ImportRun>();
        importRun.ToTable("import_runs");
        importRun.HasIndex(r => r.StartedAt);

        // Each feature (mining, knowledge, feedback) maps its own entities with an IEntityTypeConfiguration
        // beside them, so a feature's storage lives in its folder.
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(TicketOpsDbContext).Assembly);
    }
}
