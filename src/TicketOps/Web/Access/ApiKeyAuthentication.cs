using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using TicketOps.Core.Access;

namespace TicketOps.Web.Access;

/// <summary>The claims TicketOps puts on a principal, whichever scheme authenticated it.</summary>
internal static class AccessClaims
{
    /// <summary>The API key's prefix: partitions rate limits and names the key in logs without revealing it.</summary>
    public const string KeyPrefix = "ticketops:key_prefix";

    /// <summary>The principal of an API key (same claims for the API-key and the cookie scheme).</summary>
    public static ClaimsPrincipal PrincipalFor(ApiKey key, string authenticationType)
    {
        ArgumentNullException.ThrowIfNull(key);
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, key.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Claim(ClaimTypes.Name, key.Name),
                new Claim(ClaimTypes.Role, key.Role),
                new Claim(KeyPrefix, key.Prefix),
            ],
            authenticationType,
            ClaimTypes.Name,
            ClaimTypes.Role);
        return new ClaimsPrincipal(identity);
    }

    /// <summary>Who did something, for audit fields (<c>name (prefix)</c>); "anonymous" without a key.</summary>
    public static string ActorOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Identity?.Name is { } name ? $"{name} ({user.FindFirstValue(KeyPrefix)})" : "anonymous";
    }
}

/// <summary>The names of the authentication schemes.</summary>
internal static class AccessSchemes
{
    /// <summary><c>Authorization: Bearer KEY</c> or <c>X-Api-Key: KEY</c> (scripts, integrations, the API).</summary>
    public const string ApiKey = "ApiKey";

    /// <summary>A session cookie made by signing in with a key (the pages).</summary>
    public const string Cookie = "Cookies";

    /// <summary>The default: the API-key scheme when a key header is present, else the cookie.</summary>
    public const string KeyOrCookie = "KeyOrCookie";

    /// <summary>The header a key may come in besides <c>Authorization</c>.</summary>
    public const string ApiKeyHeader = "X-Api-Key";

    /// <summary>Whether the request carries a key in a header.</summary>
    public static bool HasKeyHeader(HttpRequest request) =>
        request.Headers.ContainsKey(ApiKeyHeader)
        || request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);
}

/// <summary>Authenticates a request by the API key in its <c>Authorization: Bearer</c> or <c>X-Api-Key</c> header.</summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyStore keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? presented = Request.Headers[AccessSchemes.ApiKeyHeader].FirstOrDefault();
        string authorization = Request.Headers.Authorization.ToString();
        if (presented is null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            presented = authorization["Bearer ".Length..].Trim();
        }

        if (string.IsNullOrEmpty(presented))
        {
            return AuthenticateResult.NoResult();
        }

        ApiKey? key = await keys.AuthenticateAsync(presented, Context.RequestAborted);
        if (key is null)
        {
            // The message is logged, never echoed: it must not help anyone guess keys.
            return AuthenticateResult.Fail("unknown or revoked API key");
        }

        return AuthenticateResult.Success(new AuthenticationTicket(AccessClaims.PrincipalFor(key, Scheme.Name), Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}
