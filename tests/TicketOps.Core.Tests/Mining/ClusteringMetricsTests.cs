using TicketOps.Core.Mining;

namespace TicketOps.Core.Tests.Mining;

public class ClusteringMetricsTests
{
    private static readonly int[] s_halves = [0, 0, 0, 1, 1, 1];
    private static readonly int[] s_thirds = [0, 0, 1, 1, 2, 2];
    private static readonly int[] s_pairs = [0, 0, 1, 1];
    private static readonly int[] s_crossed = [0, 1, 0, 1];
    private static readonly int[] s_two = [0, 1];
    private static readonly int[] s_one = [0];

    // Hand computation: pairs within true classes 6, within predicted 3, agreeing 2, of 15;
    // expected 6*3/15 = 1.2, max 4.5 -> ARI = 0.8 / 3.3.
    [Fact]
    public void Adjusted_rand_index_matches_the_hand_computed_value()
    {
        double ari = ClusteringMetrics.AdjustedRandIndex(s_halves, s_thirds);

        Assert.Equal(0.8 / 3.3, ari, 10);
    }

    // I = 2 * (1/3) ln 2; H(truth) = ln 2; H(predicted) = ln 3; NMI = I / ((ln 2 + ln 3) / 2).
    [Fact]
    public void Normalized_mutual_information_matches_the_hand_computed_value()
    {
        double nmi = ClusteringMetrics.NormalizedMutualInformation(s_halves, s_thirds);

        double expected = 2.0 / 3 * Math.Log(2) / ((Math.Log(2) + Math.Log(3)) / 2);
        Assert.Equal(expected, nmi, 10);
    }

    [Fact]
    public void Identical_partitions_score_one_whatever_the_label_names()
    {
        string[] truth = ["a", "a", "b", "b", "c"];
        int[] predicted = [7, 7, 3, 3, 9];

        Assert.Equal(1, ClusteringMetrics.AdjustedRandIndex(truth, predicted), 10);
        Assert.Equal(1, ClusteringMetrics.NormalizedMutualInformation(truth, predicted), 10);
    }

    [Fact]
    public void Adjusted_rand_index_is_negative_for_a_partition_worse_than_chance()
    {
        double ari = ClusteringMetrics.AdjustedRandIndex(s_pairs, s_crossed);

        Assert.True(ari < 0, $"ARI was {ari}");
    }

    [Fact]
    public void Partitions_of_different_lengths_are_refused()
    {
        Assert.Throws<ArgumentException>(() => ClusteringMetrics.AdjustedRandIndex(s_two, s_one));
    }
}
