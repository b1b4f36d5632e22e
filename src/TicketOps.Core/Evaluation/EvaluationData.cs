using System.Text.Json;

namespace TicketOps.Core.Evaluation;

/// <summary>
/// Reads the JSON-lines files of an evaluation data set (corpus, queries, qrels, groups), shared by the
/// matching and the clustering evaluation. Every problem is an <see cref="EvaluationDataException"/> naming
/// the file, line and field.
/// </summary>
internal static class EvaluationData
{
    public static IEnumerable<(JsonElement Element, int Line)> ReadLines(string path)
    {
        if (!File.Exists(path))
        {
            throw new EvaluationDataException($"{path}: file not found; see ../shared/data/README.md for the data set format.");
        }

        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            JsonElement element;
            try
            {
                using var document = JsonDocument.Parse(line);
                element = document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new EvaluationDataException($"{path}:{lineNumber}: not a JSON object ({e.Message}); fix or remove the line.", e);
            }

            if (element.ValueKind != JsonValueKind.Object)
            {
                throw new EvaluationDataException($"{path}:{lineNumber}: expected one JSON object a line.");
            }

            yield return (element, lineNumber);
        }
    }

    public static string RequiredString(JsonElement element, string name, string path, int line) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number
            ? value.ToString()
            : throw new EvaluationDataException($"{path}:{line}: field '{name}' is missing or not a string.");

    public static string OptionalString(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : "";

    public static string[] RequiredStrings(JsonElement element, string name, string path, int line) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Select(v => v.ToString())]
            : throw new EvaluationDataException($"{path}:{line}: field '{name}' is missing or not an array of ids.");
}
