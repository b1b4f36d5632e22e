using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Cases;
using TicketOps.Core.Escalation;
using TicketOps.Core.Storage;

namespace TicketOps.Core.Knowledge;

/// <summary>
/// Records what agents did with knowledge on a case (suggested, used, helped, did not help, flagged) and
/// the case's outcome (solved without engineering, escalated, escalation returned, solved by engineering).
/// Invalid requests come back as a <see cref="FeedbackResult"/> with an error, never as an exception.
/// </summary>
/// <param name="db">The database.</param>
/// <param name="timeProvider">The clock used when a request gives no time.</param>
public sealed class FeedbackService(TicketOpsDbContext db, TimeProvider timeProvider)
{
    private readonly TicketOpsDbContext _db = db ?? throw new ArgumentNullException(nameof(db));
    private readonly TimeProvider _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));

    /// <summary>
    /// Records one knowledge event after checking that the case and the article exist, that an actor is
    /// named and that a flag has a reason. A <see cref="KnowledgeEventKind.Used"/> event also adds the
    /// article to the case's <see cref="SupportCase.LinkedKnowledgeIds"/>.
    /// </summary>
    /// <param name="feedback">What to record.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<FeedbackResult> RecordAsync(KnowledgeFeedback feedback, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        if (string.IsNullOrWhiteSpace(feedback.Actor))
        {
            return FeedbackResult.Fail(FeedbackErrorCode.MissingActor, "Name who records the event (actor).");
        }

        if (feedback.Kind == KnowledgeEventKind.Flagged && string.IsNullOrWhiteSpace(feedback.Reason))
        {
            return FeedbackResult.Fail(FeedbackErrorCode.MissingReason, "A flag needs a reason the owner can act on, e.g. 'step 3 no longer exists in v4.3'.");
        }

        SupportCase? supportCase = await _db.Cases.SingleOrDefaultAsync(c => c.Id == feedback.CaseId, cancellationToken);
        if (supportCase is null)
        {
            return FeedbackResult.Fail(FeedbackErrorCode.CaseNotFound, $"No case with id {feedback.CaseId}.");
        }

        bool articleExists = await _db.Set<KnowledgeArticle>().AnyAsync(a => a.Id == feedback.KnowledgeId, cancellationToken);
        if (!articleExists)
        {
            return FeedbackResult.Fail(FeedbackErrorCode.KnowledgeNotFound, $"No knowledge article '{feedback.KnowledgeId}'; run a knowledge sync if the file is new.");
        }

        var knowledgeEvent = new KnowledgeEvent
        {
            CaseId = supportCase.Id,
            KnowledgeId = feedback.KnowledgeId,
            Kind = feedback.Kind,
            Reason = feedback.Kind == KnowledgeEventKind.Flagged ? feedback.Reason!.Trim() : null,
            At = feedback.At ?? Now(),
            Actor = feedback.Actor.Trim(),
        };
        _db.Set<KnowledgeEvent>().Add(knowledgeEvent);
        if (feedback.Kind == KnowledgeEventKind.Used && !supportCase.LinkedKnowledgeIds.Contains(feedback.KnowledgeId))
        {
            supportCase.LinkedKnowledgeIds = [.. supportCase.LinkedKnowledgeIds, feedback.KnowledgeId];
        }

        await _db.SaveChangesAsync(cancellationToken);
        return FeedbackResult.Ok(knowledgeEvent);
    }

    /// <summary>
    /// Records a case outcome on the case itself. Illegal sequences are refused: an escalated case cannot
    /// be solved without engineering, only an escalated case can be returned, a case is escalated or
    /// resolved once, and a case is escalated only when its newest escalation packet
    /// (<see cref="EscalationService"/>) passed its check. There is no override: an agent who
    /// cannot fill a piece writes why in it ("impact unknown, customer unreachable"), which engineering reads.
    /// </summary>
    /// <param name="caseId">The case (<see cref="SupportCase.Id"/>).</param>
    /// <param name="outcome">What happened.</param>
    /// <param name="actor">Who records it; stored with the outcome (<see cref="CaseOutcomeEvent"/>).</param>
    /// <param name="at">When (UTC); now when null.</param>
    /// <param name="asks">
    /// For <see cref="CaseOutcome.EscalationReturned"/>: what the receiving team asked for (missing evidence
    /// items, unclear ownership), added to <see cref="SupportCase.EscalationAsks"/> with the newest packet's
    /// template; refused for any other outcome.
    /// </param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<FeedbackResult> RecordOutcomeAsync(
        long caseId, CaseOutcome outcome, string actor, DateTime? at = null, IReadOnlyList<EscalationAsk>? asks = null, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(actor))
        {
            return FeedbackResult.Fail(FeedbackErrorCode.MissingActor, "Name who records the outcome (actor).");
        }

        asks ??= [];
        if (asks.Count > 0 && outcome != CaseOutcome.EscalationReturned)
        {
            return FeedbackResult.Fail(FeedbackErrorCode.InvalidAsk, "What the receiving team asked for goes with a returned escalation only (outcome 'returned').");
        }

        if (asks.FirstOrDefault(a => a.Kind == EscalationAskKind.MissingEvidence && string.IsNullOrWhiteSpace(a.Item)) is not null)
        {
            return FeedbackResult.Fail(FeedbackErrorCode.InvalidAsk, "A missing-evidence ask needs the item the receiving team asked for, e.g. 'HAR file of the failing login'.");
        }

        SupportCase? supportCase = await _db.Cases.SingleOrDefaultAsync(c => c.Id == caseId, cancellationToken);
        if (supportCase is null)
        {
            return FeedbackResult.Fail(FeedbackErrorCode.CaseNotFound, $"No case with id {caseId}.");
        }

        DateTime when = at ?? Now();
        bool solved = outcome is CaseOutcome.SolvedWithoutEngineering or CaseOutcome.SolvedByEngineering;
        if (solved && supportCase.ResolvedAt is not null)
        {
            return FeedbackResult.Fail(FeedbackErrorCode.InvalidOutcome, $"Case {caseId} was already resolved at {supportCase.ResolvedAt:u}.");
        }

        switch (outcome)
        {
            case CaseOutcome.Escalated when supportCase.EscalatedAt is not null:
                return FeedbackResult.Fail(FeedbackErrorCode.InvalidOutcome, $"Case {caseId} was already escalated at {supportCase.EscalatedAt:u}.");
            case CaseOutcome.Escalated:
                StoredEscalationPacket? packet = await EscalationService.LatestAsync(_db, caseId, cancellationToken);
                if (packet is null)
                {
                    return FeedbackResult.Fail(FeedbackErrorCode.EscalationPacketIncomplete, $"Case {caseId} has no escalation packet; write one (hypothesis, open question, customer impact, evidence) before escalating.");
                }

                if (!packet.IsComplete)
                {
                    return FeedbackResult.Fail(
                        FeedbackErrorCode.EscalationPacketIncomplete,
                        $"Case {caseId} cannot be escalated: its escalation packet is incomplete; add before escalating:" + string.Concat(packet.Missing.Select(m => "\n  - " + m)));
                }

                supportCase.EscalatedAt = when;
                supportCase.EngineeringInvolved = true;
                break;
            case CaseOutcome.EscalationReturned when supportCase.EscalatedAt is null:
                return FeedbackResult.Fail(FeedbackErrorCode.InvalidOutcome, $"Case {caseId} was never escalated, so no escalation can be returned.");
            case CaseOutcome.EscalationReturned:
                supportCase.EscalationReturnedForMissingContext = true;
                if (asks.Count > 0)
                {
                    // The template the returned packet followed is what the owners fix, so it is kept with the ask.
                    string? template = (await EscalationService.LatestAsync(_db, caseId, cancellationToken))?.TemplateId;
                    supportCase.EscalationAsks = [.. supportCase.EscalationAsks, .. asks.Select(a => new EscalationAsk
                    {
                        Kind = a.Kind,
                        Item = Import.PersonalDataRedactor.Redact(a.Item?.Trim()) is { Length: > 0 } item ? item : null,
                        TemplateId = template,
                        At = when,
                    })];
                }

                break;
            case CaseOutcome.SolvedWithoutEngineering when supportCase.EngineeringInvolved || supportCase.EscalatedAt is not null:
                return FeedbackResult.Fail(FeedbackErrorCode.InvalidOutcome, $"Case {caseId} involved engineering; record it as solved by engineering.");
            case CaseOutcome.SolvedWithoutEngineering:
                supportCase.ResolvedAt = when;
                supportCase.Status = CaseStatus.Resolved;
                break;
            case CaseOutcome.SolvedByEngineering:
                supportCase.ResolvedAt = when;
                supportCase.EngineeringInvolved = true;
                supportCase.Status = CaseStatus.Resolved;
                break;
            default:
                return FeedbackResult.Fail(FeedbackErrorCode.InvalidOutcome, $"Unknown outcome {outcome}.");
        }

        supportCase.UpdatedAt = Now();
        var recorded = new CaseOutcomeEvent { CaseId = caseId, Outcome = outcome, At = when, RecordedAt = supportCase.UpdatedAt, Actor = actor.Trim() };
        _db.Set<CaseOutcomeEvent>().Add(recorded);
        ChangeLog.Add(_db, supportCase.ResolvedAt is null ? ChangeKind.CaseUpdated : ChangeKind.CaseResolved, caseId.ToString(System.Globalization.CultureInfo.InvariantCulture), supportCase.UpdatedAt);
        await _db.SaveChangesAsync(cancellationToken);
        return FeedbackResult.Ok(null) with { Outcome = recorded };
    }

    /// <summary>The recorded outcomes of the cases (who and when), oldest first per case; imported outcomes have none.</summary>
    /// <param name="caseIds">The cases (<see cref="SupportCase.Id"/>).</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    public async Task<ILookup<long, CaseOutcomeEvent>> OutcomesAsync(IReadOnlyCollection<long> caseIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caseIds);
        List<CaseOutcomeEvent> events = await _db.Set<CaseOutcomeEvent>().AsNoTracking()
            .Where(e => caseIds.Contains(e.CaseId))
            .OrderBy(e => e.Id)
            .ToListAsync(cancellationToken);
        return events.ToLookup(e => e.CaseId);
    }

    /// <summary>The owner's queue: open flags on the articles <paramref name="owner"/> owns, oldest first.</summary>
    /// <param name="owner">An article owner (<see cref="KnowledgeArticle.Owner"/>); null for every owner's flags.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    public async Task<IReadOnlyList<KnowledgeFlag>> OpenFlagsAsync(string? owner, CancellationToken cancellationToken = default)
    {
        var rows = await (
            from e in _db.Set<KnowledgeEvent>()
            join a in _db.Set<KnowledgeArticle>() on e.KnowledgeId equals a.Id
            join c in _db.Cases on e.CaseId equals c.Id
            where (owner == null || a.Owner == owner) && e.Kind == KnowledgeEventKind.Flagged && e.ResolvedAt == null
            select new { e.Id, e.KnowledgeId, a.Title, a.Owner, e.CaseId, CaseReference = c.Source + ":" + c.ExternalId, e.Reason, e.Actor, e.At })
            .ToListAsync(cancellationToken);
        return [.. rows.OrderBy(r => r.At).ThenBy(r => r.Id).Select(r => new KnowledgeFlag(r.Id, r.KnowledgeId, r.Title, r.CaseId, r.Reason ?? "", r.Actor, r.At) { Owner = r.Owner, CaseReference = r.CaseReference })];
    }

    /// <summary>Closes an open flag once the owner has dealt with it.</summary>
    /// <param name="flagId">The flag's event id.</param>
    /// <param name="actor">Who dealt with it.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<FeedbackResult> ResolveFlagAsync(long flagId, string actor, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(actor))
        {
            return FeedbackResult.Fail(FeedbackErrorCode.MissingActor, "Name who resolves the flag (actor).");
        }

        KnowledgeEvent? flag = await _db.Set<KnowledgeEvent>()
            .SingleOrDefaultAsync(e => e.Id == flagId && e.Kind == KnowledgeEventKind.Flagged, cancellationToken);
        if (flag is null || flag.ResolvedAt is not null)
        {
            return FeedbackResult.Fail(FeedbackErrorCode.FlagNotFound, $"No open flag with id {flagId}.");
        }

        flag.ResolvedAt = Now();
        flag.ResolvedBy = actor.Trim();
        await _db.SaveChangesAsync(cancellationToken);
        return FeedbackResult.Ok(flag);
    }

    private DateTime Now() => _timeProvider.GetUtcNow().UtcDateTime;
}

