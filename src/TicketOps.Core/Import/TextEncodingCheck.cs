using System.Buffers;
using System.Text.Unicode;

namespace TicketOps.Core.Import;

/// <summary>
/// Checks that an export file is UTF-8 text before any reader sees it. The readers would otherwise
/// replace bad bytes with U+FFFD (CSV, silently changing what the customer wrote) or fail deep inside
/// the JSON parser; a file saved as UTF-16 (Excel's "Unicode text") or holding binary data is named
/// here with the line and column of the first bad byte.
/// </summary>
internal static class TextEncodingCheck
{
    private const int Chunk = 1 << 20;

    /// <summary>The problem with the file's encoding, with its 1-based line and column; null when it is UTF-8 text.</summary>
    public static (int Line, int Column, string Problem)? Check(string path)
    {
        using FileStream stream = File.OpenRead(path);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Chunk + 4);
        char[] chars = ArrayPool<char>.Shared.Rent(Chunk + 4);
        try
        {
            int carried = 0;
            int line = 1;
            long lineStart = 0;
            long offset = 0;
            bool first = true;
            while (true)
            {
                int read = stream.Read(buffer, carried, Chunk);
                int length = carried + read;
                bool final = read == 0;
                if (first && length >= 2 && ((buffer[0] == 0xFF && buffer[1] == 0xFE) || (buffer[0] == 0xFE && buffer[1] == 0xFF)))
                {
                    return (1, 1, "the file is UTF-16 text (it starts with a UTF-16 byte order mark); save or export it as UTF-8 and import it again.");
                }

                first = false;
                ReadOnlySpan<byte> span = buffer.AsSpan(0, length);
                int nul = span.IndexOf((byte)0);
                System.Buffers.OperationStatus status = Utf8.ToUtf16(span, chars, out int consumed, out _, replaceInvalidSequences: false, isFinalBlock: final);
                int bad = status == System.Buffers.OperationStatus.InvalidData ? consumed : -1;
                if (nul >= 0 && (bad < 0 || nul < bad))
                {
                    (line, lineStart) = Advance(span[..nul], line, lineStart, offset);
                    return (line, (int)(offset + nul - lineStart) + 1, "holds a NUL byte, which text never does: is it a binary file, or UTF-16 without a byte order mark? Save or export it as UTF-8.");
                }

                if (bad >= 0)
                {
                    (line, lineStart) = Advance(span[..bad], line, lineStart, offset);
                    return (line, (int)(offset + bad - lineStart) + 1, $"is not valid UTF-8 (byte 0x{span[bad]:X2}); save or export the file as UTF-8 and import it again.");
                }

                (line, lineStart) = Advance(span[..consumed], line, lineStart, offset);
                offset += consumed;
                if (final)
                {
                    return null;
                }

                // An incomplete character at the end of the chunk is carried into the next read.
                carried = length - consumed;
                span[consumed..].CopyTo(buffer);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private static (int Line, long LineStart) Advance(ReadOnlySpan<byte> bytes, int line, long lineStart, long offset)
    {
        int last = bytes.LastIndexOf((byte)'\n');
        return last < 0 ? (line, lineStart) : (line + bytes.Count((byte)'\n'), offset + last + 1);
    }
}
