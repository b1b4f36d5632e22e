namespace TicketOps.Core.Mining;

/// <summary>
/// Agreement between two partitions of the same items. Labels are compared for equality only; callers give
/// every unclustered item a label of its own (a singleton), which is how a one-off should count.
/// </summary>
public static class ClusteringMetrics
{
    /// <summary>Adjusted Rand index (Hubert and Arabie): 1 for identical partitions, about 0 for chance.</summary>
    public static double AdjustedRandIndex<TTrue, TPredicted>(IReadOnlyList<TTrue> truth, IReadOnlyList<TPredicted> predicted)
        where TTrue : notnull
        where TPredicted : notnull
    {
        var (table, rows, columns, n) = Contingency(truth, predicted);
        if (n < 2)
        {
            return 1;
        }

        double index = table.Values.Sum(v => Pairs(v));
        double rowPairs = rows.Values.Sum(v => Pairs(v));
        double columnPairs = columns.Values.Sum(v => Pairs(v));
        double expected = rowPairs * columnPairs / Pairs(n);
        double maximum = (rowPairs + columnPairs) / 2;

        // Both partitions all-singletons or both one block: the index is undefined; identical partitions score 1.
        return maximum == expected ? 1 : (index - expected) / (maximum - expected);
    }

    /// <summary>
    /// Normalised mutual information with the arithmetic-mean normalisation (scikit-learn's default):
    /// I(T;P) / ((H(T) + H(P)) / 2), natural logarithms.
    /// </summary>
    public static double NormalizedMutualInformation<TTrue, TPredicted>(IReadOnlyList<TTrue> truth, IReadOnlyList<TPredicted> predicted)
        where TTrue : notnull
        where TPredicted : notnull
    {
        var (table, rows, columns, n) = Contingency(truth, predicted);
        if (n == 0)
        {
            return 1;
        }

        double hTrue = Entropy(rows.Values, n);
        double hPredicted = Entropy(columns.Values, n);
        if (hTrue == 0 && hPredicted == 0)
        {
            return 1;
        }

        double mutual = 0;
        foreach (var ((row, column), count) in table)
        {
            mutual += count / (double)n * Math.Log((double)count * n / ((double)rows[row] * columns[column]));
        }

        return Math.Max(0, mutual) / ((hTrue + hPredicted) / 2);
    }

    private static double Pairs(long count) => count * (count - 1) / 2.0;

    private static double Entropy(IEnumerable<int> counts, int n) =>
        -counts.Sum(c => c / (double)n * Math.Log(c / (double)n));

    private static (Dictionary<(int, int), int> Table, Dictionary<int, int> Rows, Dictionary<int, int> Columns, int N) Contingency<TTrue, TPredicted>(
        IReadOnlyList<TTrue> truth, IReadOnlyList<TPredicted> predicted)
        where TTrue : notnull
        where TPredicted : notnull
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(predicted);
        if (truth.Count != predicted.Count)
        {
            throw new ArgumentException($"The partitions label {truth.Count} and {predicted.Count} items; they must label the same items.", nameof(predicted));
        }

        var truthIds = new Dictionary<TTrue, int>();
        var predictedIds = new Dictionary<TPredicted, int>();
        var table = new Dictionary<(int, int), int>();
        var rows = new Dictionary<int, int>();
        var columns = new Dictionary<int, int>();
        for (int i = 0; i < truth.Count; i++)
        {
            if (!truthIds.TryGetValue(truth[i], out int row))
            {
                truthIds[truth[i]] = row = truthIds.Count;
            }

            if (!predictedIds.TryGetValue(predicted[i], out int column))
            {
                predictedIds[predicted[i]] = column = predictedIds.Count;
            }

            table[(row, column)] = table.GetValueOrDefault((row, column)) + 1;
            rows[row] = rows.GetValueOrDefault(row) + 1;
            columns[column] = columns.GetValueOrDefault(column) + 1;
        }

        return (table, rows, columns, truth.Count);
    }
}
