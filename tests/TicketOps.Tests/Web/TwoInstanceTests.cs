using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Review;
using TicketOps.Core.Storage;
using TicketOps.TestSupport;
using TicketOps.Web.Access;
using Xunit.Abstractions;

namespace TicketOps.Tests.Web;

/// <summary>One instance of the app behind a load balancer: its own data directory (index) and knowledge folder, the shared database.</summary>
public sealed class InstanceWebFactory(DatabaseLocation database) : TicketOpsWebFactory
{
    protected override DatabaseLocation? SharedDatabase => database;

    // Polling short, so the tests wait on the feed for a fraction of a second, not the production 5 s; each
    // instance's knowledge folder an export of the database, as docs/storage.md says to deploy several.
    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["TicketOps:ChangeFeedPollSeconds"] = "0.2",
        ["TicketOps:KnowledgeDirIsExport"] = "true",
    };
}

/// <summary>Two instances, A and B, on one database.</summary>
public abstract class TwoInstances : IDisposable
{
    private readonly TestDatabase _database;

    protected TwoInstances(DatabaseProvider provider)
    {
        _database = TestDatabase.Create(provider);
        A = new InstanceWebFactory(_database.Location);
        B = new InstanceWebFactory(_database.Location);

        // The knowledge loaded into the shared database once, as 'ticketops knowledge sync --database ...' does.
        using (TicketOpsDbContext db = _database.CreateContext())
        {
            Assert.True(KnowledgeFolder.SyncAsync(A.KnowledgeDir, db).GetAwaiter().GetResult().IsClean);
        }

        // Started one after the other, as a rolling deployment does.
        A.KeyFor(AccessRoles.KnowledgeOwner);
        B.KeyFor(AccessRoles.KnowledgeOwner);
    }

    public InstanceWebFactory A { get; }

    public InstanceWebFactory B { get; }

