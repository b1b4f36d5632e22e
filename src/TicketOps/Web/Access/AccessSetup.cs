using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.RateLimiting;
using TicketOps.Core.Access;

namespace TicketOps.Web.Access;

/// <summary>Paths the pages provide for the cookie scheme.</summary>
internal static class AccessPaths
{
    /// <summary>The sign-in page (a form that posts a key; it calls <see cref="KeySignIn"/>).</summary>
    public const string SignIn = "/signin";

    /// <summary>Where a signed-in person lands when their role may not see a page.</summary>
    public const string Denied = "/denied";
}

/// <summary>Authentication (API key or cookie), the role policies and the per-key rate limit.</summary>
internal static class AccessSetup
{
    /// <summary>Registers the schemes, the policies of <see cref="AccessPolicies"/> and the rate limiter.</summary>
    public static IServiceCollection AddTicketOpsAccess(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<ApiKeyStore>();
        services.AddScoped<KeySignIn>();
        DatabaseKeyRing.AddDatabaseKeyRing(services);
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.Section)).ValidateDataAnnotations().ValidateOnStart();

        services.AddAuthentication(AccessSchemes.KeyOrCookie)
            .AddPolicyScheme(AccessSchemes.KeyOrCookie, "API key or session cookie", options =>
                options.ForwardDefaultSelector = context => AccessSchemes.HasKeyHeader(context.Request) ? AccessSchemes.ApiKey : AccessSchemes.Cookie)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(AccessSchemes.ApiKey, null)
            .AddCookie(AccessSchemes.Cookie, options =>
            {
                options.Cookie.Name = "ticketops.session";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.LoginPath = AccessPaths.SignIn;
                options.AccessDeniedPath = AccessPaths.Denied;
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = true;
                options.Events = new CookieAuthenticationEvents
                {
                    // A script calling the API with a stale cookie wants a status code, not a sign-in page.
                    OnRedirectToLogin = context => StatusOrRedirect(context, StatusCodes.Status401Unauthorized),
                    OnRedirectToAccessDenied = context => StatusOrRedirect(context, StatusCodes.Status403Forbidden),
                    OnValidatePrincipal = RejectRevokedKeyAsync,
                };
            });

        services.AddAuthorizationBuilder()
            .AddPolicy(AccessPolicies.Agent, policy => policy.RequireRole(AccessRoles.Agent, AccessRoles.KnowledgeOwner, AccessRoles.Admin))
            .AddPolicy(AccessPolicies.KnowledgeOwner, policy => policy.RequireRole(AccessRoles.KnowledgeOwner, AccessRoles.Admin))
            .AddPolicy(AccessPolicies.Lead, policy => policy.RequireRole(AccessRoles.Lead, AccessRoles.KnowledgeOwner, AccessRoles.Admin))
            .AddPolicy(AccessPolicies.Admin, policy => policy.RequireRole(AccessRoles.Admin))
            // Everything needs a key unless it says otherwise (health checks, sign-in).
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());

        services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                // Partitioned by key, not by address: one busy integration must not starve the agents
                // behind the same proxy. Anonymous requests (health checks, sign-in) are not limited here.
                string? prefix = context.User.FindFirst(AccessClaims.KeyPrefix)?.Value;
                if (prefix is null)
                {
                    return RateLimitPartition.GetNoLimiter("anonymous");
                }

                RateLimitOptions limits = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<RateLimitOptions>>().Value;
                return RateLimitPartition.GetTokenBucketLimiter(prefix, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limits.Burst,
                    TokensPerPeriod = limits.RequestsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            options.OnRejected = WriteTooManyRequestsAsync;
        });
        return services;
    }

    /// <summary>Authentication, then the per-key rate limit (it needs the key), then authorization.</summary>
    public static WebApplication UseTicketOpsAccess(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        return app;
    }

    /// <summary>Maps <c>POST /auth/signin</c> (JSON <c>{"key": "..."}</c> → session cookie) and <c>POST /auth/signout</c>.</summary>
    public static IEndpointRouteBuilder MapTicketOpsAccess(this IEndpointRouteBuilder endpoints)
    {
        RouteGroupBuilder auth = endpoints.MapGroup("/auth").WithTags("Access");

        // JSON only, never a form: a cross-site page cannot send a JSON body without CORS, so the
        // endpoint needs no antiforgery token (the sign-in page calls KeySignIn itself, with one).
        auth.MapPost("/signin", async Task<Results<NoContent, ProblemHttpResult>> (SignInRequest request, KeySignIn signIn, HttpContext context) =>
                await signIn.SignInAsync(context, request.Key, request.Remember)
                    ? TypedResults.NoContent()
                    : TypedResults.Problem(
                        title: "Sign-in refused",
                        detail: "The key is unknown or revoked. Ask an admin for a key (ticketops keys create).",
                        statusCode: StatusCodes.Status401Unauthorized))
            .AllowAnonymous()
            .WithName("SignIn")
            .WithSummary("Exchange an API key for a session cookie (for the pages).");
        auth.MapPost("/signout", async (KeySignIn signIn, HttpContext context) =>
            {
                await signIn.SignOutAsync(context);
                return TypedResults.NoContent();
            })
            .AllowAnonymous()
            .WithName("SignOut")
            .WithSummary("End the session.");
        return endpoints;
    }

    private static Task StatusOrRedirect(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
            || context.Request.Path.StartsWithSegments("/auth", StringComparison.OrdinalIgnoreCase)
            || context.Request.Path.StartsWithSegments("/openapi", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = status;
            if (status == StatusCodes.Status401Unauthorized)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
            }
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }

        return Task.CompletedTask;
    }

    // A revoked key ends the sessions made with it at their next request, not when the cookie expires.
    private static async Task RejectRevokedKeyAsync(CookieValidatePrincipalContext context)
    {
        string? id = context.Principal?.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value;
        ApiKeyStore keys = context.HttpContext.RequestServices.GetRequiredService<ApiKeyStore>();
        if (!long.TryParse(id, CultureInfo.InvariantCulture, out long keyId) || !await keys.IsLiveAsync(keyId, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(AccessSchemes.Cookie);
        }
    }

    private static async ValueTask WriteTooManyRequestsAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        HttpContext context = rejected.HttpContext;
        int seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 1;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await ProblemResponses.WriteAsync(
            context,
            StatusCodes.Status429TooManyRequests,
            "Too many requests",
            $"This key made more requests than its limit allows; retry after {seconds} s, or raise TicketOps:RateLimit for this deployment.");
    }
}

/// <summary>The body of <c>POST /auth/signin</c>.</summary>
/// <param name="Key">The API key.</param>
/// <param name="Remember">Keep the cookie after the browser closes.</param>
internal sealed record SignInRequest(string? Key, bool Remember = false);
