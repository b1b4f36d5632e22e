using System.Text;
using System.Text.Json;

namespace TicketOps.Core.Import;

/// <summary>
/// What differs between the formats read through JSON: the default field mapping (which a user's mapping
/// overrides field by field) and the touches a generic mapping cannot express.
/// </summary>
internal abstract class JsonExportShape
{
    public abstract string DefaultSource { get; }

    public abstract IReadOnlyDictionary<string, string> DefaultColumns { get; }

    public virtual void Complete(JsonElement raw, CaseRecord record, FieldMapping mapping)
    {
    }

    public FieldMapping Merge(FieldMapping user)
    {
        var merged = new FieldMapping
        {
            Source = user.Source,
            ListSeparator = user.ListSeparator,
            DateFormat = user.DateFormat,
            UtcOffsetHours = user.UtcOffsetHours,
        };
        foreach ((string field, string column) in DefaultColumns)
        {
            merged.Columns[field] = column;
        }

        foreach ((string field, string column) in user.Columns)
        {
            merged.Columns[field] = column;
        }

        return merged;
    }
}

/// <summary>A generic JSON/JSONL export: the user's mapping and the default aliases only.</summary>
internal sealed class GenericJsonShape(string source) : JsonExportShape
{
    public override string DefaultSource => source;

    public override IReadOnlyDictionary<string, string> DefaultColumns { get; } = new Dictionary<string, string>();
}

/// <summary>
/// Zendesk tickets as the Tickets API, the incremental export or the full JSON export give them
/// (<c>{"tickets": [...]}</c>, an array, or one ticket a line), with <c>comments</c> and, when exported with
/// <c>include=metric_sets</c>, <c>metric_set</c>. Zendesk has no standard fields for product, version or
/// escalation: map custom fields with <c>custom_fields.ID</c>; tags containing <c>escalat</c> mark
/// engineering involvement and <c>escalation_returned</c> / <c>missing_context</c> a returned escalation.
/// The requester's and agents' names and ids are never stored: comment authors become roles.
/// </summary>
internal sealed class ZendeskShape : JsonExportShape
{
    public override string DefaultSource => "zendesk";

    public override IReadOnlyDictionary<string, string> DefaultColumns { get; } = new Dictionary<string, string>
    {
        ["external_id"] = "id",
        ["title"] = "subject",
        ["description"] = "description",
        ["status"] = "status",
        ["created_at"] = "created_at",
        ["assigned_at"] = "metric_set.initially_assigned_at",
        ["resolved_at"] = "metric_set.solved_at",
        ["updated_at"] = "updated_at",
        ["tags"] = "tags",
        ["customer"] = "organization_id",
        ["incident_id"] = "problem_id",
        ["comments"] = "", // Complete reads them: authors become roles, the first one is the description.
    };

    public override void Complete(JsonElement raw, CaseRecord record, FieldMapping mapping)
    {
        long? requester = raw.TryGetProperty("requester_id", out JsonElement r) && r.ValueKind == JsonValueKind.Number && r.TryGetInt64(out long requesterId) ? requesterId : null;
        if (raw.TryGetProperty("comments", out JsonElement comments) && comments.ValueKind == JsonValueKind.Array)
        {
            var list = new List<CommentRecord>();
            foreach (JsonElement comment in comments.EnumerateArray())
            {
                string? body = Str(comment, "plain_body") ?? Str(comment, "body");
                long? author = comment.TryGetProperty("author_id", out JsonElement a) && a.ValueKind == JsonValueKind.Number && a.TryGetInt64(out long authorId) ? authorId : null;
                list.Add(new CommentRecord
                {
                    Body = body,
                    Author = author is not null && author == requester ? "customer" : "agent",
                    Public = comment.TryGetProperty("public", out JsonElement p) && p.ValueKind is JsonValueKind.True or JsonValueKind.False ? p.GetBoolean() : null,
                    CreatedAt = Str(comment, "created_at") is { } at && Timestamps.TryParse(at, null, 0, out DateTime utc) ? utc : null,
                });
            }

            // Zendesk's first comment is the description itself.
            if (list.Count > 0 && (record.Description is null || Same(list[0].Body, record.Description)))
            {
                record.Description ??= list[0].Body;
                list.RemoveAt(0);
            }

            record.Comments = list;
        }

        record.Handoffs ??= GroupChanges(raw);
        if (record.ResolvedAt is null && record.Status is "solved" or "closed" && Str(raw, "updated_at") is { } updated
            && Timestamps.TryParse(updated, null, 0, out DateTime solved))
        {
            record.ResolvedAt = solved;
        }

        List<string> tags = record.Tags ?? [];
        if (tags.Any(t => t.Contains("escalat", StringComparison.OrdinalIgnoreCase)))
        {
            record.EngineeringInvolved ??= true;
        }

        if (tags.Any(t => t is "escalation_returned" or "missing_context"))
        {
            record.EscalationReturned ??= true;
            record.EngineeringInvolved ??= true;
        }
    }

