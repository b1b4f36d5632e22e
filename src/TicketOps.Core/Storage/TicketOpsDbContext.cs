using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Cases;

namespace TicketOps.Core.Storage;

/// <summary>
/// The TicketOps database: one model for SQLite (the embedded default) and PostgreSQL (several instances).
/// Each provider has a subclass only so that it has its own migrations (EF finds a migration by its context
/// type): <see cref="SqliteTicketOpsDbContext"/> and <see cref="PostgreSqlTicketOpsDbContext"/>. Code takes
/// this type and never needs to know which one it has.
/// </summary>
public abstract class TicketOpsDbContext(DbContextOptions options) : DbContext(options)
{
    /// <summary>Which engine this context talks to.</summary>
    public abstract DatabaseProvider Provider { get; }

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
        supportCase.Property(c => c.Handoffs).AsJsonColumn();
        supportCase.Property(c => c.EscalationAsks).AsJsonColumn();
        supportCase.Property(c => c.Customer).HasMaxLength(200);
        supportCase.Property(c => c.IncidentId).HasMaxLength(200);
        supportCase.Ignore(c => c.IsResolved);
        supportCase.Ignore(c => c.TicketText);

        var importRun = modelBuilder.Entity<ImportRun>();
        importRun.ToTable("import_runs");
        importRun.HasIndex(r => r.StartedAt);

        // Each feature (mining, knowledge, feedback) maps its own entities with an IEntityTypeConfiguration
        // beside them, so a feature's storage lives in its folder.
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(TicketOpsDbContext).Assembly);
    }

    /// <inheritdoc />
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);

        // Every time TicketOps stores is UTC. SQLite keeps text and hands back "unspecified" DateTimes; Npgsql
        // refuses anything but UTC for timestamptz. Converting at the boundary makes both behave the same.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }
}