    public void Dispose()
    {
        A.Dispose();
        B.Dispose();
        _database.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteTwoInstances() : TwoInstances(DatabaseProvider.Sqlite);

public sealed class PostgreSqlTwoInstances() : TwoInstances(DatabaseProvider.PostgreSql);

/// <summary>
/// Several instances behind one load balancer: what is stored through one becomes matchable on the other from the
/// database's change log, and decisions on the same candidate from both are one decision and one conflict.
/// </summary>
public abstract class TwoInstanceTests<TInstances>(TInstances instances, ITestOutputHelper output) : IClassFixture<TInstances>
    where TInstances : TwoInstances
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(30);

    private InstanceWebFactory A { get; } = Logged(instances.A, output);

    private InstanceWebFactory B { get; } = Logged(instances.B, output);

    [Fact]
    public async Task A_case_posted_to_one_instance_becomes_matchable_on_the_other_within_a_bounded_time()
    {
        using HttpClient adminA = A.ClientFor(AccessRoles.Admin);
        using HttpClient agentB = B.ClientFor(AccessRoles.Agent);
        const string ticket = "The fax gateway rejects every PDF attachment over 4 MB with error FXG-413 since the relay update";

        await WebApi.PostOkAsync(adminA, "/api/cases", WebApi.Case("fax-1", "Fax gateway rejects PDF attachments over 4 MB with FXG-413", resolved: true));
        var stopwatch = Stopwatch.StartNew();
        bool found = await EventuallyAsync(async () => MatchedIds(await WebApi.PostOkAsync(agentB, "/api/match", new { text = ticket })).Contains("case:api-test:fax-1"));

        Assert.True(found, $"the case posted to A was not matchable on B after {s_bound.TotalSeconds} s");
        output.WriteLine($"matchable on B after {stopwatch.Elapsed.TotalSeconds:N2} s");
        JsonElement ready = await WebApi.GetOkAsync(B.ClientFor(null), "/health/ready");
        JsonElement changes = ready.GetProperty("checks").GetProperty("changes");
        Assert.Equal("Healthy", changes.GetProperty("status").GetString());
        Assert.True(changes.GetProperty("data").GetProperty("last_applied_id").GetInt64() >= 1);
        Assert.True(changes.GetProperty("data").TryGetProperty("lag_seconds", out _));
        Assert.True(changes.GetProperty("data").TryGetProperty("pending", out _));
    }

    [Fact]
    public async Task An_article_approved_on_one_instance_is_suggested_by_the_other()
    {
        long id = await ReviewApi.MineCandidateAsync(B, "lbl", "Label printer prints blank labels after the driver update", "The new driver defaults to the wrong media type", "Set the media type to direct thermal; Print a test label");
        using HttpClient ownerB = B.ClientFor(AccessRoles.KnowledgeOwner);
        using HttpClient agentA = A.ClientFor(AccessRoles.Agent);

        JsonElement approved = await WebApi.PostOkAsync(ownerB, $"/api/review/candidates/{id}/approve", new { });
        string knowledgeId = approved.GetProperty("knowledge_id").GetString()!;
        bool suggested = await EventuallyAsync(async () =>
            MatchedIds(await WebApi.PostOkAsync(agentA, "/api/match", new { text = "Our label printer prints only blank labels since the driver update" })).Contains(knowledgeId));

        Assert.True(suggested, $"{knowledgeId}, approved on B, was not suggested by A after {s_bound.TotalSeconds} s");
    }

    [Fact]
    public async Task The_same_candidate_approved_on_both_instances_at_once_is_one_article_and_one_conflict()
    {
        long id = await ReviewApi.MineCandidateAsync(A, "dup", "Scanner app freezes when the document feeder jams", "Feeder jam event not handled by the scan service", "Update the scan service; Clear the feeder and rescan");
        using HttpClient ownerA = A.ClientFor(AccessRoles.KnowledgeOwner);
        using HttpClient ownerB = B.ClientFor(AccessRoles.KnowledgeOwner);

        HttpResponseMessage[] responses = await Task.WhenAll(
            ownerA.PostAsJsonAsync(new Uri($"/api/review/candidates/{id}/approve", UriKind.Relative), new { }),
            ownerB.PostAsJsonAsync(new Uri($"/api/review/candidates/{id}/approve", UriKind.Relative), new { }));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        HttpResponseMessage lost = Assert.Single(responses, r => r.StatusCode != HttpStatusCode.OK);
        JsonElement problem = await WebApi.ProblemAsync(lost, HttpStatusCode.Conflict);
        Assert.Matches("another decision|already approved", problem.GetProperty("detail").GetString()!);
        await using TicketOpsDbContext db = A.OpenDatabase();
        Assert.Equal(1, await db.Set<AuditEntry>().CountAsync(e => e.CandidateId == id));
    }

    [Fact]
    public async Task A_merge_on_one_instance_into_an_article_approved_on_the_other_overwrites_its_stale_export_and_both_folders_get_the_new_version()
    {
        long approvedOnB = await ReviewApi.MineCandidateAsync(B, "rcp", "Receipt printer cuts every receipt in half after the firmware update", "Cutter position reset by the firmware", "Set the cutter offset back to 0; Print a test receipt");
        long mergedOnA = await ReviewApi.MineCandidateAsync(A, "rcp2", "Receipt printer cuts receipts in the middle since the firmware update", "Cutter position reset by the firmware", "Set the cutter offset back to 0");
        using HttpClient ownerA = A.ClientFor(AccessRoles.KnowledgeOwner);
        using HttpClient ownerB = B.ClientFor(AccessRoles.KnowledgeOwner);
        string knowledgeId = (await WebApi.PostOkAsync(ownerB, $"/api/review/candidates/{approvedOnB}/approve", new { })).GetProperty("knowledge_id").GetString()!;
        string fileOnA = Path.Combine(A.KnowledgeDir, "playbooks", knowledgeId + ".md");
        string fileOnB = Path.Combine(B.KnowledgeDir, "playbooks", knowledgeId + ".md");
        Assert.True(await EventuallyAsync(() => Task.FromResult(File.Exists(fileOnA))), $"{knowledgeId} was not exported to A's folder");

        // A's copy falls behind (an old export, a stray edit): the database, not the folder, is the truth.
        string exported = File.ReadAllText(fileOnA);
        Assert.Contains("version: 1", exported, StringComparison.Ordinal);
        File.WriteAllText(fileOnA, exported.Replace("version: 1", "version: 7", StringComparison.Ordinal));
        JsonElement merged = await WebApi.PostOkAsync(ownerA, $"/api/review/candidates/{mergedOnA}/merge", new { target_id = knowledgeId });

        Assert.Equal(knowledgeId, merged.GetProperty("knowledge_id").GetString());
        Assert.Contains("version: 2", File.ReadAllText(fileOnA), StringComparison.Ordinal);
        Assert.True(await EventuallyAsync(() => Task.FromResult(File.ReadAllText(fileOnB).Contains("version: 2", StringComparison.Ordinal))), "B's folder did not get the merged version");
    }

    [Fact]
    public async Task The_same_ticket_posted_to_both_instances_at_once_is_one_case_holding_the_newer_source_version()
    {
        using HttpClient adminA = A.ClientFor(AccessRoles.Admin);
        using HttpClient adminB = B.ClientFor(AccessRoles.Admin);
        // A few rounds, a ticket each, alternating which instance gets the older version, so that some requests
        // overlap in the database whatever the scheduler does.
        for (int round = 0; round < 6; round++)
        {
            string id = $"race-{round}";
            object older = Versioned(id, "Sync agent drops calendar invites (first report)", "2026-10-01T09:00:00Z");
            object newer = Versioned(id, "Sync agent drops calendar invites for shared mailboxes", "2026-10-01T10:00:00Z");
            (HttpClient olderTo, HttpClient newerTo) = round % 2 == 0 ? (adminA, adminB) : (adminB, adminA);

            HttpResponseMessage[] responses = await Task.WhenAll(
                olderTo.PostAsJsonAsync(new Uri("/api/cases", UriKind.Relative), older),
                newerTo.PostAsJsonAsync(new Uri("/api/cases", UriKind.Relative), newer));

            JsonElement[] bodies = new JsonElement[2];
            for (int i = 0; i < 2; i++)
            {
                string text = await responses[i].Content.ReadAsStringAsync();
                Assert.True(responses[i].StatusCode == HttpStatusCode.OK, $"{(int)responses[i].StatusCode}: {text}");
                bodies[i] = JsonDocument.Parse(text).RootElement;
            }

            // The newer one inserts or updates; the older one inserts (and is overwritten) or is stale.
            Assert.Equal(1, bodies[1].GetProperty("inserted").GetInt32() + bodies[1].GetProperty("updated").GetInt32());
            Assert.Equal(1, bodies[0].GetProperty("inserted").GetInt32() + bodies[0].GetProperty("stale").GetInt32());
            Assert.Equal(1, bodies[0].GetProperty("inserted").GetInt32() + bodies[1].GetProperty("inserted").GetInt32());
            await using TicketOpsDbContext db = A.OpenDatabase();
            var stored = await db.Cases.Where(c => c.Source == "api-test" && c.ExternalId == id).ToListAsync();
            Assert.Equal("Sync agent drops calendar invites for shared mailboxes", Assert.Single(stored).Title);
        }
    }

    [Fact]
    public async Task A_page_session_signed_in_on_one_instance_is_valid_on_the_other()
    {
        using HttpClient toB = B.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using HttpClient toA = A.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        HttpResponseMessage signIn = await toA.PostAsJsonAsync(new Uri("/auth/signin", UriKind.Relative), new { key = A.KeyFor(AccessRoles.KnowledgeOwner) });
        string cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("ticketops.session=", StringComparison.Ordinal)).Split(';')[0];

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/review/queue", UriKind.Relative));
        request.Headers.Add("Cookie", cookie);
        HttpResponseMessage onB = await toB.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, onB.StatusCode);
        await using TicketOpsDbContext db = A.OpenDatabase();
        Assert.True(await db.Set<TicketOps.Core.Access.KeyRingEntry>().AnyAsync(), "the key ring is kept in the shared database");
    }

    private static object Versioned(string id, string title, string updatedAt) => new
    {
        external_id = id,
        source = "api-test",
        title,
        description = title + ". It started after the last release.",
        created_at = "2026-10-01T08:00:00Z",
        updated_at = updatedAt,
    };

    private static InstanceWebFactory Logged(InstanceWebFactory instance, ITestOutputHelper output)
    {
        instance.Output = output;
        return instance;
    }

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < s_bound)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(200);
        }

        return false;
    }

    private static string[] MatchedIds(JsonElement match) =>
        [.. match.GetProperty("groups").EnumerateArray().SelectMany(g => g.GetProperty("items").EnumerateArray()).Select(i => i.GetProperty("id").GetString()!)];
}

public sealed class SqliteTwoInstanceTests(SqliteTwoInstances instances, ITestOutputHelper output) : TwoInstanceTests<SqliteTwoInstances>(instances, output);

public sealed class PostgreSqlTwoInstanceTests(PostgreSqlTwoInstances instances, ITestOutputHelper output) : TwoInstanceTests<PostgreSqlTwoInstances>(instances, output);
