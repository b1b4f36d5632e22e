using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TicketOps.Web.Access;

namespace TicketOps.Web.Pages;

/// <summary>Ends the session (a POST with the antiforgery token, from the button in the header).</summary>
[AllowAnonymous]
public sealed class SignOutModel : PageModel
{
    public IActionResult OnGet() => RedirectToPage("/SignIn");

    public async Task<IActionResult> OnPostAsync()
    {
        // KeySignIn is internal to the app; page models are public, so it is resolved here, not injected.
        KeySignIn signIn = HttpContext.RequestServices.GetRequiredService<KeySignIn>();
        await signIn.SignOutAsync(HttpContext);
        return RedirectToPage("/SignIn");
    }
}
