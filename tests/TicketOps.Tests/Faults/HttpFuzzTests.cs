using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CsCheck;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using TicketOps.Tests.Web;
using Xunit.Abstractions;

namespace TicketOps.Tests.Faults;

/// <summary>The app with every log entry kept, so a test can assert that no request ended in an unhandled exception.</summary>
public sealed class LoggedWebFactory : TicketOpsWebFactory
{
    public ConcurrentQueue<(LogLevel Level, string Category, string Message, Exception? Exception)> Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging => logging.AddProvider(new KeepingLoggerProvider(Logs)));
    }

    /// <summary>Errors and exceptions logged since <paramref name="mark"/> entries.</summary>
    public IReadOnlyList<string> FailuresSince(int mark) =>
        [.. Logs.Skip(mark).Where(l => l.Level >= LogLevel.Error || l.Exception is not null).Select(l => $"{l.Level} {l.Category}: {l.Message} {l.Exception}")];

    private sealed class KeepingLoggerProvider(ConcurrentQueue<(LogLevel, string, string, Exception?)> logs) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new KeepingLogger(logs, categoryName);

        public void Dispose()
        {
        }
    }

    private sealed class KeepingLogger(ConcurrentQueue<(LogLevel, string, string, Exception?)> logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            logs.Enqueue((logLevel, category, formatter(state, exception), exception));
    }
}

/// <summary>
/// Every request body and query parameter of the HTTP API fed hostile input, through the real app: each
/// answer is a 2xx or a 4xx ProblemDetails, never a 500; no request logs an unhandled exception; and a
/// refused request changes no row of the database.
/// </summary>
public sealed class HttpFuzzTests : WebTest<LoggedWebFactory>
{
    private readonly ITestOutputHelper _output;

    public HttpFuzzTests(LoggedWebFactory app, ITestOutputHelper output)
        : base(app, output) => _output = output;

    private const int CiInputs = 60;

    /// <summary>A POST endpoint, the role allowed to call it, and a valid body to start from.</summary>
    private sealed record Endpoint(string Path, string Role, string Body);

    private static readonly Endpoint[] s_bodies =
    [
        new("/api/match", "agent", """{"text":"SSO login fails with ERR_SAML_CLOCK_SKEW","product":"SSO/Auth","component":"Login","version":"4.2","top":5}"""),
        new("/api/cases", "admin", """{"external_id":"HF-1","title":"Login fails","description":"after upgrade","created_at":"2025-01-01T00:00:00Z","resolved_at":"2025-01-02T00:00:00Z","resolution":"resynced clock"}"""),
        new("/api/cases/batch", "admin", """{"cases":[{"external_id":"HF-2","title":"Export slow","created_at":"2025-01-01T00:00:00Z"},{"external_id":"HF-3","title":"Sync stuck","created_at":"2025-01-01T00:00:00Z"}]}"""),
        new("/api/webhooks/tickets", "admin", """{"event":"resolved","ticket":{"external_id":"HF-4","title":"Webhook retry","created_at":"2025-01-01T00:00:00Z"}}"""),
        new("/api/webhooks/zendesk", "admin", """{"type":"zen:event-type:ticket.created","detail":{"id":77,"subject":"Login fails","status":"OPEN","created_at":"2025-01-01T00:00:00Z"}}"""),
        new("/api/cases/1/outcome", "agent", """{"outcome":"solved_without_engineering","at":"2025-01-03T00:00:00Z"}"""),
        new("/api/cases/1/escalation-packet", "agent", """{"hypothesis":"IdP clock drift","question":"Why rejected within 60 s?","impact":"40 users","evidence":["captured SAML response"],"template":"IT-0001"}"""),
        new("/api/feedback", "agent", """{"case_id":1,"knowledge_id":"PB-0001","kind":"used","reason":null,"at":"2025-01-03T00:00:00Z"}"""),
        new("/api/knowledge/PB-0001/flag", "agent", """{"case_id":1,"reason":"step 3 moved"}"""),
        new("/api/review/candidates/1/approve", "knowledge-owner", """{"edited_markdown":null,"not_validated":false,"owner":"ana"}"""),
        new("/api/review/candidates/1/reject", "knowledge-owner", """{"reason":"not a product issue"}"""),
        new("/api/review/candidates/1/merge", "knowledge-owner", """{"target_id":"PB-0001","edited_markdown":null,"reason":"same cause"}"""),
        new("/api/knowledge/PB-0003/validate", "knowledge-owner", """{"reason":"checked"}"""),
        new("/api/knowledge/PB-0004/archive", "knowledge-owner", """{"reason":"fixed in 4.3","superseded_by":"PB-0001"}"""),
        new("/auth/signin", "", """{"key":"tko_nonsense","remember":true}"""),
    ];

