using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace TicketOps.Tests.Web;

/// <summary>A browser-like client for the pages: signed in with a role's key (session cookie), posting forms with their antiforgery token.</summary>
internal sealed partial class PageSession : IDisposable
{
    private readonly HttpClient _client;

    private PageSession(HttpClient client) => _client = client;

    public static async Task<PageSession> SignInAsync(TicketOpsWebFactory app, string role)
    {
        HttpClient client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        HttpResponseMessage signIn = await client.PostAsJsonAsync(new Uri("/auth/signin", UriKind.Relative), new { key = app.KeyFor(role) });
        Assert.Equal(HttpStatusCode.NoContent, signIn.StatusCode);
        return new PageSession(client);
    }

    public Task<HttpResponseMessage> GetAsync(string path) => _client.GetAsync(new Uri(path, UriKind.Relative));

    /// <summary>
    /// Opens <paramref name="formPage"/> for its antiforgery token, then posts the fields to <paramref name="action"/>;
    /// the body comes back HTML-decoded (Razor encodes every non-ASCII character, e.g. → as &amp;#x2192;).
    /// </summary>
    public async Task<(HttpResponseMessage Response, string Body)> PostFormAsync(string formPage, string action, IReadOnlyDictionary<string, string> fields)
    {
        string form = await _client.GetStringAsync(new Uri(formPage, UriKind.Relative));
        string token = Token().Match(form).Groups[1].Value;
        using var body = new FormUrlEncodedContent(new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token });
        HttpResponseMessage response = await _client.PostAsync(new Uri(action, UriKind.Relative), body);
        return (response, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    public void Dispose() => _client.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
