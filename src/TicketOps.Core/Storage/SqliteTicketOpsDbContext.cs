using Microsoft.EntityFrameworkCore;

namespace TicketOps.Core.Storage;

/// <summary>The TicketOps model on SQLite; its migrations are in <c>Storage/Migrations/Sqlite</c>.</summary>
public sealed class SqliteTicketOpsDbContext(DbContextOptions<SqliteTicketOpsDbContext> options) : TicketOpsDbContext(options)
{
    /// <inheritdoc />
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}