    /// <summary>A GET endpoint with its query parameters, and the role allowed to call it.</summary>
    private static readonly (string Path, string Role, string[] Parameters)[] s_queries =
    [
        ("/api/metrics", "lead", ["from", "to", "product", "team"]),
        ("/api/themes", "lead", ["period", "periods", "top"]),
        ("/api/knowledge", "agent", ["state", "type", "product"]),
        ("/api/review/log", "knowledge-owner", ["subject", "limit"]),
        ("/api/review/queue", "knowledge-owner", ["x"]),
    ];

    /// <summary>A body: the valid one with its fields replaced or added, shapes broken, bytes damaged.</summary>
    private static Gen<(Endpoint Endpoint, byte[] Body, string Damage)> Bodies() =>
        from endpoint in Gen.OneOf(s_bodies)
        from edits in Gen.Select(Gen.OneOf(FieldsOf(endpoint.Body).Append("unknown_field").ToArray()), HostileInput.JsonValue).Array[0, 3]
        from shape in Gen.Frequency(
            (6, Gen.Const("as is")), (1, Gen.Const("array")), (1, Gen.Const("empty")), (1, Gen.Const("null")), (1, Gen.Const("number")),
            (1, Gen.Const("deep")), (1, Gen.Const("duplicate keys")))
        from damage in HostileInput.FileDamage
        let text = Shape(Edit(endpoint.Body, edits), shape)
        select (endpoint, HostileInput.Apply(text, damage), $"{shape}; edits [{string.Join(", ", edits.Select(e => e.Item1 + "=" + Cut(e.Item2)))}]; damage [{string.Join(", ", damage.AsEnumerable())}]");

