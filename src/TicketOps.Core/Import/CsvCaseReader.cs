using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace TicketOps.Core.Import;

/// <summary>Reads a CSV export with a header row; columns are mapped by name (case-insensitive).</summary>
internal static class CsvCaseReader
{
    public static IEnumerable<ParsedRecord> Read(string path, FieldMapping mapping)
    {
        string? badData = null;
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            DetectDelimiter = true,
            DetectDelimiterValues = [",", ";", "\t"],
            BadDataFound = args => badData = $"malformed CSV near '{Shorten(args.RawRecord)}' (an unbalanced quote?)",
            MissingFieldFound = null,
            TrimOptions = TrimOptions.Trim,
        };

        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, configuration);
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not { Length: > 0 } header)
        {
            yield break;
        }

        var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < header.Length; i++)
        {
            columns.TryAdd(header[i].Trim(), i);
        }

        var builder = new RecordBuilder(mapping);
        int record = 0;
        int nextLine = csv.Parser.RawRow + 1;
        while (csv.Read())
        {
            record++;
            int line = nextLine;
            nextLine = csv.Parser.RawRow + 1;
            string raw = csv.Parser.RawRecord.TrimEnd('\r', '\n');
            string?[] values = csv.Parser.Record ?? [];
            var fields = new CsvRawFields(columns, values);
            (CaseRecord parsed, List<FieldError> errors) = builder.Build(fields);
            if (badData is not null)
            {
                errors.Insert(0, new FieldError("(row)", null, badData));
                badData = null;
            }

            if (values.Length != header.Length && values.Length > 0)
            {
                errors.Add(new FieldError("(row)", null, $"has {values.Length} values but the header has {header.Length} columns; check quoting and separators."));
            }

            yield return new ParsedRecord(new SourceLocation(path, line, record, parsed.ExternalId), parsed, errors, raw);
        }
    }

    private static string Shorten(string text) => text.Length <= 60 ? text.Trim() : text[..60].Trim() + "…";

    private sealed class CsvRawFields(Dictionary<string, int> columns, string?[] values) : IRawFields
    {
        public FoundValue? Get(string name) =>
            columns.TryGetValue(name, out int index) && index < values.Length
                ? new FoundValue(name, values[index], null)
                : null;
    }
}
