using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TicketOps.Core.Import;

/// <summary>
/// How the columns (CSV) or properties (JSON, dotted paths such as <c>fields.summary</c>) of an export map
/// to TicketOps fields, so that a real export imports without code. Loaded from a JSON mapping file
/// (see docs/import.md) and/or <c>--map field=column</c> options. A TicketOps field without an explicit
/// mapping is looked up under its own name and then under the common aliases in <see cref="DefaultAliases"/>.
/// </summary>
public sealed class FieldMapping
{
    private static readonly JsonSerializerOptions s_fileOptions = new() { ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>The TicketOps fields a mapping can name.</summary>
    public static readonly IReadOnlyList<string> Fields =
    [
        "external_id", "source", "title", "description", "product", "component", "version", "platform", "team",
        "status", "technical", "created_at", "assigned_at", "first_evidence_at", "escalated_at", "resolved_at",
        "evidence_steps", "cause", "resolution", "engineering_involved", "escalation_returned", "linked_knowledge",
        "tags", "comments", "customer", "incident_id", "handoffs", "escalation_asks", "updated_at",
    ];

    /// <summary>Names that common exports use for each field, tried in order when no mapping is given.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> DefaultAliases = new Dictionary<string, string[]>
    {
        ["external_id"] = ["external_id", "id", "ticket_id", "case_id", "key", "number"],
        ["title"] = ["title", "subject", "summary"],
        ["description"] = ["description", "body", "text", "details"],
        ["created_at"] = ["created_at", "created", "opened_at", "date_created"],
        ["resolved_at"] = ["resolved_at", "resolutiondate", "solved_at", "closed_at"],
        ["assigned_at"] = ["assigned_at", "initially_assigned_at"],
        ["updated_at"] = ["updated_at", "updated", "modified_at", "last_modified"],
        ["product"] = ["product", "product_area", "category"],
        ["component"] = ["component", "components"],
        ["version"] = ["version", "versions", "affected_version"],
        ["linked_knowledge"] = ["linked_knowledge", "knowledge", "articles"],
        ["customer"] = ["customer", "organization", "organization_id", "account", "account_id"],
        ["incident_id"] = ["incident_id", "problem_id", "incident"],
        ["handoffs"] = ["handoffs", "team_history", "assignment_history"],
    };

    /// <summary>Source name for every record (the records' own <c>source</c> field otherwise, then the format).</summary>
    [JsonPropertyName("source")] public string? Source { get; set; }

    /// <summary>TicketOps field → column or dotted property path.</summary>
    [JsonPropertyName("fields")] public Dictionary<string, string> Columns { get; set; } = [];

    /// <summary>Separator of list fields given as one text (evidence steps, tags); default <c>|</c>.</summary>
    [JsonPropertyName("list_separator")] public string ListSeparator { get; set; } = "|";

    /// <summary>Exact format of timestamps (e.g. <c>dd/MM/yyyy HH:mm</c>); ISO 8601 when not set.</summary>
    [JsonPropertyName("date_format")] public string? DateFormat { get; set; }

    /// <summary>
    /// Hours to add to timestamps that carry no offset, to bring them to UTC (e.g. -1 for CET exports).
    /// Timestamps with an offset are converted exactly.
    /// </summary>
    [JsonPropertyName("utc_offset_hours")] public double UtcOffsetHours { get; set; }

    /// <summary>The column names to try for a TicketOps field, explicit mapping first.</summary>
    public IEnumerable<string> CandidatesFor(string field)
    {
        if (Columns.TryGetValue(field, out string? column))
        {
            // An empty column means "do not read this field" (ignore a column that holds something else).
            if (column.Length > 0)
            {
                yield return column;
            }

            yield break;
        }

        if (DefaultAliases.TryGetValue(field, out string[]? aliases))
        {
            foreach (string alias in aliases)
            {
                yield return alias;
            }
        }
        else
        {
            yield return field;
        }
    }

    /// <summary>
    /// Loads a mapping file. Returns the mapping, or an error naming the file, the position and what to fix.
    /// </summary>
    public static (FieldMapping? Mapping, string? Error) Load(string path)
    {
        FieldMapping? mapping;
        try
        {
            mapping = JsonSerializer.Deserialize<FieldMapping>(File.ReadAllText(path), s_fileOptions);
        }
        catch (JsonException ex)
        {
            return (null, $"{path}:{(ex.LineNumber ?? 0) + 1}: the mapping file is not valid JSON ({ex.Message}). See docs/import.md for the format.");
        }
        catch (IOException ex)
        {
            return (null, $"{path}: cannot read the mapping file ({ex.Message}).");
        }

        if (mapping is null)
        {
            return (null, $"{path}: the mapping file is empty; it needs at least {{\"fields\": {{...}}}}.");
        }

        string? error = mapping.Validate();
        return error is null ? (mapping, null) : (null, $"{path}: {error}");
    }

    /// <summary>Adds <c>field=column</c> pairs given on the command line; returns an error for a malformed one.</summary>
    public string? AddPairs(IEnumerable<string> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        foreach (string pair in pairs)
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                return $"--map '{pair}' must look like field=column, e.g. --map title=Subject.";
            }

            Columns[pair[..equals].Trim()] = pair[(equals + 1)..].Trim();
        }

        return Validate();
    }

    /// <summary>Checks that every mapped field is a TicketOps field.</summary>
    public string? Validate()
    {
        foreach (string field in Columns.Keys)
        {
            if (!Fields.Contains(field))
            {
                return $"'{field}' is not a TicketOps field; use one of: {string.Join(", ", Fields)}.";
            }
        }

        if (DateFormat is not null)
        {
            try
            {
                _ = DateTime.UtcNow.ToString(DateFormat, CultureInfo.InvariantCulture);
            }
            catch (FormatException)
            {
                return $"date_format '{DateFormat}' is not a valid .NET date format (e.g. dd/MM/yyyy HH:mm).";
            }
        }

        if (!double.IsFinite(UtcOffsetHours) || Math.Abs(UtcOffsetHours) > 14)
        {
            return $"utc_offset_hours {UtcOffsetHours} is not a time zone offset; use a number of hours between -14 and 14.";
        }

        return string.IsNullOrEmpty(ListSeparator) ? "list_separator must not be empty." : null;
    }
}
