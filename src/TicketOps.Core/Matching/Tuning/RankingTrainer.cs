namespace TicketOps.Core.Matching.Tuning;

/// <summary>A ticket with a known right answer, as training material for <see cref="RankingTrainer"/>.</summary>
/// <param name="Text">The ticket text.</param>
/// <param name="Vector">The ticket text embedded as a match would embed it.</param>
/// <param name="At">When the ticket was written (UTC); orders the queries for the time split and feeds recency.</param>
/// <param name="Filter">What the matcher may return for it (e.g. only knowledge, only earlier cases).</param>
/// <param name="Allow">The same restriction for the dense side, or null (see <see cref="TicketMatcher.SearchSemantic"/>).</param>
/// <param name="Relevant">The items that count as a right answer.</param>
public sealed record TuningQuery(string Text, float[] Vector, DateTime? At, MatchFilter Filter, Func<string, bool>? Allow, IReadOnlySet<string> Relevant)
{
    /// <summary>The time the query is ordered by for the split when it differs from <see cref="At"/> (which also feeds recency).</summary>
    public DateTime? OrderAt { get; init; }

    /// <summary>The time the split orders by.</summary>
    public DateTime? SplitTime => OrderAt ?? At;
}

/// <summary>What <see cref="RankingTrainer.Tune"/> found: the model fitted on every query, and its check on the later period.</summary>
/// <param name="Model">The model fitted on all queries, with its check (null when there were too few to fit one).</param>
/// <param name="Problem">Why no model was fitted, or null.</param>
public sealed record TuningOutcome(RankingModel? Model, string? Problem)
{
    /// <summary>MRR and Recall@1 on the later period: fused, and tuned by a model fitted on the earlier period only.</summary>
    public RankingCheck? Check => Model?.Check;

    /// <summary>Whether the tuned ranking did at least as well as the fused one on the later period.</summary>
    public bool Pays => Check is { } check && check.TunedMrr >= check.FusedMrr;
}

/// <summary>
/// Fits a <see cref="RankingModel"/> to tickets whose right answer is known (the organisation's links and known
/// duplicates, or a data set's qrels), time-respectingly: queries are ordered by time, a model fitted on the
/// earlier share is measured on the later rest against the fused ranking, and the model written is then fitted on
/// all of them. The fit is a pairwise logistic regression (RankNet's loss on a linear score): for every query,
/// each right item among its best <see cref="RankingModel.Depth"/> candidates should score above each wrong one.
/// It starts from, and is pulled back towards, the fused blend, so that a small history changes little.
/// </summary>
public static class RankingTrainer
{
    /// <summary>How many fused candidates are reordered by default.</summary>
    public const int DefaultDepth = 30;

    /// <summary>Fewer queries with a right answer among their candidates than this and no model is fitted.</summary>
    public const int MinimumQueries = 30;

    // Pull towards the fused blend (per pair, so it weighs less as the history grows).
    private const double Regularisation = 0.01;

    private const int NewtonSteps = 25;

    /// <summary>Fits and checks a model on <paramref name="queries"/> under the matcher's fusion.</summary>
    /// <param name="matcher">The matcher whose index holds the candidates.</param>
    /// <param name="queries">Tickets with their right answers.</param>
    /// <param name="trainShare">Share of the queries, earliest first, the checked model is fitted on.</param>
    /// <param name="source">Where the queries came from (stored in the model).</param>
    /// <param name="now">When the model is fitted.</param>
    /// <param name="cancellationToken">Stops between queries.</param>
    public static TuningOutcome Tune(TicketMatcher matcher, IReadOnlyList<TuningQuery> queries, double trainShare, string source, DateTime now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(matcher);
        ArgumentNullException.ThrowIfNull(queries);
        if (trainShare is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(trainShare), trainShare, "The training share must be between 0 and 1.");
        }

