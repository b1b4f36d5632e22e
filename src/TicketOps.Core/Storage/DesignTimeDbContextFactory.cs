using Microsoft.EntityFrameworkCore.Design;

namespace TicketOps.Core.Storage;

/// <summary>Lets <c>dotnet ef migrations add --context SqliteTicketOpsDbContext</c> build the model without starting the app.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteTicketOpsDbContext>
{
    public SqliteTicketOpsDbContext CreateDbContext(string[] args) =>
        (SqliteTicketOpsDbContext)TicketOpsDatabase.CreateContext(DatabaseLocation.SqliteFile(Path.Combine(Path.GetTempPath(), "ticketops-design.db")));
}

/// <summary>
/// Lets <c>dotnet ef migrations add --context PostgreSqlTicketOpsDbContext</c> build the model; adding a
/// migration never connects, so the server named here need not exist.
/// </summary>
internal sealed class PostgreSqlDesignTimeFactory : IDesignTimeDbContextFactory<PostgreSqlTicketOpsDbContext>
{
    public PostgreSqlTicketOpsDbContext CreateDbContext(string[] args) =>
        (PostgreSqlTicketOpsDbContext)TicketOpsDatabase.CreateContext(DatabaseLocation.Parse("Host=localhost;Database=ticketops_design"));
}
