using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using TicketOps.Cli;
using TicketOps.Tests.Cli;
using TicketOps.Tests.Support;
using TicketOps.Web.Access;
using Xunit.Abstractions;

namespace TicketOps.Tests.Web;

public sealed class AccessTests : IClassFixture<TicketOpsWebFactory>
{
    private readonly TicketOpsWebFactory _app;

    public AccessTests(TicketOpsWebFactory app, ITestOutputHelper output)
    {
        _app = app;
        _app.Output = output;
    }

    [Fact]
    public async Task An_anonymous_request_is_refused_with_401_problem_details()
    {
        using HttpClient client = _app.ClientFor(null);

        HttpResponseMessage response = await client.GetAsync(new Uri("/api/knowledge", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_unknown_key_is_refused_with_401()
    {
        using HttpClient client = _app.ClientFor(null);
        client.DefaultRequestHeaders.Add(AccessSchemes.ApiKeyHeader, "tko_notAKeyThatExists000000000000000000000000");

        HttpResponseMessage response = await client.GetAsync(new Uri("/api/knowledge", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Signing_in_with_a_key_gives_a_session_cookie_that_authenticates_and_a_bad_key_gets_none()
    {
        using HttpClient client = _app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });

        HttpResponseMessage refused = await client.PostAsJsonAsync(new Uri("/auth/signin", UriKind.Relative), new { key = "tko_wrong" });
        HttpResponseMessage before = await client.GetAsync(new Uri("/api/knowledge", UriKind.Relative));
        HttpResponseMessage signedIn = await client.PostAsJsonAsync(new Uri("/auth/signin", UriKind.Relative), new { key = _app.KeyFor(AccessRoles.Agent) });
        HttpResponseMessage after = await client.GetAsync(new Uri("/api/knowledge", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, before.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, signedIn.StatusCode);
        Assert.NotEqual(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task A_page_without_a_session_redirects_to_the_sign_in_page()
    {
        using HttpClient client = _app.ClientFor(null);

        HttpResponseMessage response = await client.GetAsync(new Uri("/review", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith(AccessPaths.SignIn, response.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
    }
}

public sealed class KeysVerbTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Keys_are_stored_hashed_listed_by_prefix_and_revoked_by_id()
    {
        CliRun created = await CliRun.RunAsync("keys", "create", "--role", "agent", "--name", "Ana", "--data-dir", _temp.Path, "--format", "json");
        using JsonDocument json = JsonDocument.Parse(created.Out);
        string key = json.RootElement.GetProperty("key").GetString()!;
        string prefix = json.RootElement.GetProperty("prefix").GetString()!;
        long id = json.RootElement.GetProperty("id").GetInt64();

        CliRun revoked = await CliRun.RunAsync("keys", "revoke", id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data-dir", _temp.Path);
        CliRun listed = await CliRun.RunAsync("keys", "list", "--data-dir", _temp.Path, "--format", "json");
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        Assert.Equal(ExitCodes.Success, created.ExitCode);
        Assert.StartsWith("tko_", key, StringComparison.Ordinal);
        Assert.StartsWith(prefix, key, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, revoked.ExitCode);
        Assert.Contains(prefix, listed.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(key, listed.Out, StringComparison.Ordinal);
        Assert.Contains("\"revoked_at\": \"", listed.Out, StringComparison.Ordinal);
        foreach (string file in Directory.GetFiles(_temp.Path, "ticketops.db*"))
        {
            string bytes = Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file));
            Assert.DoesNotContain(key, bytes, StringComparison.Ordinal);
            Assert.DoesNotContain(key[ApiKeyStoreTestsPrefix..], bytes, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Creating_a_key_with_an_unknown_role_is_a_usage_error()
    {
        CliRun run = await CliRun.RunAsync("keys", "create", "--role", "root", "--name", "x", "--data-dir", _temp.Path);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--role must be one of agent, knowledge-owner, lead, admin, not 'root'", run.Error + run.Out, StringComparison.Ordinal);
    }

    private const int ApiKeyStoreTestsPrefix = TicketOps.Core.Access.ApiKeyStore.PrefixLength;
}
