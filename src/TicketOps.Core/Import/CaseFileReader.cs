using System.Text.Json;

namespace TicketOps.Core.Import;

/// <summary>Reads every record of one export file, in any <see cref="ImportFormat"/>, with its errors.</summary>
internal static class CaseFileReader
{
    public static IEnumerable<ParsedRecord> Read(string path, ImportFormat format, FieldMapping mapping)
    {
        if (TextEncodingCheck.Check(path) is { } encoding)
        {
            yield return JsonRecords.Broken(path, encoding.Line, 1, $"column {encoding.Column}: the file {encoding.Problem} Nothing in it was read.", "");
            yield break;
        }

        if (format == ImportFormat.Csv)
        {
            foreach (ParsedRecord record in CsvCaseReader.Read(path, mapping))
            {
                yield return CaseRecordValidator.Validate(record);
            }

            yield break;
        }

        (JsonExportShape shape, FieldMapping merged, RecordBuilder builder) = ShapeOf(format, mapping);
        bool linePerRecord = format == ImportFormat.Jsonl || (format is ImportFormat.Zendesk or ImportFormat.Jira && LooksLineDelimited(path));
        foreach ((JsonRecord? json, ParsedRecord? broken) in JsonRecords.Read(path, linePerRecord))
        {
            if (broken is not null)
            {
                yield return broken;
                continue;
            }

            JsonRecord item = json!.Value;
            yield return FromJson(item.Element, shape, merged, builder, path, item.Line, item.Record, item.Raw);
        }
    }

    /// <summary>Records received as JSON objects (the HTTP API); <paramref name="origin"/> stands where a file name would.</summary>
    public static IEnumerable<ParsedRecord> ReadElements(IReadOnlyList<JsonElement> records, ImportFormat format, FieldMapping mapping, string origin)
    {
        (JsonExportShape shape, FieldMapping merged, RecordBuilder builder) = ShapeOf(format, mapping);
        for (int i = 0; i < records.Count; i++)
        {
            JsonElement element = records[i];
            string raw = element.GetRawText();
            yield return element.ValueKind != JsonValueKind.Object
                ? new ParsedRecord(new SourceLocation(origin, null, i + 1), null, [new FieldError("record", null, $"is a JSON {element.ValueKind.ToString().ToLowerInvariant()}, not an object with the case's fields.")], raw)
                : UndecodableText.Find(element) is { } where
                    ? new ParsedRecord(new SourceLocation(origin, null, i + 1), null, [new FieldError(where, null, UndecodableText.Message(where))], raw)
                    : FromJson(element, shape, merged, builder, origin, line: null, i + 1, raw);
        }
    }

    private static (JsonExportShape Shape, FieldMapping Merged, RecordBuilder Builder) ShapeOf(ImportFormat format, FieldMapping mapping)
    {
        JsonExportShape shape = format switch
        {
            ImportFormat.Zendesk => new ZendeskShape(),
            ImportFormat.Jira => new JiraShape(),
            _ => new GenericJsonShape("json"),
        };
        FieldMapping merged = shape.Merge(mapping);
        return (shape, merged, new RecordBuilder(merged));
    }

    private static ParsedRecord FromJson(JsonElement element, JsonExportShape shape, FieldMapping merged, RecordBuilder builder, string origin, int? line, int number, string raw)
    {
        (CaseRecord record, List<FieldError> errors) = builder.Build(new JsonRawFields(element));
        shape.Complete(element, record, merged);
        record.Source ??= shape.DefaultSource;
        return CaseRecordValidator.Validate(new ParsedRecord(new SourceLocation(origin, line, number, record.ExternalId), record, errors, raw));
    }

    private static bool LooksLineDelimited(string path)
    {
        using var reader = new StreamReader(path);
        string? first;
        while ((first = reader.ReadLine()) is not null && string.IsNullOrWhiteSpace(first))
        {
        }

        string line = first?.Trim() ?? "";
        return line.StartsWith('{') && line.EndsWith('}') && reader.Peek() >= 0;
    }
}

/// <summary>The rules every record must meet before it is stored, whatever its format.</summary>
internal static class CaseRecordValidator
{
    // Clocks of ticket systems and their integrations drift; a minute of slack avoids rejecting real exports.
    private static readonly TimeSpan s_clockSlack = TimeSpan.FromMinutes(1);

    public static ParsedRecord Validate(ParsedRecord parsed)
    {
        if (parsed.Record is not { } record)
        {
            return parsed;
        }

        var errors = new List<FieldError>(parsed.Errors);
        if (string.IsNullOrWhiteSpace(record.ExternalId))
        {
            errors.Add(new FieldError("external_id", null, "is missing; every record needs its id in the source system (map it with --map external_id=COLUMN)."));
        }
        else if (record.ExternalId.Length > 200)
        {
            errors.Add(new FieldError("external_id", null, "is longer than 200 characters; is the right column mapped?"));
        }

        if (string.IsNullOrWhiteSpace(record.Title))
        {
            errors.Add(new FieldError("title", null, "is missing; every case needs a title or subject (map it with --map title=COLUMN)."));
        }

        if (record.CreatedAt is not { } created)
        {
            if (!errors.Any(e => e.Field == "created_at"))
            {
                errors.Add(new FieldError("created_at", null, "is missing; every case needs the time it was opened (map it with --map created_at=COLUMN)."));
            }
        }
        else
        {
            CheckNotBefore(errors, "assigned_at", record.AssignedAt, created);
            CheckNotBefore(errors, "first_evidence_at", record.FirstEvidenceAt, created);
            CheckNotBefore(errors, "escalated_at", record.EscalatedAt, created);
            CheckNotBefore(errors, "resolved_at", record.ResolvedAt, created);
        }

        if (record.EscalationReturned == true && record.EscalatedAt is null && record.EngineeringInvolved != true)
        {
            errors.Add(new FieldError("escalation_returned", null, "is true but the case was never escalated (escalated_at is empty and engineering_involved is not true)."));
        }

        return errors.Count == parsed.Errors.Count ? parsed : parsed with { Errors = errors };
    }

    private static void CheckNotBefore(List<FieldError> errors, string field, DateTime? value, DateTime created)
    {
        if (value is { } at && at < created - s_clockSlack)
        {
            errors.Add(new FieldError(field, null, $"{at:yyyy-MM-dd HH:mm:ss}Z is before created_at {created:yyyy-MM-dd HH:mm:ss}Z; check the column mapping and time zone."));
        }
    }
}
