using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Cases;
using TicketOps.Core.Import;
using TicketOps.Core.Storage;
using TicketOps.Core.Tests.Support;

namespace TicketOps.Core.Tests.Import;

/// <summary>
/// Two importers on two contexts (as two instances sharing the database, or a CLI import beside a server) storing
/// the same tickets at the same moment: one row per (source, external id), the record with the newer source
/// <c>updated_at</c> wins whatever the arrival order, and every record is counted once as inserted, updated,
/// unchanged or stale.
/// </summary>
public abstract class ConcurrentImportTests(DatabaseProvider provider) : IDisposable
{
    private const int Shared = 60;
    private const int OwnEach = 10;
    private static readonly DateTime s_older = new(2025, 3, 1, 8, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime s_newer = new(2025, 3, 2, 8, 0, 0, DateTimeKind.Utc);

    private readonly TempDataDirectory _temp = new(provider);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Overlapping_imports_at_the_same_moment_store_each_ticket_once_and_the_newer_source_version()
    {
        // Several rounds, each on a source of its own, so that some of them overlap in the database whatever the
        // scheduler does; the same assertions hold for any interleaving. In the first rounds both race to insert the
        // shared tickets, in the others both race to update them (an even older version is stored first).
        for (int round = 0; round < 8; round++)
        {
            string source = $"desk{round}";
            bool seeded = round >= 4;
            if (seeded)
            {
                await ImportAsync(_temp.WriteFile($"oldest-{round}.jsonl", Export(source, "oldest", s_older.AddDays(-1), "X", own: 0)));
            }

            string older = _temp.WriteFile($"older-{round}.jsonl", Export(source, "older", s_older, "O"));
            string newer = _temp.WriteFile($"newer-{round}.jsonl", Export(source, "newer", s_newer, "N"));
            long changesBefore = await ChangeCountAsync();

            // Alternate which one is started first, so both arrival orders are raced.
            string[] files = round % 2 == 0 ? [older, newer] : [newer, older];
            using var barrier = new Barrier(2);
            ImportResult[] results = await Task.WhenAll(files.Select(file => Task.Run(async () =>
            {
                await using TicketOpsDbContext db = _temp.CreateContext();
                var importer = new CaseImporter(db, TimeProvider.System);
                barrier.SignalAndWait();
                return await importer.ImportAsync([file], new ImportOptions());
            })));

            ImportResult olderResult = results[Array.IndexOf(files, older)];
            ImportResult newerResult = results[Array.IndexOf(files, newer)];
            Assert.True(olderResult.Succeeded, olderResult.Problem);
            Assert.True(newerResult.Succeeded, newerResult.Problem);

            List<SupportCase> stored = await CasesAsync(source);
            Assert.Equal(Shared + 2 * OwnEach, stored.Count);
            SupportCase[] shared = [.. stored.Where(c => c.ExternalId.StartsWith("S-", StringComparison.Ordinal))];
            Assert.Equal(Shared, shared.Length);
            Assert.All(shared, c => Assert.Equal("newer", c.Title));
            Assert.All(shared, c => Assert.Equal(s_newer, c.SourceUpdatedAt));

            // The newer export never loses: it inserted or updated every ticket. The older one inserted or updated each
            // (and was overwritten later) or found the newer version already there (stale), never both.
            Assert.Equal(Shared + OwnEach, newerResult.Inserted + newerResult.Updated);
            Assert.Equal(0, newerResult.Stale);
            Assert.Equal(Shared + OwnEach, olderResult.Inserted + olderResult.Updated + olderResult.Stale);
            // Each ticket was inserted exactly once, by one of the three imports.
            Assert.Equal(seeded ? 2 * OwnEach : Shared + 2 * OwnEach, olderResult.Inserted + newerResult.Inserted);
            if (!seeded)
            {
                Assert.Equal(0, olderResult.Updated);
            }

            // One change per insert and per applied update, written with the cases.
            Assert.Equal(olderResult.Inserted + olderResult.Updated + newerResult.Inserted + newerResult.Updated, await ChangeCountAsync() - changesBefore);
            await using TicketOpsDbContext check = _temp.CreateContext();
            ImportRun run = await check.ImportRuns.SingleAsync(r => r.Files.EndsWith($"older-{round}.jsonl"));
            Assert.Equal((olderResult.Inserted, olderResult.Updated, olderResult.Stale), (run.Inserted, run.Updated, run.Stale));
        }
    }

    [Fact]
    public async Task An_older_version_arriving_later_is_reported_stale_and_not_applied()
    {
        string newer = _temp.WriteFile("newer.jsonl", Export("desk", "newer", s_newer, "N"));
        string older = _temp.WriteFile("older.jsonl", Export("desk", "older", s_older, "O"));

        ImportResult first = await ImportAsync(newer);
        ImportResult late = await ImportAsync(older);

        Assert.Equal(Shared + OwnEach, first.Inserted);
        Assert.Equal(Shared, late.Stale);
        Assert.Equal(OwnEach, late.Inserted);
        Assert.Equal(0, late.Updated);
        Assert.All((await CasesAsync("desk")).Where(c => c.ExternalId.StartsWith("S-", StringComparison.Ordinal)), c => Assert.Equal("newer", c.Title));
        // The stale records changed nothing, so they are not in the change log either.
        Assert.Equal(OwnEach, late.ChangedCaseIds.Count);
    }

    [Fact]
    public async Task A_newer_version_replaces_an_older_one_and_an_equal_time_with_new_content_is_applied()
    {
        string older = _temp.WriteFile("older.jsonl", Export("desk", "older", s_older, "O"));
        string newer = _temp.WriteFile("newer.jsonl", Export("desk", "newer", s_newer, "N"));
        // Same source time, corrected content (e.g. a fixed mapping): applied, as arrival order is all there is to go by.
        string corrected = _temp.WriteFile("corrected.jsonl", Export("desk", "corrected", s_newer, "N"));

        await ImportAsync(older);
        ImportResult replaced = await ImportAsync(newer);
        ImportResult again = await ImportAsync(corrected);

        Assert.Equal(Shared, replaced.Updated);
        Assert.Equal(Shared + OwnEach, again.Updated);
        Assert.Equal(0, again.Stale);
        Assert.All((await CasesAsync("desk")).Where(c => c.ExternalId.StartsWith("S-", StringComparison.Ordinal)), c => Assert.Equal("corrected", c.Title));
    }

    [Fact]
    public async Task Records_without_a_source_time_are_applied_in_arrival_order()
    {
        string first = _temp.WriteFile("first.jsonl", Line("T-1", "first", updatedAt: null));
        string second = _temp.WriteFile("second.jsonl", Line("T-1", "second", updatedAt: null));
        string timed = _temp.WriteFile("timed.jsonl", Line("T-1", "timed", s_older));
        string untimedAfterTimed = _temp.WriteFile("untimed.jsonl", Line("T-1", "untimed", updatedAt: null));

        await ImportAsync(first);
        Assert.Equal(1, (await ImportAsync(second)).Updated);
        Assert.Equal(1, (await ImportAsync(timed)).Updated);
        Assert.Equal(1, (await ImportAsync(untimedAfterTimed)).Updated);

        SupportCase stored = Assert.Single(await CasesAsync("json"));
        Assert.Equal("untimed", stored.Title);
        // A record that says nothing of its source time leaves the stored one, which still orders later versions.
        Assert.Equal(s_older, stored.SourceUpdatedAt);
    }

    /// <summary>Shared tickets S-0.., plus tickets only this export has (<paramref name="own"/>-0..).</summary>
    private static string Export(string source, string title, DateTime updatedAt, string ownPrefix, int own = OwnEach) =>
        string.Concat(Enumerable.Range(0, Shared).Select(i => Line($"S-{i}", title, updatedAt, source))
            .Concat(Enumerable.Range(0, own).Select(i => Line($"{ownPrefix}-{i}", title, updatedAt, source))));

    private static string Line(string id, string title, DateTime? updatedAt, string source = "json") =>
        $$"""{"source":"{{source}}","external_id":"{{id}}","title":"{{title}}","created_at":"2025-01-01T00:00:00Z"{{(updatedAt is { } at ? $",\"updated_at\":\"{at:yyyy-MM-ddTHH:mm:ssZ}\"" : "")}}}""" + "\n";

    private async Task<ImportResult> ImportAsync(string file)
    {
        await using TicketOpsDbContext db = _temp.CreateContext();
        ImportResult result = await new CaseImporter(db, TimeProvider.System).ImportAsync([file], new ImportOptions());
        Assert.True(result.Succeeded, result.Problem);
        return result;
    }

    private async Task<List<SupportCase>> CasesAsync(string source)
    {
        await using TicketOpsDbContext db = _temp.CreateContext();
        return await db.Cases.AsNoTracking().Where(c => c.Source == source).ToListAsync();
    }

    private async Task<long> ChangeCountAsync()
    {
        await using TicketOpsDbContext db = _temp.CreateContext();
        return await db.Set<ChangeLogEntry>().LongCountAsync();
    }
}

/// <summary>The tests above on the embedded SQLite file (a CLI import beside a server).</summary>
public sealed class SqliteConcurrentImportTests() : ConcurrentImportTests(DatabaseProvider.Sqlite);

/// <summary>The tests above on a fresh PostgreSQL database (two instances sharing it).</summary>
public sealed class PostgreSqlConcurrentImportTests() : ConcurrentImportTests(DatabaseProvider.PostgreSql);
