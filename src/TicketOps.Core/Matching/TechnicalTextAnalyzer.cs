using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Util;

namespace TicketOps.Core.Matching;

/// <summary>
/// The analyzer of ticket and knowledge text. Technical tickets hinge on identifiers, so every token is
/// kept whole <em>and</em> split into its parts: <c>0x80070005</c>, <c>ERR_SSL_PROTOCOL_ERROR</c> (and
/// <c>ssl</c>, <c>protocol</c>), <c>v2.3.1</c>, <c>org.apache.hadoop.fs.FileSystem</c> (and
/// <c>filesystem</c>, <c>hadoop</c>), <c>NullPointerException</c> (and <c>pointer</c>, <c>exception</c>),
/// <c>web.config</c>, <c>max_connections</c>. Then lower-casing, English stop words, and (optionally)
/// Porter stemming of the parts.
/// </summary>
/// <remarks>
/// The tokenizer breaks on whitespace and on punctuation that never occurs inside an identifier
/// (brackets, quotes, commas, semicolons, ...), so dots, underscores, dashes, slashes and colons stay inside
/// a token; trailing sentence punctuation is trimmed. A word delimiter filter then emits the parts
/// (case changes, letter/digit changes, delimiters) beside the preserved original.
/// </remarks>
public sealed class TechnicalTextAnalyzer : Analyzer
{
    internal const LuceneVersion Version = LuceneVersion.LUCENE_48;

    private const WordDelimiterFlags SplitFlags =
        WordDelimiterFlags.GENERATE_WORD_PARTS
        | WordDelimiterFlags.GENERATE_NUMBER_PARTS
        | WordDelimiterFlags.SPLIT_ON_CASE_CHANGE
        | WordDelimiterFlags.SPLIT_ON_NUMERICS
        | WordDelimiterFlags.PRESERVE_ORIGINAL
        | WordDelimiterFlags.STEM_ENGLISH_POSSESSIVE;

    private readonly bool _stem;

    /// <summary>Creates the analyzer.</summary>
    /// <param name="stem">Whether to Porter-stem tokens (identifiers pass through unchanged in practice).</param>
    public TechnicalTextAnalyzer(bool stem = true)
    {
        _stem = stem;
    }

    /// <inheritdoc />
    protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
    {
        var source = new IdentifierTokenizer(reader);
        TokenStream stream = new EdgePunctuationTrimFilter(source);
        stream = new WordDelimiterFilter(Version, stream, SplitFlags, null);
        // Single characters (the "0" and "x" of 0x80070005, the "1" of v2.3.1, "TLS 1.0") match
        // everywhere and only add noise; the whole identifier is still indexed.
        stream = new LengthFilter(Version, stream, 2, int.MaxValue);
        stream = new LowerCaseFilter(Version, stream);
        stream = new StopFilter(Version, stream, EnglishAnalyzer.DefaultStopSet);
        if (_stem)
        {
            stream = new PorterStemFilter(stream);
        }

        return new TokenStreamComponents(source, stream);
    }

    /// <summary>Analyzes <paramref name="text"/> and returns its terms in order (with repeats).</summary>
    public IReadOnlyList<string> Terms(string text, string fieldName = "text") =>
        [.. Tokens(text, fieldName).Select(token => token.Term)];

    /// <summary>Analyzes <paramref name="text"/> and returns its terms in order with where each stands in it.</summary>
    public IReadOnlyList<AnalyzedToken> Tokens(string text, string fieldName = "text")
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<AnalyzedToken>();
        using TokenStream stream = GetTokenStream(fieldName, text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        var offset = stream.AddAttribute<IOffsetAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            tokens.Add(new AnalyzedToken(term.ToString(), offset.StartOffset, offset.EndOffset));
        }

        stream.End();
        return tokens;
    }

    /// <summary>Breaks on whitespace and on punctuation that never belongs to an identifier.</summary>
    private sealed class IdentifierTokenizer(TextReader reader) : CharTokenizer(Version, reader)
    {
        protected override bool IsTokenChar(int c) =>
            char.IsLetterOrDigit((char)c) || c is '.' or '_' or '-' or '/' or '\\' or ':' or '@' or '#' or '+' or '$' or '%' or '=' or '~' or '&' or '\'' || c > 0xFFFF;
    }

    /// <summary>Trims sentence punctuation around a token (<c>FileSystem.</c>, <c>error:</c>, <c>'foo'</c>).</summary>
    private sealed class EdgePunctuationTrimFilter : TokenFilter
    {
        private readonly ICharTermAttribute _term;
        private readonly IOffsetAttribute _offset;

        public EdgePunctuationTrimFilter(TokenStream input)
            : base(input)
        {
            _term = AddAttribute<ICharTermAttribute>();
            _offset = AddAttribute<IOffsetAttribute>();
        }

        public override bool IncrementToken()
        {
            while (m_input.IncrementToken())
            {
                char[] buffer = _term.Buffer;
                int length = _term.Length;
                int start = 0;
                while (start < length && IsEdgePunctuation(buffer[start]))
                {
                    start++;
                }

                int end = length;
                while (end > start && IsEdgePunctuation(buffer[end - 1]))
                {
                    end--;
                }

                if (end == start)
                {
                    continue;
                }

                if (start > 0 || end < length)
                {
                    int startOffset = _offset.StartOffset;
                    Array.Copy(buffer, start, buffer, 0, end - start);
                    _term.Length = end - start;
                    _offset.SetOffset(startOffset + start, startOffset + end);
                }

                return true;
            }

            return false;
        }

        private static bool IsEdgePunctuation(char c) => c is '.' or ':' or '-' or '/' or '\\' or '\'' or '=' or '~' or '&' or '@' or '+';
    }
}

/// <summary>An analysed term and the characters of the text it came from.</summary>
/// <param name="Term">The term as indexed (lower-cased, stemmed when the analyzer stems).</param>
/// <param name="Start">Offset of its first character in the text.</param>
/// <param name="End">Offset just past its last character.</param>
public readonly record struct AnalyzedToken(string Term, int Start, int End);
