using System.Text.Json;

namespace TicketOps.Core.Import;

/// <summary>One field's value as found in a record: the column/property it came from and its content.</summary>
internal readonly record struct FoundValue(string SourceName, string? Text, JsonElement? Json);

/// <summary>A record's raw fields, however the file stores them (a CSV row, a JSON object).</summary>
internal interface IRawFields
{
    /// <summary>The value stored under <paramref name="name"/> (a column or dotted property path), if any.</summary>
    FoundValue? Get(string name);
}

/// <summary>
/// Turns a record's raw fields into a <see cref="CaseRecord"/> through a <see cref="FieldMapping"/>,
/// collecting one precise error per bad field instead of stopping at the first.
/// </summary>
internal sealed class RecordBuilder(FieldMapping mapping)
{
    private static readonly string[] s_trueWords = ["true", "yes", "y", "1", "t"];
    private static readonly string[] s_falseWords = ["false", "no", "n", "0", "f", ""];

    public (CaseRecord Record, List<FieldError> Errors) Build(IRawFields raw)
    {
        var errors = new List<FieldError>();
        var record = new CaseRecord
        {
            ExternalId = Text(raw, "external_id"),
            Source = Text(raw, "source"),
            Title = Text(raw, "title"),
            Description = Text(raw, "description"),
            Product = Text(raw, "product"),
            Component = Text(raw, "component"),
            Version = Text(raw, "version"),
            Platform = Text(raw, "platform"),
            Team = Text(raw, "team"),
            Status = Text(raw, "status"),
            Technical = Bool(raw, "technical", errors),
            CreatedAt = Date(raw, "created_at", errors),
            AssignedAt = Date(raw, "assigned_at", errors),
            FirstEvidenceAt = Date(raw, "first_evidence_at", errors),
            EscalatedAt = Date(raw, "escalated_at", errors),
            ResolvedAt = Date(raw, "resolved_at", errors),
            UpdatedAt = Date(raw, "updated_at", errors),
            EvidenceSteps = List(raw, "evidence_steps"),
            Cause = Text(raw, "cause"),
            Resolution = Text(raw, "resolution"),
            EngineeringInvolved = Bool(raw, "engineering_involved", errors),
            EscalationReturned = Bool(raw, "escalation_returned", errors),
            LinkedKnowledge = List(raw, "linked_knowledge"),
            Tags = List(raw, "tags"),
            Comments = Comments(raw, errors),
            Customer = Text(raw, "customer"),
            IncidentId = Text(raw, "incident_id"),
            Handoffs = Handoffs(raw, errors),
            EscalationAsks = Asks(raw, errors),
        };
        return (record, errors);
    }

