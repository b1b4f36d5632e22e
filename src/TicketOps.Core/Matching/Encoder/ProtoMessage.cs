using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;

namespace TicketOps.Core.Matching.Encoder;

/// <summary>
/// A protocol-buffers message read at the wire level: its fields in order, each a number with a varint,
/// a fixed-size value or a length-delimited byte string. Enough to rewrite an ONNX model (whose schema is
/// stable and documented) without a code generator or a copy of <c>onnx.proto</c>: fields this code does
/// not touch are written back byte for byte.
/// </summary>
internal sealed class ProtoMessage
{
    private const int Varint = 0;
    private const int Fixed64 = 1;
    private const int LengthDelimited = 2;
    private const int Fixed32 = 5;

    public List<ProtoField> Fields { get; } = [];

    public static ProtoMessage Parse(ReadOnlyMemory<byte> bytes)
    {
        var message = new ProtoMessage();
        ReadOnlySpan<byte> span = bytes.Span;
        int position = 0;
        while (position < span.Length)
        {
            ulong key = ReadVarint(span, ref position);
            int number = (int)(key >> 3);
            int wireType = (int)(key & 7);
            switch (wireType)
            {
                case Varint:
                    message.Fields.Add(new ProtoField(number, wireType, ReadVarint(span, ref position), default));
                    break;
                case Fixed64:
                    message.Fields.Add(new ProtoField(number, wireType, 0, bytes.Slice(position, 8)));
                    position += 8;
                    break;
                case Fixed32:
                    message.Fields.Add(new ProtoField(number, wireType, 0, bytes.Slice(position, 4)));
                    position += 4;
                    break;
                case LengthDelimited:
                    int length = checked((int)ReadVarint(span, ref position));
                    message.Fields.Add(new ProtoField(number, wireType, 0, bytes.Slice(position, length)));
                    position += length;
                    break;
                default:
                    throw new InvalidDataException($"Unsupported protocol-buffers wire type {wireType} at byte {position}.");
            }
        }

        return message;
    }

    /// <summary>The first string field with the number, or null.</summary>
    public string? String(int number) => Strings(number).FirstOrDefault();

    /// <summary>All string fields with the number, in order.</summary>
    public IEnumerable<string> Strings(int number) =>
        Fields.Where(f => f.Number == number && f.WireType == LengthDelimited).Select(f => Encoding.UTF8.GetString(f.Bytes.Span));

    /// <summary>All embedded messages with the number, in order.</summary>
    public IEnumerable<ProtoMessage> Messages(int number) =>
        Fields.Where(f => f.Number == number && f.WireType == LengthDelimited).Select(f => Parse(f.Bytes));

    /// <summary>All integer values of a repeated int field, packed or not.</summary>
    public List<long> Integers(int number)
    {
        var values = new List<long>();
        foreach (ProtoField field in Fields.Where(f => f.Number == number))
        {
            if (field.WireType == Varint)
            {
                values.Add((long)field.Value);
            }
            else if (field.WireType == LengthDelimited)
            {
                ReadOnlySpan<byte> packed = field.Bytes.Span;
                int position = 0;
                while (position < packed.Length)
                {
                    values.Add((long)ReadVarint(packed, ref position));
                }
            }
        }

        return values;
    }

    public ProtoMessage AddVarint(int number, long value)
    {
        Fields.Add(new ProtoField(number, Varint, (ulong)value, default));
        return this;
    }

    public ProtoMessage AddBytes(int number, ReadOnlyMemory<byte> value)
    {
        Fields.Add(new ProtoField(number, LengthDelimited, 0, value));
        return this;
    }

    public ProtoMessage AddString(int number, string value) => AddBytes(number, Encoding.UTF8.GetBytes(value));

    /// <summary>Adds an embedded message, serialised only when the outermost message is (one copy of a 60 MB model, not one per level).</summary>
    public ProtoMessage AddMessage(int number, ProtoMessage value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Fields.Add(new ProtoField(number, LengthDelimited, 0, default, value));
        return this;
    }

    /// <summary>Replaces the field at <paramref name="index"/> with an embedded message.</summary>
    public void SetMessage(int index, ProtoMessage value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Fields[index] = new ProtoField(Fields[index].Number, LengthDelimited, 0, default, value);
    }

    /// <summary>The wire bytes, written into one buffer of the exact size.</summary>
    public byte[] ToBytes()
    {
        var sizes = new Dictionary<ProtoMessage, int>(ReferenceEqualityComparer.Instance);
        var bytes = new byte[SizeOf(this, sizes)];
        int written = Write(this, bytes, sizes);
        Debug.Assert(written == bytes.Length, "The computed size and the written bytes disagree.");
        return bytes;
    }

    private static int SizeOf(ProtoMessage message, Dictionary<ProtoMessage, int> sizes)
    {
        long size = 0;
        foreach (ProtoField field in message.Fields)
        {
            size += VarintSize(((ulong)field.Number << 3) | (uint)field.WireType);
            switch (field.WireType)
            {
                case Varint:
                    size += VarintSize(field.Value);
                    break;
                case LengthDelimited:
                    int length = field.Message is { } nested ? SizeOf(nested, sizes) : field.Bytes.Length;
                    size += VarintSize((ulong)length) + length;
                    break;
                default:
                    size += field.Bytes.Length;
                    break;
            }
        }

        int total = checked((int)size);
        sizes[message] = total;
        return total;
    }

    private static int Write(ProtoMessage message, Span<byte> destination, Dictionary<ProtoMessage, int> sizes)
    {
        int position = 0;
        foreach (ProtoField field in message.Fields)
        {
            position += WriteVarint(destination[position..], ((ulong)field.Number << 3) | (uint)field.WireType);
            switch (field.WireType)
            {
                case Varint:
                    position += WriteVarint(destination[position..], field.Value);
                    break;
                case LengthDelimited when field.Message is { } nested:
                    int length = sizes[nested];
                    position += WriteVarint(destination[position..], (ulong)length);
                    position += Write(nested, destination.Slice(position, length), sizes);
                    break;
                case LengthDelimited:
                    position += WriteVarint(destination[position..], (ulong)field.Bytes.Length);
                    field.Bytes.Span.CopyTo(destination[position..]);
                    position += field.Bytes.Length;
                    break;
                default:
                    field.Bytes.Span.CopyTo(destination[position..]);
                    position += field.Bytes.Length;
                    break;
            }
        }

        return position;
    }

    private static int VarintSize(ulong value)
    {
        int size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }

        return size;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> span, ref int position)
    {
        ulong result = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            byte b = span[position++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        throw new InvalidDataException("A protocol-buffers varint is longer than 10 bytes.");
    }

    private static int WriteVarint(Span<byte> destination, ulong value)
    {
        int i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }

    /// <summary>Little-endian float32 values as bytes (the layout of ONNX <c>raw_data</c>).</summary>
    public static byte[] FloatBytes(ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        }

        return bytes;
    }
}

/// <summary>
/// One field of a <see cref="ProtoMessage"/>: a varint in <see cref="Value"/>, an embedded message built
/// here in <see cref="Message"/>, anything else (as read) in <see cref="Bytes"/>.
/// </summary>
internal readonly record struct ProtoField(int Number, int WireType, ulong Value, ReadOnlyMemory<byte> Bytes, ProtoMessage? Message = null);
