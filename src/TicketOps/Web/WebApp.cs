using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;
using TicketOps.Cli;
using TicketOps.Core.Escalation;
using TicketOps.Core.Import;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Storage;
using TicketOps.Web.Access;
using TicketOps.Web.Pages;

namespace TicketOps.Web;

/// <summary>Composes the web app: the one place services and endpoints are wired.</summary>
internal static class WebApp
{
    public static WebApplication Build(string[] args, string? dataDir, string? urls, string? database = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(args);

        // Every SQL command at Information would log the change feed's idle polls every few seconds; the default is
        // Warning, and any configuration (appsettings, Logging__LogLevel__... in the environment) still overrides it.
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?> { ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "Warning" },
        });
        if (urls is not null)
        {
            builder.WebHost.UseUrls(urls);
        }

        if (dataDir is not null)
        {
            builder.Configuration[$"{TicketOpsWebOptions.Section}:{nameof(TicketOpsWebOptions.DataDir)}"] = dataDir;
        }

        TicketOpsWebOptions options = builder.Configuration.GetSection(TicketOpsWebOptions.Section).Get<TicketOpsWebOptions>() ?? new();
        builder.Services.AddOptions<TicketOpsWebOptions>().BindConfiguration(TicketOpsWebOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes);

        builder.Services.AddTicketOpsStorage(ConfigFile.ResolveDatabase(DataDirectory.Resolve(options.DataDir), database, options.Database));
        builder.Services.AddTicketOpsMatching();
        builder.Services.AddTicketOpsApi();
        builder.Services.AddBadRequestProblems();
        builder.Services.AddTicketOpsAccess(builder.Configuration);
        builder.Services.AddTicketOpsPages();

        WebApplication app = builder.Build();
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // A body that cannot be bound or is too large is the client's error, also in Development.
            StatusCodeSelector = exception => exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        app.UseBadRequestProblems();
        app.UseStatusCodePages();
        app.UseRouting();
        app.UseTicketOpsAccess();
        app.UseRequestSizeLimits(options);
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready"), ResponseWriter = WriteReadinessAsync }).AllowAnonymous();
        app.MapTicketOpsAccess();
        app.MapTicketOpsApi(options);
        app.MapTicketOpsPages();
        return app;
    }

    /// <summary>The database (the data directory's SQLite file, or the one configured), migrated before the server takes requests.</summary>
    private static IServiceCollection AddTicketOpsStorage(this IServiceCollection services, DataDirectory dataDirectory)
    {
        services.AddSingleton(dataDirectory);
        services.AddSingleton(TimeProvider.System);
        services.AddTicketOpsDatabase(dataDirectory.Database);
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);

        // Registered before the matcher's warm-up: hosted services start in order, and the warm-up reads the database.
        services.AddHostedService<DatabaseMigration>();
        return services;
    }

    /// <summary>JSON as the CLI writes it (snake_case, enums as words), ProblemDetails, OpenAPI, the features' services.</summary>
    private static IServiceCollection AddTicketOpsApi(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        });
        services.AddProblemDetails(problems => problems.CustomizeProblemDetails = context =>
        {
            // Binding errors name the parameter and what was wrong with it; say so (never for a 500).
            if (context.Exception is BadHttpRequestException bad)
            {
                context.ProblemDetails.Detail = bad.StatusCode == StatusCodes.Status413PayloadTooLarge
                    ? "The request body is larger than this endpoint accepts (TicketOps:MaxRequestBodyBytes, MaxBatchBodyBytes)."
                    : bad.Message;
            }
        });
        services.AddOpenApi(openApi => openApi.AddDocumentTransformer<ApiKeySecurityScheme>());
        services.AddScoped<CaseImporter>();
        services.AddScoped<CaseReceiver>();
        services.AddScoped<FeedbackService>();
        services.AddScoped<EscalationService>();
        services.AddSingleton<ReviewDecisionGate>();
        services.AddSingleton<CandidateReviewCache>();
        services.AddScoped(provider => new ReviewDesk(
            provider.GetRequiredService<TicketOpsDbContext>(),
            provider.GetRequiredService<Core.Matching.TicketMatcher>(),
            provider.GetRequiredService<Core.Matching.SentenceEmbedder>(),
            provider.GetRequiredService<IOptions<TicketOpsWebOptions>>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ReviewDecisionGate>(),
            provider.GetRequiredService<CandidateReviewCache>()));
        return services;
    }

    private static WebApplication MapTicketOpsApi(this WebApplication app, TicketOpsWebOptions options)
    {
        app.MapMatchEndpoints();
        app.MapCaseEndpoints(options);
        app.MapKnowledgeEndpoints();
        app.MapFeedbackEndpoints();
        app.MapOwnershipEndpoints();
        app.MapReviewEndpoints();
        app.MapEscalationEndpoints();
        app.MapInsightEndpoints();

        // The reference page serves its own script (no CDN, no web fonts, no telemetry): TicketOps runs offline.
        app.MapOpenApi();
        app.MapScalarApiReference("/api/reference", scalar =>
        {
            scalar.Title = "TicketOps API";
            scalar.DefaultFonts = false;
            scalar.Telemetry = false;
            scalar.Agent = new ScalarAgentOptions { Disabled = true };
            scalar.AddPreferredSecuritySchemes(ApiKeySecurityScheme.Name);
        });
        return app;
    }

    /// <summary>
    /// The readiness answer as JSON: the overall status and each check's status, description and figures (the
    /// change feed's pending changes, last applied id and lag), for a load balancer and a person alike.
    /// </summary>
    private static Task WriteReadinessAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(
                e => e.Key,
                e => new { status = e.Value.Status.ToString(), description = e.Value.Description, data = e.Value.Data }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
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
