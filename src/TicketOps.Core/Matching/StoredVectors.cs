using System.Data.Common;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TicketOps.Core.Storage;

namespace TicketOps.Core.Matching;

/// <summary>
/// One vector in the database, keyed by the encoder that made it and the SHA-256 of the exact text it
/// saw. Vectors are derived data, but the costliest derived data TicketOps has (a 100k history is about
/// an hour of encoding on two cores), so they live with the cases: a rebuild, a re-import, mining, a second
/// instance and a data directory restored from a backup all find them there.
/// </summary>
public sealed class StoredVector
{
    /// <summary><see cref="SentenceEmbedder.EncoderId"/> of the encoder that made the vector.</summary>
    public required string EncoderId { get; set; }

    /// <summary>Lower-case hex SHA-256 of the UTF-8 text the model saw.</summary>
    public required string TextHash { get; set; }

    /// <summary>The unit vector as little-endian float32 values.</summary>
    public required byte[] Vector { get; set; }
}

internal sealed class StoredVectorConfiguration : IEntityTypeConfiguration<StoredVector>
{
    public void Configure(EntityTypeBuilder<StoredVector> builder)
    {
        builder.ToTable(StoredVectors.Table);
        builder.HasKey(v => new { v.EncoderId, v.TextHash });
        builder.Property(v => v.EncoderId).HasMaxLength(96);
        builder.Property(v => v.TextHash).HasMaxLength(64);
    }
}

/// <summary>
/// The database as an <see cref="IEmbeddingCache"/>: texts whose vector is stored are not encoded again,
/// and every vector encoded through it is stored. Safe with several writers (another process or instance
/// storing the same text at the same time keeps one row).
/// </summary>
public sealed class StoredVectors(Func<TicketOpsDbContext> createContext) : IEmbeddingCache
{
    /// <summary>The table's name.</summary>
    public const string Table = "text_vectors";

    // Hashes per lookup query and rows per insert transaction.
    private const int LookupChunk = 500;
    private const int InsertChunk = 1_000;

    /// <summary>The stored vectors of a data directory's database.</summary>
    public static StoredVectors Of(DataDirectory dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        return new StoredVectors(() => TicketOpsDatabase.CreateContext(dataDirectory));
    }

    /// <summary>The key of a text (lower-case hex SHA-256 of its UTF-8 bytes).</summary>
    public static string HashOf(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>How many vectors of <paramref name="encoderId"/> are stored.</summary>
    public int Count(string encoderId)
    {
        using TicketOpsDbContext db = createContext();
        return db.Set<StoredVector>().Count(v => v.EncoderId == encoderId);
    }

    /// <inheritdoc />
    public float[]?[] Find(IReadOnlyList<string> texts, string encoderId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(encoderId);
        string[] hashes = [.. texts.Select(HashOf)];
        Dictionary<string, float[]> known = Lookup(encoderId, hashes.Distinct(StringComparer.Ordinal), cancellationToken);
        return [.. hashes.Select(h => known.GetValueOrDefault(h))];
    }

    /// <inheritdoc />
    public void Store(IReadOnlyList<string> texts, IReadOnlyList<float[]> vectors, string encoderId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(encoderId);
        Store(encoderId, [.. texts.Select((text, i) => (HashOf(text), vectors[i]))], cancellationToken);
    }

    private Dictionary<string, float[]> Lookup(string encoderId, IEnumerable<string> hashes, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, float[]>(StringComparer.Ordinal);
        using TicketOpsDbContext db = createContext();
        foreach (string[] chunk in hashes.Chunk(LookupChunk))
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (StoredVector row in db.Set<StoredVector>().AsNoTracking().Where(v => v.EncoderId == encoderId && chunk.Contains(v.TextHash)))
            {
                found[row.TextHash] = MemoryMarshal.Cast<byte, float>(row.Vector).ToArray();
            }
        }

        return found;
    }

    // A prepared INSERT ... ON CONFLICT DO NOTHING (the same SQL on SQLite and PostgreSQL) in transactions of
    // a thousand rows: EF's change tracker would cost milliseconds a row, and a conflict means another writer
    // stored the same text's vector, which is by definition the same vector.
    private void Store(string encoderId, List<(string Hash, float[] Vector)> rows, CancellationToken cancellationToken)
    {
        using TicketOpsDbContext db = createContext();
        db.Database.OpenConnection();
        DbConnection connection = db.Database.GetDbConnection();
        foreach ((string Hash, float[] Vector)[] chunk in rows.Chunk(InsertChunk))
        {
            cancellationToken.ThrowIfCancellationRequested();
            using DbTransaction transaction = connection.BeginTransaction();
            using DbCommand command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText =
                $"INSERT INTO \"{Table}\" (\"{nameof(StoredVector.EncoderId)}\", \"{nameof(StoredVector.TextHash)}\", \"{nameof(StoredVector.Vector)}\") " +
                "VALUES (@encoder, @hash, @vector) ON CONFLICT DO NOTHING";
            Parameter(command, "@encoder", encoderId);
            DbParameter hash = Parameter(command, "@hash", "");
            DbParameter vector = Parameter(command, "@vector", Array.Empty<byte>());
            command.Prepare();
            foreach ((string h, float[] v) in chunk)
            {
                hash.Value = h;
                vector.Value = MemoryMarshal.AsBytes(v.AsSpan()).ToArray();
                command.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    private static DbParameter Parameter(DbCommand command, string name, object value)
    {
        DbParameter parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
