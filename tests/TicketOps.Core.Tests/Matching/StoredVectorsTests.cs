using TicketOps.Core.Matching;
using TicketOps.Core.Storage;
using TicketOps.Core.Tests.Support;

namespace TicketOps.Core.Tests.Matching;

/// <summary>Vectors kept in the database by encoder and text hash, and the matcher's use of them (on both stores).</summary>
public abstract class StoredVectorsTests(EmbedderFixture fixture, DatabaseProvider provider) : IDisposable
{
    private readonly TempDataDirectory _data = new(provider);

    private static readonly MatchDocument[] s_cases =
    [
        Documents.Case("case:demo:1", "Export to CSV stops at 99 percent", "The nightly export hangs and the file never arrives.", "Raise the export timeout.", product: "Reports"),
        Documents.Case("case:demo:2", "SSO login fails with SAML assertion not yet valid", "Users get an error after the redirect from the identity provider.", "Fix the clock skew on the IdP host.", product: "SSO"),
        Documents.Case("case:demo:3", "Webhook deliveries arrive twice", "Our endpoint receives every event two times.", "Make the handler idempotent by event id.", product: "Integrations"),
    ];

    [Fact]
    public void A_stored_vector_is_found_again_and_storing_it_twice_keeps_one_row()
    {
        StoredVectors vectors = StoredVectors.Of(_data.Data);
        float[] vector = fixture.Embedder.Embed(["export hangs at 99 percent"])[0];

        vectors.Store(["export hangs at 99 percent"], [vector], fixture.Embedder.EncoderId);
        vectors.Store(["export hangs at 99 percent"], [vector], fixture.Embedder.EncoderId);
        float[]?[] found = vectors.Find(["export hangs at 99 percent", "never stored"], fixture.Embedder.EncoderId);

        Assert.Equal(vector, found[0]);
        Assert.Null(found[1]);
        Assert.Equal(1, vectors.Count(fixture.Embedder.EncoderId));
        Assert.Null(vectors.Find(["export hangs at 99 percent"], "another-encoder")[0]);
    }

    [Fact]
    public async Task Rebuilding_an_unchanged_index_encodes_nothing_and_a_fresh_data_directory_reuses_the_database_vectors()
    {
        var recording = new RecordingCache(StoredVectors.Of(_data.Data));
        using (TicketMatcher matcher = TicketMatcher.Open(_data.Data, fixture.Embedder, vectorCache: recording))
        {
            await matcher.RebuildAsync(s_cases.ToAsyncEnumerable());
        }

        Assert.Equal(s_cases.Length, recording.Stored);
        recording.Stored = 0;
        using (TicketMatcher matcher = TicketMatcher.Open(_data.Data, fixture.Embedder, vectorCache: recording))
        {
            await matcher.RebuildAsync(s_cases.ToAsyncEnumerable());
            Assert.Equal(s_cases.Length, matcher.Semantic.Count);
        }

        Assert.Equal(0, recording.Stored);

        // A second instance: its own (empty) index folder, the same database.
        Directory.Delete(_data.Data.SearchIndexPath, recursive: true);
        Directory.Delete(_data.Data.EmbeddingsPath, recursive: true);
        using (TicketMatcher matcher = TicketMatcher.Open(_data.Data, fixture.Embedder, vectorCache: recording))
        {
            await matcher.RebuildAsync(s_cases.ToAsyncEnumerable(), timing: VectorTiming.Later);
            Assert.Equal(0, matcher.PendingVectors);
            Assert.Equal(s_cases.Length, matcher.Semantic.Count);
        }

        Assert.Equal(0, recording.Stored);
    }

