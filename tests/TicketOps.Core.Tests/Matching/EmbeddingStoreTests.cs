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

    [Theory]
    [InlineData(3_000)]
    [InlineData(25_000)] // from 20,000 rows the 8-bit scan is split over the cores and the slices merged
    public void Search_over_the_8_bit_shortlist_returns_the_same_top_k_and_exact_scores_as_a_full_scan(int count)
    {
        // Enough rows that the 8-bit shortlist (4 × k) is a small part of the store, and rows crowded around
        // a few directions as real tickets are, so near-ties at the cut-off are common.
        const int dimensions = SentenceEmbedder.Dimensions;
        var random = new Random(7);
        float[][] centres = [.. Enumerable.Range(0, 5).Select(_ => RandomUnit(random, dimensions, centre: null))];
        float[][] rows = [.. Enumerable.Range(0, count).Select(i => RandomUnit(random, dimensions, centres[i % centres.Length]))];
        using var store = new EmbeddingStore(dimensions);
        for (int i = 0; i < rows.Length; i++)
        {
            store.Upsert($"row{i:D5}", rows[i]);
        }

        for (int q = 0; q < 20; q++)
        {
            float[] query = RandomUnit(random, dimensions, centres[q % centres.Length]);
            Func<string, bool> allow = id => id[^1] != '7';
            var expected = rows
                .Select((row, i) => (Id: $"row{i:D5}", Score: System.Numerics.Tensors.TensorPrimitives.Dot(query, row)))
                .Where(h => allow(h.Id))
                .OrderByDescending(h => h.Score).ThenBy(h => h.Id, StringComparer.Ordinal)
                .Take(25)
                .ToList();

            IReadOnlyList<ScoredId> hits = store.Search(query, 25, allow);

            Assert.Equal(expected.Select(h => h.Id), hits.Select(h => h.Id));
            Assert.Equal(expected.Select(h => h.Score), hits.Select(h => h.Score));
        }
    }

    private static float[] RandomUnit(Random random, int dimensions, float[]? centre)
    {
        var vector = new float[dimensions];
        for (int d = 0; d < dimensions; d++)
        {
            vector[d] = (float)((random.NextDouble() * 2) - 1) + (centre is null ? 0f : 12f * centre[d]);
        }

        SentenceEmbedder.Normalize(vector);
        return vector;
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

    [Fact]
    public void Saved_store_keeps_its_encoder_id_in_one_file()
    {
        using var folder = new TempFolder();
        using (var store = new EmbeddingStore(dimensions: 4) { EncoderId = "all-MiniLM-L6-v2@1.0/int8-v1" })
        {
            store.Upsert("case:a:1", Unit(1, 0, 0, 0));
            store.Save(folder.Path);
        }

        using EmbeddingStore loaded = EmbeddingStore.Load(folder.Path, dimensions: 4);

        Assert.Equal("all-MiniLM-L6-v2@1.0/int8-v1", loaded.EncoderId);
        Assert.Equal(["case:a:1"], loaded.Ids);
        Assert.Equal(["vectors.bin"], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void A_store_saved_before_encoder_ids_loads_with_its_ids_file_and_an_unknown_encoder()
    {
        using var folder = new TempFolder();
        using (var stream = File.Create(Path.Combine(folder.Path, "vectors.bin")))
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(0x54_4F_45_31);
            writer.Write(4);
            writer.Write(1);
            foreach (float value in Unit(0, 0, 1, 0))
            {
                writer.Write(value);
            }
        }

        File.WriteAllLines(Path.Combine(folder.Path, "ids.txt"), ["case:old:7"]);

        using EmbeddingStore loaded = EmbeddingStore.Load(folder.Path, dimensions: 4);

        Assert.Equal(EmbeddingStore.UnknownEncoder, loaded.EncoderId);
        Assert.Equal(1f, loaded.Similarity(Unit(0, 0, 1, 0), "case:old:7")!.Value, 5);
    }

    [Fact]
    public void A_vector_file_cut_short_is_refused_with_the_advice_to_rebuild()
    {
        using var folder = new TempFolder();
        using (var store = new EmbeddingStore(dimensions: 4))
        {
            store.Upsert("x", Unit(0, 1, 0, 0));
            store.Upsert("y", Unit(0, 0, 0, 1));
            store.Save(folder.Path);
        }

        string path = Path.Combine(folder.Path, "vectors.bin");
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 3)]);

        var error = Assert.Throws<InvalidDataException>(() => EmbeddingStore.Load(folder.Path, dimensions: 4));
        Assert.Contains("rebuild the index", error.Message, StringComparison.Ordinal);
    }
}
