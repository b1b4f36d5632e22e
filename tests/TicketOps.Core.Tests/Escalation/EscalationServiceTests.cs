using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Cases;
using TicketOps.Core.Escalation;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Storage;
using TicketOps.Core.Tests.Knowledge;

namespace TicketOps.Core.Tests.Escalation;

public abstract class EscalationServiceTests : IDisposable
{
    private readonly KnowledgeTestDatabase _temp;
    private readonly long _caseId;

    protected EscalationServiceTests(DatabaseProvider provider)
    {
        _temp = new(provider);
        using TicketOpsDbContext db = _temp.CreateContext();
        KnowledgeArticle other = KnowledgeArticles.Template("IT-0000");
        other.Sections = [new("Escalation packet", "- The billing invoice number.")];
        db.Set<KnowledgeArticle>().AddRange(KnowledgeArticles.Playbook(), KnowledgeArticles.Template(), other);
        SupportCase supportCase = SupportCases.Case("C1", "2026-03-02 08:00");
        db.Cases.Add(supportCase);
        db.SaveChanges();
        _caseId = supportCase.Id;
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Escalation_is_refused_without_a_packet_and_while_it_is_incomplete_naming_what_is_missing_then_allowed_once_complete()
    {
        await using TicketOpsDbContext db = _temp.CreateContext();
        var feedback = new FeedbackService(db, TimeProvider.System);
        var escalation = new EscalationService(db, TimeProvider.System);

        FeedbackResult noPacket = await feedback.RecordOutcomeAsync(_caseId, CaseOutcome.Escalated, "dana");
        EscalationPacketResult thin = await escalation.PrepareAsync(_caseId, new EscalationDraft("IdP clock drift", "", "40 users"), "agent-a", "IT-0001");
        FeedbackResult incomplete = await feedback.RecordOutcomeAsync(_caseId, CaseOutcome.Escalated, "dana");
        EscalationPacketResult complete = await escalation.PrepareAsync(_caseId, EscalationPackets.CompleteDraft, "agent-b", "IT-0001");
        FeedbackResult escalated = await feedback.RecordOutcomeAsync(_caseId, CaseOutcome.Escalated, "dana");

        Assert.Equal(FeedbackErrorCode.EscalationPacketIncomplete, noPacket.ErrorCode);
        Assert.Contains("no escalation packet", noPacket.Message, StringComparison.Ordinal);
        Assert.False(thin.Check!.IsComplete);
        Assert.Equal(FeedbackErrorCode.EscalationPacketIncomplete, incomplete.ErrorCode);
        Assert.Contains("Open question for engineering is empty", incomplete.Message, StringComparison.Ordinal);
        Assert.Contains("Evidence to gather first: The error code from the login audit log.", incomplete.Message, StringComparison.Ordinal);
        Assert.True(complete.Check!.IsComplete, complete.Check.Describe());
        Assert.True(escalated.Succeeded);
        Assert.NotNull((await db.Cases.AsNoTracking().SingleAsync()).EscalatedAt);
    }

    [Fact]
    public async Task Every_version_of_the_packet_is_stored_with_template_check_author_and_time()
    {
        var clock = new TicketOps.Core.Tests.Support.TestClock(new DateTimeOffset(2026, 3, 3, 9, 0, 0, TimeSpan.Zero));
        await using (TicketOpsDbContext db = _temp.CreateContext())
        {
            var escalation = new EscalationService(db, clock);
            await escalation.PrepareAsync(_caseId, new EscalationDraft("", "", ""), "agent-a", "IT-0001");
            clock.Advance(TimeSpan.FromHours(1));
            await escalation.PrepareAsync(_caseId, EscalationPackets.CompleteDraft, "agent-b", "IT-0001");
        }

        await using TicketOpsDbContext check = _temp.CreateContext();
        List<StoredEscalationPacket> rows = await check.Set<StoredEscalationPacket>().OrderBy(p => p.Id).ToListAsync();
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal("IT-0001", r.TemplateId));
        Assert.False(rows[0].IsComplete);
        Assert.Contains(rows[0].Missing, m => m.StartsWith("Current hypothesis is empty", StringComparison.Ordinal));
        Assert.Equal(("agent-a", clock.GetUtcNow().UtcDateTime.AddHours(-1)), (rows[0].CreatedBy, rows[0].CreatedAt));
        Assert.True(rows[1].IsComplete);
        Assert.Contains("ERR_SAML_CLOCK_SKEW", rows[1].PacketJson, StringComparison.Ordinal);
        Assert.True((await new EscalationService(check, clock).LatestAsync(_caseId))!.IsComplete);
    }

    [Fact]
    public async Task The_template_comes_from_a_linked_playbook_before_the_product_area_and_an_unknown_template_is_refused()
    {
        await using TicketOpsDbContext db = _temp.CreateContext();
        var escalation = new EscalationService(db, TimeProvider.System);
        SupportCase supportCase = await db.Cases.AsNoTracking().SingleAsync();

        Assert.Equal("IT-0000", (await escalation.TemplateForAsync(supportCase))!.Id); // lowest id for SSO/Auth
        supportCase.LinkedKnowledgeIds = ["PB-0001"];
        Assert.Equal("IT-0001", (await escalation.TemplateForAsync(supportCase))!.Id); // PB-0001 points to IT-0001
        supportCase.Product = "Billing";
        supportCase.LinkedKnowledgeIds = [];
        Assert.Null(await escalation.TemplateForAsync(supportCase));

        EscalationPacketResult unknown = await escalation.PrepareAsync(_caseId, EscalationPackets.CompleteDraft, "agent-a", "PB-0001");
        Assert.False(unknown.Succeeded);
        Assert.Contains("'PB-0001' is not an investigation template", unknown.Problem, StringComparison.Ordinal);
        Assert.Equal(0, await db.Set<StoredEscalationPacket>().CountAsync());
    }
}

/// <summary>The tests above on the embedded SQLite file.</summary>
public sealed class SqliteEscalationServiceTests() : EscalationServiceTests(DatabaseProvider.Sqlite);

/// <summary>The tests above on a fresh PostgreSQL database.</summary>
public sealed class PostgreSqlEscalationServiceTests() : EscalationServiceTests(DatabaseProvider.PostgreSql);
