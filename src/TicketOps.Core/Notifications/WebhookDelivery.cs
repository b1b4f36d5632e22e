using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace TicketOps.Core.Notifications;

/// <summary>
/// One event for one receiver and what became of it. The (event, key, url) triple is unique, so an event
/// is delivered to a receiver once however often the themes are recomputed.
/// </summary>
public sealed class WebhookDelivery
{
    /// <summary>Database key; also the delivery id sent as <c>X-TicketOps-Delivery</c>.</summary>
    public long Id { get; set; }

    /// <summary>The event name, e.g. <c>theme.incident_suspected</c>.</summary>
    public required string Event { get; set; }

    /// <summary>What makes the event itself: e.g. the theme and the burst's first case.</summary>
    public required string Key { get; set; }

    /// <summary>The receiver.</summary>
    public required string Url { get; set; }

    /// <summary>The JSON body sent.</summary>
    public required string Payload { get; set; }

    /// <summary>Tries made.</summary>
    public int Attempts { get; set; }

    /// <summary>Whether the receiver answered 2xx.</summary>
    public bool Delivered { get; set; }

    /// <summary>The last HTTP status received; null when no answer came.</summary>
    public int? LastStatus { get; set; }

    /// <summary>Why the last try failed; null once delivered.</summary>
    public string? LastError { get; set; }

    /// <summary>When the event was first recorded (UTC).</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>When the receiver accepted it (UTC).</summary>
    public DateTime? DeliveredAt { get; set; }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("webhook_deliveries");
        builder.Property(d => d.Event).HasMaxLength(64);
        builder.Property(d => d.Key).HasMaxLength(400);
        builder.Property(d => d.Url).HasMaxLength(2000);
        builder.HasIndex(d => new { d.Event, d.Key, d.Url }).IsUnique();
        builder.HasIndex(d => d.CreatedAt);
    }
}
