using System.Globalization;
using System.Text;
using CsCheck;

namespace TicketOps.Tests.Faults;

/// <summary>
/// Generators of hostile input: values of the wrong type, huge, deeply nested, out of range or full of
/// bytes no exporter should write, composed into records of every import format, and byte-level damage
/// (truncation, invalid UTF-8, NUL, BOMs, CRLF, duplicated records) applied to the file as a whole.
/// JSON values are produced as raw text so that nesting deeper than any serializer allows can be written.
/// </summary>
internal static class HostileInput
{
    private static readonly string[] s_words = ["login", "fails", "SSO", "ERR_SAML_CLOCK_SKEW", "export", "timeout", "v4.2", "dashboard", "sync", "webhook"];

    /// <summary>Timestamps a careless or hostile exporter may write: outside any range a ticket can have, impossible, odd offsets.</summary>
    private static readonly string[] s_dates =
    [
        "2025-01-01T00:00:00Z", "2025-03-04T10:15:30.000+0000", "0001-01-01T00:00:00", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59",
        "9999-12-31T23:59:59Z", "1969-12-31T23:59:59Z", "2025-02-30T00:00:00Z", "2025-13-01", "2025-01-01T25:61:00Z", "+275760-09-13T00:00:00Z",
        "2025-01-01T00:00:00+14:00", "2025-01-01T00:00:00-23:59", "0000-00-00 00:00:00", "1e400", "-1", "yesterday", "2025-01-01T00:00:00.9999999999Z",
    ];

    /// <summary>Numbers at and past the edges of what .NET types hold.</summary>
    private static readonly string[] s_numbers =
    [
        "0", "-1", "1.5", "1e308", "-1e308", "1e400", "9223372036854775807", "-9223372036854775808", "9223372036854775808",
        "99999999999999999999999", "253402300800", "253402300800000", "-62135596801", "-99999999999999", "0.0000001",
    ];

    /// <summary>Text an export should not contain but some do.</summary>
    public static readonly Gen<string> Text = Gen.Frequency(
        (6, Gen.Int[1, 6].SelectMany(n => Gen.OneOf(s_words).Array[n]).Select(words => string.Join(' ', words))),
        (1, Gen.Const("")),
        (1, Gen.Const("   \t ")),
        (1, Gen.Int[1, 3].Select(n => new string('x', n * 300_000))),
        (1, Gen.Const("nul\0inside\0text")),
        (1, Gen.Const("control \u0001\u0002\u001b[31m chars")),
        (1, Gen.Const("lone surrogate \ud800 here")),
        (1, Gen.Const("quote \" comma , semicolon ; tab \t newline \n cr \r end")),
        (1, Gen.Const("emoji 😀 and RTL \u202Eevil")),
        (1, Gen.Const("mail ana.lopez@example.com phone +1 (555) 010-4477 token sk-live_0123456789abcdefABCDEF")),
        (1, Gen.String[Gen.Char, 0, 200]));

    /// <summary>Any JSON value, as raw text, of the right or the wrong type.</summary>
    public static readonly Gen<string> JsonValue = Gen.Frequency(
        (6, Text.Select(Quote)),
        (2, Gen.OneOf(s_dates).Select(Quote)),
        (2, Gen.OneOf(s_numbers)),
        (1, Gen.OneOf("true", "false", "null")),
        (1, Gen.Int[2, 6].Select(n => "[" + string.Join(',', Enumerable.Repeat("\"a\"", n)) + "]")),
        (1, Gen.Const("{\"name\":\"x\",\"value\":1}")),
        (1, Gen.Const("{}")),
        (1, Gen.Int[10, 200_000].Select(Nested)));

    /// <summary>A record's id: usually a few ids, so duplicates within a file are common.</summary>
    public static readonly Gen<string> Id = Gen.Frequency(
        (8, Gen.Int[1, 6].Select(i => Quote("FZ-" + i.ToString(CultureInfo.InvariantCulture)))),
        (1, Gen.Int[1, 6].Select(i => i.ToString(CultureInfo.InvariantCulture))),
        (1, JsonValue));

    /// <summary>A field's value: usually sensible, sometimes hostile.</summary>
    private static Gen<string> Field(Gen<string> sensible) => Gen.Frequency((4, sensible), (1, JsonValue));

