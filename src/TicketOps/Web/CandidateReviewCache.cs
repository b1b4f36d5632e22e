using Microsoft.Extensions.Caching.Memory;
using TicketOps.Core.Review;

namespace TicketOps.Web;

/// <summary>
/// What a knowledge base looked like when a candidate's review was computed: the candidate's last change,
/// the number of articles and the latest article write (an approval, merge, validation, archiving or
/// knowledge sync each set <c>LoadedAt</c>), and the day (the proposed article carries today's date).
/// Read from the database, so a decision taken by another instance or a sync invalidates it too.
/// </summary>
/// <param name="CandidateId">The candidate.</param>
/// <param name="CandidateUpdatedAt">When mining or a decision last changed the candidate.</param>
/// <param name="Articles">Articles in the database.</param>
/// <param name="LatestArticleWrite">The newest <c>LoadedAt</c> of any article.</param>
/// <param name="Day">Today (UTC).</param>
internal readonly record struct CandidateReviewKey(long CandidateId, DateTime CandidateUpdatedAt, int Articles, DateTime? LatestArticleWrite, DateOnly Day);

/// <summary>
/// Candidate reviews by <see cref="CandidateReviewKey"/>. Showing a candidate embeds every live article's
/// sections for the duplicate check (~1.5 s with a few hundred articles on two cores); the answer only
/// changes when the candidate or the knowledge changes, so one computation serves every later view until then.
/// Entries of an outdated key are never asked for again and age out.
/// </summary>
public sealed class CandidateReviewCache : IDisposable
{
    // A reviewer works through tens of candidates a session; entries are a few KB each.
    private readonly MemoryCache _entries = new(new MemoryCacheOptions { SizeLimit = 512 });
    private long _computed;

    /// <summary>How many reviews were computed (not served from the cache) since start; for tests and diagnostics.</summary>
    public long Computed => Interlocked.Read(ref _computed);

    internal async Task<ReviewResult<CandidateReview>> GetOrComputeAsync(CandidateReviewKey key, Func<Task<ReviewResult<CandidateReview>>> compute)
    {
        if (_entries.TryGetValue(key, out ReviewResult<CandidateReview>? cached) && cached is not null)
        {
            return cached;
        }

        // Two first views at once may both compute; the answers are equal, so the second write is harmless.
        Interlocked.Increment(ref _computed);
        ReviewResult<CandidateReview> result = await compute();
        if (result.Succeeded)
        {
            _entries.Set(key, result, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromHours(1) });
        }

        return result;
    }

    public void Dispose() => _entries.Dispose();
}
