using System.Runtime.CompilerServices;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace TicketOps.Core.Matching;

/// <summary>A retrieved item and its retrieval score (higher is better; scales differ per method).</summary>
/// <param name="Id">The <see cref="MatchDocument.Id"/>.</param>
/// <param name="Score">The method's score.</param>
public readonly record struct ScoredId(string Id, float Score);

/// <summary>
/// Per-field weights of the BM25 query. Chosen on the officedocs dev set (docs/matching.md): the title is
/// short and precise, so a match there counts more than one in a long body or resolution.
/// </summary>
public sealed record LexicalFieldWeights
{
    /// <summary>The weights used unless told otherwise.</summary>
    public static LexicalFieldWeights Default { get; } = new();

    /// <summary>Weight of the title field.</summary>
    public float Title { get; init; } = 2.0f;

    /// <summary>Weight of the body (symptoms) field.</summary>
    public float Body { get; init; } = 1.0f;

    /// <summary>Weight of the resolution field.</summary>
    public float Resolution { get; init; } = 1.0f;
}

/// <summary>
/// The full-text side of matching: a Lucene index with BM25 over separate title, body and resolution
/// fields, analysed by <see cref="TechnicalTextAnalyzer"/>. Searches are scored by <see cref="Bm25Scorer"/>
/// over in-memory copies of each segment's postings (<see cref="SegmentPostings"/>), with Lucene's BM25 scores.
/// Writes are visible to the next search at once (near-real-time reader through a
/// <see cref="SearcherManager"/>). Thread-safe.
/// </summary>
public sealed class LexicalIndex : IDisposable
{
    internal const string IdField = "id";
    internal const string KindField = "kind";
    internal const string TitleField = "title";
    internal const string BodyField = "body";
    internal const string ResolutionField = "resolution";
    internal const string ProductField = "product";
    internal const string ComponentField = "component";
    internal const string VersionField = "version";
    internal const string CreatedField = "created";

    // The whole document as one binary doc value (see DocumentRecord): read without decompressing a stored-fields block.
    private const string RecordField = "record";

    /// <summary>
    /// Default of <see cref="MaxQueryTerms"/>: on the dev sets 32 terms kept hybrid MRR within noise of all terms
    /// (officedocs 0.933 → 0.932) while BM25 took 0.6× the time of all terms at 100k items (docs/matching.md).
    /// </summary>
    public const int DefaultMaxQueryTerms = 32;

    /// <summary>Segments tolerated before <see cref="MergeSmallSegments"/> merges the small ones.</summary>
    public const int MaxSegments = 4;

    // Rare words whose spelling was looked up, kept until there are this many.
    private const int MaxCachedSpellings = 50_000;

    // A bound on the terms of one search, identifiers included (a pasted log can name hundreds of them).
    private const int MaxSearchTerms = 1024 / 3;

    // The text fields BM25 scores, in the order of the field weights.
    private static readonly string[] s_textFields = [TitleField, BodyField, ResolutionField];

    private readonly LuceneDirectory _directory;
    private readonly IndexWriter _writer;
    private readonly SearcherManager _searchers;

    // Each segment's postings in memory, kept as long as the segment is (keyed by its core, as Lucene's field
    // cache is); Lazy so that two searches arriving together build a new segment's copy once.
    private readonly ConditionalWeakTable<object, Lazy<SegmentPostings>> _postings = new();

    // Rare terms and the common term each is a typo of (null: not a typo), as found by CommonSpelling. The
    // answer can only change when many items arrive, and a stale one only affects how a word is shown.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string?> _spellings = new(StringComparer.Ordinal);