    /// <summary>
    /// The ticket's group history from its audits (<c>include=audits</c>): every <c>Create</c> or <c>Change</c>
    /// event on <c>group_id</c> is a handoff to that group (its name when the export resolved it, else its id).
    /// Assignee changes inside a group are not ownership changes and are not read (names are never stored).
    /// </summary>
    private static List<HandoffRecord>? GroupChanges(JsonElement raw)
    {
        if (!raw.TryGetProperty("audits", out JsonElement audits) || audits.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var handoffs = new List<HandoffRecord>();
        foreach (JsonElement audit in audits.EnumerateArray())
        {
            DateTime? at = Str(audit, "created_at") is { } text && Timestamps.TryParse(text, null, 0, out DateTime utc) ? utc : null;
            if (at is null || !audit.TryGetProperty("events", out JsonElement events) || events.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (JsonElement change in events.EnumerateArray())
            {
                if (Str(change, "type") is "Create" or "Change" && Str(change, "field_name") is "group_id" or "group"
                    && change.TryGetProperty("value", out JsonElement value) && RecordBuilder.ElementText(value) is { } group)
                {
                    handoffs.Add(new HandoffRecord { At = at, Team = Str(change, "value_name") ?? group });
                }
            }
        }

        return handoffs;
    }

    private static bool Same(string? a, string b) =>
        a is not null && string.Equals(a.Trim(), b.Trim(), StringComparison.Ordinal);

    internal static string? Str(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}

/// <summary>
/// Jira issues as the REST API gives them (search results <c>{"issues": [...]}</c>, an array, or one issue
/// a line), API v2 (text) or v3 (Atlassian Document Format descriptions and comments). Issue links are kept
/// as tags <c>link:TYPE:KEY</c>; a link whose type name contains "escalat" marks engineering involvement.
/// </summary>
internal sealed class JiraShape : JsonExportShape
{
    public override string DefaultSource => "jira";

    public override IReadOnlyDictionary<string, string> DefaultColumns { get; } = new Dictionary<string, string>
    {
        ["external_id"] = "key",
        ["title"] = "fields.summary",
        ["description"] = "fields.description",
        ["product"] = "fields.project",
        ["component"] = "fields.components",
        ["version"] = "fields.versions",
        ["platform"] = "fields.environment",
        ["status"] = "fields.status",
        ["created_at"] = "fields.created",
        ["resolved_at"] = "fields.resolutiondate",
        ["updated_at"] = "fields.updated",
        ["resolution"] = "fields.resolution",
        ["tags"] = "fields.labels",
        ["comments"] = "", // Complete reads them: bodies may be Atlassian Document Format.
    };

    public override void Complete(JsonElement raw, CaseRecord record, FieldMapping mapping)
    {
        if (!raw.TryGetProperty("fields", out JsonElement fields) || fields.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (fields.TryGetProperty("description", out JsonElement description) && description.ValueKind == JsonValueKind.Object)
        {
            record.Description = DocumentText(description);
        }

        string? reporter = fields.TryGetProperty("reporter", out JsonElement rep) ? AccountOf(rep) : null;
        if (fields.TryGetProperty("comment", out JsonElement comment) && comment.ValueKind == JsonValueKind.Object
            && comment.TryGetProperty("comments", out JsonElement comments) && comments.ValueKind == JsonValueKind.Array)
        {
            record.Comments = [.. comments.EnumerateArray().Select(c => new CommentRecord
            {
                Body = c.TryGetProperty("body", out JsonElement body) ? (body.ValueKind == JsonValueKind.Object ? DocumentText(body) : ZendeskShape.Str(c, "body")) : null,
                Author = reporter is not null && c.TryGetProperty("author", out JsonElement author) && AccountOf(author) == reporter ? "customer" : "agent",
                CreatedAt = ZendeskShape.Str(c, "created") is { } at && Timestamps.TryParse(at, null, 0, out DateTime utc) ? utc : null,
            })];
        }

        if (fields.TryGetProperty("issuelinks", out JsonElement links) && links.ValueKind == JsonValueKind.Array)
        {
            List<string> tags = record.Tags ?? [];
            foreach (JsonElement link in links.EnumerateArray())
            {
                string type = link.TryGetProperty("type", out JsonElement t) ? RecordBuilder.ElementText(t) ?? "related" : "related";
                JsonElement other = link.TryGetProperty("outwardIssue", out JsonElement outward) ? outward
                    : link.TryGetProperty("inwardIssue", out JsonElement inward) ? inward : default;
                if (other.ValueKind == JsonValueKind.Object && ZendeskShape.Str(other, "key") is { } key)
                {
                    tags.Add($"link:{type.ToLowerInvariant()}:{key}");
                }

                if (type.Contains("escalat", StringComparison.OrdinalIgnoreCase))
                {
                    record.EngineeringInvolved ??= true;
                }

                if (record.IncidentId is null && other.ValueKind == JsonValueKind.Object && ZendeskShape.Str(other, "key") is { } incident
                    && (type.Contains("incident", StringComparison.OrdinalIgnoreCase) || type.Contains("problem", StringComparison.OrdinalIgnoreCase)))
                {
                    record.IncidentId = incident;
                }
            }

            record.Tags = tags;
        }

        record.Handoffs ??= History(raw);
    }

    // Fields a Jira Service Management project uses for the owning team; an assignee change is not a team change.
    private static readonly string[] s_teamFields = ["team", "assignment group", "group", "support group", "tier", "support level"];

    /// <summary>
    /// The ownership history from its changelog (<c>expand=changelog</c>): a change of a team field
    /// (Team, Assignment group, Support level...) is a handoff to that team; a status change whose new status
    /// names engineering, L2 or an escalation is a handoff to that depth.
    /// </summary>
    private static List<HandoffRecord>? History(JsonElement raw)
    {
        if (!raw.TryGetProperty("changelog", out JsonElement changelog) || changelog.ValueKind != JsonValueKind.Object
            || !changelog.TryGetProperty("histories", out JsonElement histories) || histories.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var handoffs = new List<HandoffRecord>();
        foreach (JsonElement history in histories.EnumerateArray())
        {
            DateTime? at = ZendeskShape.Str(history, "created") is { } text && Timestamps.TryParse(text, null, 0, out DateTime utc) ? utc : null;
            if (at is null || !history.TryGetProperty("items", out JsonElement items) || items.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (JsonElement item in items.EnumerateArray())
            {
                string field = (ZendeskShape.Str(item, "field") ?? "").Trim().ToLowerInvariant();
                if (ZendeskShape.Str(item, "toString") is not { Length: > 0 } to)
                {
                    continue;
                }

                if (s_teamFields.Contains(field))
                {
                    handoffs.Add(new HandoffRecord { At = at, Team = to });
                }
                else if (field == "status")
                {
                    string tier = to.Contains("engineer", StringComparison.OrdinalIgnoreCase) || to.Contains("escalat", StringComparison.OrdinalIgnoreCase) ? "engineering"
                        : Cases.OwnershipDepths.OfTeam(to) is { } depth ? Cases.OwnershipDepths.Name(depth) : "";
                    if (tier.Length > 0)
                    {
                        handoffs.Add(new HandoffRecord { At = at, Team = to, Tier = tier });
                    }
                }
            }
        }

        return handoffs;
    }

    private static string? AccountOf(JsonElement user) =>
        user.ValueKind != JsonValueKind.Object ? null
            : ZendeskShape.Str(user, "accountId") ?? ZendeskShape.Str(user, "name") ?? ZendeskShape.Str(user, "key");

    /// <summary>Plain text of an Atlassian Document Format node: text nodes, one line per block.</summary>
    internal static string DocumentText(JsonElement node)
    {
        var text = new StringBuilder();
        Append(node, text);
        return text.ToString().Trim();

        static void Append(JsonElement node, StringBuilder text)
        {
            if (node.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            if (ZendeskShape.Str(node, "text") is { } value)
            {
                text.Append(value);
            }

            if (node.TryGetProperty("content", out JsonElement content) && content.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement child in content.EnumerateArray())
                {
                    Append(child, text);
                }
            }

            if (ZendeskShape.Str(node, "type") is "paragraph" or "heading" or "codeBlock" or "listItem" or "hardBreak")
            {
                text.Append('\n');
            }
        }
    }
}
