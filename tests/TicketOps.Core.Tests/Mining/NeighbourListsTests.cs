using TicketOps.Core.Mining;

namespace TicketOps.Core.Tests.Mining;

public class NeighbourListsTests
{
    [Fact]
    public void Restricting_wide_lists_to_a_sample_finds_what_a_search_of_the_sample_finds()
    {
        var builder = new VectorBuilder(dimensions: 32, seed: 5);
        var all = Enumerable.Range(0, 400).Select(i => (ReadOnlyMemory<float>)builder.Near(i % 20, noise: 0.6)).ToList();
        int[] kept = Enumerable.Range(0, 400).Where(i => i % 5 != 2).ToArray();

        NeighbourLists wide = NeighbourSearch.Find(new VectorSet(all), 20, exactLimit: int.MaxValue, probes: 8, seed: 42);
        NeighbourLists restricted = wide.Restrict(kept, 10);
        NeighbourLists searched = NeighbourSearch.Find(new VectorSet(kept.Select(i => all[i]).ToList()), 10, exactLimit: int.MaxValue, probes: 8, seed: 42);

        Assert.Equal(searched.Indices, restricted.Indices);
        Assert.Equal(searched.Similarities, restricted.Similarities);
        Assert.Equal(NeighbourSearch.Find(new VectorSet(all), 10, int.MaxValue, 8, 42).Indices, wide.First(10).Indices);
    }
}
