using TicketOps.Core.Matching;
using TicketOps.Core.Matching.Tuning;

namespace TicketOps.Core.Evaluation;

/// <summary>The best fused score of one run and whether that best item was relevant (for threshold calibration).</summary>
/// <param name="BestScore">Fused score of the top item.</param>
/// <param name="BestIsRelevant">Whether the top item is relevant.</param>
/// <param name="HeldOut">Whether the run had the query's relevant items removed.</param>
/// <param name="SecondScore">Fused score of the second item (0 when there is none).</param>
public readonly record struct NoMatchSample(float BestScore, bool BestIsRelevant, bool HeldOut, float SecondScore);

/// <summary>A data set loaded and indexed once, ready to be evaluated under several matcher settings.</summary>
public sealed class PreparedEvaluation : IDisposable
{
    private readonly TicketMatcher _matcher;
    private readonly IReadOnlyList<EvaluationQuery> _queries;
    private readonly float[][] _queryVectors;
    private readonly IReadOnlyDictionary<string, IReadOnlySet<string>> _relevant;
    private readonly IReadOnlyDictionary<string, DateTime?> _createdAt;

    internal PreparedEvaluation(
        string dataset,
        bool knowledge,
        TicketMatcher matcher,
        IReadOnlyList<EvaluationQuery> queries,
        float[][] queryVectors,
        IReadOnlyDictionary<string, IReadOnlySet<string>> relevant,
        IReadOnlyDictionary<string, DateTime?> createdAt)
    {
        Dataset = dataset;
        IsKnowledgeProtocol = knowledge;
        _matcher = matcher;
        _queries = queries;
        _queryVectors = queryVectors;
        _relevant = relevant;
        _createdAt = createdAt;
    }

    /// <summary>Data set name.</summary>
    public string Dataset { get; }

    /// <summary>True for ticket → knowledge, false for duplicates.</summary>
    public bool IsKnowledgeProtocol { get; }

    /// <summary>Number of queries.</summary>
    public int QueryCount => _queries.Count;

    /// <summary>Measures the methods under <paramref name="matcher"/> settings (field weights, fusion, threshold).</summary>
    public EvaluationReport Evaluate(MatcherOptions? matcher = null, IReadOnlySet<EvaluationMethod>? methods = null, CancellationToken cancellationToken = default)
    {
        matcher ??= _matcher.Options;
        methods = methods is { Count: > 0 } ? methods : new HashSet<EvaluationMethod> { EvaluationMethod.Bm25, EvaluationMethod.Dense, EvaluationMethod.Hybrid };
        var results = new List<MethodMetrics>();
        foreach (EvaluationMethod method in new[] { EvaluationMethod.Bm25, EvaluationMethod.Dense, EvaluationMethod.Hybrid }.Where(methods.Contains))
        {
            var firstRanks = new int?[_queries.Count];
            for (int i = 0; i < _queries.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                IReadOnlyList<string> ranked = RankedIds(method, i, matcher, extraExcluded: null);
                firstRanks[i] = FirstRelevantRank(ranked, _relevant[_queries[i].Id]);
            }

            results.Add(Metrics(method.ToString().ToLowerInvariant(), firstRanks));
        }

        return new EvaluationReport
        {
            Dataset = Dataset,
            Protocol = IsKnowledgeProtocol ? "knowledge" : "duplicates",
            Queries = _queries.Count,
            Methods = results,
            NoMatch = methods.Contains(EvaluationMethod.Hybrid) ? NoMatch(matcher, cancellationToken) : null,
            Reliability = methods.Contains(EvaluationMethod.Hybrid) ? Reliability(matcher, cancellationToken) : null,
            Encoder = _matcher.EncoderId,
        };
    }

