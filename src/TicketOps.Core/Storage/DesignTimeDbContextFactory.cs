using Microsoft.EntityFrameworkCore.Design;

namespace TicketOps.Core.Storage;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the app.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<TicketOpsDbContext>
{
    public TicketOpsDbContext CreateDbContext(string[] args) =>
        new(TicketOpsDatabase.Options(Path.Combine(Path.GetTempPath(), "ticketops-design.db")));
}
