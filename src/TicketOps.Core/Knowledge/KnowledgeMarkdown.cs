using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Syntax;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace TicketOps.Core.Knowledge;

/// <summary>
/// Writes a <see cref="KnowledgeArticle"/> as Markdown (YAML front matter, a <c># Title</c>, then the
/// fixed <c>## Section</c>s) and parses it back. <c>Parse(Write(a))</c> equals <c>a</c> and
/// <c>Write(Parse(text))</c> equals a text the writer produced, byte for byte.
/// </summary>
public static partial class KnowledgeMarkdown
{
    private const string DateFormat = "yyyy-MM-dd";

    private static readonly MarkdownPipeline s_pipeline = new MarkdownPipelineBuilder().UseYamlFrontMatter().Build();

    private static readonly string[] s_knownKeys =
        ["id", "type", "state", "owner", "product_areas", "source_cases", "created", "reviewed", "version", "template", "superseded_by"];

    /// <summary>The article as Markdown, with <c>\n</c> line endings and a final newline.</summary>
    /// <param name="article">The article to write; its sections must not contain level-1 or level-2 headings.</param>
    public static string Write(KnowledgeArticle article)
    {
        ArgumentNullException.ThrowIfNull(article);
        var text = new StringBuilder();
        text.Append("---\n");
        text.Append("id: ").Append(Scalar(article.Id)).Append('\n');
        text.Append("type: ").Append(TypeName(article.Type)).Append('\n');
        text.Append("state: ").Append(StateName(article.State)).Append('\n');
        text.Append("owner: ").Append(Scalar(article.Owner)).Append('\n');
        text.Append("product_areas: ").Append(List(article.ProductAreas)).Append('\n');
        text.Append("source_cases: ").Append(List(article.SourceCaseIds)).Append('\n');
        text.Append("created: ").Append(article.Created.ToString(DateFormat, CultureInfo.InvariantCulture)).Append('\n');
        if (article.Reviewed is { } reviewed)
        {
            text.Append("reviewed: ").Append(reviewed.ToString(DateFormat, CultureInfo.InvariantCulture)).Append('\n');
        }

        text.Append("version: ").Append(article.Version.ToString(CultureInfo.InvariantCulture)).Append('\n');
        if (article.TemplateId is not null)
        {
            text.Append("template: ").Append(Scalar(article.TemplateId)).Append('\n');
        }

        if (article.SupersededBy is not null)
        {
            text.Append("superseded_by: ").Append(Scalar(article.SupersededBy)).Append('\n');
        }

        text.Append("---\n\n# ").Append(article.Title.Trim()).Append('\n');
        foreach (string heading in KnowledgeSections.For(article.Type))
        {
            text.Append("\n## ").Append(heading).Append('\n');
            string body = (article.Section(heading) ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Trim('\n').TrimEnd();
            if (body.Length > 0)
            {
                text.Append('\n').Append(body).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>SHA-256 (lower-case hex) of the article's canonical Markdown.</summary>
    /// <param name="article">The article.</param>
    public static string Hash(KnowledgeArticle article) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Write(article))));

    /// <summary>
    /// Parses and validates a knowledge file. Every problem found is reported with its line (1-based);
    /// the article is returned only when there is none.
    /// </summary>
    /// <param name="text">The file's content.</param>
    /// <param name="path">The file's path, used in the reported problems.</param>
    public static KnowledgeParseResult Parse(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(path);
        var errors = new List<KnowledgeFileError>();
        string[] lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');

        int closing = FindFrontMatterEnd(lines);
        if (closing < 0)
        {
            errors.Add(new(path, 1, "missing YAML front matter: the file must start with a '---' line and the front matter must end with another '---' line"));
            return new KnowledgeParseResult(null, errors);
        }

        var fields = ReadFrontMatter(lines, closing, path, errors);
        if (fields is null)
        {
            return new KnowledgeParseResult(null, errors);
        }

        var article = new KnowledgeArticle { Id = "", Title = "", Owner = "" };
        ApplyFrontMatter(fields, article, path, errors);
        ReadBody(lines, closing, article, path, errors);

        if (errors.Count > 0)
        {
            return new KnowledgeParseResult(null, errors);
        }

        article.ContentHash = Hash(article);
        return new KnowledgeParseResult(article, errors);
    }

    private const int MaxNesting = 200;

    /// <summary>How deeply a line nests: quote markers and indentation before its text.</summary>
    private static int NestingOf(string line) => line.TakeWhile(c => c is '>' or ' ' or '\t' or '-' or '*').Count();

    /// <summary>The type as written in front matter: <c>playbook</c> or <c>template</c>.</summary>
    public static string TypeName(KnowledgeType type) => type == KnowledgeType.Playbook ? "playbook" : "template";

    /// <summary>The state as written in front matter: <c>draft</c>, <c>not_validated</c>, <c>validated</c> or <c>archived</c>.</summary>
    public static string StateName(KnowledgeState state) => state switch
    {
        KnowledgeState.Draft => "draft",
        KnowledgeState.NotValidated => "not_validated",
        KnowledgeState.Validated => "validated",
        _ => "archived",
    };

    private static int FindFrontMatterEnd(string[] lines)
    {
        if (lines.Length == 0 || lines[0].TrimEnd() != "---")
        {
            return -1;
        }

        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].TrimEnd() is "---" or "...")
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Front matter keys with their value node and 1-based file line.</summary>
    private static Dictionary<string, (YamlNode Value, int Line)>? ReadFrontMatter(
        string[] lines, int closing, string path, List<KnowledgeFileError> errors)
    {
        string yaml = string.Join('\n', lines, 1, closing - 1);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            // The YAML starts on file line 2.
            errors.Add(new(path, (int)ex.Start.Line + 1, "bad YAML in the front matter: " + ex.Message));
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet 18 throws this, without a position, when a bracket or quote is still open at the
            // end of the front matter.
            errors.Add(new(path, closing + 1, "bad YAML in the front matter: a '[', '{' or quote is not closed before the closing '---'"));
            return null;
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            errors.Add(new(path, 2, "the front matter must be a YAML mapping of 'key: value' lines"));
            return null;
        }

