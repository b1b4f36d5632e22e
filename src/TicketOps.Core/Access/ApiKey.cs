using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace TicketOps.Core.Access;

/// <summary>
/// An API key: who it was issued to, the one role it carries and its lifecycle. Only the SHA-256 hash of
/// the key is stored; the key itself is shown once, when it is created.
/// </summary>
public sealed class ApiKey
{
    /// <summary>Database key.</summary>
    public long Id { get; set; }

    /// <summary>Who or what the key is for (a person, an integration), shown in lists and logs.</summary>
    public required string Name { get; set; }

    /// <summary>The role the key carries (agent, knowledge-owner, lead, admin).</summary>
    public required string Role { get; set; }

    /// <summary>The first characters of the key: finds the row without a hash scan and identifies the key in lists.</summary>
    public required string Prefix { get; set; }

    /// <summary>SHA-256 of the whole key, lowercase hex.</summary>
    public required string KeyHash { get; set; }

    /// <summary>When the key was created (UTC).</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>When the key last authenticated a request (UTC), to the minute; null when never.</summary>
    public DateTime? LastUsedAt { get; set; }

    /// <summary>When the key was revoked (UTC); a revoked key authenticates nothing.</summary>
    public DateTime? RevokedAt { get; set; }
}

/// <summary>Maps <see cref="ApiKey"/> to the <c>api_keys</c> table.</summary>
internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.ToTable("api_keys");
        builder.Property(k => k.Name).HasMaxLength(200);
        builder.Property(k => k.Role).HasMaxLength(32);
        builder.Property(k => k.Prefix).HasMaxLength(16);
        builder.Property(k => k.KeyHash).HasMaxLength(64);
        builder.HasIndex(k => k.Prefix).IsUnique();
    }
}
