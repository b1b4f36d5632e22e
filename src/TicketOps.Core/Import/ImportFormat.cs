using System.Text;
using System.Text.Json;

namespace TicketOps.Core.Import;

/// <summary>The file formats <c>ticketops import</c> reads.</summary>
public enum ImportFormat
{
    /// <summary>Comma (or semicolon/tab) separated values with a header row, mapped by column name.</summary>
    Csv,

    /// <summary>A JSON array of records, or an object holding one array of records, mapped by property path.</summary>
    Json,

    /// <summary>One JSON record a line (also TicketOps' own interchange format).</summary>
    Jsonl,

    /// <summary>Zendesk tickets as its API/export gives them (with comments and metric sets).</summary>
    Zendesk,

    /// <summary>Jira issues as its REST API gives them (search results or single issues).</summary>
    Jira,
}

/// <summary>Tells the format of an export file from its name and its first bytes.</summary>
public static class ImportFormatDetector
{
    /// <summary>Detects the format; null when the file is neither CSV nor JSON.</summary>
    public static ImportFormat? Detect(string path)
    {
        string extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is ".csv" or ".tsv")
        {
            return ImportFormat.Csv;
        }

        string head = ReadHead(path, 64 * 1024);
        string trimmed = head.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        if (trimmed.Length == 0 || trimmed[0] is not ('{' or '['))
        {
            return extension is ".json" or ".jsonl" or ".ndjson" ? ImportFormat.Json : null;
        }

        bool looksLikeJira = head.Contains("\"fields\"", StringComparison.Ordinal) && head.Contains("\"summary\"", StringComparison.Ordinal);
        bool looksLikeZendesk = head.Contains("\"subject\"", StringComparison.Ordinal)
            && (head.Contains("\"requester_id\"", StringComparison.Ordinal) || head.Contains("\"via\"", StringComparison.Ordinal) || head.Contains("\"tickets\"", StringComparison.Ordinal));
        if (looksLikeJira)
        {
            return ImportFormat.Jira;
        }

        if (looksLikeZendesk)
        {
            return ImportFormat.Zendesk;
        }

        if (extension is ".jsonl" or ".ndjson")
        {
            return ImportFormat.Jsonl;
        }

        // A first line that is a whole object means one record a line.
        string firstLine = trimmed.Split('\n', 2)[0].Trim();
        return firstLine.StartsWith('{') && IsCompleteJson(firstLine) ? ImportFormat.Jsonl : ImportFormat.Json;
    }

    private static bool IsCompleteJson(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string ReadHead(string path, int bytes)
    {
        using FileStream stream = File.OpenRead(path);
        byte[] buffer = new byte[bytes];
        int read = stream.ReadAtLeast(buffer, bytes, throwOnEndOfStream: false);
        return Encoding.UTF8.GetString(buffer, 0, read);
    }
}
