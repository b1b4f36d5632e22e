using TicketOps.Core.Matching;

namespace TicketOps.Core.Tests.Matching;

public sealed class TechnicalTextAnalyzerTests : IDisposable
{
    private readonly TechnicalTextAnalyzer _analyzer = new(stem: false);

    [Theory]
    [InlineData("Setup failed with 0x80070005.", "0x80070005", new[] { "80070005", "setup" })]
    [InlineData("Chrome says ERR_SSL_PROTOCOL_ERROR", "err_ssl_protocol_error", new[] { "ssl", "protocol", "error" })]
    [InlineData("after upgrading to v2.3.1, the sync stops", "v2.3.1", new[] { "upgrading", "sync" })]
    [InlineData("at org.apache.hadoop.fs.FileSystem.get(FileSystem.java:42)", "org.apache.hadoop.fs.filesystem.get", new[] { "apache", "hadoop", "fs", "file", "system", "java" })]
    [InlineData("java.lang.NullPointerException: null", "java.lang.nullpointerexception", new[] { "null", "pointer", "exception" })]
    [InlineData("Set max_connections in postgresql.conf", "max_connections", new[] { "max", "connections", "postgresql.conf", "postgresql", "conf" })]
    public void Analyzer_keeps_identifiers_whole_and_split(string text, string whole, string[] parts)
    {
        IReadOnlyList<string> terms = _analyzer.Terms(text);

        Assert.Contains(whole, terms);
        foreach (string part in parts)
        {
            Assert.Contains(part, terms);
        }
    }

    [Fact]
    public void Analyzer_trims_sentence_punctuation_and_drops_stop_words()
    {
        IReadOnlyList<string> terms = _analyzer.Terms("The error was: \"NullPointerException\".");

        Assert.Contains("nullpointerexception", terms);
        Assert.Contains("error", terms);
        Assert.DoesNotContain("the", terms);
        Assert.DoesNotContain("error:", terms);
    }

    public void Dispose() => _analyzer.Dispose();
}
