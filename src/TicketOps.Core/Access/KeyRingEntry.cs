using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace TicketOps.Core.Access;

/// <summary>
/// One key of the web app's key ring (the ASP.NET data-protection keys that sign the pages' session cookie and
/// antiforgery tokens), as the XML element the framework writes. Kept in the database so that every instance
/// behind a load balancer reads the same ring, and a cookie one instance issued is accepted by the others.
/// </summary>
public sealed class KeyRingEntry
{
    /// <summary>Database key.</summary>
    public long Id { get; set; }

    /// <summary>The framework's name for the element (<c>key-{guid}</c>).</summary>
    public string? FriendlyName { get; set; }

    /// <summary>The key as XML.</summary>
    public required string Xml { get; set; }
}

internal sealed class KeyRingEntryConfiguration : IEntityTypeConfiguration<KeyRingEntry>
{
    public void Configure(EntityTypeBuilder<KeyRingEntry> builder)
    {
        builder.ToTable("key_ring");
        builder.Property(k => k.FriendlyName).HasMaxLength(100);
    }
}
