using System.Collections.Concurrent;
using TicketOps.Core.Matching.Tuning;
using TicketOps.Core.Storage;

namespace TicketOps.Core.Matching;

/// <summary>Settings of <see cref="TicketMatcher"/>; the defaults are the values measured best on the dev sets.</summary>
public sealed record MatcherOptions
{
    /// <summary>The options used unless told otherwise.</summary>
    public static MatcherOptions Default { get; } = new();

    /// <summary>BM25 field weights.</summary>
    public LexicalFieldWeights FieldWeights { get; init; } = LexicalFieldWeights.Default;

    /// <summary>How many of a ticket's terms the BM25 query keeps (<see cref="LexicalIndex.MaxQueryTerms"/>).</summary>
    public int QueryTerms { get; init; } = LexicalIndex.DefaultMaxQueryTerms;

    /// <summary>Fusion of the BM25 and semantic lists.</summary>
    public FusionOptions Fusion { get; init; } = FusionOptions.Default;

    /// <summary>Whether the BM25 analyzer Porter-stems words (identifiers pass through unchanged).</summary>
    public bool Stemming { get; init; } = true;

    /// <summary>How long items are embedded.</summary>
    public LongTextHandling LongText { get; init; } = LongTextHandling.Truncate;

    /// <summary>
    /// How much an item's lead over the best other candidate adds to its evidence (see <see cref="EvidenceOf"/>).
    /// A clear winner is more often right than one of several near-equal candidates: on officedocs, at the
    /// same abstention precision, using the lead raised the recall of "no good match" from 0.41 to 0.55.
    /// </summary>
    public float LeadWeight { get; init; } = 1.0f;

    /// <summary>Below this evidence the best item is not a good match (calibrated on officedocs, docs/matching.md).</summary>
    public float NoMatchThreshold { get; init; } = 0.75f;

    /// <summary>From this evidence on a suggestion is strong (calibrated on officedocs, docs/matching.md).</summary>
    public float StrongThreshold { get; init; } = 1.0f;

    /// <summary>
    /// The evidence for an item: its fused score plus <see cref="LeadWeight"/> times its lead over the best
    /// other candidate (negative for every item but the first).
    /// </summary>
    public float EvidenceOf(float score, float bestOtherScore) => score + (LeadWeight * (score - bestOtherScore));

    /// <summary>Band of an evidence value.</summary>
    public MatchConfidence ConfidenceOf(float evidence) =>
        evidence >= StrongThreshold ? MatchConfidence.Strong
        : evidence >= NoMatchThreshold ? MatchConfidence.Possible
        : MatchConfidence.Weak;
}

/// <summary>When the vectors of newly indexed items are computed.</summary>
public enum VectorTiming
{
    /// <summary>Before the call returns (the items are fully matchable at once).</summary>
    Now = 0,

    /// <summary>
    /// Later, by <see cref="TicketMatcher.EncodePendingAsync"/>: the call returns once the items are in the BM25
    /// index (vectors the cache already holds are used at once), so an import is not held up by encoding.
    /// </summary>
    Later = 1,
}

/// <summary>
/// Matches a ticket to published knowledge and resolved cases: BM25 and semantic candidates, fused,
/// explained and banded, with an honest "no good match" below a calibrated threshold. Keeps its two
/// indexes in sync as items are added, replaced or removed. Thread-safe; share one instance.
/// </summary>
public sealed class TicketMatcher : IDisposable
{
    // Items from which the two retrievers of a match run side by side (below it the dense scan is < 0.5 ms).
    private const int ParallelSearchItems = 20_000;

    // Large enough to amortise the Lucene commit and the embedding file write, small enough to show progress.
    private const int RebuildBatchSize = 256;

    // While vectors catch up in the background, the vector file is saved at most this often (a kill loses
    // at most this much encoding; the vectors themselves are also in the database when a cache is given).
    private static readonly TimeSpan s_pendingSaveInterval = TimeSpan.FromSeconds(30);