    /// <summary>Opens or creates the index.</summary>
    /// <param name="path">Folder of the index, or null for an in-memory index (evaluation, tests).</param>
    /// <param name="weights">Field weights; <see cref="LexicalFieldWeights.Default"/> when null.</param>
    /// <param name="analyzer">Analyzer; a stemming <see cref="TechnicalTextAnalyzer"/> when null.</param>
    /// <param name="maxQueryTerms">How many of a ticket's terms a search keeps (<see cref="MaxQueryTerms"/>).</param>
    public LexicalIndex(string? path, LexicalFieldWeights? weights = null, TechnicalTextAnalyzer? analyzer = null, int maxQueryTerms = DefaultMaxQueryTerms)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxQueryTerms);
        MaxQueryTerms = maxQueryTerms;
        Analyzer = analyzer ?? new TechnicalTextAnalyzer();
        Weights = weights ?? LexicalFieldWeights.Default;
        _directory = path is null ? new RAMDirectory() : FSDirectory.Open(path);
        var config = new IndexWriterConfig(TechnicalTextAnalyzer.Version, Analyzer)
        {
            // BM25's length norms; searches are scored by Bm25Scorer, not by Lucene's searcher.
            Similarity = Bm25Scorer.Similarity,
            OpenMode = OpenMode.CREATE_OR_APPEND,
        };
        _writer = new IndexWriter(_directory, config);
        _searchers = new SearcherManager(_writer, true, null);
    }

    /// <summary>The analyzer of both documents and queries.</summary>
    public TechnicalTextAnalyzer Analyzer { get; }

    /// <summary>The BM25 field weights.</summary>
    public LexicalFieldWeights Weights { get; }

    /// <summary>
    /// How many of a ticket's terms a search keeps, by count × idf (identifiers are kept besides);
    /// see <see cref="QueryTerms"/>.
    /// </summary>
    public int MaxQueryTerms { get; }

    /// <summary>Segments the searcher reads; each is searched term by term.</summary>
    public int SegmentCount
    {
        get
        {
            IndexSearcher searcher = _searchers.Acquire();
            try
            {
                return searcher.IndexReader.Leaves.Count;
            }
            finally
            {
                _searchers.Release(searcher);
            }
        }
    }

    /// <summary>Number of live documents.</summary>
    public int Count
    {
        get
        {
            IndexSearcher searcher = _searchers.Acquire();
            try
            {
                return searcher.IndexReader.NumDocs;
            }
            finally
            {
                _searchers.Release(searcher);
            }
        }
    }

    /// <summary>Adds or replaces documents (by id) and makes them searchable at once.</summary>
    public void Upsert(IEnumerable<MatchDocument> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        foreach (MatchDocument document in documents)
        {
            _writer.UpdateDocument(new Term(IdField, document.Id), ToLucene(document));
        }

        Publish();
    }

    /// <summary>Removes documents by id (unknown ids are ignored); they disappear from the next search.</summary>
    public void Delete(IEnumerable<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        _writer.DeleteDocuments([.. ids.Select(id => new Term(IdField, id))]);
        Publish();
    }

    /// <summary>Removes every document.</summary>
    public void Clear()
    {
        _writer.DeleteAll();
        Publish();
    }

    /// <summary>Returns the stored document with this id, or null.</summary>
    public MatchDocument? Get(string id)
    {
        IndexSearcher searcher = _searchers.Acquire();
        try
        {
            TopDocs top = searcher.Search(new TermQuery(new Term(IdField, id)), 1);
            if (top.TotalHits == 0)
            {
                return null;
            }

            int doc = top.ScoreDocs[0].Doc;
            IList<AtomicReaderContext> leaves = searcher.IndexReader.Leaves;
            AtomicReaderContext leaf = leaves[ReaderUtil.SubIndex(doc, leaves)];
            var bytes = new Lucene.Net.Util.BytesRef();
            leaf.AtomicReader.GetBinaryDocValues(RecordField)?.Get(doc - leaf.DocBase, bytes);

            // Documents indexed before the record field existed keep their text in stored fields only.
            return bytes.Length > 0 ? DocumentRecord.Read(bytes) : FromStoredFields(searcher.Doc(doc));
        }
        finally
        {
            _searchers.Release(searcher);
        }
    }

    /// <summary>BM25 search of ticket text over title, body and resolution with the field weights.</summary>
    /// <param name="text">The ticket text.</param>
    /// <param name="filter">Restrictions, or null.</param>
    /// <param name="count">How many hits at most.</param>
    /// <param name="weights">Field weights for this search; the index's <see cref="Weights"/> when null.</param>
    /// <param name="maxTerms">Terms kept for this search; the index's <see cref="MaxQueryTerms"/> when null.</param>
    public IReadOnlyList<ScoredId> Search(string text, MatchFilter? filter, int count, LexicalFieldWeights? weights = null, int? maxTerms = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Search(QueryTerms(text, maxTerms ?? MaxQueryTerms), filter, count, weights);
    }

    /// <summary>BM25 search for terms chosen by <see cref="QueryTerms"/>.</summary>
    internal IReadOnlyList<ScoredId> Search(IReadOnlyList<QueryTerm> terms, MatchFilter? filter, int count, LexicalFieldWeights? weights = null)
    {
        if (terms.Count == 0 || count <= 0)
        {
            return [];
        }

        LexicalFieldWeights fieldWeights = weights ?? Weights;
        Filter? luceneFilter = ToLuceneFilter(filter ?? MatchFilter.None);
        IndexSearcher searcher = _searchers.Acquire();
        try
        {
            IndexReader reader = searcher.IndexReader;
            List<ScoreDoc> top = Bm25Scorer.Top(reader, PostingsOf(reader), terms, [fieldWeights.Title, fieldWeights.Body, fieldWeights.Resolution], luceneFilter, count);
            var hits = new List<ScoredId>(top.Count);
            var ids = new IdReader(reader);
            foreach (ScoreDoc scoreDoc in top)
            {
                hits.Add(new ScoredId(ids.IdOf(scoreDoc.Doc), scoreDoc.Score));
            }

            return hits;
        }
        finally
        {
            _searchers.Release(searcher);
        }
    }

    /// <summary>The ids of all live documents that pass <paramref name="filter"/>.</summary>
    public IReadOnlySet<string> IdsMatching(MatchFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        Query query = new MatchAllDocsQuery();
        QueryWrapperFilter? luceneFilter = ToLuceneFilter(filter);
        IndexSearcher searcher = _searchers.Acquire();
        try
        {
            int max = Math.Max(1, searcher.IndexReader.MaxDoc);
            TopDocs top = luceneFilter is null ? searcher.Search(query, max) : searcher.Search(query, luceneFilter, max);
            var ids = new IdReader(searcher.IndexReader);
            return top.ScoreDocs.Select(d => ids.IdOf(d.Doc)).ToHashSet(StringComparer.Ordinal);
        }
        finally
        {
            _searchers.Release(searcher);
        }
    }

    /// <summary>The in-memory postings of each of the reader's segments, built on a segment's first search.</summary>
    private List<SegmentPostings> PostingsOf(IndexReader reader)
    {
        var segments = new List<SegmentPostings>(reader.Leaves.Count);
        foreach (AtomicReaderContext leaf in reader.Leaves)
        {
            AtomicReader segment = leaf.AtomicReader;
            segments.Add(_postings.GetValue(segment.CoreCacheKey, _ => new Lazy<SegmentPostings>(() => new SegmentPostings(segment, s_textFields))).Value);
        }

        return segments;
    }

    /// <summary>
    /// The terms of a ticket worth searching for: terms found in no indexed title, body or resolution are
    /// dropped (they cannot score), then the <paramref name="maxTerms"/> terms with the highest count × idf are
    /// kept, plus every term of an identifier the ticket names (error codes, versions, class names: rare and
    /// decisive, see <see cref="IdentifierExtractor"/>). A pasted ticket has ~100 distinct terms; the common
    /// ones ("error", "user") have the longest posting lists and add the least, so this is where BM25 time goes.
    /// </summary>
    /// <returns>The kept terms with their counts in the ticket, in order of first occurrence.</returns>
    internal IReadOnlyList<QueryTerm> QueryTerms(string text, int maxTerms)
    {
        IndexSearcher searcher = _searchers.Acquire();
        try
        {
            return SelectQueryTerms(text, searcher.IndexReader, PostingsOf(searcher.IndexReader), maxTerms);
        }
        finally
        {
            _searchers.Release(searcher);
        }
    }

    private List<QueryTerm> SelectQueryTerms(string text, IndexReader reader, List<SegmentPostings> segments, int maxTerms)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string term in Analyzer.Terms(text))
        {
            counts[term] = counts.GetValueOrDefault(term) + 1;
        }

        var identifierTerms = IdentifierExtractor.Extract(text)
            .SelectMany(identifier => Analyzer.Terms(identifier))
            .ToHashSet(StringComparer.Ordinal);
        int documents = Math.Max(1, reader.NumDocs);
        var candidates = new List<(QueryTerm Term, bool Identifier, double Weight)>(counts.Count);
        foreach ((string term, int count) in counts)
        {
            int documentFrequency = 0;
            for (int field = 0; field < s_textFields.Length; field++)
            {
                documentFrequency = Math.Max(documentFrequency, segments.Sum(s => s.Field(field).DocFreq(term)));
            }

            if (documentFrequency == 0)
            {
                continue;
            }

            double idf = Math.Log(1 + ((documents - documentFrequency + 0.5) / (documentFrequency + 0.5)));
            candidates.Add((new QueryTerm(term, count), identifierTerms.Contains(term), count * idf));
        }

        var kept = candidates
            .OrderByDescending(c => c.Weight)
            .Take(maxTerms)
            .Concat(candidates.Where(c => c.Identifier))
            .Select(c => c.Term.Term)
            .Take(MaxSearchTerms)
            .ToHashSet(StringComparer.Ordinal);
        return [.. candidates.Where(c => kept.Contains(c.Term.Term)).Select(c => c.Term)];
    }

    /// <summary>
    /// Each term's part of the BM25 score of item <paramref name="id"/> (Lucene's BM25, field weights
    /// applied): what carries the match, for its explanation. Terms the item lacks, and unknown ids, give
    /// nothing.
    /// </summary>
    internal Dictionary<string, float> TermContributions(IEnumerable<QueryTerm> terms, string id, LexicalFieldWeights? weights = null)
    {
        LexicalFieldWeights fieldWeights = weights ?? Weights;
        IndexSearcher searcher = _searchers.Acquire();
        try
        {
            TopDocs top = searcher.Search(new TermQuery(new Term(IdField, id)), 1);
            return top.TotalHits == 0
                ? []
                : Bm25Scorer.Contributions(searcher.IndexReader, PostingsOf(searcher.IndexReader), terms, [fieldWeights.Title, fieldWeights.Body, fieldWeights.Resolution], top.ScoreDocs[0].Doc);
        }
        finally
        {
            _searchers.Release(searcher);
        }
    }

    /// <summary>
    /// The spelling most indexed texts use for a rare word that is one typo away from a common one
    /// (<c>projetcs</c> → <c>projects</c>), or null when the word is not such a typo. Only words of five or
    /// more letters in at most two items are corrected, to a word starting with the same letter that is in
    /// ten times as many items and at least three (shorter words are other words more often than typos;
    /// the same rule as the cluster labels', see <c>ClusterLabeler.CommonSpellings</c>).
    /// </summary>
    /// <param name="word">The word as written, lower-cased.</param>
    /// <param name="term">Its analysed term.</param>
    internal string? CommonSpelling(string word, string term)
    {
        if (word.Length < 5 || !word.All(char.IsAsciiLetterLower) || !word.StartsWith(term, StringComparison.Ordinal) || term.Length < 4)
        {
            return null;
        }

        if (_spellings.Count > MaxCachedSpellings)
        {
            _spellings.Clear();
        }

        return _spellings.GetOrAdd(term, _ => CommonTerm(term)) is { } common ? common + word[term.Length..] : null;
    }

    // A term one edit (a letter dropped, added, changed, or two swapped; the first letter kept) from a rare
    // term that is far more common, or null.
    private string? CommonTerm(string term)
    {
        IndexSearcher searcher = _searchers.Acquire();
        try
        {
            List<SegmentPostings> segments = PostingsOf(searcher.IndexReader);
            int DocFreq(string t)
            {
                int frequency = 0;
                for (int field = 0; field < s_textFields.Length; field++)
                {
                    frequency = Math.Max(frequency, segments.Sum(s => s.Field(field).DocFreq(t)));
                }

                return frequency;
            }

            int own = DocFreq(term);
            if (own > 2)
            {
                return null;
            }

            string? best = null;
            int bestFrequency = Math.Max(3, 10 * own) - 1;
            foreach (string variant in OneEditAway(term))
            {
                int frequency = DocFreq(variant);
                if (frequency > bestFrequency)
                {
                    (best, bestFrequency) = (variant, frequency);
                }
            }

            return best;
        }
        finally
        {
            _searchers.Release(searcher);
        }
    }

    private static IEnumerable<string> OneEditAway(string term)
    {
        for (int i = 1; i < term.Length; i++)
        {
            yield return term.Remove(i, 1);
            if (i + 1 < term.Length)
            {
                yield return string.Concat(term.AsSpan(0, i), term.AsSpan(i + 1, 1), term.AsSpan(i, 1), term.AsSpan(i + 2));
            }

            for (char letter = 'a'; letter <= 'z'; letter++)
            {
                if (letter != term[i])
                {
                    yield return string.Concat(term.AsSpan(0, i), new ReadOnlySpan<char>(in letter), term.AsSpan(i + 1));
                }

                yield return term.Insert(i, letter.ToString());
            }
        }

        for (char letter = 'a'; letter <= 'z'; letter++)
        {
            yield return term + letter;
        }
    }

    /// <summary>A term of a ticket's query.</summary>
    /// <param name="Term">The analysed term.</param>
    /// <param name="Count">How often the ticket uses it (its boost).</param>
    internal readonly record struct QueryTerm(string Term, int Count);

    private static QueryWrapperFilter? ToLuceneFilter(MatchFilter filter)
    {
        if (filter.IsEmpty)
        {
            return null;
        }

        var query = new BooleanQuery { { new MatchAllDocsQuery(), Occur.MUST } };
        if (filter.Product is not null)
        {
            query.Add(new TermQuery(new Term(ProductField, MatchFilter.Normalize(filter.Product))), Occur.MUST);
        }

        if (filter.Component is not null)
        {
            query.Add(new TermQuery(new Term(ComponentField, MatchFilter.Normalize(filter.Component))), Occur.MUST);
        }

        if (filter.Version is not null)
        {
            string version = MatchFilter.Normalize(filter.Version);
            var versions = new BooleanQuery
            {
                { new TermQuery(new Term(VersionField, version)), Occur.SHOULD },
                { new PrefixQuery(new Term(VersionField, version + ".")), Occur.SHOULD },
            };
            query.Add(versions, Occur.MUST);
        }

        if (filter.Kinds is { Count: > 0 })
        {
            var kinds = new BooleanQuery();
            foreach (MatchDocumentKind kind in filter.Kinds)
            {
                kinds.Add(new TermQuery(new Term(KindField, kind.ToString())), Occur.SHOULD);
            }

            query.Add(kinds, Occur.MUST);
        }

        if (filter.CreatedBefore is { } before)
        {
            query.Add(NumericRangeQuery.NewInt64Range(CreatedField, null, before.Ticks, true, false), Occur.MUST);
        }

        foreach (string id in filter.ExcludeIds ?? new HashSet<string>())
        {
            query.Add(new TermQuery(new Term(IdField, id)), Occur.MUST_NOT);
        }

        return new QueryWrapperFilter(query);
    }

    private static Document ToLucene(MatchDocument document)
    {
        var doc = new Document
        {
            new StringField(IdField, document.Id, Field.Store.YES),
            new StringField(KindField, document.Kind.ToString(), Field.Store.NO),
            new TextField(TitleField, document.Title, Field.Store.NO),
            new TextField(BodyField, document.Body, Field.Store.NO),
            new TextField(ResolutionField, document.Resolution, Field.Store.NO),
            new BinaryDocValuesField(RecordField, DocumentRecord.Write(document)),
        };
        AddKeyword(doc, ProductField, document.Product);
        AddKeyword(doc, ComponentField, document.Component);
        AddKeyword(doc, VersionField, document.Version);
        if (document.CreatedAt is { } created)
        {
            doc.Add(new Int64Field(CreatedField, created.Ticks, Field.Store.NO));
        }

        return doc;
    }

    private static void AddKeyword(Document doc, string field, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            doc.Add(new StringField(field, MatchFilter.Normalize(value), Field.Store.NO));
        }
    }

    // Indexes written before the record field (2026-11-27) stored each field; read them as written then.
    private static MatchDocument FromStoredFields(Document doc)
    {
        long? created = doc.GetField(CreatedField)?.GetInt64Value();
        return new MatchDocument
        {
            Id = doc.Get(IdField),
            Kind = Enum.Parse<MatchDocumentKind>(doc.Get(KindField)),
            Title = doc.Get(TitleField) ?? "",
            Body = doc.Get(BodyField) ?? "",
            Resolution = doc.Get(ResolutionField) ?? "",
            Product = doc.Get("product_raw"),
            Component = doc.Get("component_raw"),
            Version = doc.Get("version_raw"),
            CreatedAt = created is null ? null : new DateTime(created.Value, DateTimeKind.Utc),
        };
    }

    /// <summary>
    /// Merges the index into one segment after a bulk load. A query has ~100 terms in three fields, and each
    /// term is looked up in every segment: with the dozens of segments a batched load leaves, that lookup,
    /// not scoring, was most of a search (34 ms p50 at 10k before, see bench/RESULTS.md).
    /// </summary>
    public void Compact()
    {
        _writer.ForceMerge(1);
        Publish();
    }

    /// <summary>
    /// Merges the small segments that incremental updates leave once there are more than
    /// <see cref="MaxSegments"/>: every approval, merge or received case commits a segment of its own, and a
    /// query looks each of its terms up in every segment (after a day of approvals the demo's replay matched
    /// five times slower: 51.9 s against 10.3 s for 873 cases). The tiered policy's forced merge merges the
    /// smallest segments and leaves the large one alone, so this costs about the size of the recent additions.
    /// </summary>
    public void MergeSmallSegments()
    {
        if (SegmentCount > MaxSegments)
        {
            _writer.ForceMerge(2);
            Publish();
        }
    }

    private void Publish()
    {
        _writer.Commit();
        _searchers.MaybeRefreshBlocking();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _searchers.Dispose();
        _writer.Dispose();
        _directory.Dispose();
        Analyzer.Dispose();
    }

    /// <summary>
    /// The id of a hit without loading its stored fields: loading them decompressed a 16 KB block per hit, which
    /// was 4.8 ms of a 100-hit search at 100k documents. Lucene's field cache keeps each segment's ids in memory
    /// (built on first use per segment, shared by every reader of that segment).
    /// </summary>
    private sealed class IdReader(IndexReader reader)
    {
        private readonly IList<AtomicReaderContext> _leaves = reader.Leaves;
        private readonly BinaryDocValues?[] _ids = new BinaryDocValues?[reader.Leaves.Count];
        private readonly Lucene.Net.Util.BytesRef _bytes = new();

        public string IdOf(int doc)
        {
            int index = ReaderUtil.SubIndex(doc, _leaves);
            AtomicReaderContext leaf = _leaves[index];
            BinaryDocValues ids = _ids[index] ??= FieldCache.DEFAULT.GetTerms(leaf.AtomicReader, IdField, false);
            ids.Get(doc - leaf.DocBase, _bytes);
            return _bytes.Utf8ToString();
        }
    }
}
