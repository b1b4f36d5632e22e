using Microsoft.EntityFrameworkCore;

namespace TicketOps.Core.Storage;

/// <summary>The TicketOps model on PostgreSQL; its migrations are in <c>Storage/Migrations/PostgreSql</c>.</summary>
public sealed class PostgreSqlTicketOpsDbContext(DbContextOptions<PostgreSqlTicketOpsDbContext> options) : TicketOpsDbContext(options)
{
    /// <summary>
    /// Byte-order comparison, as SQLite's default BINARY collation: the same ordering and the same
    /// case-sensitive equality on both stores, whatever locale the PostgreSQL server was created with.
    /// </summary>
    public const string Collation = "C";

    /// <inheritdoc />
    public override DatabaseProvider Provider => DatabaseProvider.PostgreSql;

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);

        // Text columns are unbounded text, as on SQLite (which ignores declared lengths): a long ticket title or
        // reason is stored on both stores rather than refused by one. Strings compare and sort by bytes on both.
        foreach (var property in modelBuilder.Model.GetEntityTypes().SelectMany(e => e.GetProperties()))
        {
            if ((property.GetValueConverter()?.ProviderClrType ?? property.GetProviderClrType() ?? property.ClrType) == typeof(string))
            {
                property.SetColumnType("text");
                property.SetCollation(Collation);
            }
        }
    }
}