    private FoundValue? Find(IRawFields raw, string field)
    {
        foreach (string name in mapping.CandidatesFor(field))
        {
            if (raw.Get(name) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    private string? Text(IRawFields raw, string field) => Find(raw, field) is { } found ? AsText(found) : null;

    private static string? AsText(FoundValue found)
    {
        if (found.Json is not { } json)
        {
            return string.IsNullOrWhiteSpace(found.Text) ? null : found.Text.Trim();
        }

        return json.ValueKind switch
        {
            JsonValueKind.String => NullIfBlank(json.GetString()),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => json.GetRawText(),
            JsonValueKind.Array => NullIfBlank(string.Join(", ", json.EnumerateArray().Select(ElementText).Where(t => t is not null))),
            JsonValueKind.Object => ElementText(json),
            _ => null,
        };
    }

    private static string? NullIfBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>Text of a JSON value; objects give their <c>name</c>, <c>value</c> or <c>body</c> (Jira/Zendesk style).</summary>
    internal static string? ElementText(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => NullIfBlank(element.GetString()),
        JsonValueKind.Number => element.GetRawText(),
        JsonValueKind.Object => ObjectText(element),
        _ => null,
    };

    private static string? ObjectText(JsonElement element)
    {
        foreach (string property in (string[])["name", "value", "body", "key"])
        {
            if (element.TryGetProperty(property, out JsonElement value) && value.ValueKind == JsonValueKind.String)
            {
                return NullIfBlank(value.GetString());
            }
        }

        return null;
    }

    private List<string>? List(IRawFields raw, string field)
    {
        if (Find(raw, field) is not { } found)
        {
            return null;
        }

        if (found.Json is { ValueKind: JsonValueKind.Array } array)
        {
            return [.. array.EnumerateArray().Select(ElementText).OfType<string>()];
        }

        string? text = AsText(found);
        return text is null
            ? null
            : [.. text.Split(mapping.ListSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
    }

    private bool? Bool(IRawFields raw, string field, List<FieldError> errors)
    {
        if (Find(raw, field) is not { } found)
        {
            return null;
        }

        if (found.Json is { ValueKind: JsonValueKind.True or JsonValueKind.False } json)
        {
            return json.GetBoolean();
        }

        string text = (AsText(found) ?? "").ToLowerInvariant();
        if (s_trueWords.Contains(text))
        {
            return true;
        }

        if (s_falseWords.Contains(text))
        {
            return text.Length == 0 ? null : false;
        }

        errors.Add(new FieldError(field, found.SourceName, $"'{Shorten(text)}' is not a yes/no value; use true/false, yes/no or 1/0."));
        return null;
    }

    private DateTime? Date(IRawFields raw, string field, List<FieldError> errors)
    {
        if (Find(raw, field) is not { } found)
        {
            return null;
        }

        TimestampReading reading;
        DateTime utc;
        string? text;
        if (found.Json is { ValueKind: JsonValueKind.Number } number)
        {
            text = number.GetRawText();
            utc = default;
            // A number is Unix time; one that is not a whole number of seconds or milliseconds is not a timestamp.
            reading = number.TryGetInt64(out long unix) ? Timestamps.FromUnix(unix, out utc) : TimestampReading.NotATimestamp;
        }
        else
        {
            text = AsText(found);
            if (text is null)
            {
                return null;
            }

            reading = Timestamps.Read(text, mapping.DateFormat, mapping.UtcOffsetHours, out utc);
        }

        if (reading == TimestampReading.Valid)
        {
            return utc;
        }

        string expected = mapping.DateFormat is null
            ? "an ISO 8601 timestamp such as 2025-03-04T10:15:00Z"
            : $"the mapping's date_format '{mapping.DateFormat}'";
        errors.Add(new FieldError(field, found.SourceName, reading == TimestampReading.OutOfRange
            ? $"'{Shorten(text)}' is out of range; a case's timestamps lie {Timestamps.RangeText} (UTC). Is it the right column, or milliseconds where seconds are expected?"
            : $"'{Shorten(text)}' is not a timestamp; expected {expected}."));
        return null;
    }

    /// <summary>A value quoted in an error, cut so that a huge field does not flood the terminal.</summary>
    internal static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + $"… ({text.Length:N0} characters)";

    private List<CommentRecord>? Comments(IRawFields raw, List<FieldError> errors)
    {
        if (Find(raw, "comments") is not { } found)
        {
            return null;
        }

        if (found.Json is not { ValueKind: JsonValueKind.Array } array)
        {
            return List(raw, "comments")?.Select(body => new CommentRecord { Body = body }).ToList();
        }

        var comments = new List<CommentRecord>();
        int index = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            index++;
            if (item.ValueKind == JsonValueKind.String)
            {
                comments.Add(new CommentRecord { Body = item.GetString() });
                continue;
            }

            if (item.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new FieldError("comments", found.SourceName, $"comment {index} must be an object with a body or a string."));
                continue;
            }

            var comment = new CommentRecord
            {
                Author = item.TryGetProperty("author", out JsonElement author) ? ElementText(author) : null,
                Public = item.TryGetProperty("public", out JsonElement isPublic) && isPublic.ValueKind is JsonValueKind.True or JsonValueKind.False ? isPublic.GetBoolean() : null,
                Body = item.TryGetProperty("body", out JsonElement body) ? ElementText(body) : null,
            };
            if (item.TryGetProperty("created_at", out JsonElement created) && created.ValueKind == JsonValueKind.String)
            {
                if (Timestamps.TryParse(created.GetString()!, mapping.DateFormat, mapping.UtcOffsetHours, out DateTime at))
                {
                    comment.CreatedAt = at;
                }
                else
                {
                    errors.Add(new FieldError("comments", found.SourceName, $"comment {index} created_at '{Shorten(created.GetString()!)}' is not a timestamp {Timestamps.RangeText}."));
                }
            }

            comments.Add(comment);
        }

        return comments;
    }

    // A handoff names the team it moved to and when; a CSV cell holds "at|team|tier" entries separated by ';'.
    private List<HandoffRecord>? Handoffs(IRawFields raw, List<FieldError> errors)
    {
        if (Find(raw, "handoffs") is not { } found)
        {
            return null;
        }

        var handoffs = new List<HandoffRecord>();
        if (found.Json is not { ValueKind: JsonValueKind.Array } array)
        {
            int line = 0;
            foreach (string entry in (AsText(found) ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                line++;
                string[] parts = entry.Split('|', StringSplitOptions.TrimEntries);
                Add(line, parts[0], parts.Length > 1 ? parts[1] : null, parts.Length > 2 ? parts[2] : null);
            }

            return handoffs;
        }

        int index = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            index++;
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new FieldError("handoffs", found.SourceName, $"handoff {index} must be an object with at and team."));
                continue;
            }

            Add(index, Property(item, "at"), Property(item, "team"), Property(item, "tier"));
        }

        return handoffs;

        static string? Property(JsonElement item, string name) => item.TryGetProperty(name, out JsonElement value) ? ElementText(value) : null;

        void Add(int index, string? at, string? team, string? tier)
        {
            if (string.IsNullOrWhiteSpace(team))
            {
                errors.Add(new FieldError("handoffs", found.SourceName, $"handoff {index} names no team; give the team the case moved to."));
                return;
            }

            if (at is null || !Timestamps.TryParse(at, mapping.DateFormat, mapping.UtcOffsetHours, out DateTime when))
            {
                errors.Add(new FieldError("handoffs", found.SourceName, $"handoff {index} at '{at}' is not a timestamp."));
                return;
            }

            if (tier is not null && Cases.OwnershipDepths.Parse(tier) is null)
            {
                errors.Add(new FieldError("handoffs", found.SourceName, $"handoff {index} tier '{tier}' is not one of frontline, l2, engineering, incident."));
                return;
            }

            handoffs.Add(new HandoffRecord { At = when, Team = team.Trim(), Tier = tier });
        }
    }

    // An ask names its kind and, for missing evidence, the item; a CSV cell holds "kind|item" entries separated by ';'.
    private List<EscalationAskRecord>? Asks(IRawFields raw, List<FieldError> errors)
    {
        if (Find(raw, "escalation_asks") is not { } found)
        {
            return null;
        }

        var asks = new List<EscalationAskRecord>();
        int index = 0;
        if (found.Json is { ValueKind: JsonValueKind.Array } array)
        {
            foreach (JsonElement item in array.EnumerateArray())
            {
                index++;
                if (item.ValueKind != JsonValueKind.Object)
                {
                    errors.Add(new FieldError("escalation_asks", found.SourceName, $"ask {index} must be an object with kind and item."));
                    continue;
                }

                Add(Property(item, "kind"), Property(item, "item"));
            }

            return asks;
        }

        foreach (string entry in (AsText(found) ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            index++;
            string[] parts = entry.Split('|', 2, StringSplitOptions.TrimEntries);
            Add(parts[0], parts.Length > 1 ? parts[1] : null);
        }

        return asks;

        static string? Property(JsonElement item, string name) => item.TryGetProperty(name, out JsonElement value) ? ElementText(value) : null;

        void Add(string? kind, string? item)
        {
            if (Cases.EscalationAsks.ParseKind(kind) is not { } parsed)
            {
                errors.Add(new FieldError("escalation_asks", found.SourceName, $"ask {index} kind '{kind}' is not missing_evidence or unclear_ownership."));
            }
            else if (parsed == Cases.EscalationAskKind.MissingEvidence && string.IsNullOrWhiteSpace(item))
            {
                errors.Add(new FieldError("escalation_asks", found.SourceName, $"ask {index} is missing_evidence but names no item; give the evidence the receiving team asked for."));
            }
            else
            {
                asks.Add(new EscalationAskRecord { Kind = kind!.Trim(), Item = string.IsNullOrWhiteSpace(item) ? null : item.Trim() });
            }
        }
    }
}