    [Fact]
    public async Task A_hostile_request_body_gets_a_4xx_problem_or_a_success_and_a_refusal_changes_nothing()
    {
        await SeedAsync();
        var statuses = new ConcurrentDictionary<int, int>();

        int tried = await Fuzz.CheckAsync(Bodies(), CiInputs * 3, async input =>
        {
            using HttpClient client = App.ClientFor(input.Endpoint.Role.Length == 0 ? null : input.Endpoint.Role);
            using var content = new ByteArrayContent(input.Body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            await SendAndCheckAsync(() => client.PostAsync(input.Endpoint.Path, content), statuses);
        }, input => $"POST {input.Endpoint.Path} ({input.Damage}): {Cut(Encoding.UTF8.GetString(input.Body), 400)}", input => ("body.json", input.Body));

        _output.WriteLine($"{tried} hostile bodies; statuses {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}");
    }

    [Fact]
    public async Task A_hostile_query_parameter_gets_a_4xx_problem_or_a_success()
    {
        await SeedAsync();
        var statuses = new ConcurrentDictionary<int, int>();
        Gen<((string Path, string Role, string[] Parameters) Endpoint, (string, string)[] Values)> gen =
            from endpoint in Gen.OneOf(s_queries)
            from values in Gen.Select(Gen.OneOf(endpoint.Parameters), Gen.Frequency((3, HostileInput.Text), (2, Gen.OneOf("2025-01-01", "0001-01-01", "9999-12-31", "2025-02-30", "-1", "0", "2147483648", "week", "month", "validated", "playbook", "PB-0001")))).Array[1, 4]
            select (endpoint, values);

        int tried = await Fuzz.CheckAsync(gen, CiInputs, async input =>
        {
            using HttpClient client = App.ClientFor(input.Endpoint.Role);
            string query = string.Join('&', input.Values.Select(v => v.Item1 + "=" + Uri.EscapeDataString(v.Item2.Length > 30_000 ? v.Item2[..30_000] : v.Item2)));
            await SendAndCheckAsync(() => client.GetAsync(input.Endpoint.Path + "?" + query), statuses);
        }, input => $"GET {input.Endpoint.Path} with {string.Join(", ", input.Values.Select(v => v.Item1 + "=" + Cut(v.Item2)))}");

        _output.WriteLine($"{tried} hostile queries; statuses {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}");
    }

    /// <summary>
    /// Every request that once failed stays a test: Faults/Regressions/http/*.txt, a first line
    /// <c>METHOD PATH ROLE</c> and the body after it.
    /// </summary>
    [Theory]
    [MemberData(nameof(Regressions))]
    public async Task A_request_that_once_failed_gets_a_problem_and_changes_nothing(string file)
    {
        await SeedAsync();
        string[] parts = (await File.ReadAllTextAsync(file)).Split('\n', 2);
        string[] request = parts[0].Split(' ');
        using HttpClient client = App.ClientFor(request.Length > 2 ? request[2] : null);
        using var content = new StringContent(parts.Length > 1 ? parts[1] : "", Encoding.UTF8, "application/json");
        var statuses = new ConcurrentDictionary<int, int>();

        await SendAndCheckAsync(() => request[0] == "GET" ? client.GetAsync(request[1]) : client.PostAsync(request[1], content), statuses);

        Assert.All(statuses.Keys, status => Assert.InRange(status, 400, 499));
    }

    public static TheoryData<string> Regressions() =>
        [.. Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Faults", "Regressions", "http")).Order(StringComparer.Ordinal)];

    private async Task SendAndCheckAsync(Func<Task<HttpResponseMessage>> send, ConcurrentDictionary<int, int> statuses)
    {
        int mark = App.Logs.Count;
        string before = DatabaseFingerprint.Of(Path.Combine(App.DataDir, "ticketops.db"));
        using HttpResponseMessage response = await send();
        string body = await response.Content.ReadAsStringAsync();
        int status = (int)response.StatusCode;
        statuses.AddOrUpdate(status, 1, (_, n) => n + 1);

        Assert.True(status < 500, $"{status}: {Cut(body, 2000)}");
        IReadOnlyList<string> failures = App.FailuresSince(mark);
        Assert.True(failures.Count == 0, $"{status}, logged: {string.Join("\n", failures)}");
        if (status >= 400)
        {
            Assert.Equal(before, DatabaseFingerprint.Of(Path.Combine(App.DataDir, "ticketops.db")));
            if (status is not (401 or 403 or 404 or 405 or 429) || body.Length > 0)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                using var problem = JsonDocument.Parse(body);
                Assert.True(
                    problem.RootElement.TryGetProperty("errors", out _) || problem.RootElement.TryGetProperty("detail", out _),
                    $"a {status} must say what was wrong: {Cut(body, 1000)}");
            }
        }
    }

    /// <summary>A case with id 1 and a candidate with id 1 exist, so ids in paths reach real rows.</summary>
    private async Task SeedAsync()
    {
        using HttpClient admin = App.ClientFor("admin");
        using HttpResponseMessage response = await admin.PostAsync("/api/cases", new StringContent(
            """{"external_id":"HF-0","title":"SAML login fails ERR_SAML_CLOCK_SKEW","created_at":"2025-01-01T00:00:00Z"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static IEnumerable<string> FieldsOf(string body)
    {
        using var document = JsonDocument.Parse(body);
        return [.. document.RootElement.EnumerateObject().Select(p => p.Name)];
    }

    private static string Edit(string body, (string Field, string Value)[] edits)
    {
        using var document = JsonDocument.Parse(body);
        var fields = document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetRawText(), StringComparer.Ordinal);
        foreach ((string field, string value) in edits)
        {
            fields[field] = value;
        }

        return "{" + string.Join(",", fields.Select(f => JsonSerializer.Serialize(f.Key) + ":" + f.Value)) + "}";
    }

    private static string Shape(string body, string shape) => shape switch
    {
        "array" => "[" + body + "]",
        "empty" => "",
        "null" => "null",
        "number" => "42",
        "deep" => new string('[', 5000) + body + new string(']', 5000),
        "duplicate keys" => body.Length > 2 ? body[..^1] + "," + body[1..] : body,
        _ => body,
    };

    private static string Cut(string text, int length = 60) => text.Length <= length ? text : text[..length] + $"… ({text.Length:N0} chars)";
}
