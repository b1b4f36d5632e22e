using TicketOps.Core.Knowledge;

namespace TicketOps.Core.Tests.Knowledge;

public sealed class KnowledgeMarkdownTests
{
    [Fact]
    public void Playbook_round_trips_through_markdown_exactly()
    {
        KnowledgeArticle original = KnowledgeArticles.Playbook(sourceCases: ["CL-000101", "CL-000102"]);

        string markdown = KnowledgeMarkdown.Write(original);
        KnowledgeParseResult parsed = KnowledgeMarkdown.Parse(markdown, "playbooks/PB-0001.md");

        Assert.Empty(parsed.Errors);
        KnowledgeArticle article = parsed.Article!;
        Assert.Equal(markdown, KnowledgeMarkdown.Write(article));
        Assert.Equal(original.Id, article.Id);
        Assert.Equal(original.Title, article.Title);
        Assert.Equal(original.State, article.State);
        Assert.Equal(original.Owner, article.Owner);
        Assert.Equal(original.ProductAreas, article.ProductAreas);
        Assert.Equal(original.SourceCaseIds, article.SourceCaseIds);
        Assert.Equal(original.Created, article.Created);
        Assert.Equal(original.Reviewed, article.Reviewed);
        Assert.Equal(original.Version, article.Version);
        Assert.Equal(original.TemplateId, article.TemplateId);
        Assert.Equal(original.Sections, article.Sections);
        Assert.Equal(KnowledgeMarkdown.Hash(original), article.ContentHash);
    }

    [Fact]
    public void Template_round_trips_and_values_that_need_quotes_are_quoted()
    {
        KnowledgeArticle original = KnowledgeArticles.Template(owner: "Team: SSO, EMEA");
        original.ProductAreas = ["SSO/Auth", "Data export", "a, b [c]"];

        string markdown = KnowledgeMarkdown.Write(original);
        KnowledgeArticle article = KnowledgeMarkdown.Parse(markdown, "t.md").Article!;

        Assert.Equal("Team: SSO, EMEA", article.Owner);
        Assert.Equal(original.ProductAreas, article.ProductAreas);
        Assert.Null(article.Reviewed);
        Assert.Equal(markdown, KnowledgeMarkdown.Write(article));
    }

    [Theory]
    [InlineData("Webhook fails for the C# SDK")]
    [InlineData("Retry #3 fails")]
    [InlineData("Ends with C#")]
    public void Title_with_a_hash_sign_round_trips(string title)
    {
        KnowledgeArticle original = KnowledgeArticles.Playbook();
        original.Title = title;

        KnowledgeArticle article = KnowledgeMarkdown.Parse(KnowledgeMarkdown.Write(original), "p.md").Article!;

        Assert.Equal(title, article.Title);
    }

    [Fact]
    public void Hand_written_block_lists_and_closing_hashes_are_accepted()
    {
        string markdown = KnowledgeMarkdown.Write(KnowledgeArticles.Playbook())
            .Replace("product_areas: [SSO/Auth]", "product_areas:\n  - SSO/Auth\n  - Login")
            .Replace("## Cause\n", "## Cause ##\n");

        KnowledgeParseResult parsed = KnowledgeMarkdown.Parse(markdown, "p.md");

        Assert.Empty(parsed.Errors);
        Assert.Equal(["SSO/Auth", "Login"], parsed.Article!.ProductAreas);
        Assert.Equal("The IdP server clock drifted ahead of UTC.", parsed.Article.Section("Cause"));
    }

    [Fact]
    public void Windows_line_endings_parse_to_the_same_article()
    {
        string markdown = KnowledgeMarkdown.Write(KnowledgeArticles.Playbook());

        KnowledgeArticle article = KnowledgeMarkdown.Parse(markdown.Replace("\n", "\r\n"), "p.md").Article!;

        Assert.Equal(markdown, KnowledgeMarkdown.Write(article));
    }

    [Theory]
    [InlineData("state: validated", "state: published", 4, "unknown state 'published'")]
    [InlineData("id: PB-0001", "id: KB-1", 2, "id 'KB-1' must look like PB-0001")]
    [InlineData("id: PB-0001\n", "", 1, "missing front matter key 'id'")]
    [InlineData("owner: sso-team", "owner: sso: team", 5, "bad YAML")]
    [InlineData("owner: sso-team", "owner: [unclosed", 12, "a '[', '{' or quote is not closed")]
    [InlineData("version: 2", "version: two", 10, "'version' must be a whole number")]
    [InlineData("created: 2026-01-10", "created: 10/01/2026", 8, "'created' must be a date")]
    [InlineData("version: 2", "version: 2\ncolour: blue", 11, "unknown front matter key 'colour'")]
    [InlineData("## Cause", "## Root cause", 27, "unknown section '## Root cause'")]
    [InlineData("## Environment", "## Issue", 23, "section '## Issue' appears twice")]
    [InlineData("type: playbook", "type: template", 2, "does not fit type 'template'")]
    public void Malformed_file_is_reported_with_its_line_and_problem(string find, string replace, int line, string problem)
    {
        string markdown = KnowledgeMarkdown.Write(KnowledgeArticles.Playbook()).Replace(find, replace);

        KnowledgeParseResult parsed = KnowledgeMarkdown.Parse(markdown, "playbooks/broken.md");

        Assert.Null(parsed.Article);
        KnowledgeFileError error = Assert.Single(parsed.Errors, e => e.Problem.Contains(problem, StringComparison.Ordinal));
        Assert.Equal(line, error.Line);
        Assert.Equal("playbooks/broken.md", error.Path);
    }

    [Fact]
    public void File_without_front_matter_is_reported_at_line_one()
    {
        KnowledgeParseResult parsed = KnowledgeMarkdown.Parse("# Just a title\n\n## Issue\n\nx\n", "p.md");

        KnowledgeFileError error = Assert.Single(parsed.Errors);
        Assert.Equal(1, error.Line);
        Assert.Contains("front matter", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Heading_inside_a_code_block_is_part_of_the_section()
    {
        KnowledgeArticle article = KnowledgeMarkdown.Parse(KnowledgeMarkdown.Write(KnowledgeArticles.Playbook()), "p.md").Article!;

        Assert.Contains("## not a heading, inside code", article.Section("Resolution"), StringComparison.Ordinal);
    }
}
