using System.Text.Json;

namespace TicketOps.Core.Import;

/// <summary>One JSON record of a file, with where it starts.</summary>
internal readonly record struct JsonRecord(JsonElement Element, int Record, int Line, string Raw);

/// <summary>
/// Enumerates the records of a JSON file: a top-level array, an object holding an array (the first of
/// <c>tickets</c>, <c>issues</c>, <c>cases</c>, <c>results</c>, <c>records</c>, <c>data</c> present), a single
/// object, or one object a line (JSONL). A JSONL line that is not JSON is returned as an error for that line
/// only; a broken JSON document is one error for the whole file, with the line where it breaks.
/// </summary>
internal static class JsonRecords
{
    private static readonly byte[] s_utf8Bom = [0xEF, 0xBB, 0xBF];

    private static readonly string[] s_containerProperties = ["tickets", "issues", "cases", "results", "records", "data"];

    public static IEnumerable<(JsonRecord? Record, ParsedRecord? Error)> Read(string path, bool linePerRecord)
    {
        return linePerRecord ? ReadLines(path) : ReadDocument(path);
    }

    private static IEnumerable<(JsonRecord?, ParsedRecord?)> ReadLines(string path)
    {
        int lineNumber = 0;
        int record = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            record++;
            JsonDocument? document = null;
            string? parseError = null;
            try
            {
                document = JsonDocument.Parse(line);
            }
            catch (JsonException ex)
            {
                parseError = $"is not valid JSON at column {(ex.BytePositionInLine ?? 0) + 1}: {FirstSentence(ex.Message)}";
            }

            if (document is null)
            {
                yield return (null, Broken(path, lineNumber, record, parseError!, line));
                continue;
            }

            using (document)
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    yield return (null, Broken(path, lineNumber, record, "must be a JSON object ({...}).", line));
                    continue;
                }

                yield return UndecodableText.Find(document.RootElement) is { } where
                    ? (null, Broken(path, lineNumber, record, UndecodableText.Message(where), line))
                    : (new JsonRecord(document.RootElement.Clone(), record, lineNumber, line), null);
            }
        }
    }

    private static List<(JsonRecord?, ParsedRecord?)> ReadDocument(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.AsSpan().StartsWith(s_utf8Bom))
        {
            // Windows tools write a byte order mark; the parser would take it for a bad first value.
            bytes = bytes[s_utf8Bom.Length..];
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            return [(null, Broken(path, (int)(ex.LineNumber ?? 0) + 1, 1, $"the file is not valid JSON at column {(ex.BytePositionInLine ?? 0) + 1}: {FirstSentence(ex.Message)} Nothing in it can be read until that is fixed.", ""))];
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            string? container = root.ValueKind == JsonValueKind.Object
                ? s_containerProperties.FirstOrDefault(name => root.TryGetProperty(name, out JsonElement array) && array.ValueKind == JsonValueKind.Array)
                : null;
            JsonElement? items = root.ValueKind == JsonValueKind.Array ? root
                : container is not null ? root.GetProperty(container)
                : null;

            if (items is null)
            {
                return root.ValueKind != JsonValueKind.Object ? [(null, Broken(path, 1, 1, "must hold a JSON array of records or an object with one.", ""))]
                    : UndecodableText.Find(root) is { } where ? [(null, Broken(path, 1, 1, UndecodableText.Message(where), root.GetRawText()))]
                    : [(new JsonRecord(root.Clone(), 1, 1, root.GetRawText()), null)];
            }

            int[] lineStarts = RecordLines(bytes, container);
            var records = new List<(JsonRecord?, ParsedRecord?)>();
            int index = 0;
            foreach (JsonElement item in items.Value.EnumerateArray())
            {
                int line = index < lineStarts.Length ? lineStarts[index] : 0;
                index++;
                records.Add(item.ValueKind != JsonValueKind.Object ? (null, Broken(path, line, index, "must be a JSON object ({...}).", item.GetRawText()))
                    : UndecodableText.Find(item) is { } where ? (null, Broken(path, line, index, UndecodableText.Message(where), item.GetRawText()))
                    : (new JsonRecord(item.Clone(), index, line, item.GetRawText()), null));
            }

            return records;
        }
    }

    /// <summary>
    /// The 1-based line on which each element of the records array starts: the root array, or the array
    /// under the root's <paramref name="container"/> property.
    /// </summary>
    private static int[] RecordLines(byte[] bytes, string? container)
    {
        var lines = new List<int>();
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        int elementDepth = container is null ? 1 : 2;
        bool inRecords = container is null;
        int line = 1;
        long scanned = 0;
        while (reader.Read())
        {
            if (!inRecords)
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals(container))
                {
                    inRecords = true;
                    reader.Read();
                }
                else if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth >= 1)
                {
                    reader.Skip();
                }

                continue;
            }

            if (reader.CurrentDepth == elementDepth - 1 && reader.TokenType == JsonTokenType.EndArray)
            {
                break;
            }

            if (reader.CurrentDepth == elementDepth && reader.TokenType is not (JsonTokenType.EndObject or JsonTokenType.EndArray or JsonTokenType.PropertyName))
            {
                long start = reader.TokenStartIndex;
                line += bytes.AsSpan((int)scanned, (int)(start - scanned)).Count((byte)'\n');
                scanned = start;
                lines.Add(line);
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    reader.Skip();
                }
            }
        }

        return [.. lines];
    }

    internal static ParsedRecord Broken(string path, int line, int record, string message, string raw) =>
        new(new SourceLocation(path, line, record), null, [new FieldError("(record)", null, message)], raw);

    private static string FirstSentence(string message)
    {
        int end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }
}