    private static readonly Gen<string> s_date = Field(Gen.Int[0, 364].Select(d => Quote(new DateTime(2025, 1, 1, 8, 0, 0, DateTimeKind.Utc).AddDays(d).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))));
    private static readonly Gen<string> s_text = Field(Text.Select(Quote));

    /// <summary>A record in TicketOps' own JSON shape (also JSONL and the HTTP API's).</summary>
    public static readonly Gen<string> GenericRecord =
        from id in Id
        from title in s_text
        from description in s_text
        from created in s_date
        from resolved in Gen.Frequency((2, s_date), (1, Gen.Const("null")))
        from product in s_text
        from steps in Field(Gen.Const("[\"checked logs\",\"reproduced\"]"))
        from engineering in Field(Gen.OneOf("true", "false"))
        from extra in Gen.Frequency((4, Gen.Const("")), (1, JsonValue.Select(v => ",\"comments\":" + v)), (1, JsonValue.Select(v => ",\"technical\":" + v)))
        select "{\"external_id\":" + id + ",\"title\":" + title + ",\"description\":" + description + ",\"created_at\":" + created
            + ",\"resolved_at\":" + resolved + ",\"product\":" + product + ",\"evidence_steps\":" + steps + ",\"engineering_involved\":" + engineering + extra + "}";

    /// <summary>A ticket as Zendesk exports it.</summary>
    public static readonly Gen<string> ZendeskTicket =
        from id in Id
        from subject in s_text
        from description in s_text
        from status in Field(Gen.OneOf("\"solved\"", "\"open\"", "\"closed\""))
        from created in s_date
        from updated in s_date
        from requester in Field(Gen.Const("42"))
        from tags in Field(Gen.Const("[\"escalated\",\"missing_context\"]"))
        from body in s_text
        from author in Field(Gen.Const("42"))
        from solved in s_date
        from custom in Field(Gen.Const("[{\"id\":360001,\"value\":\"SSO\"}]"))
        select "{\"id\":" + id + ",\"subject\":" + subject + ",\"description\":" + description + ",\"status\":" + status + ",\"created_at\":" + created
            + ",\"updated_at\":" + updated + ",\"requester_id\":" + requester + ",\"via\":{\"channel\":\"email\"},\"tags\":" + tags
            + ",\"comments\":[{\"author_id\":" + author + ",\"public\":true,\"body\":" + body + ",\"created_at\":" + created + "}]"
            + ",\"metric_set\":{\"solved_at\":" + solved + ",\"initially_assigned_at\":" + created + "},\"custom_fields\":" + custom + "}";

    /// <summary>An issue as Jira's REST API gives it (v2 text or v3 document descriptions).</summary>
    public static readonly Gen<string> JiraIssue =
        from key in Id
        from summary in s_text
        from description in Gen.Frequency((2, s_text), (1, s_text.Select(t => "{\"type\":\"doc\",\"content\":[{\"type\":\"paragraph\",\"content\":[{\"type\":\"text\",\"text\":" + t + "}]}]}")), (1, Gen.Int[10, 100_000].Select(DeepDocument)))
        from created in s_date
        from resolved in s_date
        from components in Field(Gen.Const("[{\"name\":\"Auth\"}]"))
        from versions in Field(Gen.Const("[{\"name\":\"4.2\"}]"))
        from status in Field(Gen.Const("{\"name\":\"Done\"}"))
        from comment in s_text
        from links in Field(Gen.Const("[{\"type\":{\"name\":\"Escalates\"},\"outwardIssue\":{\"key\":\"ENG-1\"}}]"))
        select "{\"key\":" + key + ",\"fields\":{\"summary\":" + summary + ",\"description\":" + description + ",\"created\":" + created
            + ",\"resolutiondate\":" + resolved + ",\"components\":" + components + ",\"versions\":" + versions + ",\"status\":" + status
            + ",\"project\":{\"name\":\"Cobaltline\"},\"reporter\":{\"accountId\":\"u1\"}"
            + ",\"comment\":{\"comments\":[{\"author\":{\"accountId\":\"u1\"},\"body\":" + comment + ",\"created\":" + created + "}]},\"issuelinks\":" + links + "}}";

    /// <summary>A CSV cell: quoted properly, unquoted, or with a broken quote.</summary>
    public static readonly Gen<string> CsvCell = Gen.Frequency(
        (4, Text.Select(t => "\"" + t.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"")),
        (2, Text),
        (1, Gen.OneOf(s_dates)),
        (1, Gen.OneOf(s_numbers)),
        (1, Text.Select(t => "\"" + t)));

    /// <summary>A CSV export: a header row (sometimes with duplicate or missing columns) and rows of hostile cells.</summary>
    public static readonly Gen<string> Csv =
        from header in Gen.OneOf(
            "id,subject,description,created,resolved_at,product",
            "id,subject,subject,created",
            "subject,created",
            "id;subject;created",
            "id\tsubject\tcreated",
            "")
        from rows in Gen.Int[1, 6].SelectMany(n => (
            from id in Gen.Frequency((4, Gen.Int[1, 6].Select(i => "FZ-" + i.ToString(CultureInfo.InvariantCulture))), (1, CsvCell))
            from cells in CsvCell.Array[1, 7]
            select id + "," + string.Join(',', cells)).Array[n])
        select header + "\n" + string.Join('\n', rows) + "\n";

    /// <summary>Records as one JSON document, in one of the shapes the importer accepts.</summary>
    public static Gen<string> JsonDocument(Gen<string> record, string container) =>
        from records in record.Array[1, 5]
        from shape in Gen.Int[0, 2]
        select shape switch
        {
            0 => "[" + string.Join(",\n", records) + "]",
            1 => "{\"" + container + "\":[\n" + string.Join(",\n", records) + "\n]}",
            _ => records[0],
        };

    /// <summary>Records one a line.</summary>
    public static Gen<string> JsonLines(Gen<string> record) => record.Array[1, 6].Select(records => string.Join('\n', records) + "\n");

    /// <summary>Byte-level damage to a whole file, applied in order; the description says what was done.</summary>
    public static readonly Gen<Damage[]> FileDamage = Gen.Frequency(
        (3, Gen.Const(Array.Empty<Damage>())),
        (6, Gen.OneOf(
            Gen.Double[0, 1].Select(at => new Damage($"truncated at {at:P0}", bytes => bytes[..(int)(bytes.Length * at)])),
            Gen.Double[0, 1].Select(at => new Damage($"invalid UTF-8 at {at:P0}", bytes => Insert(bytes, at, [0xC3, 0x28, 0xFF, 0xFE, 0xED, 0xA0, 0x80]))),
            Gen.Double[0, 1].Select(at => new Damage($"NUL bytes at {at:P0}", bytes => Insert(bytes, at, [0, 0, 0]))),
            Gen.Const(new Damage("UTF-8 BOM", bytes => [0xEF, 0xBB, 0xBF, .. bytes])),
            Gen.Const(new Damage("UTF-16 LE BOM and text", bytes => [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(Encoding.UTF8.GetString(bytes))])),
            Gen.Const(new Damage("CRLF line ends", bytes => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes).Replace("\n", "\r\n", StringComparison.Ordinal)))),
            Gen.Const(new Damage("CR line ends", bytes => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes).Replace("\n", "\r", StringComparison.Ordinal)))),
            Gen.Const(new Damage("file doubled", bytes => [.. bytes, .. bytes])),
            Gen.Double[0, 1].SelectMany(from => Gen.Double[0, 1].Select(to => new Damage($"bytes {from:P0}..{to:P0} removed", bytes => Remove(bytes, from, to))))).Array[1, 3]));

    /// <summary>Applies <paramref name="damage"/> to <paramref name="text"/>'s UTF-8 bytes.</summary>
    public static byte[] Apply(string text, IEnumerable<Damage> damage) =>
        damage.Aggregate(Encoding.UTF8.GetBytes(text), (bytes, d) => d.Apply(bytes));

    public static string Quote(string text)
    {
        var json = new StringBuilder("\"");
        foreach (char c in text)
        {
            _ = c switch
            {
                '"' => json.Append("\\\""),
                '\\' => json.Append("\\\\"),
                '\n' => json.Append("\\n"),
                '\r' => json.Append("\\r"),
                '\t' => json.Append("\\t"),
                // Lone surrogates and control characters are written as escapes, as a JSON writer would.
                _ when c < ' ' || char.IsSurrogate(c) => json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => json.Append(c),
            };
        }

        return json.Append('"').ToString();
    }

    private static string Nested(int depth) => new string('[', depth) + "1" + new string(']', depth);

    private static string DeepDocument(int depth)
    {
        var text = new StringBuilder();
        for (int i = 0; i < depth; i++)
        {
            text.Append("{\"type\":\"paragraph\",\"content\":[");
        }

        text.Append("{\"type\":\"text\",\"text\":\"deep\"}");
        for (int i = 0; i < depth; i++)
        {
            text.Append("]}");
        }

        return text.ToString();
    }

    private static byte[] Insert(byte[] bytes, double at, byte[] inserted)
    {
        int position = (int)(bytes.Length * at);
        return [.. bytes[..position], .. inserted, .. bytes[position..]];
    }

    private static byte[] Remove(byte[] bytes, double from, double to)
    {
        int start = (int)(bytes.Length * Math.Min(from, to));
        int end = (int)(bytes.Length * Math.Max(from, to));
        return [.. bytes[..start], .. bytes[end..]];
    }
}

/// <summary>One kind of damage done to a file's bytes.</summary>
internal sealed record Damage(string What, Func<byte[], byte[]> Apply)
{
    public override string ToString() => What;
}