/// <summary>A knowledge event to record.</summary>
/// <param name="CaseId">The case (<see cref="SupportCase.Id"/>).</param>
/// <param name="KnowledgeId">The article id.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Actor">Who records it.</param>
/// <param name="Reason">Required for <see cref="KnowledgeEventKind.Flagged"/>.</param>
/// <param name="At">When (UTC); now when null.</param>
public sealed record KnowledgeFeedback(long CaseId, string KnowledgeId, KnowledgeEventKind Kind, string Actor, string? Reason = null, DateTime? At = null);

/// <summary>A case outcome, recorded on the case.</summary>
public enum CaseOutcome
{
    /// <summary>Resolved by support alone.</summary>
    SolvedWithoutEngineering = 0,

    /// <summary>Escalated to engineering.</summary>
    Escalated = 1,

    /// <summary>Engineering returned the escalation for missing context or evidence.</summary>
    EscalationReturned = 2,

    /// <summary>Resolved with engineering's help.</summary>
    SolvedByEngineering = 3,
}

/// <summary>An open flag in an owner's queue.</summary>
/// <param name="FlagId">The flag's event id (to resolve it).</param>
/// <param name="KnowledgeId">The flagged article.</param>
/// <param name="Title">The article's title.</param>
/// <param name="CaseId">The case it was flagged on.</param>
/// <param name="Reason">Why it was flagged.</param>
/// <param name="FlaggedBy">Who flagged it.</param>
/// <param name="FlaggedAt">When (UTC).</param>
public sealed record KnowledgeFlag(long FlagId, string KnowledgeId, string Title, long CaseId, string Reason, string FlaggedBy, DateTime FlaggedAt)
{
    /// <summary>The article's owner, whose queue the flag is in.</summary>
    public string Owner { get; init; } = "";

