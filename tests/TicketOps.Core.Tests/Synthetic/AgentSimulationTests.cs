using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Cases;
using TicketOps.Core.Escalation;
using TicketOps.Core.Import;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Matching;
using TicketOps.Core.Metrics;
using TicketOps.Core.Storage;
using TicketOps.Core.Synthetic;
using TicketOps.Core.Tests.Support;

namespace TicketOps.Core.Tests.Synthetic;

/// <summary>
/// A demo database (600 generated cases, the shipped knowledge folder, a real index with real embeddings)
/// replayed once for the whole year; built once for the class because indexing costs seconds.
/// </summary>
public sealed class ReplayFixture : IAsyncLifetime, IDisposable
{
    private readonly TempDataDirectory _temp = new();

    public SentenceEmbedder Embedder { get; } = new();

    public DataDirectory Data => _temp.Data;

    public DemoDataOptions Options { get; } = DemoSamples.Options(600, seed: 5);

    public Dictionary<string, string> Families { get; private set; } = [];

    public AgentSimulationSummary Summary { get; private set; } = null!;

    public TicketOpsDbContext CreateContext() => _temp.CreateContext();

    public AgentSimulationOptions SimulationOptions => new()
    {
        From = Options.Start,
        To = Options.End.AddDays(1),
        FamilyByExternalId = Families,
        Seed = 3,
        EncodeTicketText = false, // the stored vectors: the test checks bookkeeping, not matching quality
    };

    public async Task InitializeAsync()
    {
        List<CaseRecord> records = [.. DemoCaseGenerator.Generate(Options)];
        Families = records.Where(r => r.EvalFamily is not null).ToDictionary(r => r.ExternalId!, r => r.EvalFamily!);
        string file = _temp.WriteFile("cases.jsonl", string.Join('\n', records.Select(r => JsonSerializer.Serialize(r))));
        await using TicketOpsDbContext db = _temp.CreateContext();
        Assert.True((await new CaseImporter(db, TimeProvider.System).ImportAsync([file], new ImportOptions())).Succeeded);
        Assert.True((await KnowledgeFolder.SyncAsync(RepositoryKnowledgeFolder(), db)).IsClean);
        using (TicketMatcher matcher = TicketMatcher.Open(Data, Embedder))
        {
            await matcher.RebuildAsync(KnowledgeDocuments.AllAsync(db));
            Summary = await new AgentSimulation(db, matcher, Embedder).RunAsync(SimulationOptions);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        Embedder.Dispose();
        _temp.Dispose();
    }

    private static string RepositoryKnowledgeFolder()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "knowledge", "playbooks");
            if (Directory.Exists(candidate))
            {
                return Path.GetDirectoryName(candidate)!;
            }
        }

        throw new DirectoryNotFoundException("No knowledge/ folder above the test binaries.");
    }
}

public sealed class AgentSimulationTests(ReplayFixture fixture) : IClassFixture<ReplayFixture>
{
    private static readonly DateTime s_dmarcPlaybookCreated = new(2026, 3, 2, 0, 0, 0, DateTimeKind.Utc); // PB-0008

    [Fact]
    public async Task Replay_records_suggestions_links_votes_flags_and_packets_only_for_knowledge_that_existed_when_the_case_opened()
    {
        AgentSimulationSummary summary = fixture.Summary;
        await using TicketOpsDbContext db = fixture.CreateContext();
        var created = await db.Set<KnowledgeArticle>().ToDictionaryAsync(a => a.Id, a => a.Created);
        var cases = await db.Cases.AsNoTracking().ToDictionaryAsync(c => c.Id);
        List<KnowledgeEvent> suggestions = await db.Set<KnowledgeEvent>().Where(e => e.Kind == KnowledgeEventKind.Suggested).ToListAsync();

        Assert.Equal(cases.Count(c => c.Value.CreatedAt >= fixture.Options.Start), summary.Cases);
        Assert.True(summary.Events[KnowledgeEventKind.Used] > 50, $"{summary.Events[KnowledgeEventKind.Used]} links");
        Assert.True(summary.Events[KnowledgeEventKind.Helped] > summary.Events[KnowledgeEventKind.DidNotHelp]);
        Assert.True(summary.PacketsCaught > 0 && summary.PacketsCompleted > 0 && summary.PacketsCompleted < summary.PacketsCaught);
        Assert.All(suggestions, e => Assert.True(created[e.KnowledgeId] < DateOnly.FromDateTime(cases[e.CaseId].CreatedAt), $"{e.KnowledgeId} suggested on {cases[e.CaseId].ExternalId}"));
        Assert.All(await db.Set<KnowledgeEvent>().Where(e => e.Kind == KnowledgeEventKind.Flagged).ToListAsync(), e => Assert.False(string.IsNullOrWhiteSpace(e.Reason)));

        // Every escalated case of the window has a packet; the ones engineering returned stayed incomplete.
        var latest = (await db.Set<StoredEscalationPacket>().ToListAsync()).GroupBy(p => p.CaseId).ToDictionary(g => g.Key, g => g.MaxBy(p => p.Id)!);
        var escalated = cases.Values.Where(c => c.EscalatedAt is not null && c.CreatedAt >= fixture.Options.Start).ToList();
        Assert.All(escalated, c => Assert.True(latest.ContainsKey(c.Id)));
        Assert.All(escalated.Where(c => c.EscalationReturnedForMissingContext), c => Assert.False(latest[c.Id].IsComplete));
    }

