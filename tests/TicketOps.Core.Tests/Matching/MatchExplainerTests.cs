using TicketOps.Core.Matching;

namespace TicketOps.Core.Tests.Matching;

public sealed class MatchExplainerTests : IDisposable
{
    private readonly TechnicalTextAnalyzer _analyzer = new();

    private List<string> Snippets(string text, string searchedText, int count = 3)
    {
        var searched = _analyzer.Terms(searchedText).ToHashSet(StringComparer.Ordinal);
        return [.. MatchExplainer.Snippets(text, _analyzer.Tokens(text), searched, count)];
    }

    [Fact]
    public void Snippet_marks_a_whole_identifier_once_even_though_its_parts_are_terms_too()
    {
        List<string> snippets = Snippets("Setup fails with ERR_SSL_PROTOCOL_ERROR on the proxy.", "ERR_SSL_PROTOCOL_ERROR protocol");

        string snippet = Assert.Single(snippets);
        Assert.Equal("Setup fails with **ERR_SSL_PROTOCOL_ERROR** on the proxy.", snippet);
    }

    [Fact]
    public void Snippet_is_a_window_of_whole_words_around_a_late_match_in_a_long_text()
    {
        string filler = string.Join(' ', Enumerable.Range(0, 60).Select(i => $"word{i}"));
        string text = $"{filler} the installer reported 0x80070005 while copying files {filler}";

        string snippet = Assert.Single(Snippets(text, "0x80070005"));

        Assert.Contains("**0x80070005**", snippet, StringComparison.Ordinal);
        Assert.InRange(snippet.Length, 40, 130);
        string[] words = snippet.Replace("**", "", StringComparison.Ordinal).Split(' ');
        Assert.All(words, w => Assert.True(text.Contains($" {w} ", StringComparison.Ordinal) || text.StartsWith(w, StringComparison.Ordinal) || text.EndsWith(w, StringComparison.Ordinal), $"'{w}' is not a whole word of the text"));
    }

    [Fact]
    public void Snippets_prefer_the_window_with_more_distinct_terms_and_do_not_overlap()
    {
        string filler = string.Join(' ', Enumerable.Range(0, 40).Select(i => $"word{i}"));
        string text = $"The quota warning appeared. {filler} Mailbox quota exceeded and the archive policy stopped. {filler} Archive again.";

        List<string> snippets = Snippets(text, "mailbox quota archive", count: 2);

        Assert.Equal(2, snippets.Count);
        Assert.Contains("**Mailbox** **quota**", snippets[0], StringComparison.Ordinal);
        Assert.Contains("**archive**", snippets[0], StringComparison.Ordinal);
        Assert.DoesNotContain("**Mailbox**", snippets[1], StringComparison.Ordinal);
    }

    [Fact]
    public void No_snippet_from_text_without_a_searched_term()
    {
        Assert.Empty(Snippets("Invoice shows the wrong VAT rate.", "proxy certificate"));
    }

    public void Dispose() => _analyzer.Dispose();
}
