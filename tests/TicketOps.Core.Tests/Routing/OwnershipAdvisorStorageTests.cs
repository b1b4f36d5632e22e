using TicketOps.Core.Cases;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Matching;
using TicketOps.Core.Routing;
using TicketOps.Core.Storage;
using TicketOps.Core.Tests.Knowledge;
using TicketOps.Core.Tests.Matching;
using static TicketOps.Core.Tests.Knowledge.SupportCases;

namespace TicketOps.Core.Tests.Routing;

/// <summary>The advice end to end: a real database (SQLite or PostgreSQL), a real BM25 index and the real embedding model.</summary>
public abstract class OwnershipAdvisorStorageTests(EmbedderFixture fixture, DatabaseProvider provider) : IDisposable
{
    private static readonly DateTime s_now = At("2026-05-10 12:00");

    private readonly KnowledgeTestDatabase _temp = new(provider);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Similar_cases_solved_by_engineering_and_the_playbooks_criteria_come_back_with_the_advice()
    {
        using TicketMatcher matcher = await SeedAsync(
            Resolved("W-1", "Webhook deliveries fail with HTTP 410 Gone", "Every delivery to our endpoint returns HTTP 410 since the signing change", engineering: true),
            Resolved("W-2", "Webhooks return 410 Gone after signing secret rotation", "Deliveries fail with HTTP 410 after we rotated the signing secret", engineering: true),
            Resolved("W-3", "HTTP 410 on webhook delivery", "Our webhook endpoint answers 410 Gone for every event since Monday", engineering: true),
            Resolved("B-1", "Invoice shows the wrong VAT rate", "The exported invoice uses 19% VAT instead of 7% for books", engineering: false));
        await using TicketOpsDbContext db = _temp.CreateContext();

        OwnershipAdvice advice = await new OwnershipAdvisor(matcher).AdviseAsync(
            db, "Webhook deliveries suddenly fail with HTTP 410 Gone", null, ["PB-0100"], s_now);

        Assert.True(advice.Depth == OwnershipDepth.Engineering, advice.Reason + " " + string.Join(", ", advice.Cases.Select(c => $"{c.CaseId} {c.Score}")));
        Assert.Equal(["W-1", "W-2", "W-3"], advice.Cases.Select(c => c.CaseId).Order());
        Assert.Equal("Escalate when the signature is valid and deliveries still fail.", advice.EscalateWhen);
        Assert.Equal("IT-0100", advice.CriteriaFrom);
        Assert.Null(advice.Surge);
    }

    [Fact]
    public async Task Without_similar_resolved_cases_there_is_no_advice()
    {
        using TicketMatcher matcher = await SeedAsync(Resolved("B-1", "Invoice shows the wrong VAT rate", "The exported invoice uses 19% VAT instead of 7% for books", engineering: false));
        await using TicketOpsDbContext db = _temp.CreateContext();

        OwnershipAdvice advice = await new OwnershipAdvisor(matcher).AdviseAsync(db, "Invoice VAT rate is wrong for books", null, [], s_now);

        Assert.Null(advice.Depth);
        Assert.Contains("Not enough evidence: 1 similar resolved case", advice.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task New_cases_from_several_customers_quoting_the_tickets_code_in_the_last_hours_advise_incident_handling()
    {
        using TicketMatcher matcher = await SeedAsync(
            Resolved("Q-1", "Export fails with ERR_EXPORT_QUOTA", "Scheduled export stops with ERR_EXPORT_QUOTA", engineering: false),
            Resolved("Q-2", "ERR_EXPORT_QUOTA on CSV export", "CSV export stops with ERR_EXPORT_QUOTA at 50%", engineering: false),
            Resolved("Q-3", "Export quota error ERR_EXPORT_QUOTA", "We hit ERR_EXPORT_QUOTA on a small export", engineering: false));
        await using (TicketOpsDbContext seed = _temp.CreateContext())
        {
            for (int i = 0; i < 3; i++)
            {
                SupportCase open = Case($"N-{i}", $"2026-05-10 {9 + i:00}:00");
                open.Title = "Exports fail with ERR_EXPORT_QUOTA since this morning";
                open.Version = "v4.10.1";
                open.Customer = "customer-" + i;
                seed.Cases.Add(open);
            }

            await seed.SaveChangesAsync();
        }

        await using TicketOpsDbContext db = _temp.CreateContext();
        OwnershipAdvice advice = await new OwnershipAdvisor(matcher).AdviseAsync(db, "All our exports fail with ERR_EXPORT_QUOTA", null, [], s_now);

        Assert.Equal(OwnershipDepth.Incident, advice.Depth);
        Assert.NotNull(advice.Surge);
        Assert.Equal(("ERR_EXPORT_QUOTA", "N-0", 4, 4), (advice.Surge.Identifier, advice.Surge.FirstCase, advice.Surge.Cases, advice.Surge.CasesToFlag));
        Assert.Equal(OwnershipDepth.Frontline, OwnershipAdvisor.Decide(advice.Cases, null, null, null, OwnershipAdvisorOptions.Default).Depth);
    }

    private static SupportCase Resolved(string id, string title, string description, bool engineering)
    {
        SupportCase c = Case(id, "2026-04-01 09:00", escalated: engineering ? "2026-04-01 12:00" : null, resolved: "2026-04-03 09:00");
        c.Title = title;
        c.Description = description;
        c.Handoffs = [new CaseHandoff { At = c.CreatedAt, Team = "Tier 1 EMEA" }];
        return c;
    }

    private async Task<TicketMatcher> SeedAsync(params SupportCase[] cases)
    {
        await using TicketOpsDbContext db = _temp.CreateContext();
        db.Cases.AddRange(cases);
        db.Set<KnowledgeArticle>().Add(new KnowledgeArticle { Id = "IT-0100", Type = KnowledgeType.Template, Title = "Webhook failures", Owner = "kim", Sections = [new("When to escalate", "Escalate when the signature is valid and deliveries still fail. Include the delivery id.")] });
        db.Set<KnowledgeArticle>().Add(new KnowledgeArticle { Id = "PB-0100", Type = KnowledgeType.Playbook, Title = "Webhook 410", Owner = "kim", TemplateId = "IT-0100" });
        await db.SaveChangesAsync();
        var matcher = new TicketMatcher(new LexicalIndex(null), new EmbeddingStore(), fixture.Embedder);
        await matcher.IndexAsync([.. cases.Select(MatchDocument.FromCase)]);
        return matcher;
    }
}

[Collection(MiniLMGroup.Name)]
public sealed class SqliteOwnershipAdvisorStorageTests(EmbedderFixture fixture) : OwnershipAdvisorStorageTests(fixture, DatabaseProvider.Sqlite);

[Collection(MiniLMGroup.Name)]
public sealed class PostgreSqlOwnershipAdvisorStorageTests(EmbedderFixture fixture) : OwnershipAdvisorStorageTests(fixture, DatabaseProvider.PostgreSql);