    private readonly SentenceEmbedder _embedder;
    private readonly string? _embeddingsPath;
    private readonly IEmbeddingCache? _vectorCache;
    private readonly MatchExplainer _explainer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    // Items in the BM25 index whose vector is not computed yet, with the hash of the text it must be
    // computed from (a newer text of the same item replaces the entry, so a stale vector is never applied).
    private readonly ConcurrentDictionary<string, string> _pending = new(StringComparer.Ordinal);

    /// <summary>Creates a matcher over existing indexes (the matcher owns and disposes them).</summary>
    /// <param name="lexical">The BM25 index.</param>
    /// <param name="semantic">The embedding store.</param>
    /// <param name="embedder">The shared embedder (not disposed by the matcher).</param>
    /// <param name="options">Settings; <see cref="MatcherOptions.Default"/> when null.</param>
    /// <param name="embeddingsPath">Where to persist embeddings after each change, or null to keep them in memory.</param>
    /// <param name="vectorCache">Where encoded vectors are kept and looked up (the database), or null.</param>
    public TicketMatcher(LexicalIndex lexical, EmbeddingStore semantic, SentenceEmbedder embedder, MatcherOptions? options = null, string? embeddingsPath = null, IEmbeddingCache? vectorCache = null)
    {
        ArgumentNullException.ThrowIfNull(lexical);
        ArgumentNullException.ThrowIfNull(semantic);
        ArgumentNullException.ThrowIfNull(embedder);
        Lexical = lexical;
        Semantic = semantic;
        _embedder = embedder;
        Options = options ?? MatcherOptions.Default;
        _embeddingsPath = embeddingsPath;
        _vectorCache = vectorCache;
        _explainer = new MatchExplainer(lexical);
        ReconcileVectors();
    }

    /// <summary>
    /// Opens the matcher over the index and stored embeddings of a data directory. Items of the BM25 index
    /// without a vector from this encoder (an interrupted import, a vector file from another encoder) are
    /// pending: matched by BM25 alone until <see cref="EncodePendingAsync"/> computes their vectors.
    /// </summary>
    /// <param name="dataDirectory">The data directory.</param>
    /// <param name="embedder">The shared embedder.</param>
    /// <param name="options">Settings.</param>
    /// <param name="vectorCache">The stored vectors (normally <see cref="StoredVectors"/> over the database), or null.</param>
    /// <param name="timeProvider">The clock a ticket without a time is matched at; the system clock when null.</param>
    public static TicketMatcher Open(DataDirectory dataDirectory, SentenceEmbedder embedder, MatcherOptions? options = null, IEmbeddingCache? vectorCache = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        options ??= MatcherOptions.Default;
        var lexical = new LexicalIndex(dataDirectory.SearchIndexPath, options.FieldWeights, new TechnicalTextAnalyzer(options.Stemming), options.QueryTerms);
        var semantic = EmbeddingStore.Load(dataDirectory.EmbeddingsPath);
        RankingModel? ranking = RankingModel.Load(dataDirectory.RankingModelPath, out string? problem);
        return new TicketMatcher(lexical, semantic, embedder, options, dataDirectory.EmbeddingsPath, vectorCache)
        {
            Ranking = ranking,
            RankingProblem = problem,
            TimeProvider = timeProvider ?? TimeProvider.System,
        };
    }

    /// <summary>
    /// The ranking learned from the organisation's links (<c>ticketops tune</c>), which reorders the best fused
    /// candidates; null for the fused ranking. <see cref="Open"/> loads it from the data directory.
    /// </summary>
    public RankingModel? Ranking { get; set; }

    /// <summary>Why the data directory's ranking model was not used (unreadable, another version), or null.</summary>
    public string? RankingProblem { get; init; }

