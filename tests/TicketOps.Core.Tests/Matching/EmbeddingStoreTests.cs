using TicketOps.Core.Matching;

namespace TicketOps.Core.Tests.Matching;

public sealed class EmbeddingStoreTests
{
    private static float[] Unit(params float[] values)
    {
        var vector = new float[4];
        values.CopyTo(vector, 0);
        SentenceEmbedder.Normalize(vector);
        return vector;
    }

    [Fact]
    public void Search_returns_exact_top_k_best_first_and_honours_the_allow_list()
    {
        using var store = new EmbeddingStore(dimensions: 4);
        store.Upsert("a", Unit(1, 0, 0, 0));
        store.Upsert("b", Unit(1, 1, 0, 0));
        store.Upsert("c", Unit(0, 0, 1, 0));

        IReadOnlyList<ScoredId> hits = store.Search(Unit(1, 0.2f, 0, 0), 2);

        Assert.Equal(["a", "b"], hits.Select(h => h.Id));
        Assert.True(hits[0].Score > hits[1].Score);
        Assert.Equal(["b", "c"], store.Search(Unit(1, 0.2f, 0, 0), 2, id => id != "a").Select(h => h.Id));
    }

    [Fact]
    public void Removed_vector_disappears_and_the_moved_row_keeps_its_id()
    {
        using var store = new EmbeddingStore(dimensions: 4);
        store.Upsert("a", Unit(1, 0, 0, 0));
        store.Upsert("b", Unit(0, 1, 0, 0));
        store.Upsert("c", Unit(0, 0, 1, 0));

        Assert.True(store.Remove("a"));

        Assert.Equal(2, store.Count);
        Assert.Equal("c", store.Search(Unit(0, 0, 1, 0), 1)[0].Id);
        Assert.Null(store.Similarity(Unit(1, 0, 0, 0), "a"));
    }

    [Fact]
    public void Saved_store_loads_with_the_same_vectors()
    {
        using var folder = new TempFolder();
        using (var store = new EmbeddingStore(dimensions: 4))
        {
            store.Upsert("x", Unit(0, 1, 0, 0));
            store.Upsert("y", Unit(0, 0, 0, 1));
            store.Save(folder.Path);
        }

        using EmbeddingStore loaded = EmbeddingStore.Load(folder.Path, dimensions: 4);

        Assert.Equal(2, loaded.Count);
        Assert.Equal(1f, loaded.Similarity(Unit(0, 0, 0, 1), "y")!.Value, 5);
    }
}
