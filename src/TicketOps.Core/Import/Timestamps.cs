using System.Globalization;

namespace TicketOps.Core.Import;

/// <summary>What reading a timestamp gave.</summary>
internal enum TimestampReading
{
    /// <summary>A timestamp within <see cref="Timestamps.Earliest"/> and <see cref="Timestamps.Latest"/>.</summary>
    Valid,

    /// <summary>Not a timestamp in any accepted form.</summary>
    NotATimestamp,

    /// <summary>A timestamp, but outside the years a support case can have.</summary>
    OutOfRange,
}

/// <summary>Reads the timestamp forms support exports use and brings them to UTC.</summary>
internal static class Timestamps
{
    /// <summary>
    /// No support case was opened before 1970 or will be after 2100: a timestamp outside is a wrong column,
    /// milliseconds read as seconds, or a placeholder such as 0001-01-01, and storing it would poison every
    /// time-window metric.
    /// </summary>
    public static readonly DateTime Earliest = new(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>See <see cref="Earliest"/>.</summary>
    public static readonly DateTime Latest = new(2100, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>What the error for an out-of-range timestamp says about the range.</summary>
    public const string RangeText = "between 1970-01-01 and 2100-01-01";

    // Jira writes offsets without a colon (2021-03-04T10:15:30.000+0000), which the general parser refuses.
    private static readonly string[] s_offsetFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.fffzzzz", "yyyy-MM-dd'T'HH:mm:ss.fffzzz", "yyyy-MM-dd'T'HH:mm:sszzz",
        "yyyy-MM-dd'T'HH:mm:ss.fffK", "yyyy-MM-dd'T'HH:mm:ssK",
    ];

    /// <summary>Parses <paramref name="text"/>; false when it is not a timestamp in an accepted form or out of range.</summary>
    public static bool TryParse(string text, string? exactFormat, double utcOffsetHours, out DateTime utc) =>
        Read(text, exactFormat, utcOffsetHours, out utc) == TimestampReading.Valid;

    /// <summary>Parses <paramref name="text"/> and says why when it cannot be used.</summary>
    public static TimestampReading Read(string text, string? exactFormat, double utcOffsetHours, out DateTime utc)
    {
        if (!TryParseAnyYear(text, exactFormat, out DateTime parsed, out bool isUtc))
        {
            utc = default;
            return TimestampReading.NotATimestamp;
        }

        // Checked before the offset is applied: AddHours past year 1 or 9999 throws.
        utc = parsed;
        if (parsed < Earliest.AddDays(-1) || parsed > Latest.AddDays(1))
        {
            return TimestampReading.OutOfRange;
        }

        utc = isUtc ? parsed : DateTime.SpecifyKind(parsed.AddHours(-utcOffsetHours), DateTimeKind.Utc);
        return utc >= Earliest && utc < Latest ? TimestampReading.Valid : TimestampReading.OutOfRange;
    }

    /// <summary>Unix seconds (or milliseconds, when the number is too large to be seconds) to UTC.</summary>
    public static TimestampReading FromUnix(long value, out DateTime utc)
    {
        utc = default;
        long seconds = value > 100_000_000_000 || value < -100_000_000_000 ? value / 1000 : value;
        if (seconds < -62_135_596_800 || seconds > 253_402_300_799)
        {
            return TimestampReading.OutOfRange;
        }

        utc = DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime.AddMilliseconds(seconds == value ? 0 : value % 1000);
        return utc >= Earliest && utc < Latest ? TimestampReading.Valid : TimestampReading.OutOfRange;
    }

    private static bool TryParseAnyYear(string text, string? exactFormat, out DateTime parsed, out bool isUtc)
    {
        parsed = default;
        isUtc = false;
        text = text.Trim();
        if (text.Length == 0)
        {
            return false;
        }

        if (exactFormat is not null)
        {
            return DateTime.TryParseExact(text, exactFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out parsed);
        }

        if (text.Length > 5 && (text[^5] is '+' or '-') && text[^4..].All(char.IsAsciiDigit))
        {
            text = text[..^2] + ":" + text[^2..];
        }

        bool hasOffset = text.EndsWith('Z') || text.EndsWith('z')
            || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
        if (hasOffset)
        {
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTimeOffset withOffset)
                || DateTimeOffset.TryParseExact(text, s_offsetFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out withOffset))
            {
                parsed = withOffset.UtcDateTime;
                isUtc = true;
                return true;
            }

            return false;
        }

        return DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out parsed);
    }
}