    /// <summary>The clock a ticket without a time is matched at (recency of the tuned ranking).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The encoder the semantic side's vectors come from (<see cref="SentenceEmbedder.EncoderId"/>).</summary>
    public string EncoderId => _embedder.EncoderId;

    /// <summary>Where encoded vectors are kept and looked up (the database), or null; other encoders of the same texts (mining) use it too.</summary>
    public IEmbeddingCache? VectorCache => _vectorCache;

    /// <summary>Items of the BM25 index whose vector is not computed yet (matched by BM25 alone meanwhile).</summary>
    public int PendingVectors => _pending.Count;

    /// <summary>Raised when items become pending (a background encoder can wake up).</summary>
    public event EventHandler? VectorsPending;

    /// <summary>The settings.</summary>
    public MatcherOptions Options { get; }

    /// <summary>The BM25 index.</summary>
    public LexicalIndex Lexical { get; }

    /// <summary>The embedding store.</summary>
    public EmbeddingStore Semantic { get; }

    /// <summary>
    /// True when every item of the BM25 index has its vector or is pending (being computed); false when the
    /// two disagree otherwise (rebuild them).
    /// </summary>
    public bool IsInSync => Lexical.Count == Semantic.Count + _pending.Count;

    /// <summary>Adds or replaces items in both indexes; they are found by the next match.</summary>
    public Task IndexAsync(IReadOnlyList<MatchDocument> documents, CancellationToken cancellationToken = default) =>
        IndexAsync(documents, persist: true, VectorTiming.Now, cancellationToken);

    // A rebuild persists the embeddings once at the end: rewriting the whole vector file after every batch
    // would make a 100k rebuild quadratic in I/O.
    private async Task IndexAsync(IReadOnlyList<MatchDocument> documents, bool persist, VectorTiming timing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documents);
        if (documents.Count == 0)
        {
            return;
        }

        string[] texts = [.. documents.Select(d => d.EmbeddingText)];
        float[]?[] vectors = await Task.Run(
            () => timing == VectorTiming.Now
                ? _embedder.EmbedDocuments(texts, Options.LongText, _vectorCache, cancellationToken)
                : _vectorCache is null ? new float[]?[texts.Length] : _embedder.FindDocuments(texts, Options.LongText, _vectorCache, cancellationToken),
            cancellationToken);
        bool pendingAdded = false;
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            for (int i = 0; i < documents.Count; i++)
            {
                if (vectors[i] is { } vector)
                {
                    Semantic.Upsert(documents[i].Id, vector);
                    _pending.TryRemove(documents[i].Id, out _);
                }
                else
                {
                    // The old vector (of an older text) must not answer for the new one.
                    Semantic.Remove(documents[i].Id);
                    _pending[documents[i].Id] = StoredVectors.HashOf(texts[i]);
                    pendingAdded = true;
                }
            }

