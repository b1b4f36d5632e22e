using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Storage;

namespace TicketOps.Core.Notifications;

/// <summary>An event to announce: its name, what makes it unique, and its JSON body.</summary>
/// <param name="Event">The event name (<see cref="WebhookEvents"/>).</param>
/// <param name="Key">What makes it this event and no other (a re-announcement of the same key is not sent again).</param>
/// <param name="Payload">The JSON body.</param>
public sealed record WebhookEvent(string Event, string Key, string Payload);

/// <summary>What one <see cref="WebhookNotifier.NotifyAsync"/> did.</summary>
/// <param name="Delivered">Deliveries accepted now.</param>
/// <param name="Failed">Deliveries that failed every try now (kept, and tried again by the next call).</param>
/// <param name="AlreadyDelivered">Events the receiver had accepted before.</param>
public sealed record WebhookReport(IReadOnlyList<WebhookDelivery> Delivered, IReadOnlyList<WebhookDelivery> Failed, int AlreadyDelivered);

/// <summary>
/// Delivers events to the configured receivers: each (event, receiver) is recorded before the first try,
/// tried up to <see cref="WebhookOptions.MaxAttempts"/> times with a doubling delay, and its outcome kept in
/// <c>webhook_deliveries</c>. A delivery that failed is tried again the next time the event is announced;
/// one that was accepted is never sent again.
/// </summary>
/// <param name="db">The database holding the delivery records.</param>
/// <param name="http">The client to send with.</param>
/// <param name="options">Receivers and retry settings.</param>
/// <param name="timeProvider">The clock (and the delay between tries).</param>
public sealed class WebhookNotifier(TicketOpsDbContext db, HttpClient http, WebhookOptions options, TimeProvider timeProvider)
{
    /// <summary>Sends every event to every receiver that wants it, unless that receiver accepted it before.</summary>
    public async Task<WebhookReport> NotifyAsync(IReadOnlyList<WebhookEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        var delivered = new List<WebhookDelivery>();
        var failed = new List<WebhookDelivery>();
        int already = 0;
        foreach (WebhookEvent e in events)
        {
            foreach (WebhookEndpoint endpoint in options.Endpoints.Where(x => x.Url is not null && x.Wants(e.Event)))
            {
                string url = endpoint.Url!.ToString();
                WebhookDelivery? record = await db.Set<WebhookDelivery>().SingleOrDefaultAsync(d => d.Event == e.Event && d.Key == e.Key && d.Url == url, cancellationToken);
                if (record is { Delivered: true })
                {
                    already++;
                    continue;
                }

                if (record is null)
                {
                    record = new WebhookDelivery { Event = e.Event, Key = e.Key, Url = url, Payload = e.Payload, CreatedAt = timeProvider.GetUtcNow().UtcDateTime };
                    db.Set<WebhookDelivery>().Add(record);
                    await db.SaveChangesAsync(cancellationToken);
                }

                await DeliverAsync(record, endpoint, cancellationToken);
                (record.Delivered ? delivered : failed).Add(record);
            }
        }

        return new WebhookReport(delivered, failed, already);
    }

    private async Task DeliverAsync(WebhookDelivery record, WebhookEndpoint endpoint, CancellationToken cancellationToken)
    {
        string? secret = endpoint.SecretVariable is { Length: > 0 } variable ? Environment.GetEnvironmentVariable(variable) : null;
        TimeSpan delay = options.RetryDelay;
        for (int attempt = 1; attempt <= options.MaxAttempts; attempt++)
        {
            if (attempt > 1)
            {
                await Task.Delay(delay, timeProvider, cancellationToken);
                delay *= 2;
            }

            record.Attempts++;
            using var request = new HttpRequestMessage(HttpMethod.Post, record.Url)
            {
                Content = new StringContent(record.Payload, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
            };
            request.Headers.Add("X-TicketOps-Event", record.Event);
            request.Headers.Add("X-TicketOps-Delivery", record.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (secret is not null)
            {
                request.Headers.Add("X-TicketOps-Signature", "sha256=" + Signature(record.Payload, secret));
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Timeout);
            try
            {
                using HttpResponseMessage response = await http.SendAsync(request, timeout.Token);
                record.LastStatus = (int)response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    record.Delivered = true;
                    record.LastError = null;
                    record.DeliveredAt = timeProvider.GetUtcNow().UtcDateTime;
                    break;
                }

                record.LastError = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                record.LastStatus = null;
                record.LastError = $"no answer within {options.Timeout.TotalSeconds:0.#} s";
            }
            catch (HttpRequestException exception)
            {
                record.LastStatus = null;
                record.LastError = exception.Message;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The hex HMAC-SHA256 of <paramref name="payload"/> under <paramref name="secret"/>, as sent in <c>X-TicketOps-Signature</c>.</summary>
    public static string Signature(string payload, string secret) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(payload)));
}
