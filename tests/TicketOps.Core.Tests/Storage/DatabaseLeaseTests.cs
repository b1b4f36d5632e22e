using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Storage;
using TicketOps.Core.Tests.Support;
using TicketOps.TestSupport;

namespace TicketOps.Core.Tests.Storage;

/// <summary>The mining lease: one holder at a time across processes and machines sharing a database; a crashed holder's lease is taken over once it expires.</summary>
public abstract class DatabaseLeaseTests(DatabaseProvider provider) : IDisposable
{
    private static readonly TimeSpan s_ttl = TimeSpan.FromMinutes(2);
    private readonly TestDatabase _database = TestDatabase.Create(provider);
    private readonly TestClock _clock = new(new DateTimeOffset(2026, 12, 3, 18, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task A_second_taker_is_refused_naming_the_holder_and_since_when()
    {
        await using DatabaseLease first = await TakeAsync("mine on host-a (pid 11)");
        _clock.Advance(TimeSpan.FromSeconds(30));

        DatabaseLeaseResult second = await TryTakeAsync("mine on host-b (pid 22)");

        Assert.Null(second.Lease);
        Assert.Contains("held by mine on host-a (pid 11) since 2026-12-03 18:00:00 UTC", second.Refusal, StringComparison.Ordinal);
        Assert.Contains("renewed until 2026-12-03 18:02:00 UTC", second.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_released_lease_is_free_for_the_next_run()
    {
        await using (DatabaseLease first = await TakeAsync("first"))
        {
            Assert.Null(first.TookOverFrom);
        }

        await using DatabaseLease next = await TakeAsync("next");
        Assert.Null(next.TookOverFrom);
    }

    [Fact]
    public async Task An_expired_lease_of_a_crashed_holder_is_taken_over_and_the_old_holder_cannot_renew_or_release_it()
    {
        DatabaseLease crashed = await TakeAsync("mine on host-a (pid 11)");
        _clock.Advance(s_ttl + TimeSpan.FromSeconds(1));

        await using DatabaseLease next = await TakeAsync("mine on host-b (pid 22)");
        bool renewed = await crashed.RenewAsync();
        await crashed.DisposeAsync();

        Assert.Contains("mine on host-a (pid 11), holding it since 2026-12-03 18:00:00 UTC", next.TookOverFrom, StringComparison.Ordinal);
        Assert.False(renewed);
        Assert.True(crashed.Lost.IsCancellationRequested);
        DatabaseLeaseResult third = await TryTakeAsync("third");
        Assert.Contains("held by mine on host-b (pid 22)", third.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lease_of_a_process_of_this_machine_that_was_killed_is_taken_over_at_once_and_one_that_runs_is_not()
    {
        using (var gone = System.Diagnostics.Process.Start("true")!)
        {
            await gone.WaitForExitAsync();
            _ = await TakeAsync(DatabaseLease.ThisProcessWithId("mine", gone.Id));
        }

        _clock.Advance(TimeSpan.FromSeconds(5));
        await using DatabaseLease next = await TakeAsync(DatabaseLease.ThisProcess("mine"));

        Assert.Contains("a process of this machine that no longer runs", next.TookOverFrom, StringComparison.Ordinal);
        DatabaseLeaseResult refused = await TryTakeAsync("mine on host-b (pid 22)");
        Assert.Contains($"held by {DatabaseLease.ThisProcess("mine")}", refused.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_renewed_lease_is_not_taken_over_after_its_first_expiry()
    {
        await using DatabaseLease holder = await TakeAsync("long run");
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await holder.RenewAsync());
        _clock.Advance(TimeSpan.FromMinutes(1.5));

        DatabaseLeaseResult other = await TryTakeAsync("other");

        Assert.Null(other.Lease);
        Assert.Contains("renewed until 2026-12-03 18:03:00 UTC", other.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Of_several_runs_starting_at_once_exactly_one_takes_the_lease()
    {
        DatabaseLeaseResult[] results = await TakeAtOnceAsync(takers: 6);

        DatabaseLeaseResult winner = Assert.Single(results, r => r.Lease is not null);
        Assert.All(results.Where(r => r.Lease is null), r => Assert.Contains($"held by {winner.Lease!.Holder}", r.Refusal, StringComparison.Ordinal));
        await winner.Lease!.DisposeAsync();
    }

    [Fact]
    public async Task Of_several_runs_finding_an_expired_lease_at_once_exactly_one_takes_it_over()
    {
        await TakeAsync("crashed");
        _clock.Advance(s_ttl + TimeSpan.FromSeconds(1));
        DatabaseLeaseResult[] results = await TakeAtOnceAsync(takers: 6);

        DatabaseLeaseResult winner = Assert.Single(results, r => r.Lease is not null);
        Assert.NotNull(winner.Lease!.TookOverFrom);
        await using TicketOpsDbContext db = _database.CreateContext();
        Assert.Equal(winner.Lease.Holder, (await db.Set<DatabaseLeaseRow>().SingleAsync()).Holder);
        await winner.Lease.DisposeAsync();
    }

    public void Dispose()
    {
        _database.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task<DatabaseLease> TakeAsync(string holder)
    {
        DatabaseLeaseResult result = await TryTakeAsync(holder);
        Assert.True(result.Lease is not null, result.Refusal);
        return result.Lease;
    }

    private async Task<DatabaseLeaseResult[]> TakeAtOnceAsync(int takers)
    {
        using var barrier = new Barrier(takers);
        return await Task.WhenAll(Enumerable.Range(0, takers).Select(i => Task.Run(async () =>
        {
            barrier.SignalAndWait();
            return await TryTakeAsync($"taker {i}");
        })));
    }

    // Renewals by hand: the test clock stands still, and the test says when a holder renews.
    private Task<DatabaseLeaseResult> TryTakeAsync(string holder) =>
        DatabaseLease.TryTakeAsync(_database.CreateContext, DatabaseLease.Mining, holder, s_ttl, _clock, renewInBackground: false);
}

public sealed class SqliteDatabaseLeaseTests() : DatabaseLeaseTests(DatabaseProvider.Sqlite);

public sealed class PostgreSqlDatabaseLeaseTests() : DatabaseLeaseTests(DatabaseProvider.PostgreSql);
