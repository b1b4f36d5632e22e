using Microsoft.Playwright;

namespace TicketOps.Tests.Browser.PageObjects;

/// <summary>/signin: paste a key, get a session.</summary>
internal sealed class SignInPage(IPage page)
{
    public ILocator Error => page.Locator("[data-testid=error-summary]");

    public async Task GotoAsync() => await page.GotoAsync("/signin");

    /// <summary>Signs in and waits for the page the app sends the user to.</summary>
    public async Task SignInAsync(string key)
    {
        await page.GetByLabel("API key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
    }

    /// <summary>Opens the sign-in page, signs in with the role's key and lands on the home page.</summary>
    public static async Task AsAsync(IPage page, BrowserApp app, string role)
    {
        var signIn = new SignInPage(page);
        await signIn.GotoAsync();
        await signIn.SignInAsync(app.KeyFor(role));
        await page.WaitForURLAsync(new Uri(app.BaseAddress, "/").ToString());
    }
}
