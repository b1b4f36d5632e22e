namespace TicketOps.Core.Import;

/// <summary>Where a record came from: the file and the line (CSV, JSONL) or record number (JSON).</summary>
/// <param name="File">Path of the file as the user gave it.</param>
/// <param name="Line">1-based line of the record's start, when the format has lines that mean records.</param>
/// <param name="Record">1-based position of the record in the file.</param>
/// <param name="Key">The record's id in its source, when it could be read (helps to find it).</param>
public sealed record SourceLocation(string File, int? Line, int Record, string? Key = null)
{
    /// <inheritdoc />
    public override string ToString()
    {
        string where = Line is { } line ? $"{File}:{line}" : $"{File}, record {Record}";
        return Key is null ? where : $"{where} ({Key})";
    }
}

/// <summary>A problem with one field of one record, said so that the user can fix it.</summary>
/// <param name="Field">The TicketOps field (e.g. <c>created_at</c>).</param>
/// <param name="SourceField">The column or property it was read from, when that differs.</param>
/// <param name="Message">What is wrong and what to do.</param>
public sealed record FieldError(string Field, string? SourceField, string Message)
{
    /// <inheritdoc />
    public override string ToString() =>
        SourceField is null || SourceField == Field
            ? $"field '{Field}': {Message}"
            : $"field '{Field}' (from '{SourceField}'): {Message}";
}

/// <summary>One record as read from a file: the record when it could be read, its errors, and its raw text.</summary>
/// <param name="Location">Where it is.</param>
/// <param name="Record">The parsed record; null when it could not be parsed at all.</param>
/// <param name="Errors">What is wrong with it; empty when valid.</param>
/// <param name="Raw">The record's original text, kept so a rejected record is never lost.</param>
public sealed record ParsedRecord(SourceLocation Location, CaseRecord? Record, IReadOnlyList<FieldError> Errors, string Raw)
{
    /// <summary>True when the record can be imported.</summary>
    public bool IsValid => Record is not null && Errors.Count == 0;
}
