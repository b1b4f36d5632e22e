using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Storage;

namespace TicketOps.Core.Access;

/// <summary>A key just created: the stored row and the key itself, which exists nowhere else.</summary>
/// <param name="Key">The stored row (hash, prefix, role).</param>
/// <param name="PlainKey">The key to hand to its owner; it cannot be shown again.</param>
public sealed record CreatedApiKey(ApiKey Key, string PlainKey);

/// <summary>
/// Issues, lists, revokes and checks API keys. A key is <c>tko_</c> followed by 32 random bytes
/// (base64url): with 256 bits of entropy a single SHA-256 is enough to store it, unlike a password, which
/// needs a slow hash because people choose guessable ones.
/// </summary>
/// <param name="db">The database.</param>
/// <param name="timeProvider">The clock.</param>
public sealed class ApiKeyStore(TicketOpsDbContext db, TimeProvider timeProvider)
{
    /// <summary>What every key starts with, so a leaked one is recognisable (secret scanners, logs).</summary>
    public const string KeyStart = "tko_";

    /// <summary>Length of <see cref="ApiKey.Prefix"/>: the start marker and 8 random characters (48 bits).</summary>
    public const int PrefixLength = 12;

    // Writing last-used on every request would turn every read into a write; to the minute is enough to
    // tell a live key from a forgotten one.
    private static readonly TimeSpan s_lastUsedResolution = TimeSpan.FromMinutes(1);

    private readonly TicketOpsDbContext _db = db ?? throw new ArgumentNullException(nameof(db));
    private readonly TimeProvider _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));

    /// <summary>Creates a key for <paramref name="name"/> with <paramref name="role"/> (the caller checks the role is known).</summary>
    public async Task<CreatedApiKey> CreateAsync(string name, string role, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        string plain;
        string prefix;
        do
        {
            plain = KeyStart + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
            prefix = plain[..PrefixLength];
        }
        while (await _db.Set<ApiKey>().AnyAsync(k => k.Prefix == prefix, cancellationToken));

        var key = new ApiKey
        {
            Name = name.Trim(),
            Role = role,
            Prefix = prefix,
            KeyHash = HashOf(plain),
            CreatedAt = _timeProvider.GetUtcNow().UtcDateTime,
        };
        _db.Set<ApiKey>().Add(key);
        await _db.SaveChangesAsync(cancellationToken);
        return new CreatedApiKey(key, plain);
    }

    /// <summary>Every key, newest first (revoked ones included, marked).</summary>
    public async Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken = default) =>
        await _db.Set<ApiKey>().AsNoTracking().OrderByDescending(k => k.Id).ToListAsync(cancellationToken);

    /// <summary>Revokes the key with this id or prefix; null when there is none (already revoked keys stay as they were).</summary>
    public async Task<ApiKey?> RevokeAsync(string idOrPrefix, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(idOrPrefix);
        ApiKey? key = long.TryParse(idOrPrefix, out long id)
            ? await _db.Set<ApiKey>().SingleOrDefaultAsync(k => k.Id == id, cancellationToken)
            : await _db.Set<ApiKey>().SingleOrDefaultAsync(k => k.Prefix == idOrPrefix, cancellationToken);
        if (key is null)
        {
            return null;
        }

        key.RevokedAt ??= _timeProvider.GetUtcNow().UtcDateTime;
        await _db.SaveChangesAsync(cancellationToken);
        return key;
    }

    /// <summary>The live key matching <paramref name="presented"/>, or null (unknown, malformed or revoked).</summary>
    public async Task<ApiKey?> AuthenticateAsync(string? presented, CancellationToken cancellationToken = default)
    {
        if (presented is null || presented.Length <= PrefixLength || !presented.StartsWith(KeyStart, StringComparison.Ordinal))
        {
            return null;
        }

        string prefix = presented[..PrefixLength];
        ApiKey? key = await _db.Set<ApiKey>().AsNoTracking().SingleOrDefaultAsync(k => k.Prefix == prefix, cancellationToken);
        if (key is null || key.RevokedAt is not null
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(key.KeyHash), Encoding.ASCII.GetBytes(HashOf(presented))))
        {
            return null;
        }

        DateTime now = _timeProvider.GetUtcNow().UtcDateTime;
        if (key.LastUsedAt is null || now - key.LastUsedAt.Value >= s_lastUsedResolution)
        {
            key.LastUsedAt = now;
            await _db.Set<ApiKey>().Where(k => k.Id == key.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), cancellationToken);
        }

        return key;
    }

    /// <summary>Whether the key with this id exists and is not revoked (a signed-in session re-checks it).</summary>
    public Task<bool> IsLiveAsync(long id, CancellationToken cancellationToken = default) =>
        _db.Set<ApiKey>().AnyAsync(k => k.Id == id && k.RevokedAt == null, cancellationToken);

    /// <summary>SHA-256 of a key, lowercase hex (what <see cref="ApiKey.KeyHash"/> holds).</summary>
    public static string HashOf(string plainKey)
    {
        ArgumentNullException.ThrowIfNull(plainKey);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(plainKey)));
    }
}
