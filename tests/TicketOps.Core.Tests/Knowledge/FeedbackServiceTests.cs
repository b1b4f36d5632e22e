using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Cases;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Storage;
using static TicketOps.Core.Tests.Knowledge.SupportCases;

namespace TicketOps.Core.Tests.Knowledge;

public abstract class FeedbackServiceTests : IDisposable
{
    private readonly KnowledgeTestDatabase _temp;
    private readonly long _caseId;

    protected FeedbackServiceTests(DatabaseProvider provider)
    {
        _temp = new(provider);
        using TicketOpsDbContext db = _temp.CreateContext();
        db.Set<KnowledgeArticle>().AddRange(KnowledgeArticles.Playbook(owner: "identity"), KnowledgeArticles.Template(owner: "platform"));
        SupportCase supportCase = Case("C1", "2026-03-02 08:00");
        db.Cases.Add(supportCase);
        db.SaveChanges();
        _caseId = supportCase.Id;
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Feedback_on_an_unknown_case_or_article_or_a_flag_without_reason_is_refused_and_nothing_is_stored()
    {
        await using TicketOpsDbContext db = _temp.CreateContext();
        var feedback = new FeedbackService(db, TimeProvider.System);

        FeedbackResult unknownCase = await feedback.RecordAsync(new(_caseId + 100, "PB-0001", KnowledgeEventKind.Used, "agent-a"));
        FeedbackResult unknownArticle = await feedback.RecordAsync(new(_caseId, "PB-0999", KnowledgeEventKind.Used, "agent-a"));
        FeedbackResult noReason = await feedback.RecordAsync(new(_caseId, "PB-0001", KnowledgeEventKind.Flagged, "agent-a", Reason: "  "));
        FeedbackResult noActor = await feedback.RecordAsync(new(_caseId, "PB-0001", KnowledgeEventKind.Helped, ""));

        Assert.Equal(FeedbackErrorCode.CaseNotFound, unknownCase.ErrorCode);
        Assert.Equal(FeedbackErrorCode.KnowledgeNotFound, unknownArticle.ErrorCode);
        Assert.Contains("PB-0999", unknownArticle.Message, StringComparison.Ordinal);
        Assert.Equal(FeedbackErrorCode.MissingReason, noReason.ErrorCode);
        Assert.Equal(FeedbackErrorCode.MissingActor, noActor.ErrorCode);
        Assert.Equal(0, await db.Set<KnowledgeEvent>().CountAsync());
    }

    [Fact]
    public async Task Used_feedback_records_the_event_and_links_the_article_to_the_case_once()
    {
        await using (TicketOpsDbContext db = _temp.CreateContext())
        {
            var feedback = new FeedbackService(db, TimeProvider.System);
            Assert.True((await feedback.RecordAsync(new(_caseId, "PB-0001", KnowledgeEventKind.Used, "agent-a"))).Succeeded);
            Assert.True((await feedback.RecordAsync(new(_caseId, "PB-0001", KnowledgeEventKind.Used, "agent-b"))).Succeeded);
        }

        await using TicketOpsDbContext check = _temp.CreateContext();
        Assert.Equal(["PB-0001"], (await check.Cases.SingleAsync()).LinkedKnowledgeIds);
        Assert.Equal(2, await check.Set<KnowledgeEvent>().CountAsync(e => e.Kind == KnowledgeEventKind.Used));
    }

    [Fact]
    public async Task Flag_goes_to_the_article_owners_queue_until_the_owner_resolves_it()
    {
        await using TicketOpsDbContext db = _temp.CreateContext();
        var feedback = new FeedbackService(db, TimeProvider.System);

        FeedbackResult flagged = await feedback.RecordAsync(new(_caseId, "PB-0001", KnowledgeEventKind.Flagged, "agent-a", "Step 2 names a setting removed in v4.3"));
        IReadOnlyList<KnowledgeFlag> identityQueue = await feedback.OpenFlagsAsync("identity");
        IReadOnlyList<KnowledgeFlag> platformQueue = await feedback.OpenFlagsAsync("platform");
        FeedbackResult resolved = await feedback.ResolveFlagAsync(flagged.Event!.Id, "owner-x");
        FeedbackResult resolvedTwice = await feedback.ResolveFlagAsync(flagged.Event!.Id, "owner-x");

        KnowledgeFlag flag = Assert.Single(identityQueue);
        Assert.Equal(("PB-0001", "Step 2 names a setting removed in v4.3", _caseId), (flag.KnowledgeId, flag.Reason, flag.CaseId));
        Assert.Empty(platformQueue);
        Assert.True(resolved.Succeeded);
        Assert.Equal(FeedbackErrorCode.FlagNotFound, resolvedTwice.ErrorCode);
        Assert.Empty(await feedback.OpenFlagsAsync("identity"));
    }

    [Fact]
    public async Task Case_outcomes_are_recorded_on_the_case_and_illegal_sequences_are_refused()
    {
        await using TicketOpsDbContext db = _temp.CreateContext();
        var feedback = new FeedbackService(db, TimeProvider.System);
        DateTime escalatedAt = At("2026-03-03 10:00");

        FeedbackResult returnedBeforeEscalation = await feedback.RecordOutcomeAsync(_caseId, CaseOutcome.EscalationReturned, "dana");
        Assert.True((await new TicketOps.Core.Escalation.EscalationService(db, TimeProvider.System).PrepareAsync(_caseId, Escalation.EscalationPackets.CompleteDraft, "agent-a")).Check!.IsComplete);
        FeedbackResult escalated = await feedback.RecordOutcomeAsync(_caseId, CaseOutcome.Escalated, "dana", escalatedAt);
        FeedbackResult escalatedTwice = await feedback.RecordOutcomeAsync(_caseId, CaseOutcome.Escalated, "dana");
        FeedbackResult returned = await feedback.RecordOutcomeAsync(_caseId, CaseOutcome.EscalationReturned, "dana");
        FeedbackResult solvedWithoutEngineering = await feedback.RecordOutcomeAsync(_caseId, CaseOutcome.SolvedWithoutEngineering, "dana");
        FeedbackResult solvedByEngineering = await feedback.RecordOutcomeAsync(_caseId, CaseOutcome.SolvedByEngineering, "dana", At("2026-03-05 10:00"));
        FeedbackResult unknownCase = await feedback.RecordOutcomeAsync(_caseId + 100, CaseOutcome.Escalated, "dana");
        FeedbackResult noActor = await feedback.RecordOutcomeAsync(_caseId, CaseOutcome.EscalationReturned, " ");
        ILookup<long, CaseOutcomeEvent> history = await feedback.OutcomesAsync([_caseId]);

        Assert.Equal(FeedbackErrorCode.InvalidOutcome, returnedBeforeEscalation.ErrorCode);
        Assert.True(escalated.Succeeded);
        Assert.Equal(FeedbackErrorCode.InvalidOutcome, escalatedTwice.ErrorCode);
        Assert.True(returned.Succeeded);
        Assert.Equal(FeedbackErrorCode.InvalidOutcome, solvedWithoutEngineering.ErrorCode);
        Assert.True(solvedByEngineering.Succeeded);
        Assert.Equal(FeedbackErrorCode.CaseNotFound, unknownCase.ErrorCode);
        Assert.Equal(FeedbackErrorCode.MissingActor, noActor.ErrorCode);
        Assert.Equal([CaseOutcome.Escalated, CaseOutcome.EscalationReturned, CaseOutcome.SolvedByEngineering], history[_caseId].Select(o => o.Outcome));
        Assert.All(history[_caseId], o => Assert.Equal("dana", o.Actor));
        Assert.Equal(escalatedAt, history[_caseId].First().At);
        SupportCase stored = await db.Cases.AsNoTracking().SingleAsync();
        Assert.Equal(escalatedAt, stored.EscalatedAt);
        Assert.True(stored.EngineeringInvolved);
        Assert.True(stored.EscalationReturnedForMissingContext);
        Assert.Equal(At("2026-03-05 10:00"), stored.ResolvedAt);
        Assert.Equal(CaseStatus.Resolved, stored.Status);
    }

    [Fact]
    public async Task Case_solved_by_support_alone_is_resolved_without_engineering()
    {
        await using TicketOpsDbContext db = _temp.CreateContext();
        var feedback = new FeedbackService(db, TimeProvider.System);

        FeedbackResult solved = await feedback.RecordOutcomeAsync(_caseId, CaseOutcome.SolvedWithoutEngineering, "dana", At("2026-03-04 10:00"));
        FeedbackResult again = await feedback.RecordOutcomeAsync(_caseId, CaseOutcome.SolvedWithoutEngineering, "dana");

        Assert.True(solved.Succeeded);
        Assert.Equal(FeedbackErrorCode.InvalidOutcome, again.ErrorCode);
        SupportCase stored = await db.Cases.AsNoTracking().SingleAsync();
        Assert.False(stored.EngineeringInvolved);
        Assert.Null(stored.EscalatedAt);
        Assert.Equal(At("2026-03-04 10:00"), stored.ResolvedAt);
    }
}

/// <summary>The tests above on the embedded SQLite file.</summary>
public sealed class SqliteFeedbackServiceTests() : FeedbackServiceTests(DatabaseProvider.Sqlite);

/// <summary>The tests above on a fresh PostgreSQL database.</summary>
public sealed class PostgreSqlFeedbackServiceTests() : FeedbackServiceTests(DatabaseProvider.PostgreSql);
