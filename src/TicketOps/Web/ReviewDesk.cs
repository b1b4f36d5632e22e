using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Matching;
using TicketOps.Core.Mining;
using TicketOps.Core.Review;
using TicketOps.Core.Storage;

namespace TicketOps.Web;

/// <summary>
/// The review service for one request (API or page): the request's database context, the app's matcher
/// (so an approved playbook is matched at once) and embedder (the duplicate check), and the configured
/// knowledge folder. Decisions go through <see cref="DecideAsync"/>, which refuses them when no knowledge
/// folder is configured and lets one decision run at a time; <see cref="ShowAsync"/> serves a candidate's
/// review from <see cref="CandidateReviewCache"/> while neither it nor the knowledge changed.
/// </summary>
public sealed class ReviewDesk
{
    /// <summary>What a decision answers when <c>TicketOps:KnowledgeDir</c> is not set.</summary>
    public const string NoKnowledgeFolder =
        "Review decisions write Markdown files to the knowledge folder, and this server has none: set TicketOps:KnowledgeDir " +
        "(environment TicketOps__KnowledgeDir) to your knowledge folder and restart. Nothing was changed.";

    private readonly TicketOpsDbContext _db;
    private readonly string? _folder;
    private readonly ReviewDecisionGate _gate;
    private readonly CandidateReviewCache _cache;
    private readonly TimeProvider _timeProvider;

    // Internal (the options type is internal): the container builds it with a factory (WebApp).
    internal ReviewDesk(
        TicketOpsDbContext db, TicketMatcher matcher, SentenceEmbedder embedder, IOptions<TicketOpsWebOptions> options, TimeProvider timeProvider, ReviewDecisionGate gate,
        CandidateReviewCache cache)
    {
        _db = db;
        _cache = cache;
        _timeProvider = timeProvider;
        _folder = options.Value.KnowledgeDir is { Length: > 0 } folder ? folder : null;
        _gate = gate;

        // Reads work without a knowledge folder (the path is never used by them); decisions check CanDecide first.
        Review = new KnowledgeReview(db, _folder ?? "", matcher, texts => embedder.Embed(texts), timeProvider, options.Value.KnowledgeDirIsExport);
    }

    /// <summary>The review service; reads work without a knowledge folder, decisions need one (use <see cref="DecideAsync"/>).</summary>
    public KnowledgeReview Review { get; }

    /// <summary>Whether decisions can be taken (a knowledge folder is configured).</summary>
    public bool CanDecide => _folder is not null;

    /// <summary>
    /// A candidate with its source cases, proposed article and duplicate check (<see cref="KnowledgeReview.ShowAsync"/>),
    /// computed once per candidate and knowledge revision (<see cref="CandidateReviewKey"/>).
    /// </summary>
    public async Task<ReviewResult<CandidateReview>> ShowAsync(long candidateId, CancellationToken cancellationToken)
    {
        DateTime? candidateUpdatedAt = await _db.Set<MiningCandidate>().Where(c => c.Id == candidateId).Select(c => (DateTime?)c.UpdatedAt).SingleOrDefaultAsync(cancellationToken);
        if (candidateUpdatedAt is null)
        {
            return await Review.ShowAsync(candidateId, cancellationToken);
        }

        int articles = await _db.Set<KnowledgeArticle>().CountAsync(cancellationToken);
        DateTime? latestWrite = await _db.Set<KnowledgeArticle>().MaxAsync(a => (DateTime?)a.LoadedAt, cancellationToken);
        var key = new CandidateReviewKey(candidateId, candidateUpdatedAt.Value, articles, latestWrite, DateOnly.FromDateTime(_timeProvider.GetUtcNow().UtcDateTime));
        return await _cache.GetOrComputeAsync(key, () => Review.ShowAsync(candidateId, cancellationToken));
    }

    /// <summary>Runs a decision, one at a time per process; null when no knowledge folder is configured (nothing is run).</summary>
    public async Task<ReviewResult<ReviewDecision>?> DecideAsync(
        Func<KnowledgeReview, CancellationToken, Task<ReviewResult<ReviewDecision>>> decision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (!CanDecide)
        {
            return null;
        }

        // Two approvals at once would both pick the next free PB-NNNN; serialising this process's decisions
        // avoids the retry. Across instances the database decides: concurrency tokens and the article key make
        // one of two racing decisions win and the other a ConcurrentDecision refusal (KnowledgeReview).
        await _gate.Lock.WaitAsync(cancellationToken);
        try
        {
            return await decision(Review, cancellationToken);
        }
        finally
        {
            _gate.Lock.Release();
        }
    }
}

/// <summary>The process-wide lock that lets one review decision run at a time (decisions are rare and quick).</summary>
public sealed class ReviewDecisionGate : IDisposable
{
    public SemaphoreSlim Lock { get; } = new(1, 1);

    public void Dispose() => Lock.Dispose();
}
