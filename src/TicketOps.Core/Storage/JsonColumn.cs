using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace TicketOps.Core.Storage;

/// <summary>
/// Stores a list as one JSON text column. Chosen over EF's owned JSON and primitive collections because
/// the format is then ours (plain System.Text.Json, the same in SQLite and PostgreSQL) and the bulk insert
/// path can write rows without EF's per-entity overhead (see <see cref="CaseBulkInsert"/>).
/// </summary>
internal static class JsonColumn
{
    private static readonly JsonSerializerOptions s_options = new(JsonSerializerDefaults.General);

    public static PropertyBuilder<List<T>> AsJsonColumn<T>(this PropertyBuilder<List<T>> property)
    {
        var converter = new ValueConverter<List<T>, string>(
            list => JsonSerializer.Serialize(list, s_options),
            json => JsonSerializer.Deserialize<List<T>>(json, s_options) ?? new List<T>());
        var comparer = new ValueComparer<List<T>>(
            (a, b) => JsonSerializer.Serialize(a, s_options) == JsonSerializer.Serialize(b, s_options),
            list => JsonSerializer.Serialize(list, s_options).GetHashCode(StringComparison.Ordinal),
            list => JsonSerializer.Deserialize<List<T>>(JsonSerializer.Serialize(list, s_options), s_options)!);
        return property.HasConversion(converter, comparer).IsRequired();
    }
}
