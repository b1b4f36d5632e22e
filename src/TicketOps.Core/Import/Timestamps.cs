using System.Globalization;

namespace TicketOps.Core.Import;

/// <summary>Reads the timestamp forms support exports use and brings them to UTC.</summary>
internal static class Timestamps
{
    // Jira writes offsets without a colon (2021-03-04T10:15:30.000+0000), which the general parser refuses.
    private static readonly string[] s_offsetFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.fffzzzz", "yyyy-MM-dd'T'HH:mm:ss.fffzzz", "yyyy-MM-dd'T'HH:mm:sszzz",
        "yyyy-MM-dd'T'HH:mm:ss.fffK", "yyyy-MM-dd'T'HH:mm:ssK",
    ];

    /// <summary>Parses <paramref name="text"/>; false when it is not a timestamp in an accepted form.</summary>
    public static bool TryParse(string text, string? exactFormat, double utcOffsetHours, out DateTime utc)
    {
        utc = default;
        text = text.Trim();
        if (text.Length == 0)
        {
            return false;
        }

        if (exactFormat is not null)
        {
            if (!DateTime.TryParseExact(text, exactFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime local))
            {
                return false;
            }

            utc = DateTime.SpecifyKind(local.AddHours(-utcOffsetHours), DateTimeKind.Utc);
            return true;
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
                utc = withOffset.UtcDateTime;
                return true;
            }

            return false;
        }

        if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime unzoned))
        {
            utc = DateTime.SpecifyKind(unzoned.AddHours(-utcOffsetHours), DateTimeKind.Utc);
            return true;
        }

        return false;
    }

    /// <summary>Unix seconds (or milliseconds, when the number is too large to be seconds) to UTC.</summary>
    public static DateTime FromUnix(long value) =>
        value > 100_000_000_000
            ? DateTimeOffset.FromUnixTimeMilliseconds(value).UtcDateTime
            : DateTimeOffset.FromUnixTimeSeconds(value).UtcDateTime;
}
