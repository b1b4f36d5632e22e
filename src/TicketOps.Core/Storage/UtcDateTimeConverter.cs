using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace TicketOps.Core.Storage;

/// <summary>
/// Writes every <see cref="DateTime"/> as UTC (an unspecified kind is taken as UTC, which is what TicketOps
/// means by it everywhere) and reads it back with <see cref="DateTimeKind.Utc"/>, on both providers.
/// </summary>
internal sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    value => ToUtc(value),
    value => DateTime.SpecifyKind(value, DateTimeKind.Utc))
{
    private static DateTime ToUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };
}
