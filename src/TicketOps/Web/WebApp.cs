using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TicketOps.Core.Storage;
using TicketOps.Web.Access;
using TicketOps.Web.Pages;

namespace TicketOps.Web;

/// <summary>Composes the web app: the one place services and endpoints are wired.</summary>
internal static class WebApp
{
    public static WebApplication Build(string[] args, string? dataDir, string? urls)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
        if (urls is not null)
        {
            builder.WebHost.UseUrls(urls);
        }

        DataDirectory dataDirectory = DataDirectory.Resolve(dataDir ?? builder.Configuration["TicketOps:DataDir"]);
        builder.Services.AddSingleton(dataDirectory);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddDbContext<TicketOpsDbContext>(options => TicketOpsDatabase.Configure(options, dataDirectory.DatabasePath));
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        builder.Services.AddHostedService<DatabaseMigration>();
        builder.Services.AddProblemDetails();
        builder.Services.AddTicketOpsAccess(builder.Configuration);
        builder.Services.AddTicketOpsPages();

        WebApplication app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseTicketOpsAccess();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }).AllowAnonymous();
        app.MapTicketOpsAccess();
        app.MapTicketOpsPages();
        return app;
    }

    /// <summary>Applies pending migrations before the server takes requests.</summary>
    private sealed class DatabaseMigration(DataDirectory dataDirectory) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => TicketOpsDatabase.MigrateAsync(dataDirectory, cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class DatabaseHealthCheck(TicketOpsDbContext db) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            await db.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("cannot open the database");
    }
}
