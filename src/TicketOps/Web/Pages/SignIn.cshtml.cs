using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TicketOps.Web.Access;

namespace TicketOps.Web.Pages;

/// <summary>Paste an API key, get a session cookie for the pages; the key's role decides what the pages show.</summary>
[AllowAnonymous]
public sealed class SignInModel : PageModel
{
    [BindProperty]
    [Required(ErrorMessage = "Paste your API key (it starts with tko_). An admin creates one with 'ticketops keys create'.")]
    [StringLength(200)]
    public string? Key { get; set; }

    [BindProperty]
    public bool Remember { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        // KeySignIn is internal to the app; page models are public, so it is resolved here, not injected.
        KeySignIn signIn = HttpContext.RequestServices.GetRequiredService<KeySignIn>();
        if (ModelState.IsValid && !await signIn.SignInAsync(HttpContext, Key, Remember))
        {
            ModelState.AddModelError(nameof(Key), "This key is unknown or revoked. Check that you pasted all of it, or ask an admin for a new one (ticketops keys create).");
        }

        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }

        // Only a path on this site: a crafted link must not send a fresh session elsewhere.
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
    }
}