            Lexical.Upsert(documents);
            if (persist)
            {
                SaveEmbeddings();
                Lexical.MergeSmallSegments();
            }
        }
        finally
        {
            _writeLock.Release();
        }

        if (pendingAdded)
        {
            VectorsPending?.Invoke(this, EventArgs.Empty);
        }
    }

    /// <summary>Removes items from both indexes; unknown ids are ignored.</summary>
    public async Task RemoveAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            foreach (string id in ids)
            {
                Semantic.Remove(id);
                _pending.TryRemove(id, out _);
            }

            Lexical.Delete(ids);
            SaveEmbeddings();
            Lexical.MergeSmallSegments();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Empties both indexes (before a rebuild).</summary>
    public async Task ClearAsync(CancellationToken cancellationToken = default)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            Semantic.Clear();
            _pending.Clear();
            Lexical.Clear();
            SaveEmbeddings();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Replaces everything in both indexes with <paramref name="documents"/>. Vectors already in the cache are
    /// reused; with <see cref="VectorTiming.Later"/> the others are left pending for <see cref="EncodePendingAsync"/>.
    /// </summary>
    public async Task RebuildAsync(IAsyncEnumerable<MatchDocument> documents, IProgress<int>? progress = null, VectorTiming timing = VectorTiming.Now, CancellationToken cancellationToken = default)
    {
        await ClearAsync(cancellationToken);
        await IndexManyAsync(documents, progress, timing, cancellationToken);
    }

    /// <summary>
    /// Adds or replaces a stream of items in batches (a large import); embeddings are persisted once at the end.
    /// With <see cref="VectorTiming.Later"/> the items are searchable by BM25 at once and their vectors that the
    /// cache does not hold are left pending (<see cref="EncodePendingAsync"/>).
    /// </summary>
    public async Task<int> IndexManyAsync(IAsyncEnumerable<MatchDocument> documents, IProgress<int>? progress = null, VectorTiming timing = VectorTiming.Now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var batch = new List<MatchDocument>(RebuildBatchSize);
        int indexed = 0;
        await foreach (MatchDocument document in documents.WithCancellation(cancellationToken))
        {
            batch.Add(document);
            if (batch.Count == RebuildBatchSize)
            {
                await IndexAsync(batch, persist: false, timing, cancellationToken);
                indexed += batch.Count;
                progress?.Report(indexed);
                batch = new List<MatchDocument>(RebuildBatchSize);
            }
        }

        await IndexAsync(batch, persist: false, timing, cancellationToken);
        indexed += batch.Count;
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            SaveEmbeddings();
            if (indexed > RebuildBatchSize)
            {
                Lexical.Compact();
            }
            else
            {
                Lexical.MergeSmallSegments();
            }
        }
        finally
        {
            _writeLock.Release();
        }

        progress?.Report(indexed);
        return indexed;
    }

    /// <summary>
    /// Computes the vectors of pending items (reusing the cache's, storing the new ones in it) until none is
    /// left or <paramref name="cancellationToken"/> fires; returns how many were computed. Matching goes on
    /// meanwhile; each item joins the semantic side as soon as its batch is done.
    /// </summary>
    /// <param name="progress">Done and total so far, after each batch.</param>
    /// <param name="cancellationToken">Stops after the current batch; what is done is kept.</param>
    public async Task<int> EncodePendingAsync(IProgress<(int Done, int Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        int done = 0;
        DateTime lastSave = DateTime.UtcNow;
        try
        {
            while (!_pending.IsEmpty)
            {
                cancellationToken.ThrowIfCancellationRequested();
                KeyValuePair<string, string>[] batch = [.. _pending.Take(RebuildBatchSize)];
                var documents = new List<(MatchDocument Document, string Hash)>(batch.Length);
                foreach ((string id, string hash) in batch)
                {
                    // An item replaced since it became pending is taken with its newer text in a later round.
                    if (Lexical.Get(id) is { } document && StoredVectors.HashOf(document.EmbeddingText) == hash)
                    {
                        documents.Add((document, hash));
                    }
                    else if (Lexical.Get(id) is null)
                    {
                        _pending.TryRemove(new KeyValuePair<string, string>(id, hash));
                    }
                }

                float[][] vectors = await Task.Run(
                    () => _embedder.EmbedDocuments([.. documents.Select(d => d.Document.EmbeddingText)], Options.LongText, _vectorCache, cancellationToken),
                    cancellationToken);
                await _writeLock.WaitAsync(cancellationToken);
                try
                {
                    for (int i = 0; i < documents.Count; i++)
                    {
                        if (_pending.TryRemove(new KeyValuePair<string, string>(documents[i].Document.Id, documents[i].Hash)))
                        {
                            Semantic.Upsert(documents[i].Document.Id, vectors[i]);
                            done++;
                        }
                    }

                    if (DateTime.UtcNow - lastSave > s_pendingSaveInterval)
                    {
                        SaveEmbeddings();
                        lastSave = DateTime.UtcNow;
                    }
                }
                finally
                {
                    _writeLock.Release();
                }

                progress?.Report((done, done + _pending.Count));
            }
        }
        finally
        {
            if (done > 0)
            {
                await _writeLock.WaitAsync(CancellationToken.None);
                try
                {
                    SaveEmbeddings();
                }
                finally
                {
                    _writeLock.Release();
                }
            }
        }

        return done;
    }

    // At open: vectors of another encoder are dropped, vectors of items no longer indexed are dropped, and
    // indexed items without a vector become pending.
    private void ReconcileVectors()
    {
        bool changed = false;
        if (Semantic.Count > 0 && Semantic.EncoderId is { } saved && saved != _embedder.EncoderId)
        {
            Semantic.Clear();
            changed = true;
        }

        Semantic.EncoderId = _embedder.EncoderId;
        IReadOnlySet<string> indexed = Lexical.Count == 0 ? new HashSet<string>() : Lexical.IdsMatching(MatchFilter.None);
        foreach (string id in Semantic.Ids.Where(id => !indexed.Contains(id)))
        {
            Semantic.Remove(id);
            changed = true;
        }

        foreach (string id in indexed.Where(id => !Semantic.Contains(id)))
        {
            if (Lexical.Get(id) is { } document)
            {
                _pending[id] = StoredVectors.HashOf(document.EmbeddingText);
            }
        }

        if (changed)
        {
            SaveEmbeddings();
        }
    }

    /// <summary>Matches a ticket: ranked, banded, explained items, or "no good match" plus the nearest items.</summary>
    public async Task<MatchResult> MatchAsync(MatchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        string text = request.Text ?? "";

        // The BM25 half needs no vector, so it runs on another core while the ticket is encoded (the encoder
        // uses one core; see SentenceEmbedder). Only the dense search waits for the vector.
        Task<LexicalHits> lexical = Task.Run(() => SearchLexical(text, request.Filter, Options.Fusion.CandidatesPerMethod), cancellationToken);
        float[] queryVector = await Task.Run(
            () => _embedder.EmbedDocuments([text], Options.LongText, cache: null, cancellationToken)[0],
            cancellationToken);
        LexicalHits lexicalHits = await lexical;
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<ScoredId> semantic = SearchSemantic(queryVector, request.Filter, Options.Fusion.CandidatesPerMethod);
        return Assemble(request, queryVector, lexicalHits, semantic);
    }

    /// <summary>
    /// Matches a ticket whose text is already embedded: everything <see cref="MatchAsync"/> does besides
    /// encoding the query (the benchmark times the two parts apart; a caller that embedded the text for
    /// another purpose can reuse the vector).
    /// </summary>
    /// <param name="request">The ticket.</param>
    /// <param name="queryVector">The ticket text embedded as <see cref="MatchAsync"/> would (<see cref="SentenceEmbedder.EmbedDocuments"/> with <see cref="MatcherOptions.LongText"/>).</param>
    public MatchResult Match(MatchRequest request, float[] queryVector)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(queryVector);
        (LexicalHits lexical, IReadOnlyList<ScoredId> semantic) = SearchBoth(request.Text ?? "", queryVector, request.Filter, Options.Fusion.CandidatesPerMethod, allow: null, weights: null, queryTerms: null);
        return Assemble(request, queryVector, lexical, semantic);
    }

    // Fuses the two lists, then fetches, bands and explains the best items of each kind.
    private MatchResult Assemble(MatchRequest request, float[] queryVector, LexicalHits lexical, IReadOnlyList<ScoredId> semantic)
    {
        // The items ranked without a vector (just received, their vector still being computed): said so in their
        // explanation. Read at ranking time, not when explaining: a vector that arrives in between did not take part.
        var withoutVector = new HashSet<string>(StringComparer.Ordinal);
        IReadOnlyList<FusedCandidate> ranked = Fuse(lexical.Hits, semantic, queryVector, Options.Fusion, withoutVector);
        (float bestScore, float secondScore) = TopTwoScores(ranked);
        RankingModel? model = Ranking;
        if (model is not null)
        {
            ranked = TunedRanking.Apply(model, Lexical, ranked, request.Text ?? "", request.At ?? TimeProvider.GetUtcNow().UtcDateTime);
        }

        TicketSide ticket = _explainer.Analyse(request.Text ?? "", lexical.Terms.Select(t => t.Term));

        // Each item is fetched from the index and explained on its own (~0.1 ms each, twenty at most), so they
        // are spread over the cores. An item removed since the ranking comes back null and the next one of its
        // kind takes its place.
        var fetched = new Dictionary<string, MatchedItem?>(StringComparer.Ordinal);
        while (true)
        {
            List<int> picks = Pick(ranked, request.MaxResults, fetched);
            int[] missing = [.. picks.Where(rank => !fetched.ContainsKey(ranked[rank].Id))];
            if (missing.Length == 0)
            {
                // The ranking's order (fused, or tuned), not the score's: a tuned model may put a lower fused score first.
                List<MatchedItem> items = [.. picks.Select(rank => fetched[ranked[rank].Id]!)];
                return new MatchResult
                {
                    HasGoodMatch = items.Count > 0 && items[0].Evidence >= Options.NoMatchThreshold,
                    Items = items,
                    PendingVectors = _pending.Count,
                    RankedBy = model is null ? MatchRanking.Fused : MatchRanking.Tuned,
                };
            }

            var explained = new MatchedItem?[missing.Length];
            Parallel.For(0, missing.Length, i => explained[i] = Explain(ticket, request.Filter, ranked[missing[i]], bestScore, secondScore, withoutVector));
            for (int i = 0; i < missing.Length; i++)
            {
                fetched[ranked[missing[i]].Id] = explained[i];
            }
        }
    }

    // Up to maxResults of knowledge and, separately, of similar cases (ranks into the fused list): an agent
    // wants the best playbook even when a dozen near-identical old cases outscore it, and the cases beside it.
    private static List<int> Pick(IReadOnlyList<FusedCandidate> ranked, int maxResults, Dictionary<string, MatchedItem?> fetched)
    {
        var picks = new List<int>();
        int knowledge = 0;
        int cases = 0;
        for (int rank = 0; rank < ranked.Count && (knowledge < maxResults || cases < maxResults); rank++)
        {
            bool isCase = MatchDocument.IsCaseId(ranked[rank].Id);
            bool removed = fetched.TryGetValue(ranked[rank].Id, out MatchedItem? item) && item is null;
            if (removed || (isCase && cases >= maxResults) || (!isCase && knowledge >= maxResults))
            {
                continue;
            }

            picks.Add(rank);
            cases += isCase ? 1 : 0;
            knowledge += isCase ? 0 : 1;
        }

        return picks;
    }

    // The best and second-best fused scores: an item's lead is over the best score of the others, whatever the
    // order the ranking shows them in.
    private static (float Best, float Second) TopTwoScores(IReadOnlyList<FusedCandidate> ranked)
    {
        float best = 0f;
        float second = 0f;
        foreach (FusedCandidate candidate in ranked)
        {
            if (candidate.Score > best)
            {
                second = best;
                best = candidate.Score;
            }
            else if (candidate.Score > second)
            {
                second = candidate.Score;
            }
        }

        return (best, second);
    }

    // A candidate banded and explained; null when it has left the index since the ranking.
    private MatchedItem? Explain(TicketSide ticket, MatchFilter filter, FusedCandidate candidate, float bestScore, float secondScore, HashSet<string> withoutVector)
    {
        MatchDocument? document = Lexical.Get(candidate.Id);
        if (document is null)
        {
            return null;
        }

        float bestOther = candidate.Score >= bestScore ? secondScore : bestScore;
        float evidence = Options.EvidenceOf(candidate.Score, bestOther);
        return new MatchedItem
        {
            Id = document.Id,
            Kind = document.Kind,
            Title = document.Title,
            Score = candidate.Score,
            Evidence = evidence,
            Confidence = Options.ConfidenceOf(evidence),
            Explanation = _explainer.Explain(ticket, filter, document, candidate) with { VectorPending = withoutVector.Contains(document.Id) },
        };
    }

    /// <summary>The fused ranking (the evaluation calls this with precomputed query vectors).</summary>
    internal IReadOnlyList<FusedCandidate> Rank(string text, float[] queryVector, MatchFilter filter, FusionOptions fusion, Func<string, bool>? allow = null, LexicalFieldWeights? weights = null, int? queryTerms = null)
    {
        (LexicalHits lexical, IReadOnlyList<ScoredId> semantic) = SearchBoth(text, queryVector, filter, fusion.CandidatesPerMethod, allow, weights, queryTerms);
        return Fuse(lexical.Hits, semantic, queryVector, fusion);
    }

    private IReadOnlyList<FusedCandidate> Fuse(IReadOnlyList<ScoredId> lexical, IReadOnlyList<ScoredId> semantic, float[] queryVector, FusionOptions fusion, HashSet<string>? withoutVector = null) =>
        ScoreFusion.Fuse(
            lexical,
            semantic,
            id =>
            {
                float? similarity = Semantic.Similarity(queryVector, id);
                if (similarity is null)
                {
                    withoutVector?.Add(id);
                }

                return similarity ?? 0f;
            },
            fusion);

    // The BM25 list and the terms it searched for (the explanations mark the same terms).
    private sealed record LexicalHits(IReadOnlyList<LexicalIndex.QueryTerm> Terms, IReadOnlyList<ScoredId> Hits);

    private LexicalHits SearchLexical(string text, MatchFilter filter, int count, LexicalFieldWeights? weights = null, int? queryTerms = null)
    {
        IReadOnlyList<LexicalIndex.QueryTerm> terms = Lexical.QueryTerms(text, queryTerms ?? Lexical.MaxQueryTerms);
        return new LexicalHits(terms, Lexical.Search(terms, filter, count, weights));
    }

    private (LexicalHits Lexical, IReadOnlyList<ScoredId> Semantic) SearchBoth(string text, float[] queryVector, MatchFilter filter, int count, Func<string, bool>? allow, LexicalFieldWeights? weights, int? queryTerms)
    {
        if (Semantic.Count < ParallelSearchItems)
        {
            return (SearchLexical(text, filter, count, weights, queryTerms), SearchSemantic(queryVector, filter, count, allow));
        }

        // The two retrievers are independent and each takes milliseconds on a large index, so the dense scan
        // runs on another core meanwhile (latency, not throughput: with every core busy it only moves work).
        LexicalHits? lexical = null;
        IReadOnlyList<ScoredId> semantic = [];
        Parallel.Invoke(
            () => lexical = SearchLexical(text, filter, count, weights, queryTerms),
            () => semantic = SearchSemantic(queryVector, filter, count, allow));
        return (lexical!, semantic);
    }

    /// <summary>The semantic list alone, honouring the filter.</summary>
    internal IReadOnlyList<ScoredId> SearchSemantic(float[] queryVector, MatchFilter filter, int count, Func<string, bool>? allow = null)
    {
        if (allow is null && !filter.IsEmpty)
        {
            IReadOnlySet<string> allowed = Lexical.IdsMatching(filter);
            allow = allowed.Contains;
        }

        return Semantic.Search(queryVector, count, allow);
    }

    private void SaveEmbeddings()
    {
        if (_embeddingsPath is not null)
        {
            Semantic.Save(_embeddingsPath);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Lexical.Dispose();
        Semantic.Dispose();
        _writeLock.Dispose();
    }
}