    /// <summary>
    /// Fits a tuned ranking (<see cref="RankingTrainer"/>) on the earlier queries and measures it on the later
    /// ones beside the fused ranking. Queries are ordered by their time: a duplicate query's creation time, or
    /// (ticket → knowledge, where queries have none) the earliest creation time of its relevant items.
    /// </summary>
    /// <param name="trainShare">Share of the queries, earliest first, to fit on.</param>
    /// <param name="now">When the model is fitted.</param>
    /// <param name="cancellationToken">Stops between queries.</param>
    public TuningOutcome Tune(double trainShare, DateTime now, CancellationToken cancellationToken = default)
    {
        var queries = new List<TuningQuery>(_queries.Count);
        for (int i = 0; i < _queries.Count; i++)
        {
            EvaluationQuery query = _queries[i];
            IReadOnlySet<string> relevant = _relevant[query.Id];
            DateTime? at = query.CreatedAt ?? relevant.Select(id => _createdAt.GetValueOrDefault(id)).Where(t => t is not null).Min();
            (MatchFilter filter, Func<string, bool>? allow) = FilterFor(query, extraExcluded: null);
            queries.Add(new TuningQuery(query.Text, _queryVectors[i], IsKnowledgeProtocol ? null : at, filter, allow, relevant)
            {
                OrderAt = at,
            });
        }

        return RankingTrainer.Tune(_matcher, queries, trainShare, Dataset, now, cancellationToken);
    }
    /// <summary>
    /// The best hybrid score of every query, run as is and with its relevant items held out; the material
    /// for choosing the "no good match" threshold and the confidence bands.
    /// </summary>
    public IReadOnlyList<NoMatchSample> NoMatchSamples(MatcherOptions? matcher = null, CancellationToken cancellationToken = default)
    {
        matcher ??= _matcher.Options;
        var samples = new List<NoMatchSample>(_queries.Count * 2);
        for (int i = 0; i < _queries.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            IReadOnlySet<string> relevant = _relevant[_queries[i].Id];
            foreach (bool heldOut in new[] { false, true })
            {
                IReadOnlyList<FusedCandidate> ranked = Hybrid(i, matcher, heldOut ? relevant : null);
                if (ranked.Count > 0)
                {
                    samples.Add(new NoMatchSample(ranked[0].Score, relevant.Contains(ranked[0].Id), heldOut, ranked.Count > 1 ? ranked[1].Score : 0f));
                }
            }
        }

        return samples;
    }

    // How often the top item is right in each confidence band (runs as is, not held out).
    private List<BandReliability> Reliability(MatcherOptions matcher, CancellationToken cancellationToken)
    {
        NoMatchSample[] asIs = [.. NoMatchSamples(matcher, cancellationToken).Where(s => !s.HeldOut)];
        var bands = new List<BandReliability>();
        foreach (MatchConfidence band in new[] { MatchConfidence.Strong, MatchConfidence.Possible, MatchConfidence.Weak })
        {
            NoMatchSample[] inBand = [.. asIs.Where(s => matcher.ConfidenceOf(matcher.EvidenceOf(s.BestScore, s.SecondScore)) == band)];
            int right = inBand.Count(s => s.BestIsRelevant);
            bands.Add(new BandReliability
            {
                Band = band.ToString().ToLowerInvariant(),
                Runs = inBand.Length,
                Right = right,
                RightShare = Round(Ratio(right, inBand.Length)),
                WrongShare = Round(Ratio(inBand.Length - right, inBand.Length)),
                ShareOfAllRight = Round(Ratio(right, asIs.Count(s => s.BestIsRelevant))),
            });
        }

        return bands;
    }

    private NoMatchMetrics NoMatch(MatcherOptions matcher, CancellationToken cancellationToken)
    {
        IReadOnlyList<NoMatchSample> samples = NoMatchSamples(matcher, cancellationToken);
        float threshold = matcher.NoMatchThreshold;
        bool Abstains(NoMatchSample s) => matcher.EvidenceOf(s.BestScore, s.SecondScore) < threshold;
        bool Strong(NoMatchSample s) => matcher.EvidenceOf(s.BestScore, s.SecondScore) >= matcher.StrongThreshold;
        int abstained = samples.Count(Abstains);
        int correctAbstained = samples.Count(s => Abstains(s) && !s.BestIsRelevant);
        int wrongBest = samples.Count(s => !s.BestIsRelevant);
        int answered = samples.Count - abstained;
        int answeredRight = samples.Count(s => !Abstains(s) && s.BestIsRelevant);
        int strong = samples.Count(Strong);
        int strongRight = samples.Count(s => Strong(s) && s.BestIsRelevant);
        return new NoMatchMetrics
        {
            Threshold = Math.Round(threshold, 4),
            Runs = samples.Count,
            Abstained = abstained,
            Precision = Round(Ratio(correctAbstained, abstained)),
            Recall = Round(Ratio(correctAbstained, wrongBest)),
            AnsweredPrecisionAt1 = Round(Ratio(answeredRight, answered)),
            Strong = strong,
            StrongPrecisionAt1 = Round(Ratio(strongRight, strong)),
        };
    }