    [Fact]
    public async Task Replay_is_deterministic_for_a_seed()
    {
        List<string> first = await EventsAsync();
        await using (TicketOpsDbContext db = fixture.CreateContext())
        {
            await db.Set<KnowledgeEvent>().ExecuteDeleteAsync();
            await db.Set<StoredEscalationPacket>().ExecuteDeleteAsync();
            await db.Database.ExecuteSqlRawAsync("UPDATE cases SET LinkedKnowledgeIds = '[]'");
            using TicketMatcher matcher = TicketMatcher.Open(fixture.Data, fixture.Embedder);
            await new AgentSimulation(db, matcher, fixture.Embedder).RunAsync(fixture.SimulationOptions);
        }

        Assert.Equal(first, await EventsAsync());
    }

    [Fact]
    public async Task Repeat_case_and_link_rates_of_a_family_rise_once_its_playbook_exists_and_match_the_simulations_own_counts()
    {
        await using TicketOpsDbContext db = fixture.CreateContext();
        var before = new MetricsQuery(fixture.Options.Start, s_dmarcPlaybookCreated, IssueFamilies.Notifications);
        var after = new MetricsQuery(s_dmarcPlaybookCreated.AddDays(1), fixture.Options.End.AddDays(1), IssueFamilies.Notifications);
        SupportMetricsReport early = await SupportMetrics.ComputeAsync(db, before);
        SupportMetricsReport late = await SupportMetrics.ComputeAsync(db, after);

        Assert.True(late.RepeatCaseRate.Numerator > 0);
        Assert.True(late.RepeatCaseRate.Value > (early.RepeatCaseRate.Value ?? 0), $"repeat-case {early.RepeatCaseRate} -> {late.RepeatCaseRate}");
        Assert.True(late.LinkRate.Value > early.LinkRate.Value, $"link rate {early.LinkRate} -> {late.LinkRate}");

        // By hand from the replay's decisions: a case "matched a known pattern" when a playbook was suggested
        // (the replay suggests only playbooks created before the case's day) and "followed" when it linked one.
        var product = await db.Cases.AsNoTracking().ToDictionaryAsync(c => c.Id, c => (c.Product, c.ResolvedAt));
        foreach ((MetricsQuery window, SupportMetricsReport report) in new[] { (before, early), (after, late) })
        {
            var opened = fixture.Summary.Decisions.Where(d => product[d.CaseId].Product == window.ProductArea && d.CreatedAt >= window.From && d.CreatedAt < window.To).ToList();
            var matched = opened.Where(d => d.Suggested.Any(IsPlaybook)).ToList();
            Assert.Equal(matched.Count, report.RepeatCaseRate.Denominator);
            Assert.Equal(matched.Count(d => d.Linked.Any(l => IsPlaybook(l) && d.Suggested.Contains(l))), report.RepeatCaseRate.Numerator);

            var closed = fixture.Summary.Decisions.Where(d => product[d.CaseId].Product == window.ProductArea && product[d.CaseId].ResolvedAt is { } r && r >= window.From && r < window.To).ToList();
            Assert.Equal(closed.Count, report.LinkRate.Denominator);
            Assert.Equal(closed.Count(d => d.Linked.Count > 0), report.LinkRate.Numerator);
        }
    }

    private static bool IsPlaybook(string id) => id.StartsWith("PB-", StringComparison.Ordinal);

    private async Task<List<string>> EventsAsync()
    {
        await using TicketOpsDbContext db = fixture.CreateContext();
        List<KnowledgeEvent> events = await db.Set<KnowledgeEvent>().AsNoTracking().OrderBy(e => e.Id).ToListAsync();
        List<StoredEscalationPacket> packets = await db.Set<StoredEscalationPacket>().AsNoTracking().OrderBy(p => p.Id).ToListAsync();
        return [.. events.Select(e => $"{e.CaseId} {e.KnowledgeId} {e.Kind} {e.Actor} {e.At:O} {e.Reason}"),
            .. packets.Select(p => $"{p.CaseId} {p.TemplateId} {p.IsComplete} {p.CreatedBy} {p.CreatedAt:O} {p.PacketJson}")];
    }
}
