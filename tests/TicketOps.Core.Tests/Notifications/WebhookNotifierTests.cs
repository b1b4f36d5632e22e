using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Notifications;
using TicketOps.Core.Storage;
using TicketOps.Core.Tests.Knowledge;
using TicketOps.Core.Tests.Support;
using TicketOps.Core.Themes;

namespace TicketOps.Core.Tests.Notifications;

/// <summary>Outbound webhooks against a real local HTTP server, with delivery records in a real database (SQLite or PostgreSQL).</summary>
public abstract class WebhookNotifierTests : IDisposable
{
    private const string SecretVariable = "TICKETOPS_TEST_WEBHOOK_SECRET";
    private static readonly DateTime s_asOf = new(2026, 7, 3, 9, 0, 0, DateTimeKind.Utc);

    private readonly KnowledgeTestDatabase _temp;

    protected WebhookNotifierTests(DatabaseProvider provider)
    {
        _temp = new(provider);
        Environment.SetEnvironmentVariable(SecretVariable, "s3cret");
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task An_incident_is_delivered_after_a_failed_try_signed_and_recorded_and_never_sent_twice()
    {
        using var receiver = new ChatServer(n => (n == 1 ? 503 : 200, "{}", TimeSpan.Zero));
        WebhookOptions options = Options(receiver.Endpoint);
        IReadOnlyList<WebhookEvent> events = ThemeAlerts.From([IncidentTheme()], growthThreshold: null, s_asOf);

        WebhookReport first = await NotifyAsync(options, events);
        WebhookReport second = await NotifyAsync(options, events);

        WebhookDelivery delivery = Assert.Single(first.Delivered);
        Assert.Equal((2, 200, true), (delivery.Attempts, delivery.LastStatus, delivery.Delivered));
        Assert.Equal((0, 1), (second.Delivered.Count, second.AlreadyDelivered));
        Assert.Equal(2, receiver.Requests.Count);
        using JsonDocument body = JsonDocument.Parse(receiver.Requests[1]);
        Assert.Equal(WebhookEvents.IncidentSuspected, body.RootElement.GetProperty("event").GetString());
        Assert.Equal("C-teams", body.RootElement.GetProperty("theme").GetProperty("id").GetString());
        Assert.Equal("MSTEAMS-410", body.RootElement.GetProperty("details").GetProperty("identifier").GetString());
        Assert.Equal(6, body.RootElement.GetProperty("details").GetProperty("cases").GetInt32());
        Assert.Equal(WebhookEvents.IncidentSuspected, receiver.Headers[1]["X-TicketOps-Event"]);
        Assert.Equal("sha256=" + WebhookNotifier.Signature(receiver.Requests[1], "s3cret"), receiver.Headers[1]["X-TicketOps-Signature"]);
        await using TicketOpsDbContext db = _temp.CreateContext();
        WebhookDelivery stored = await db.Set<WebhookDelivery>().SingleAsync();
        Assert.True(stored.Delivered);
        Assert.NotNull(stored.DeliveredAt);
    }

    [Fact]
    public async Task A_receiver_that_keeps_failing_leaves_a_failed_record_that_the_next_run_tries_again()
    {
        int answer = 500;
        using var receiver = new ChatServer(_ => (answer, "{}", TimeSpan.Zero));
        WebhookOptions options = Options(receiver.Endpoint);
        IReadOnlyList<WebhookEvent> events = ThemeAlerts.From([IncidentTheme()], null, s_asOf);

        WebhookReport failing = await NotifyAsync(options, events);
        answer = 200;
        WebhookReport later = await NotifyAsync(options, events);

        WebhookDelivery failed = Assert.Single(failing.Failed);
        Assert.Equal((3, 500), (failed.Attempts, failed.LastStatus));
        Assert.Contains("HTTP 500", failed.LastError, StringComparison.Ordinal);
        Assert.Single(later.Delivered);
        Assert.Equal(4, receiver.Requests.Count);
        await using TicketOpsDbContext db = _temp.CreateContext();
        Assert.Equal(4, (await db.Set<WebhookDelivery>().SingleAsync()).Attempts);
    }

    [Fact]
    public async Task A_theme_at_the_growth_threshold_is_announced_once_a_week_and_only_to_receivers_that_want_it()
    {
        using var receiver = new ChatServer(_ => (200, "{}", TimeSpan.Zero));
        using var other = new ChatServer(_ => (200, "{}", TimeSpan.Zero));
        WebhookOptions options = Options(receiver.Endpoint);
        options.Endpoints.Add(new WebhookEndpoint { Url = other.Endpoint, Events = [WebhookEvents.IncidentSuspected] });
        Theme growing = new() { ClusterId = "C-grow", Label = "exports slow", Growth = 3.5, Early = 2, Recent = 7, Series = [], ProductAreas = [], Examples = [] };
        Theme flat = new() { ClusterId = "C-flat", Label = "flat", Growth = 1.1, Series = [], ProductAreas = [], Examples = [] };

        WebhookReport monday = await NotifyAsync(options, ThemeAlerts.From([growing, flat], 3.0, s_asOf));
        WebhookReport tuesday = await NotifyAsync(options, ThemeAlerts.From([growing, flat], 3.0, s_asOf.AddDays(1)));
        WebhookReport nextWeek = await NotifyAsync(options, ThemeAlerts.From([growing, flat], 3.0, s_asOf.AddDays(7)));

        Assert.Equal(["C-grow"], monday.Delivered.Select(d => JsonDocument.Parse(d.Payload).RootElement.GetProperty("theme").GetProperty("id").GetString()));
        Assert.Equal((0, 1), (tuesday.Delivered.Count, tuesday.AlreadyDelivered));
        Assert.Single(nextWeek.Delivered);
        Assert.Empty(other.Requests);
    }

    [Fact]
    public void Settings_with_a_relative_url_or_an_unknown_event_are_refused_naming_them()
    {
        var relative = new WebhookOptions { Endpoints = [new WebhookEndpoint { Url = new Uri("/hooks", UriKind.Relative) }] };
        var unknown = new WebhookOptions { Endpoints = [new WebhookEndpoint { Url = new Uri("http://127.0.0.1:9/hooks"), Events = ["theme.exploded"] }] };

        Assert.Contains("'/hooks' is not an absolute http(s) URL", relative.Problem(), StringComparison.Ordinal);
        Assert.Contains("unknown event 'theme.exploded'", unknown.Problem(), StringComparison.Ordinal);
        Assert.Null(new WebhookOptions().Problem());
    }

    private static WebhookOptions Options(Uri url) => new()
    {
        Endpoints = [new WebhookEndpoint { Url = url, SecretVariable = SecretVariable }],
        MaxAttempts = 3,
        RetryDelay = TimeSpan.FromMilliseconds(20),
        Timeout = TimeSpan.FromSeconds(10),
    };

    private static Theme IncidentTheme() => new()
    {
        ClusterId = "C-teams",
        Label = "Teams connector retired",
        Total = 9,
        Series = [],
        ProductAreas = [("Integrations", 9)],
        Examples = [],
        Signals = ThemeSignal.Incident,
        Incidents = [new IncidentSignal("MSTEAMS-410", "v4.11", "DEMO-001234", s_asOf.AddHours(-5), s_asOf.AddHours(-4), 4, 6, 6, 1.5, 0, ["1", "2", "3", "4", "5", "6"], "C-teams")],
    };

    private async Task<WebhookReport> NotifyAsync(WebhookOptions options, IReadOnlyList<WebhookEvent> events)
    {
        await using TicketOpsDbContext db = _temp.CreateContext();
        using var http = new HttpClient();
        return await new WebhookNotifier(db, http, options, TimeProvider.System).NotifyAsync(events);
    }
}

public sealed class SqliteWebhookNotifierTests() : WebhookNotifierTests(DatabaseProvider.Sqlite);

public sealed class PostgreSqlWebhookNotifierTests() : WebhookNotifierTests(DatabaseProvider.PostgreSql);