    private IReadOnlyList<string> RankedIds(EvaluationMethod method, int queryIndex, MatcherOptions matcher, IReadOnlySet<string>? extraExcluded)
    {
        EvaluationQuery query = _queries[queryIndex];
        (MatchFilter filter, Func<string, bool>? allow) = FilterFor(query, extraExcluded);
        int count = MatchingEvaluation.MrrCutoff;
        return method switch
        {
            EvaluationMethod.Bm25 => [.. _matcher.Lexical.Search(query.Text, filter, count, matcher.FieldWeights, matcher.QueryTerms).Select(h => h.Id)],
            EvaluationMethod.Dense => [.. _matcher.SearchSemantic(_queryVectors[queryIndex], filter, count, allow).Select(h => h.Id)],
            _ => [.. Hybrid(queryIndex, matcher, extraExcluded).Take(count).Select(h => h.Id)],
        };
    }

    private IReadOnlyList<FusedCandidate> Hybrid(int queryIndex, MatcherOptions matcher, IReadOnlySet<string>? extraExcluded)
    {
        EvaluationQuery query = _queries[queryIndex];
        (MatchFilter filter, Func<string, bool>? allow) = FilterFor(query, extraExcluded);
        return _matcher.Rank(query.Text, _queryVectors[queryIndex], filter, matcher.Fusion, allow ?? (_ => true), matcher.FieldWeights, matcher.QueryTerms);
    }

    private (MatchFilter Filter, Func<string, bool>? Allow) FilterFor(EvaluationQuery query, IReadOnlySet<string>? extraExcluded)
    {
        var excluded = new HashSet<string>(StringComparer.Ordinal);
        if (!IsKnowledgeProtocol)
        {
            excluded.Add(query.Id);
        }

        if (extraExcluded is not null)
        {
            excluded.UnionWith(extraExcluded);
        }

        DateTime? before = IsKnowledgeProtocol ? null : query.CreatedAt ?? DateTime.MinValue;
        var filter = new MatchFilter { CreatedBefore = before, ExcludeIds = excluded.Count == 0 ? null : excluded };

        // The same restriction for the dense side without a Lucene round trip per query.
        Func<string, bool>? allow = filter.IsEmpty
            ? null
            : id => !excluded.Contains(id) && (before is null || (_createdAt.GetValueOrDefault(id) is { } created && created < before.Value));
        return (filter, allow);
    }

    private static int? FirstRelevantRank(IReadOnlyList<string> ranked, IReadOnlySet<string> relevant)
    {
        for (int i = 0; i < ranked.Count && i < MatchingEvaluation.MrrCutoff; i++)
        {
            if (relevant.Contains(ranked[i]))
            {
                return i + 1;
            }
        }

        return null;
    }

    private static MethodMetrics Metrics(string method, int?[] firstRanks)
    {
        int n = firstRanks.Length;
        var recall = new Dictionary<string, double>();
        foreach (int k in MatchingEvaluation.RecallCutoffs)
        {
            recall[k.ToString(System.Globalization.CultureInfo.InvariantCulture)] = Round(Ratio(firstRanks.Count(r => r <= k), n));
        }

        double mrr = n == 0 ? 0 : firstRanks.Sum(r => r is null ? 0.0 : 1.0 / r.Value) / n;
        return new MethodMetrics { Method = method, Recall = recall, Mrr = Round(mrr) };
    }

    private static double Ratio(int numerator, int denominator) => denominator == 0 ? 0 : (double)numerator / denominator;

    private static double Round(double value) => Math.Round(value, 4);

    /// <inheritdoc />
    public void Dispose() => _matcher.Dispose();
}
