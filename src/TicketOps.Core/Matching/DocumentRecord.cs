using System.Text;
using Lucene.Net.Util;

namespace TicketOps.Core.Matching;

/// <summary>
/// A <see cref="MatchDocument"/> as the bytes of one binary doc value in the BM25 index. Every match fetches
/// its ~10 results to explain them, and Lucene's stored fields decompress a 16 KB block for each: ~60 µs a
/// document at 100k, most of what a match spent after ranking. A doc value is read in place.
/// </summary>
internal static class DocumentRecord
{
    private const byte FormatVersion = 1;

    [Flags]
    private enum Present : byte
    {
        None = 0,
        Product = 1,
        Component = 2,
        Version = 4,
        CreatedAt = 8,
    }

    /// <summary>The record of <paramref name="document"/>.</summary>
    public static BytesRef Write(MatchDocument document)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            Present present = (document.Product is null ? Present.None : Present.Product)
                | (document.Component is null ? Present.None : Present.Component)
                | (document.Version is null ? Present.None : Present.Version)
                | (document.CreatedAt is null ? Present.None : Present.CreatedAt);
            writer.Write(FormatVersion);
            writer.Write((byte)document.Kind);
            writer.Write((byte)present);
            writer.Write(document.Id);
            writer.Write(document.Title);
            writer.Write(document.Body);
            writer.Write(document.Resolution);
            WriteIf(writer, document.Product);
            WriteIf(writer, document.Component);
            WriteIf(writer, document.Version);
            if (document.CreatedAt is { } created)
            {
                writer.Write(created.Ticks);
            }
        }

        return new BytesRef(stream.GetBuffer(), 0, (int)stream.Length);
    }

    /// <summary>The document a record holds.</summary>
    public static MatchDocument Read(BytesRef bytes)
    {
        using var stream = new MemoryStream(bytes.Bytes, bytes.Offset, bytes.Length, writable: false);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        byte version = reader.ReadByte();
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"Unknown match document record version {version}; run `ticketops index rebuild`.");
        }

        var kind = (MatchDocumentKind)reader.ReadByte();
        var present = (Present)reader.ReadByte();
        return new MatchDocument
        {
            Kind = kind,
            Id = reader.ReadString(),
            Title = reader.ReadString(),
            Body = reader.ReadString(),
            Resolution = reader.ReadString(),
            Product = present.HasFlag(Present.Product) ? reader.ReadString() : null,
            Component = present.HasFlag(Present.Component) ? reader.ReadString() : null,
            Version = present.HasFlag(Present.Version) ? reader.ReadString() : null,
            CreatedAt = present.HasFlag(Present.CreatedAt) ? new DateTime(reader.ReadInt64(), DateTimeKind.Utc) : null,
        };
    }

    private static void WriteIf(BinaryWriter writer, string? value)
    {
        if (value is not null)
        {
            writer.Write(value);
        }
    }
}