        // Stable order: by time, then as given (queries without a time keep their place at the end).
        RankedQuery[] ranked = [.. queries
            .Select((q, i) => (Query: q, Index: i))
            .OrderBy(x => x.Query.SplitTime ?? DateTime.MaxValue)
            .ThenBy(x => x.Index)
            .Select(x => Rank(matcher, x.Query, DefaultDepth, cancellationToken))];
        int usable = ranked.Count(q => q.Pairs > 0);
        if (usable < MinimumQueries)
        {
            return new TuningOutcome(null, $"only {usable} tickets have a right answer among their best {DefaultDepth} candidates; at least {MinimumQueries} are needed to fit a ranking (record more links, or keep the fused ranking).");
        }

        int split = Math.Clamp((int)Math.Round(ranked.Length * trainShare), 1, ranked.Length - 1);
        RankedQuery[] earlier = ranked[..split];
        RankedQuery[] later = ranked[split..];
        double[] start = FusedWeights(matcher.Options.Fusion);
        double[] checkedWeights = Fit(earlier, start);
        var check = new RankingCheck(
            earlier.Length,
            later.Length,
            queries.Any(q => q.SplitTime is not null) ? later[0].At : null,
            Round(Mrr(later, weights: null)),
            Round(Mrr(later, checkedWeights)),
            Round(RecallAt1(later, weights: null)),
            Round(RecallAt1(later, checkedWeights)));
        var model = new RankingModel
        {
            Features = RankingFeatures.Names,
            Weights = [.. Fit(ranked, start).Select(Round)],
            Depth = DefaultDepth,
            TrainedAt = now,
            TrainedOnQueries = ranked.Length,
            Source = source,
            Check = check,
        };
        return new TuningOutcome(model, null);
    }

    /// <summary>The fused blend as a model: the starting point of every fit (its ranking equals the fused one).</summary>
    public static double[] FusedWeights(FusionOptions fusion)
    {
        ArgumentNullException.ThrowIfNull(fusion);
        var weights = new double[RankingFeatures.Count];
        weights[0] = fusion.LexicalWeight;
        weights[1] = 1 - fusion.LexicalWeight;
        return weights;
    }

    // One query's candidates with their features, which are right, and the fused rank of the first right one.
    private sealed record RankedQuery(DateTime? At, float[][] Features, bool[] Right, int? FusedFirstRight)
    {
        public int Pairs => Right.Count(r => r) * Right.Count(r => !r);
    }

    private static RankedQuery Rank(TicketMatcher matcher, TuningQuery query, int depth, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<FusedCandidate> fused = matcher.Rank(query.Text, query.Vector, query.Filter, matcher.Options.Fusion, query.Allow ?? (_ => true));
        IReadOnlyList<FusedCandidate> top = [.. fused.Take(depth)];
        float[][] features = TunedRanking.FeaturesOf(matcher.Lexical, fused, top.Count, query.Text, query.At);
        int? firstRight = null;
        for (int i = 0; i < fused.Count && i < Evaluation.MatchingEvaluation.MrrCutoff; i++)
        {
            if (query.Relevant.Contains(fused[i].Id))
            {
                firstRight = i + 1;
                break;
            }
        }

        return new RankedQuery(query.SplitTime, features, [.. top.Select(c => query.Relevant.Contains(c.Id))], firstRight);
    }

    // Newton's method on the pairwise logistic loss plus the pull towards the fused blend; six weights, so the
    // Hessian is tiny and a few steps converge where gradient descent would need a learning rate tuned per data set.
    private static double[] Fit(IReadOnlyList<RankedQuery> queries, double[] start)
    {
        int n = RankingFeatures.Count;
        var differences = new List<double[]>();
        foreach (RankedQuery query in queries)
        {
            for (int right = 0; right < query.Right.Length; right++)
            {
                if (!query.Right[right])
                {
                    continue;
                }

                for (int wrong = 0; wrong < query.Right.Length; wrong++)
                {
                    if (!query.Right[wrong])
                    {
                        var difference = new double[n];
                        for (int f = 0; f < n; f++)
                        {
                            difference[f] = query.Features[right][f] - query.Features[wrong][f];
                        }

                        differences.Add(difference);
                    }
                }
            }
        }

        double[] weights = [.. start];
        if (differences.Count == 0)
        {
            return weights;
        }

        for (int step = 0; step < NewtonSteps; step++)
        {
            var gradient = new double[n];
            var hessian = new double[n, n];
            foreach (double[] d in differences)
            {
                double margin = 0;
                for (int f = 0; f < n; f++)
                {
                    margin += weights[f] * d[f];
                }

                double p = 1 / (1 + Math.Exp(margin));
                double curvature = p * (1 - p);
                for (int f = 0; f < n; f++)
                {
                    gradient[f] -= p * d[f];
                    for (int g = 0; g < n; g++)
                    {
                        hessian[f, g] += curvature * d[f] * d[g];
                    }
                }
            }

            for (int f = 0; f < n; f++)
            {
                gradient[f] = (gradient[f] / differences.Count) + (Regularisation * (weights[f] - start[f]));
                for (int g = 0; g < n; g++)
                {
                    hessian[f, g] = (hessian[f, g] / differences.Count) + (f == g ? Regularisation : 0);
                }
            }

            double[] move = Solve(hessian, gradient);
            double largest = 0;
            for (int f = 0; f < n; f++)
            {
                weights[f] -= move[f];
                largest = Math.Max(largest, Math.Abs(move[f]));
            }

            if (largest < 1e-7)
            {
                break;
            }
        }

        return weights;
    }

    // Gaussian elimination with partial pivoting; the Hessian is positive definite thanks to the regularisation.
    private static double[] Solve(double[,] matrix, double[] vector)
    {
        int n = vector.Length;
        var a = (double[,])matrix.Clone();
        double[] b = [.. vector];
        for (int column = 0; column < n; column++)
        {
            int pivot = column;
            for (int row = column + 1; row < n; row++)
            {
                if (Math.Abs(a[row, column]) > Math.Abs(a[pivot, column]))
                {
                    pivot = row;
                }
            }

            for (int k = 0; k < n; k++)
            {
                (a[column, k], a[pivot, k]) = (a[pivot, k], a[column, k]);
            }

            (b[column], b[pivot]) = (b[pivot], b[column]);
            for (int row = column + 1; row < n; row++)
            {
                double factor = a[row, column] / a[column, column];
                for (int k = column; k < n; k++)
                {
                    a[row, k] -= factor * a[column, k];
                }

                b[row] -= factor * b[column];
            }
        }

        var x = new double[n];
        for (int row = n - 1; row >= 0; row--)
        {
            double sum = b[row];
            for (int k = row + 1; k < n; k++)
            {
                sum -= a[row, k] * x[k];
            }

            x[row] = sum / a[row, row];
        }

        return x;
    }

    // The rank of the first right item under the weights (null: the fused order); beyond the reordered
    // candidates the fused rank stands.
    private static int? FirstRight(RankedQuery query, double[]? weights)
    {
        if (weights is null || query.Features.Length == 0)
        {
            return query.FusedFirstRight;
        }

        int[] order = TunedRanking.Order(query.Features, weights);
        for (int i = 0; i < order.Length; i++)
        {
            if (query.Right[order[i]])
            {
                return i + 1;
            }
        }

        return query.FusedFirstRight;
    }

    private static double Mrr(IReadOnlyList<RankedQuery> queries, double[]? weights) =>
        queries.Count == 0 ? 0 : queries.Sum(q => FirstRight(q, weights) is { } rank ? 1.0 / rank : 0) / queries.Count;

    private static double RecallAt1(IReadOnlyList<RankedQuery> queries, double[]? weights) =>
        queries.Count == 0 ? 0 : (double)queries.Count(q => FirstRight(q, weights) == 1) / queries.Count;

    private static double Round(double value) => Math.Round(value, 4);
}
