using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Cases;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Storage;

namespace TicketOps.Core.Escalation;

/// <summary>
/// Writes a case's escalation packet: picks the investigation template, builds the packet from the case and
/// the agent's draft, checks it with <see cref="EscalationPacketCheck"/> and stores it (complete or not), so
/// <see cref="FeedbackService.RecordOutcomeAsync"/> can refuse an escalation whose newest packet is incomplete.
/// </summary>
/// <param name="db">The database.</param>
/// <param name="timeProvider">The clock used when a request gives no time.</param>
public sealed class EscalationService(TicketOpsDbContext db, TimeProvider timeProvider)
{
    /// <summary>How packets are written to <see cref="StoredEscalationPacket.PacketJson"/>.</summary>
    public static readonly JsonSerializerOptions PacketJson = new(JsonSerializerDefaults.Web);

    private readonly TicketOpsDbContext _db = db ?? throw new ArgumentNullException(nameof(db));
    private readonly TimeProvider _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));

    /// <summary>Builds, checks and stores the packet for a case.</summary>
    /// <param name="caseId">The case (<see cref="SupportCase.Id"/>).</param>
    /// <param name="draft">What the agent wrote.</param>
    /// <param name="actor">Who writes the packet.</param>
    /// <param name="templateId">The template to follow; null to pick one (<see cref="TemplateForAsync"/>).</param>
    /// <param name="at">When (UTC); now when null.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<EscalationPacketResult> PrepareAsync(
        long caseId, EscalationDraft draft, string actor, string? templateId = null, DateTime? at = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (string.IsNullOrWhiteSpace(actor))
        {
            return EscalationPacketResult.Fail("Name who writes the escalation packet (actor).");
        }

        SupportCase? supportCase = await _db.Cases.AsNoTracking().SingleOrDefaultAsync(c => c.Id == caseId, cancellationToken);
        if (supportCase is null)
        {
            return EscalationPacketResult.Fail($"No case with id {caseId}.");
        }

        KnowledgeArticle? template;
        if (templateId is not null)
        {
            template = await _db.Set<KnowledgeArticle>().AsNoTracking().SingleOrDefaultAsync(a => a.Id == templateId, cancellationToken);
            if (template is not { Type: KnowledgeType.Template })
            {
                return EscalationPacketResult.Fail($"'{templateId}' is not an investigation template in the knowledge base; pass an IT-nnnn id or leave the template out to pick one by product area.");
            }
        }
        else
        {
            template = await TemplateForAsync(supportCase, cancellationToken);
        }

        EscalationPacket packet = EscalationPacket.For(supportCase, draft, template?.Id);
        EscalationCheckResult check = EscalationPacketCheck.Check(packet, template);
        var stored = new StoredEscalationPacket
        {
            CaseId = caseId,
            TemplateId = template?.Id,
            PacketJson = JsonSerializer.Serialize(packet, PacketJson),
            IsComplete = check.IsComplete,
            Missing = [.. check.Missing.Select(m => m.Describe())],
            CreatedBy = actor.Trim(),
            CreatedAt = at ?? _timeProvider.GetUtcNow().UtcDateTime,
        };
        _db.Set<StoredEscalationPacket>().Add(stored);
        await _db.SaveChangesAsync(cancellationToken);
        return new EscalationPacketResult(packet, check, stored.Id, null);
    }

    /// <summary>
    /// The template a case's escalation follows: the one a playbook linked to the case points to, else the
    /// validated template (lowest id) whose product areas include the case's product area, else none.
    /// </summary>
    /// <param name="supportCase">The case.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    public async Task<KnowledgeArticle?> TemplateForAsync(SupportCase supportCase, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(supportCase);
        List<string> linked = supportCase.LinkedKnowledgeIds;
        List<KnowledgeArticle> candidates = await _db.Set<KnowledgeArticle>().AsNoTracking()
            .Where(a => (a.Type == KnowledgeType.Template && a.State == KnowledgeState.Validated) || linked.Contains(a.Id))
            .OrderBy(a => a.Id)
            .ToListAsync(cancellationToken);
        return TemplateFor(supportCase, candidates);
    }

    /// <summary>
    /// <see cref="TemplateForAsync"/> over articles already loaded (ordered by id): the template a linked
    /// playbook points to, else the first validated template of the case's product area, else null.
    /// </summary>
    internal static KnowledgeArticle? TemplateFor(SupportCase supportCase, IReadOnlyList<KnowledgeArticle> articles)
    {
        var byId = articles.ToDictionary(a => a.Id, StringComparer.Ordinal);
        foreach (string id in supportCase.LinkedKnowledgeIds)
        {
            if (byId.GetValueOrDefault(id) is { Type: KnowledgeType.Playbook, TemplateId: { } pointed }
                && byId.GetValueOrDefault(pointed) is { } viaPlaybook)
            {
                return viaPlaybook;
            }
        }

        return supportCase.Product is null
            ? null
            : articles.FirstOrDefault(a => a.Type == KnowledgeType.Template && a.State == KnowledgeState.Validated && a.ProductAreas.Contains(supportCase.Product));
    }

    /// <summary>The newest stored packet of a case, or null when none was written.</summary>
    /// <param name="caseId">The case.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    public Task<StoredEscalationPacket?> LatestAsync(long caseId, CancellationToken cancellationToken = default) =>
        LatestAsync(_db, caseId, cancellationToken);

    internal static Task<StoredEscalationPacket?> LatestAsync(TicketOpsDbContext db, long caseId, CancellationToken cancellationToken) =>
        db.Set<StoredEscalationPacket>().AsNoTracking()
            .Where(p => p.CaseId == caseId)
            .OrderByDescending(p => p.CreatedAt).ThenByDescending(p => p.Id)
            .FirstOrDefaultAsync(cancellationToken);
}

/// <summary>The result of <see cref="EscalationService.PrepareAsync"/>: the packet and its check, or why nothing was stored.</summary>
/// <param name="Packet">The packet; null on failure.</param>
/// <param name="Check">The check; null on failure.</param>
/// <param name="StoredId">The stored row's id; 0 on failure.</param>
/// <param name="Problem">Why nothing was stored; null on success.</param>
public sealed record EscalationPacketResult(EscalationPacket? Packet, EscalationCheckResult? Check, long StoredId, string? Problem)
{
    /// <summary>True when the packet was stored (complete or not).</summary>
    public bool Succeeded => Problem is null;

    internal static EscalationPacketResult Fail(string problem) => new(null, null, 0, problem);
}
