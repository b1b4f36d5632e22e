using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Mining;
using TicketOps.Core.Review;
using TicketOps.Core.Storage;
using TicketOps.Core.Tests.Matching;

namespace TicketOps.Core.Tests.Review;

/// <summary>
/// Two reviewers (two instances, two database contexts) deciding on the same candidate or article at once: exactly
/// one decision is saved, with one audit entry, and the other is refused with nothing written.
/// </summary>
public abstract class ConcurrentDecisionTests(EmbedderFixture fixture, DatabaseProvider provider)
{
    private static readonly string[] s_actors = ["alice", "bob"];

    public static TheoryData<string> Decisions => ["approve", "reject", "merge", "validate", "archive"];

    [Theory]
    [MemberData(nameof(Decisions))]
    public async Task A_decision_saved_over_a_subject_decided_since_it_was_read_is_refused_and_writes_nothing(string decision)
    {
        using ReviewDesk desk = await ReviewDesk.OpenAsync(fixture.Embedder, provider);
        Subject subject = await ArrangeAsync(desk, decision);
        int auditBefore = (await desk.AuditAsync()).Count;
        int articlesBefore = await ArticleCountAsync(desk);
        (ReviewResult<ReviewDecision> fast, ReviewResult<ReviewDecision> late) = await DecideWhileAnotherWaitsToWriteAsync(
            desk, slow: review => DecideAsync(review, decision, subject, "bob"), fast: review => DecideAsync(review, decision, subject, "alice"));

        Assert.True(fast.Succeeded, fast.Error?.Message);
        Assert.False(late.Succeeded);
        if (decision == "approve" && late.Error!.Code == ReviewErrorCode.IllegalTransition)
        {
            // The article's id was taken first (EF may insert the article before it updates the candidate): the
            // approval is read again and finds the candidate approved.
            Assert.Contains("already approved", late.Error.Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(ReviewErrorCode.ConcurrentDecision, late.Error!.Code);
            Assert.Contains("another decision", late.Error.Message, StringComparison.Ordinal);
        }

        List<AuditEntry> audit = await desk.AuditAsync();
        Assert.Equal(auditBefore + 1, audit.Count);
        Assert.Equal("alice", audit[^1].Actor);
        Assert.Equal(articlesBefore + (decision == "approve" ? 1 : 0), await ArticleCountAsync(desk));
    }

    [Theory]
    [MemberData(nameof(Decisions))]
    public async Task Two_reviewers_deciding_at_the_same_moment_make_one_decision_and_one_refusal(string decision)
    {
        using ReviewDesk desk = await ReviewDesk.OpenAsync(fixture.Embedder, provider);

        // A few rounds, so that some of them overlap in the database whatever the scheduler does.
        for (int round = 0; round < 3; round++)
        {
            Subject subject = await ArrangeAsync(desk, decision, round);
            int auditBefore = (await desk.AuditAsync()).Count;
            int articlesBefore = await ArticleCountAsync(desk);
            using var barrier = new Barrier(2);
            ReviewResult<ReviewDecision>[] results = await Task.WhenAll(s_actors.Select(actor => Task.Run(async () =>
            {
                await using TicketOpsDbContext db = desk.CreateContext();
                KnowledgeReview review = desk.Review(db);
                barrier.SignalAndWait();
                return await DecideAsync(review, decision, subject, actor);
            })));

            ReviewResult<ReviewDecision> won = Assert.Single(results, r => r.Succeeded);
            ReviewResult<ReviewDecision> lost = Assert.Single(results, r => !r.Succeeded);

            // Refused either by the database (ConcurrentDecision) or, when the winner had committed before the loser
            // read, by the state it then read (already approved, rejected, archived...).
            Assert.True(lost.Error!.Code is ReviewErrorCode.ConcurrentDecision or ReviewErrorCode.IllegalTransition, lost.Error.Message);
            List<AuditEntry> audit = await desk.AuditAsync();
            Assert.Equal(auditBefore + 1, audit.Count);
            Assert.Equal(won.Value!.Audit.Actor, audit[^1].Actor);
            Assert.Equal(articlesBefore + (decision == "approve" ? 1 : 0), await ArticleCountAsync(desk));
        }
    }

    [Fact]
    public async Task Two_candidates_merged_into_one_article_from_stale_reads_keep_one_merge()
    {
        using ReviewDesk desk = await ReviewDesk.OpenAsync(fixture.Embedder, provider);
        long first = await desk.MineAsync("cl-skew-a", ReviewDesk.ClockSkewCases("skewa", 6));
        long second = await desk.MineAsync("cl-skew-b", ReviewDesk.ClockSkewCases("skewb", 6));
        (ReviewResult<ReviewDecision> fast, ReviewResult<ReviewDecision> late) = await DecideWhileAnotherWaitsToWriteAsync(
            desk,
            slow: review => review.MergeAsync(new MergeRequest { CandidateId = first, TargetId = "PB-0001", Actor = "bob" }),
            fast: review => review.MergeAsync(new MergeRequest { CandidateId = second, TargetId = "PB-0001", Actor = "alice" }));

        Assert.True(fast.Succeeded, fast.Error?.Message);
        Assert.Equal(ReviewErrorCode.ConcurrentDecision, late.Error?.Code);
        Assert.StartsWith($"Candidate {first} or PB-0001 was changed", late.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(CandidateState.Draft, (await desk.CandidateAsync(first)).State);
        Assert.Equal(3, (await desk.ArticleAsync("PB-0001"))!.Version);
        Assert.Single(await desk.AuditAsync());
    }

    [Fact]
    public async Task Two_candidates_approved_at_once_from_stale_reads_both_become_articles_with_distinct_ids()
    {
        using ReviewDesk desk = await ReviewDesk.OpenAsync(fixture.Embedder, provider);
        long first = await desk.MineAsync("cl-inv-a", ReviewDesk.EmptyInvoiceCases("inva", 6));
        long second = await desk.MineAsync("cl-inv-b", ReviewDesk.EmptyInvoiceCases("invb", 6));
        // Both read PB-0002 as the next free id; the slow one finds it taken when it saves and takes PB-0003.
        (ReviewResult<ReviewDecision> fast, ReviewResult<ReviewDecision> late) = await DecideWhileAnotherWaitsToWriteAsync(
            desk,
            slow: review => review.ApproveAsync(new ApproveRequest { CandidateId = first, Actor = "bob" }),
            fast: review => review.ApproveAsync(new ApproveRequest { CandidateId = second, Actor = "alice" }));

        Assert.Equal("PB-0002", fast.Value?.KnowledgeId);
        Assert.Equal("PB-0003", late.Value?.KnowledgeId);
        Assert.Equal(2, (await desk.AuditAsync()).Count);
        Assert.True(File.Exists(desk.PathOf("PB-0003")));
    }

    /// <summary>
    /// The slow reviewer reads its subject and is held just before it writes; the fast one decides meanwhile; then
    /// the slow one goes on, saving over what it read before the fast decision.
    /// </summary>
    private static async Task<(ReviewResult<ReviewDecision> Fast, ReviewResult<ReviewDecision> Late)> DecideWhileAnotherWaitsToWriteAsync(
        ReviewDesk desk, Func<KnowledgeReview, Task<ReviewResult<ReviewDecision>>> slow, Func<KnowledgeReview, Task<ReviewResult<ReviewDecision>>> fast)
    {
        var hold = new HoldBeforeWriting();
        await using TicketOpsDbContext slowDb = TicketOpsDatabase.CreateContext(desk.Database, hold);
        await using TicketOpsDbContext fastDb = desk.CreateContext();
        Task<ReviewResult<ReviewDecision>> late = slow(desk.Review(slowDb));
        await hold.Reached.WaitAsync(TimeSpan.FromSeconds(30));
        ReviewResult<ReviewDecision> first = await fast(desk.Review(fastDb));
        hold.Release();
        return (first, await late);
    }

    private static async Task<Subject> ArrangeAsync(ReviewDesk desk, string decision, int round = 0)
    {
        switch (decision)
        {
            case "approve" or "reject":
                return new Subject(await desk.MineAsync($"cl-inv-{round}", ReviewDesk.EmptyInvoiceCases($"inv{round}", 6)), null);
            case "merge":
                return new Subject(await desk.MineAsync($"cl-skew-{round}", ReviewDesk.ClockSkewCases($"skew{round}", 6)), "PB-0001");
            default:
                // A not-validated article to validate or archive.
                long candidate = await desk.MineAsync($"cl-inv-{round}", ReviewDesk.EmptyInvoiceCases($"inv{round}", 6));
                await using (TicketOpsDbContext db = desk.CreateContext())
                {
                    ReviewResult<ReviewDecision> approved = await desk.Review(db).ApproveAsync(new ApproveRequest { CandidateId = candidate, Actor = "setup", State = KnowledgeState.NotValidated });
                    Assert.True(approved.Succeeded, approved.Error?.Message);
                    return new Subject(candidate, approved.Value!.KnowledgeId);
                }
        }
    }

    private static Task<ReviewResult<ReviewDecision>> DecideAsync(KnowledgeReview review, string decision, Subject subject, string actor) => decision switch
    {
        "approve" => review.ApproveAsync(new ApproveRequest { CandidateId = subject.CandidateId, Actor = actor }),
        "reject" => review.RejectAsync(subject.CandidateId, actor, "not a product issue"),
        "merge" => review.MergeAsync(new MergeRequest { CandidateId = subject.CandidateId, TargetId = subject.ArticleId!, Actor = actor }),
        "validate" => review.ValidateAsync(subject.ArticleId!, actor),
        _ => review.ArchiveAsync(subject.ArticleId!, actor, "replaced by the new billing flow"),
    };

    private static async Task<int> ArticleCountAsync(ReviewDesk desk)
    {
        await using TicketOpsDbContext db = desk.CreateContext();
        return await db.Set<KnowledgeArticle>().CountAsync();
    }

    private sealed record Subject(long CandidateId, string? ArticleId);

    /// <summary>
    /// Holds a context's first write (its transaction start or its save, whichever comes first) until released: the
    /// decision has read its subject, and another decision can be taken meanwhile. Holds once, so a retry runs free.
    /// </summary>
    private sealed class HoldBeforeWriting : ISaveChangesInterceptor, IDbTransactionInterceptor
    {
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _held;

        public Task Reached => _reached.Task;

        public void Release() => _released.TrySetResult();

        public async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            await HoldAsync();
            return result;
        }

        public async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(
            DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
        {
            await HoldAsync();
            return result;
        }

        private async Task HoldAsync()
        {
            if (Interlocked.Exchange(ref _held, 1) == 0)
            {
                _reached.TrySetResult();
                await _released.Task.WaitAsync(TimeSpan.FromSeconds(60));
            }
        }
    }
}

/// <summary>The tests above on the embedded SQLite file.</summary>
[Collection(MiniLMGroup.Name)]
public sealed class SqliteConcurrentDecisionTests(EmbedderFixture fixture) : ConcurrentDecisionTests(fixture, DatabaseProvider.Sqlite);

/// <summary>The tests above on a fresh PostgreSQL database.</summary>
[Collection(MiniLMGroup.Name)]
public sealed class PostgreSqlConcurrentDecisionTests(EmbedderFixture fixture) : ConcurrentDecisionTests(fixture, DatabaseProvider.PostgreSql);
