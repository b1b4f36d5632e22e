using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using TicketOps.Cli;
using TicketOps.Tests.Cli;
using TicketOps.Tests.Support;
using TicketOps.Web.Access;
using Xunit.Abstractions;

namespace TicketOps.Tests.Web;

public sealed class AccessTests(TicketOpsWebFactory app, ITestOutputHelper output) : WebTest<TicketOpsWebFactory>(app, output)
{
    [Fact]
    public async Task An_anonymous_request_is_refused_with_401_problem_details()
    {
        using HttpClient client = App.ClientFor(null);

        HttpResponseMessage response = await client.GetAsync(new Uri("/api/knowledge", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    public static TheoryData<string, string> Endpoints() => new()
    {
        { "POST", "/api/match" },
        { "POST", "/api/cases" },
        { "POST", "/api/cases/batch" },
        { "POST", "/api/cases/1/outcome" },
        { "POST", "/api/webhooks/tickets" },
        { "POST", "/api/webhooks/zendesk" },
        { "GET", "/api/knowledge" },
        { "GET", "/api/knowledge/PB-0001" },
        { "POST", "/api/knowledge/PB-0001/flag" },
        { "POST", "/api/feedback" },
        { "GET", "/api/metrics" },
        { "GET", "/api/themes" },
        { "GET", "/api/themes/cl-x/feedback-report" },
        { "GET", "/api/feedback-reports" },
        { "GET", "/api/review/help-gaps" },
        { "GET", "/openapi/v1.json" },
        { "GET", "/api/reference" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Every_endpoint_refuses_an_anonymous_request_with_401(string method, string path)
    {
        using HttpClient client = App.ClientFor(null);

        HttpResponseMessage response = await client.SendAsync(Request(method, path));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    public static TheoryData<string, string, string> Refusals() => new()
    {
        // Agents match and give feedback; they neither feed cases in nor read the lead's figures.
        { AccessRoles.Agent, "POST", "/api/cases" },
        { AccessRoles.Agent, "POST", "/api/cases/batch" },
        { AccessRoles.Agent, "POST", "/api/webhooks/zendesk" },
        { AccessRoles.Agent, "GET", "/api/metrics" },
        { AccessRoles.Agent, "GET", "/api/themes" },
        { AccessRoles.Agent, "GET", "/api/themes/cl-x/feedback-report" },
        { AccessRoles.Agent, "GET", "/api/review/help-gaps" },
        // Leads read figures; they do not work tickets.
        { AccessRoles.Lead, "POST", "/api/match" },
        { AccessRoles.Lead, "POST", "/api/feedback" },
        { AccessRoles.Lead, "POST", "/api/knowledge/PB-0001/flag" },
        { AccessRoles.Lead, "POST", "/api/cases/1/outcome" },
        { AccessRoles.Lead, "POST", "/api/webhooks/tickets" },
        // Knowledge owners do everything but integration.
        { AccessRoles.KnowledgeOwner, "POST", "/api/cases" },
        { AccessRoles.KnowledgeOwner, "POST", "/api/webhooks/tickets" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_role_is_refused_with_403_where_its_job_does_not_reach(string role, string method, string path)
    {
        using HttpClient client = App.ClientFor(role);

        HttpResponseMessage response = await client.SendAsync(Request(method, path));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_openapi_document_lists_the_api_and_the_reference_page_serves_its_own_script()
    {
        using HttpClient client = App.ClientFor(AccessRoles.Agent);

        string document = await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        string page = await client.GetStringAsync(new Uri("/api/reference/", UriKind.Relative));
        string script = System.Text.RegularExpressions.Regex.Match(page, "<script[^>]+src=\"([^\"]+)\"").Groups[1].Value;
        HttpResponseMessage scriptResponse = await client.GetAsync(new Uri(new Uri("http://localhost/api/reference/"), script));

        Assert.Contains("\"/api/match\"", document, StringComparison.Ordinal);
        Assert.Contains("\"MatchTicket\"", document, StringComparison.Ordinal);
        Assert.DoesNotContain("cdn.", page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("fonts.", page, StringComparison.OrdinalIgnoreCase);
        Assert.False(script.StartsWith("http", StringComparison.OrdinalIgnoreCase), script);
        Assert.Equal(HttpStatusCode.OK, scriptResponse.StatusCode);
        Assert.True((await scriptResponse.Content.ReadAsByteArrayAsync()).Length > 100_000);
    }

    [Fact]
    public async Task A_body_over_the_size_limit_is_refused_with_413_problem_details_and_nothing_is_stored()
    {
        using HttpClient admin = App.ClientFor(AccessRoles.Admin);
        object huge = WebApi.Case("BIG-1", "Huge", description: new string('x', 1_200_000));

        using var body = new StringContent(JsonSerializer.Serialize(huge), Encoding.UTF8, "application/json");

        HttpResponseMessage response = await admin.PostAsync(new Uri("/api/cases", UriKind.Relative), body);

        await WebApi.ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        await using Core.Storage.TicketOpsDbContext db = App.OpenDatabase();
        Assert.False(await db.Cases.AnyAsync(c => c.ExternalId == "BIG-1"));
    }

    [Fact]
    public async Task An_unknown_key_is_refused_with_401()
    {
        using HttpClient client = App.ClientFor(null);
        client.DefaultRequestHeaders.Add(AccessSchemes.ApiKeyHeader, "tko_notAKeyThatExists000000000000000000000000");

        HttpResponseMessage response = await client.GetAsync(new Uri("/api/knowledge", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Signing_in_with_a_key_gives_a_session_cookie_that_authenticates_and_a_bad_key_gets_none()
    {
        using HttpClient client = App.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });

        HttpResponseMessage refused = await client.PostAsJsonAsync(new Uri("/auth/signin", UriKind.Relative), new { key = "tko_wrong" });
        HttpResponseMessage before = await client.GetAsync(new Uri("/api/knowledge", UriKind.Relative));
        HttpResponseMessage signedIn = await client.PostAsJsonAsync(new Uri("/auth/signin", UriKind.Relative), new { key = App.KeyFor(AccessRoles.Agent) });
        HttpResponseMessage after = await client.GetAsync(new Uri("/api/knowledge", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, before.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, signedIn.StatusCode);
        Assert.NotEqual(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    private static HttpRequestMessage Request(string method, string path) =>
        new(new HttpMethod(method), new Uri(path, UriKind.Relative))
        {
            Content = method == "POST" ? JsonContent.Create(new { }) : null,
        };

    [Fact]
    public async Task A_page_without_a_session_redirects_to_the_sign_in_page()
    {
        using HttpClient client = App.ClientFor(null);

        HttpResponseMessage response = await client.GetAsync(new Uri("/review", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith(AccessPaths.SignIn, response.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
    }
}

/// <summary>A deployment with a tight limit: two requests at once, one more per second.</summary>
public sealed class RateLimitedWebFactory : TicketOpsWebFactory
{
    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["TicketOps:RateLimit:RequestsPerSecond"] = "1",
        ["TicketOps:RateLimit:Burst"] = "2",
    };
}

public sealed class RateLimitTests(RateLimitedWebFactory app, ITestOutputHelper output) : WebTest<RateLimitedWebFactory>(app, output)
{
    [Fact]
    public async Task A_key_over_its_limit_gets_429_with_retry_after_while_another_key_goes_on()
    {
        using HttpClient busy = App.ClientFor(AccessRoles.Lead);
        using HttpClient other = App.ClientFor(AccessRoles.KnowledgeOwner);

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (int i = 0; i < 6 && refused is null; i++)
        {
            HttpResponseMessage response = await busy.GetAsync(new Uri("/api/knowledge", UriKind.Relative));
            statuses.Add(response.StatusCode);
            refused = response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
        }

        HttpResponseMessage fromOther = await other.GetAsync(new Uri("/api/knowledge", UriKind.Relative));

        Assert.NotNull(refused);
        Assert.Equal(HttpStatusCode.OK, statuses[0]);
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.ToString());
        await WebApi.ProblemAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.Equal(HttpStatusCode.OK, fromOther.StatusCode);
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