        var fields = new Dictionary<string, (YamlNode, int)>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in root.Children)
        {
            int line = (int)keyNode.Start.Line + 1;
            string key = keyNode is YamlScalarNode { Value: { } k } ? k : "";
            if (Array.IndexOf(s_knownKeys, key) < 0)
            {
                errors.Add(new(path, line, $"unknown front matter key '{key}'; known keys are {string.Join(", ", s_knownKeys)}"));
                continue;
            }

            fields[key] = (valueNode, line);
        }

        return fields;
    }

    private static void ApplyFrontMatter(
        Dictionary<string, (YamlNode Value, int Line)> fields, KnowledgeArticle article, string path, List<KnowledgeFileError> errors)
    {
        string? Text(string key, bool required)
        {
            if (!fields.TryGetValue(key, out var field))
            {
                if (required)
                {
                    errors.Add(new(path, 1, $"missing front matter key '{key}'"));
                }

                return null;
            }

            if (field.Value is not YamlScalarNode scalar || string.IsNullOrWhiteSpace(scalar.Value))
            {
                if (required)
                {
                    errors.Add(new(path, field.Line, $"'{key}' must be a non-empty value"));
                }

                return null;
            }

            return scalar.Value.Trim();
        }

        List<string> Strings(string key)
        {
            if (!fields.TryGetValue(key, out var field))
            {
                return [];
            }

            if (field.Value is YamlScalarNode { Value: null or "" })
            {
                return [];
            }

            if (field.Value is not YamlSequenceNode sequence)
            {
                errors.Add(new(path, field.Line, $"'{key}' must be a list, e.g. [a, b]"));
                return [];
            }

            var values = new List<string>();
            foreach (YamlNode item in sequence)
            {
                if (item is YamlScalarNode { Value: { } value } && value.Trim().Length > 0)
                {
                    values.Add(value.Trim());
                }
                else
                {
                    errors.Add(new(path, (int)item.Start.Line + 1, $"'{key}' items must be non-empty text"));
                }
            }

            return values;
        }

        DateOnly? Date(string key, bool required)
        {
            string? value = Text(key, required);
            if (value is null)
            {
                return null;
            }

            if (DateOnly.TryParseExact(value, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly date))
            {
                return date;
            }

            errors.Add(new(path, fields[key].Line, $"'{key}' must be a date written yyyy-MM-dd, not '{value}'"));
            return null;
        }

        string? type = Text("type", required: true);
        switch (type)
        {
            case "playbook":
                article.Type = KnowledgeType.Playbook;
                break;
            case "template":
                article.Type = KnowledgeType.Template;
                break;
            case null:
                break;
            default:
                errors.Add(new(path, fields["type"].Line, $"unknown type '{type}'; use playbook or template"));
                break;
        }

        string? id = Text("id", required: true);
        if (id is not null)
        {
            article.Id = id;
            if (!IdPattern().IsMatch(id))
            {
                errors.Add(new(path, fields["id"].Line, $"id '{id}' must look like PB-0001 (playbook) or IT-0001 (template)"));
            }
            else if (type is "playbook" or "template" && !id.StartsWith(article.Type == KnowledgeType.Playbook ? "PB-" : "IT-", StringComparison.Ordinal))
            {
                errors.Add(new(path, fields["id"].Line, $"id '{id}' does not fit type '{type}': playbooks are PB-nnnn, templates IT-nnnn"));
            }
        }

        string? state = Text("state", required: true);
        switch (state)
        {
            case "draft":
                article.State = KnowledgeState.Draft;
                break;
            case "not_validated":
                article.State = KnowledgeState.NotValidated;
                break;
            case "validated":
                article.State = KnowledgeState.Validated;
                break;
            case "archived":
                article.State = KnowledgeState.Archived;
                break;
            case null:
                break;
            default:
                errors.Add(new(path, fields["state"].Line, $"unknown state '{state}'; use draft, not_validated, validated or archived"));
                break;
        }

        article.Owner = Text("owner", required: true) ?? "";
        article.ProductAreas = Strings("product_areas");
        article.SourceCaseIds = Strings("source_cases");
        article.Created = Date("created", required: true) ?? default;
        article.Reviewed = Date("reviewed", required: false);

        string? version = Text("version", required: true);
        if (version is not null)
        {
            if (int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out int number) && number >= 1)
            {
                article.Version = number;
            }
            else
            {
                errors.Add(new(path, fields["version"].Line, $"'version' must be a whole number from 1, not '{version}'"));
            }
        }

        string? template = Text("template", required: false);
        if (template is not null)
        {
            if (article.Type != KnowledgeType.Playbook)
            {
                errors.Add(new(path, fields["template"].Line, "'template' is only allowed on playbooks"));
            }
            else if (!template.StartsWith("IT-", StringComparison.Ordinal) || !IdPattern().IsMatch(template))
            {
                errors.Add(new(path, fields["template"].Line, $"'template' must be a template id like IT-0001, not '{template}'"));
            }

            article.TemplateId = template;
        }

        string? supersededBy = Text("superseded_by", required: false);
        if (supersededBy is not null)
        {
            if (!IdPattern().IsMatch(supersededBy))
            {
                errors.Add(new(path, fields["superseded_by"].Line, $"'superseded_by' must be an article id, not '{supersededBy}'"));
            }

            article.SupersededBy = supersededBy;
        }
    }

    private static void ReadBody(string[] lines, int closing, KnowledgeArticle article, string path, List<KnowledgeFileError> errors)
    {
        // Markdig's time grows with the square of list nesting (3,000 levels take minutes), so nesting no
        // article needs is refused before it parses; its own depth limit stays as the backstop.
        int tooDeep = Array.FindIndex(lines, closing + 1, l => NestingOf(l) > MaxNesting);
        if (tooDeep >= 0)
        {
            errors.Add(new(path, tooDeep + 1, $"lists or quotes are nested too deeply to be an article (over {MaxNesting} columns of indentation or quote markers); flatten them"));
            return;
        }

        MarkdownDocument document;
        try
        {
            document = Markdown.Parse(string.Join('\n', lines), s_pipeline);
        }
        catch (ArgumentException)
        {
            // Markdig refuses lists or quotes nested past its depth limit rather than recurse without end.
            int deepest = Enumerable.Range(closing + 1, lines.Length - closing - 1).MaxBy(i => NestingOf(lines[i]));
            errors.Add(new(path, deepest + 1, "lists or quotes are nested too deeply to be an article (Markdown's depth limit); flatten them"));
            return;
        }

        // Markdig finds the structure (headings inside code blocks are not headings); the bodies are cut
        // from the source lines so that they round-trip exactly.
        var headings = new List<(int Level, int Line, string Text)>();
        foreach (Block block in document)
        {
            if (block is HeadingBlock { Level: <= 2 } heading)
            {
                string source = lines[heading.Line];
                if (!source.StartsWith('#'))
                {
                    errors.Add(new(path, heading.Line + 1, "write headings as '# Title' or '## Section', not underlined"));
                    continue;
                }

                headings.Add((heading.Level, heading.Line, HeadingText(source)));
            }
        }

        if (headings.Count == 0 || headings[0].Level != 1)
        {
            errors.Add(new(path, closing + 2, "missing the title: the first heading after the front matter must be '# Title'"));
            return;
        }

        article.Title = headings[0].Text;
        if (article.Title.Length == 0)
        {
            errors.Add(new(path, headings[0].Line + 1, "the title is empty"));
        }

        ReportStrayText(lines, closing + 1, headings[0].Line, path, errors);
        ReportStrayText(lines, headings[0].Line + 1, headings.Count > 1 ? headings[1].Line : lines.Length, path, errors);

        IReadOnlyList<string> expected = KnowledgeSections.For(article.Type);
        var bodies = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 1; i < headings.Count; i++)
        {
            var (level, line, heading) = headings[i];
            if (level == 1)
            {
                errors.Add(new(path, line + 1, $"a second title '# {heading}'; sections are '## Heading'"));
                continue;
            }

            if (!expected.Contains(heading))
            {
                string type = TypeName(article.Type);
                errors.Add(new(path, line + 1, $"unknown section '## {heading}' for a {type}; the sections are {string.Join(", ", expected.Select(h => "'## " + h + "'"))}"));
                continue;
            }

            if (bodies.ContainsKey(heading))
            {
                errors.Add(new(path, line + 1, $"section '## {heading}' appears twice"));
                continue;
            }

            int end = i + 1 < headings.Count ? headings[i + 1].Line : lines.Length;
            bodies[heading] = string.Join('\n', lines[(line + 1)..end]).Trim('\n').TrimEnd();
        }

        foreach (string heading in expected)
        {
            if (!bodies.ContainsKey(heading))
            {
                errors.Add(new(path, headings[0].Line + 1, $"missing section '## {heading}'"));
            }
        }

        article.Sections = [.. expected.Where(bodies.ContainsKey).Select(h => new KnowledgeSection(h, bodies[h]))];
    }

    /// <summary>
    /// The text of an ATX heading line. A closing run of '#' only counts when a space precedes it (CommonMark),
    /// so "Fix for C#" keeps its '#'.
    /// </summary>
    private static string HeadingText(string line) =>
        ClosingHashes().Replace(line.TrimStart('#'), "").Trim();

    private static void ReportStrayText(string[] lines, int from, int to, string path, List<KnowledgeFileError> errors)
    {
        for (int i = from; i < to && i < lines.Length; i++)
        {
            if (lines[i].Trim().Length > 0)
            {
                errors.Add(new(path, i + 1, "text outside a section: put it under one of the '## ' sections"));
                return;
            }
        }
    }

    private static string List(List<string> values) => "[" + string.Join(", ", values.Select(Scalar)) + "]";

    private static string Scalar(string value) =>
        PlainScalar().IsMatch(value) ? value : "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    [GeneratedRegex(@"(^|[ \t]+)#+[ \t]*$")]
    private static partial Regex ClosingHashes();

    [GeneratedRegex(@"^(PB|IT)-[0-9]{4,}$")]
    private static partial Regex IdPattern();

    // Text YAML reads back as the same string in block and flow context: no ':', ',', '#', brackets or
    // quotes, no leading or trailing space.
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9 ._/@+()-]*(?<! )$")]
    private static partial Regex PlainScalar();
}

/// <summary>A problem in a knowledge file: where it is and what is wrong.</summary>
/// <param name="Path">The file's path.</param>
/// <param name="Line">The 1-based line of the problem.</param>
/// <param name="Problem">What is wrong and how to fix it.</param>
public sealed record KnowledgeFileError(string Path, int Line, string Problem)
{
    /// <summary>The compiler-style form <c>path:line: problem</c>.</summary>
    public override string ToString() => $"{Path}:{Line}: {Problem}";
}

/// <summary>The outcome of parsing one knowledge file: the article, or the problems found.</summary>
/// <param name="Article">The parsed article; null when there are errors.</param>
/// <param name="Errors">The problems found, in file order per kind; empty when the file is valid.</param>
public sealed record KnowledgeParseResult(KnowledgeArticle? Article, IReadOnlyList<KnowledgeFileError> Errors)
{
    /// <summary>True when the file is valid.</summary>
    public bool IsValid => Article is not null;
}
