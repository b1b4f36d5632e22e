using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using TicketOps.Core.Import;
using TicketOps.Core.Matching;
using TicketOps.Core.Synthetic;

namespace TicketOps.Core.Tests.Matching;

public sealed class LexicalIndexTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly LexicalIndex _index;

    public LexicalIndexTests()
    {
        _index = new LexicalIndex(_folder.Path);
        _index.Upsert(
        [
            Documents.Playbook("pb:access", "Installer stops with access denied", "Error 0x80070005 means the service account lacks rights; grant it write access.", product: "Desktop", version: "2.3.1"),
            Documents.Playbook("pb:tls", "Browser refuses the portal", "ERR_SSL_PROTOCOL_ERROR appears when TLS 1.0 is forced; enable TLS 1.2.", product: "Portal", version: "3.0"),
            Documents.Playbook("pb:v231", "Sync stops after upgrading to v2.3.1", "Roll back to v2.2.0."),
            Documents.Case("case:npe", "Job crashes at start", "java.lang.NullPointerException at org.apache.hadoop.fs.FileSystem.get", product: "Pipelines", component: "Scheduler"),
        ]);
    }

    [Theory]
    [InlineData("0x80070005", "pb:access")]
    [InlineData("v2.3.1", "pb:v231")]
    [InlineData("80070005", "pb:access")]
    [InlineData("ERR_SSL_PROTOCOL_ERROR", "pb:tls")]
    [InlineData("ssl protocol", "pb:tls")]
    [InlineData("NullPointerException", "case:npe")]
    [InlineData("pointer", "case:npe")]
    [InlineData("org.apache.hadoop.fs.FileSystem", "case:npe")]
    [InlineData("FileSystem", "case:npe")]
    [InlineData("hadoop", "case:npe")]
    public void Identifier_is_found_whole_and_by_its_parts(string query, string expectedId)
    {
        IReadOnlyList<ScoredId> hits = _index.Search(query, null, 3);

        Assert.Equal(expectedId, hits[0].Id);
        Assert.All(hits.Skip(1), h => Assert.True(h.Score < hits[0].Score / 2, $"{h.Id} scores close to the identifier match"));
    }

    [Fact]
    public void Small_segments_left_by_one_at_a_time_updates_are_merged_and_every_item_stays_searchable()
    {
        for (int i = 0; i < 8; i++)
        {
            _index.Upsert([Documents.Playbook($"pb:extra{i}", $"Extra playbook number{i}", $"Marker word{i} for this one.")]);
        }

        int before = _index.SegmentCount;
        _index.MergeSmallSegments();

        Assert.True(before > LexicalIndex.MaxSegments, $"the test needs more than {LexicalIndex.MaxSegments} segments, had {before}");
        Assert.True(_index.SegmentCount <= 2, $"{_index.SegmentCount} segments after merging");
        Assert.Equal(12, _index.Count);
        Assert.Equal("pb:extra5", _index.Search("word5", null, 1)[0].Id);
        Assert.Equal("pb:access", _index.Search("0x80070005", null, 1)[0].Id);
    }

    [Fact]
    public void Query_keeps_the_rarest_terms_and_every_identifier_and_drops_terms_no_item_has()
    {
        // "installer" and "stops" are in every item, "kinit" in one; the error code is in every item too but
        // is an identifier, so it is kept however common; "zzyzx" is in no item, so it could never score.
        using var folder = new TempFolder();
        using var index = new LexicalIndex(folder.Path);
        index.Upsert([.. Enumerable.Range(0, 20).Select(i =>
            Documents.Playbook($"pb:{i}", "Installer stops", $"Error 0x80070005 in run {i}" + (i == 7 ? " after kinit failed" : "")))]);

        IEnumerable<string> kept = index.QueryTerms("Installer stops: kinit zzyzx 0x80070005, installer stops", maxTerms: 1).Select(t => t.Term);

        Assert.Equal(["0x80070005", "80070005", "kinit"], kept.Order(StringComparer.Ordinal));
        Assert.Equal("pb:7", index.Search("Installer stops: kinit zzyzx 0x80070005", null, 1, maxTerms: 1)[0].Id);
    }

    [Fact]
    public void Added_document_is_found_at_once_and_removed_one_disappears()
    {
        Assert.Empty(_index.Search("kerberos ticket expired", null, 5));

        _index.Upsert([Documents.Playbook("pb:kerberos", "Kerberos ticket expired", "Renew the ticket with kinit.")]);
        Assert.Equal("pb:kerberos", Assert.Single(_index.Search("kerberos ticket expired", null, 5)).Id);

        _index.Delete(["pb:kerberos"]);
        Assert.Empty(_index.Search("kerberos ticket expired", null, 5));
    }

    [Fact]
    public void Replacing_a_document_by_id_keeps_one_copy_with_the_new_text()
    {
        _index.Upsert([Documents.Playbook("pb:tls", "Browser refuses the portal", "Import the intermediate certificate.", product: "Portal")]);

        Assert.Equal(4, _index.Count);
        Assert.DoesNotContain(_index.Search("ERR_SSL_PROTOCOL_ERROR", null, 5), h => h.Id == "pb:tls");
        Assert.Equal("pb:tls", Assert.Single(_index.Search("intermediate certificate", null, 5)).Id);
    }

    [Fact]
    public void Filters_restrict_by_product_component_version_and_kind()
    {
        const string Text = "access denied portal crashes TLS NullPointerException";

        Assert.Equal(3, _index.Search(Text, new MatchFilter { ExcludeIds = new HashSet<string> { "pb:v231" } }, 10).Count);
        Assert.Equal("pb:tls", Assert.Single(_index.Search(Text, new MatchFilter { Product = "portal" }, 10)).Id);
        Assert.Equal("case:npe", Assert.Single(_index.Search(Text, new MatchFilter { Component = "Scheduler" }, 10)).Id);
        Assert.Equal("pb:access", Assert.Single(_index.Search(Text, new MatchFilter { Version = "2.3" }, 10)).Id);
        Assert.Empty(_index.Search(Text, new MatchFilter { Version = "2.30" }, 10));
        Assert.Equal("case:npe", Assert.Single(_index.Search(Text, new MatchFilter { Kinds = new HashSet<MatchDocumentKind> { MatchDocumentKind.Case } }, 10)).Id);
    }

    [Fact]
    public void Search_gives_lucene_bm25_scores_over_several_segments_with_deletions_and_a_filter()
    {
        // The in-memory scorer must agree with Lucene's own BM25 disjunction (one boosted term query per term
        // and field) on the same index: same documents, same order, same scores.
        using var folder = new TempFolder();
        using var index = new LexicalIndex(folder.Path);
        CaseRecord[] records = [.. DemoCaseGenerator.Generate(new DemoDataOptions(600, 7, new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc)))];
        foreach (CaseRecord[] batch in records.Chunk(200))
        {
            index.Upsert([.. batch.Select(r => Documents.Case($"case:{r.ExternalId}", r.Title ?? "", r.Description ?? "", resolution: r.Resolution ?? "", product: r.Product))]);
        }

        index.Delete([.. records.Where((_, i) => i % 7 == 0).Select(r => $"case:{r.ExternalId}")]);
        string product = records[1].Product!;
        Assert.Equal(3, index.SegmentCount);

        using DirectoryReader reader = DirectoryReader.Open(FSDirectory.Open(folder.Path));
        var searcher = new IndexSearcher(reader) { Similarity = new BM25Similarity() };
        int compared = 0;
        foreach (CaseRecord query in DemoCaseGenerator.Generate(new DemoDataOptions(20, 8, new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc))))
        {
            string text = $"{query.Title}\n{query.Description}";
            IReadOnlyList<LexicalIndex.QueryTerm> terms = index.QueryTerms(text, LexicalIndex.DefaultMaxQueryTerms);
            var disjunction = new BooleanQuery(disableCoord: true);
            foreach ((string field, float weight) in new[] { ("title", 2f), ("body", 1f), ("resolution", 1f) })
            {
                foreach (LexicalIndex.QueryTerm term in terms)
                {
                    disjunction.Add(new TermQuery(new Term(field, term.Term)) { Boost = weight * term.Count }, Occur.SHOULD);
                }
            }

            var productOnly = new QueryWrapperFilter(new TermQuery(new Term("product", MatchFilter.Normalize(product))));
            foreach ((MatchFilter? filter, Filter? luceneFilter) in new (MatchFilter?, Filter?)[] { (null, null), (new MatchFilter { Product = product }, productOnly) })
            {
                IReadOnlyList<ScoredId> ours = index.Search(terms, filter, 50);
                ScoreDoc[] lucene = searcher.Search(disjunction, luceneFilter, 50).ScoreDocs;
                Assert.Equal(lucene.Select(d => searcher.Doc(d.Doc).Get("id")), ours.Select(h => h.Id));
                Assert.Equal(lucene.Select(d => d.Score), ours.Select(h => h.Score));
                compared += ours.Count;
            }
        }

        Assert.True(compared > 500, $"only {compared} hits compared");
    }

    [Fact]
    public void Index_survives_reopening()
    {
        _index.Dispose();
        using var reopened = new LexicalIndex(_folder.Path);

        Assert.Equal(4, reopened.Count);
        Assert.Equal("Installer stops with access denied", reopened.Get("pb:access")?.Title);
        Assert.Equal("2.3.1", reopened.Get("pb:access")?.Version);
    }

    [Fact]
    public void Documents_indexed_before_the_record_field_are_read_from_their_stored_fields()
    {
        // An index written by an earlier version kept each field as a stored field and had no record doc value.
        using var folder = new TempFolder();
        using (var writer = new IndexWriter(FSDirectory.Open(folder.Path), new IndexWriterConfig(Lucene.Net.Util.LuceneVersion.LUCENE_48, new TechnicalTextAnalyzer())))
        {
            writer.AddDocument(
            [
                new Lucene.Net.Documents.StringField("id", "pb:old", Lucene.Net.Documents.Field.Store.YES),
                new Lucene.Net.Documents.StringField("kind", "Playbook", Lucene.Net.Documents.Field.Store.YES),
                new Lucene.Net.Documents.TextField("title", "Printer queue stalls", Lucene.Net.Documents.Field.Store.YES),
                new Lucene.Net.Documents.TextField("body", "", Lucene.Net.Documents.Field.Store.YES),
                new Lucene.Net.Documents.TextField("resolution", "Restart the spooler service.", Lucene.Net.Documents.Field.Store.YES),
                new Lucene.Net.Documents.StoredField("product_raw", "Print Hub"),
            ]);
            writer.Commit();
        }

        using var index = new LexicalIndex(folder.Path);
        index.Upsert([Documents.Playbook("pb:new", "Scanner queue stalls", "Clear the scan queue.", product: "Print Hub")]);

        MatchDocument? old = index.Get("pb:old");
        Assert.Equal(("Printer queue stalls", "Restart the spooler service.", "Print Hub", MatchDocumentKind.Playbook), (old?.Title, old?.Resolution, old?.Product, old?.Kind));
        Assert.Equal("Clear the scan queue.", index.Get("pb:new")?.Resolution);
        Assert.Equal(["pb:old", "pb:new"], index.Search("queue stalls spooler", null, 5).Select(h => h.Id));
    }

    public void Dispose()
    {
        _index.Dispose();
        _folder.Dispose();
    }
}