    /// <summary>The case as agents know it: <c>source:external id</c>.</summary>
    public string CaseReference { get; init; } = "";
}

/// <summary>Why a feedback request was refused.</summary>
public enum FeedbackErrorCode
{
    /// <summary>No case with that id.</summary>
    CaseNotFound,

    /// <summary>No article with that id.</summary>
    KnowledgeNotFound,

    /// <summary>A flag without a reason.</summary>
    MissingReason,

    /// <summary>No actor named.</summary>
    MissingActor,

    /// <summary>The outcome does not fit the case's history.</summary>
    InvalidOutcome,

    /// <summary>No open flag with that id.</summary>
    FlagNotFound,

    /// <summary>An escalation without a complete escalation packet; the message names what is missing.</summary>
    EscalationPacketIncomplete,

    /// <summary>An ask of the receiving team that is incomplete or does not go with the outcome.</summary>
    InvalidAsk,
}

/// <summary>The result of a feedback request: the recorded event, or why it was refused.</summary>
/// <param name="Event">The recorded or changed knowledge event; null for case outcomes and failures.</param>
/// <param name="ErrorCode">Why it was refused; null on success.</param>
/// <param name="Message">What was wrong and what to do; null on success.</param>
public sealed record FeedbackResult(KnowledgeEvent? Event, FeedbackErrorCode? ErrorCode, string? Message)
{
    /// <summary>True when the request was recorded.</summary>
    public bool Succeeded => ErrorCode is null;

    /// <summary>For a case outcome: what was recorded, by whom.</summary>
    public CaseOutcomeEvent? Outcome { get; init; }

    internal static FeedbackResult Ok(KnowledgeEvent? knowledgeEvent) => new(knowledgeEvent, null, null);

    internal static FeedbackResult Fail(FeedbackErrorCode code, string message) => new(null, code, message);
}