/// <summary>
/// Finds text JSON can carry but .NET cannot read as a string: an escaped half of a surrogate pair
/// (<c>"\ud800"</c> alone), which <see cref="JsonElement.GetString"/> refuses with an exception. Checked once
/// per record so that every reader after it may read strings freely.
/// </summary>
internal static class UndecodableText
{
    /// <summary>The dotted path of the first property name or string value that cannot be read, or null.</summary>
    public static string? Find(JsonElement element, string path = "")
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return Readable(element) ? null : path.TrimStart('.');
            case JsonValueKind.Object:
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    if (!Readable(property))
                    {
                        return (path + ".(a property name)").TrimStart('.');
                    }

                    if (Find(property.Value, path + "." + property.Name) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case JsonValueKind.Array:
                int index = 0;
                foreach (JsonElement item in element.EnumerateArray())
                {
                    if (Find(item, $"{path}[{index++}]") is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    /// <summary>The error for a record holding such text at <paramref name="where"/>.</summary>
    public static string Message(string where) =>
        $"'{(where.Length == 0 ? "(the record)" : where)}' holds an escaped half of a Unicode character (a lone \\uD800-\\uDFFF surrogate), which is not text; the exporter wrote invalid JSON. Remove or replace it.";

    private static bool Readable(JsonElement text)
    {
        try
        {
            _ = text.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool Readable(JsonProperty property)
    {
        try
        {
            _ = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}

/// <summary>
/// A JSON object's fields by dotted path (<c>fields.summary</c>, <c>metric_set.solved_at</c>). A numeric
/// segment after an array picks the element whose <c>id</c> is that number and yields its <c>value</c>,
/// which is how Zendesk custom fields are addressed (<c>custom_fields.360001234567</c>).
/// </summary>
internal sealed class JsonRawFields(JsonElement root) : IRawFields
{
    // Exports differ in letter case (Created vs created); looked up once per record, not per field.
    private Dictionary<string, JsonElement>? _caseInsensitive;

    public FoundValue? Get(string name)
    {
        JsonElement current = root;
        foreach (string segment in name.Split('.'))
        {
            if (current.ValueKind == JsonValueKind.Object)
            {
                if (!TryGetPropertyIgnoreCase(current, segment, out current))
                {
                    return null;
                }
            }
            else if (current.ValueKind == JsonValueKind.Array && long.TryParse(segment, out long id))
            {
                JsonElement? match = current.EnumerateArray()
                    .Where(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("id", out JsonElement idValue) && idValue.ValueKind == JsonValueKind.Number && idValue.TryGetInt64(out long elementId) && elementId == id)
                    .Select(e => e.TryGetProperty("value", out JsonElement value) ? value : (JsonElement?)null)
                    .FirstOrDefault();
                if (match is null)
                {
                    return null;
                }

                current = match.Value;
            }
            else
            {
                return null;
            }
        }

        return current.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? null : new FoundValue(name, null, current);
    }

    private bool TryGetPropertyIgnoreCase(JsonElement element, string name, out JsonElement value)
    {
        if (element.TryGetProperty(name, out value))
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.Object || !element.Equals(root))
        {
            foreach (JsonProperty property in element.EnumerateObject())
            {
                if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    value = property.Value;
                    return true;
                }
            }

            return false;
        }

        _caseInsensitive ??= root.EnumerateObject()
            .GroupBy(p => p.Name, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().Value, StringComparer.OrdinalIgnoreCase);
        return _caseInsensitive.TryGetValue(name, out value);
    }
}