    [Fact]
    public async Task Items_indexed_with_vectors_later_are_matched_by_bm25_at_once_and_say_so_until_their_vectors_are_computed()
    {
        using TicketMatcher matcher = TicketMatcher.Open(_data.Data, fixture.Embedder, vectorCache: StoredVectors.Of(_data.Data));
        int raised = 0;
        matcher.VectorsPending += (_, _) => raised++;

        await matcher.IndexManyAsync(s_cases.ToAsyncEnumerable(), timing: VectorTiming.Later);

        Assert.Equal(s_cases.Length, matcher.PendingVectors);
        Assert.True(matcher.IsInSync);
        Assert.True(raised > 0);
        MatchResult early = await matcher.MatchAsync(new MatchRequest { Text = "SAML assertion not yet valid after the IdP redirect" });
        Assert.Equal("case:demo:2", early.Items[0].Id);
        Assert.True(early.Items[0].Explanation.VectorPending);
        Assert.Equal(0f, early.Items[0].Explanation.SemanticSimilarity);
        Assert.Equal(s_cases.Length, early.PendingVectors);

        int computed = await matcher.EncodePendingAsync();

        Assert.Equal(s_cases.Length, computed);
        Assert.Equal(0, matcher.PendingVectors);
        MatchResult later = await matcher.MatchAsync(new MatchRequest { Text = "SAML assertion not yet valid after the IdP redirect" });
        Assert.Equal("case:demo:2", later.Items[0].Id);
        Assert.False(later.Items[0].Explanation.VectorPending);
        Assert.True(later.Items[0].Explanation.SemanticSimilarity > 0.3f);
        Assert.True(later.Items[0].Score > early.Items[0].Score);
    }

    [Fact]
    public async Task An_item_replaced_while_its_vector_is_pending_gets_the_vector_of_its_new_text()
    {
        using TicketMatcher matcher = TicketMatcher.Open(_data.Data, fixture.Embedder, vectorCache: StoredVectors.Of(_data.Data));
        await matcher.IndexManyAsync(s_cases.ToAsyncEnumerable(), timing: VectorTiming.Later);
        MatchDocument replaced = s_cases[0] with { Title = "Dashboard widgets time out with HTTP 504", Body = "Every widget on the main dashboard fails." };

        await matcher.IndexManyAsync(new[] { replaced }.ToAsyncEnumerable(), timing: VectorTiming.Later);
        await matcher.EncodePendingAsync();

        float[] expected = fixture.Embedder.EmbedDocuments([replaced.EmbeddingText], matcher.Options.LongText)[0];
        Assert.Equal(expected, matcher.Semantic.Vector(replaced.Id));
        Assert.Equal(s_cases.Length, matcher.Semantic.Count);
    }

    [Fact]
    public async Task Reopening_over_vectors_of_another_encoder_makes_every_item_pending()
    {
        using (TicketMatcher matcher = TicketMatcher.Open(_data.Data, fixture.Embedder))
        {
            await matcher.IndexAsync(s_cases);
        }

        EmbeddingStore saved = EmbeddingStore.Load(_data.Data.EmbeddingsPath);
        saved.EncoderId = "all-MiniLM-L6-v2@0.0/fp16";
        saved.Save(_data.Data.EmbeddingsPath);
        saved.Dispose();

        using TicketMatcher reopened = TicketMatcher.Open(_data.Data, fixture.Embedder);

        Assert.Equal(0, reopened.Semantic.Count);
        Assert.Equal(s_cases.Length, reopened.PendingVectors);
        Assert.True(reopened.IsInSync);
        Assert.Equal(s_cases.Length, await reopened.EncodePendingAsync());
        Assert.Equal(fixture.Embedder.EncoderId, EmbeddingStore.Load(_data.Data.EmbeddingsPath).EncoderId);
    }

    public void Dispose() => _data.Dispose();

    /// <summary>The real database cache, counting what is stored in it (everything encoded is stored).</summary>
    private sealed class RecordingCache(IEmbeddingCache inner) : IEmbeddingCache
    {
        public int Stored { get; set; }

        public float[]?[] Find(IReadOnlyList<string> texts, string encoderId, CancellationToken cancellationToken = default) =>
            inner.Find(texts, encoderId, cancellationToken);

        public void Store(IReadOnlyList<string> texts, IReadOnlyList<float[]> vectors, string encoderId, CancellationToken cancellationToken = default)
        {
            Stored += texts.Count;
            inner.Store(texts, vectors, encoderId, cancellationToken);
        }
    }
}

[Collection(MiniLMGroup.Name)]
public sealed class SqliteStoredVectorsTests(EmbedderFixture fixture) : StoredVectorsTests(fixture, DatabaseProvider.Sqlite);

[Collection(MiniLMGroup.Name)]
public sealed class PostgreSqlStoredVectorsTests(EmbedderFixture fixture) : StoredVectorsTests(fixture, DatabaseProvider.PostgreSql);
