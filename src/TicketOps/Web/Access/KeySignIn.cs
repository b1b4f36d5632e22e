using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using TicketOps.Core.Access;

namespace TicketOps.Web.Access;

/// <summary>
/// Signs a person in to the pages with an API key: checks the key and issues the session cookie, whose
/// principal carries the key's role. The sign-in page calls it; so does <c>POST /auth/signin</c>.
/// </summary>
internal sealed class KeySignIn(ApiKeyStore keys, ILogger<KeySignIn> logger)
{
    /// <summary>The principal of a live key, or null for an unknown, malformed or revoked one.</summary>
    public async Task<ClaimsPrincipal?> ValidateAsync(string? key, CancellationToken cancellationToken = default)
    {
        ApiKey? apiKey = await keys.AuthenticateAsync(key?.Trim(), cancellationToken);
        return apiKey is null ? null : AccessClaims.PrincipalFor(apiKey, AccessSchemes.Cookie);
    }

    /// <summary>Issues the session cookie for a live key; false (and no cookie) otherwise.</summary>
    public async Task<bool> SignInAsync(HttpContext context, string? key, bool persistent = false)
    {
        ArgumentNullException.ThrowIfNull(context);
        ClaimsPrincipal? principal = await ValidateAsync(key, context.RequestAborted);
        if (principal is null)
        {
            logger.LogInformation("Sign-in refused: unknown or revoked key");
            return false;
        }

        await context.SignInAsync(AccessSchemes.Cookie, principal, new AuthenticationProperties { IsPersistent = persistent });
        logger.LogInformation("Signed in {Actor} as {Role}", AccessClaims.ActorOf(principal), principal.FindFirstValue(ClaimTypes.Role));
        return true;
    }

    /// <summary>Ends the session.</summary>
    public async Task SignOutAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await context.SignOutAsync(AccessSchemes.Cookie);
        logger.LogInformation("Signed out {Actor}", AccessClaims.ActorOf(context.User));
    }
}
