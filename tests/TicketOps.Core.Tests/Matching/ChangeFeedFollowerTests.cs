using System.Text.Json;
using TicketOps.Core.Import;
using TicketOps.Core.Matching;
using TicketOps.Core.Storage;
using TicketOps.Core.Tests.Support;
using TicketOps.TestSupport;

namespace TicketOps.Core.Tests.Matching;

/// <summary>
/// Two instances' data directories on one database: what one stores reaches the other's index through the change
/// log, with the vectors the first stored, and the follower's position survives a restart and waits for late ids.
/// </summary>
public abstract class ChangeFeedFollowerTests(EmbedderFixture fixture, DatabaseProvider provider) : IDisposable
{
    private readonly TestDatabase _database = TestDatabase.Create(provider);
    private readonly TempFolder _folders = new();
    private readonly TestClock _clock = new(new DateTimeOffset(2026, 12, 3, 18, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Cases_stored_through_one_instance_reach_the_other_with_the_vectors_the_first_stored()
    {
        (DataDirectory dataA, TicketMatcher matcherA) = Instance("a");
        (DataDirectory dataB, TicketMatcher matcherB) = Instance("b");
        using (matcherA)
        using (matcherB)
        {
            IReadOnlyList<long> ids = await ImportAsync(dataA, ("fax-1", "Fax gateway rejects PDF attachments over 4 MB with FXG-413"), ("vpn-1", "VPN client drops every 30 minutes on the guest network"));
            await using (TicketOpsDbContext db = TicketOpsDatabase.CreateContext(dataA))
            {
                await CaseIndexSync.UpdateAsync(db, matcherA, ids);
            }

            using var follower = ChangeFeedFollower.Open(dataB, matcherB, _clock);
            await using TicketOpsDbContext dbB = TicketOpsDatabase.CreateContext(dataB);
            ChangeFeedStatus before = await follower.StatusAsync(dbB);
            ChangeFeedPass pass = await follower.CatchUpAsync(dbB);
            ChangeFeedStatus after = await follower.StatusAsync(dbB);
            MatchResult match = await matcherB.MatchAsync(new MatchRequest { Text = "Our fax gateway refuses PDF attachments bigger than 4 MB, error FXG-413" });

            Assert.Equal((2, 2), (before.Pending, before.LatestId - before.LastAppliedId));
            Assert.Equal((2, 2, 0), (pass.Changes, pass.Cases, pass.Articles));
            Assert.Equal((0, 0.0, after.LatestId), (after.Pending, after.LagSeconds, after.LastAppliedId));
            Assert.Equal(2, matcherB.Lexical.Count);
            Assert.Equal(0, matcherB.PendingVectors); // both vectors came from the database: nothing to encode
            Assert.Equal("case:feed-test:fax-1", match.Items[0].Id);
        }
    }

    [Fact]
    public async Task The_position_is_remembered_in_the_data_directory_and_a_restart_applies_only_later_changes()
    {
        (DataDirectory dataA, TicketMatcher matcherA) = Instance("a");
        (DataDirectory dataB, TicketMatcher matcherB) = Instance("b");
        using (matcherA)
        using (matcherB)
        {
            await ImportAsync(dataA, ("fax-1", "Fax gateway rejects PDF attachments over 4 MB with FXG-413"));
            await using TicketOpsDbContext dbB = TicketOpsDatabase.CreateContext(dataB);
            using (var first = ChangeFeedFollower.Open(dataB, matcherB, _clock))
            {
                await first.CatchUpAsync(dbB);
            }

            await ImportAsync(dataA, ("fax-1", "Fax gateway rejects PDF and TIFF attachments over 4 MB with FXG-413"), ("vpn-1", "VPN client drops every 30 minutes"));
            using var restarted = ChangeFeedFollower.Open(dataB, matcherB, _clock);
            ChangeFeedPass pass = await restarted.CatchUpAsync(dbB);

            Assert.True(restarted.HasState);
            Assert.Equal((2, 2, 0), (pass.Changes, pass.Cases, pass.Articles)); // the update of fax-1 and the new vpn-1, not the first import again
            Assert.Equal(await ChangeLog.LatestIdAsync(dbB), restarted.LastAppliedId);
        }
    }

    [Fact]
    public async Task A_missing_id_is_applied_when_it_shows_up_and_the_remembered_position_waits_for_it_until_the_grace_ends()
    {
        (DataDirectory data, TicketMatcher matcher) = Instance("b");
        using (matcher)
        {
            IReadOnlyList<long> ids = await ImportAsync(data, ("fax-1", "Fax gateway rejects PDF attachments over 4 MB with FXG-413"));
            await using TicketOpsDbContext db = TicketOpsDatabase.CreateContext(data);
            using var follower = ChangeFeedFollower.Open(data, matcher, _clock, gapGrace: TimeSpan.FromMinutes(2));
            await follower.CatchUpAsync(db);
            long start = follower.LastAppliedId;
            string subject = ids[0].ToString(System.Globalization.CultureInfo.InvariantCulture);

            // start + 2 commits before start + 1 (PostgreSQL hands out ids at insert, not at commit).
            await AddChangeAsync(start + 2, subject);
            ChangeFeedPass early = await follower.CatchUpAsync(db);
            long rememberedWhileMissing = RememberedId(data);
            await AddChangeAsync(start + 1, subject);
            ChangeFeedPass late = await follower.CatchUpAsync(db);
            long rememberedAfter = RememberedId(data);

            // start + 4 without start + 3 ever showing up (a rolled-back transaction).
            await AddChangeAsync(start + 4, subject);
            await follower.CatchUpAsync(db);
            long rememberedDuringGrace = RememberedId(data);
            _clock.Advance(TimeSpan.FromMinutes(2));
            await follower.CatchUpAsync(db);

            Assert.Equal((1, 1), (early.Changes, late.Changes));
            Assert.Equal(start, rememberedWhileMissing);
            Assert.Equal(start + 2, rememberedAfter);
            Assert.Equal(start + 2, rememberedDuringGrace);
            Assert.Equal(start + 4, RememberedId(data));
        }
    }

    [Fact]
    public async Task A_database_restored_to_before_the_remembered_position_is_followed_from_its_first_change()
    {
        (DataDirectory data, TicketMatcher matcher) = Instance("b");
        using (matcher)
        {
            await ImportAsync(data, ("fax-1", "Fax gateway rejects PDF attachments over 4 MB with FXG-413"));
            ChangeFeedFollower.Remember(data, 500); // the index followed a newer database than the one restored
            await using TicketOpsDbContext db = TicketOpsDatabase.CreateContext(data);
            using var follower = ChangeFeedFollower.Open(data, matcher, _clock);

            ChangeFeedPass pass = await follower.CatchUpAsync(db);

            Assert.True(follower.RestartedFromScratch);
            Assert.Equal(1, pass.Cases);
            Assert.Equal(await ChangeLog.LatestIdAsync(db), RememberedId(data));
        }
    }

    public void Dispose()
    {
        _database.Dispose();
        _folders.Dispose();
        GC.SuppressFinalize(this);
    }

    private (DataDirectory Data, TicketMatcher Matcher) Instance(string name)
    {
        var data = new DataDirectory(Path.Combine(_folders.Path, name), _database.Location);
        return (data, TicketMatcher.Open(data, fixture.Embedder, vectorCache: StoredVectors.Of(data)));
    }

    private async Task<IReadOnlyList<long>> ImportAsync(DataDirectory data, params (string Id, string Title)[] cases)
    {
        JsonElement[] records = [.. cases.Select(c => JsonSerializer.SerializeToElement(new
        {
            external_id = c.Id,
            source = "feed-test",
            title = c.Title,
            description = c.Title + ". It started after the last release.",
            product = "Integrations",
            created_at = "2026-10-01T08:00:00Z",
            resolved_at = "2026-10-03T08:00:00Z",
            resolution = "Raised the relay's attachment limit.",
        }))];
        await using TicketOpsDbContext db = TicketOpsDatabase.CreateContext(data);
        ImportResult result = await new CaseImporter(db, _clock).ImportRecordsAsync(records, ImportFormat.Json, "test", new ImportOptions());
        Assert.True(result.Succeeded, result.Problem);
        return result.ChangedCaseIds;
    }

    private async Task AddChangeAsync(long id, string caseId)
    {
        await using TicketOpsDbContext db = _database.CreateContext();
        db.Add(new ChangeLogEntry { Id = id, Kind = ChangeKind.CaseUpdated, SubjectId = caseId, At = _clock.GetUtcNow().UtcDateTime });
        await db.SaveChangesAsync();
    }

    private static long RememberedId(DataDirectory data)
    {
        using JsonDocument state = JsonDocument.Parse(File.ReadAllText(Path.Combine(data.Root, ChangeFeedFollower.StateFileName)));
        return state.RootElement.GetProperty("last_applied_id").GetInt64();
    }
}

/// <summary>The tests above on one SQLite file shared by two data directories.</summary>
[Collection(MiniLMGroup.Name)]
public sealed class SqliteChangeFeedFollowerTests(EmbedderFixture fixture) : ChangeFeedFollowerTests(fixture, DatabaseProvider.Sqlite);

/// <summary>The tests above on one PostgreSQL database.</summary>
[Collection(MiniLMGroup.Name)]
public sealed class PostgreSqlChangeFeedFollowerTests(EmbedderFixture fixture) : ChangeFeedFollowerTests(fixture, DatabaseProvider.PostgreSql);
