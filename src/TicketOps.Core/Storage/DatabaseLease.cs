using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace TicketOps.Core.Storage;

/// <summary>
/// One row per named lease (<c>leases</c>): who holds it, since when and until when it stays theirs without a
/// renewal. A lease in the database, not a lock on a file, because the holders it keeps apart are processes on
/// other machines sharing one database; and a row with an expiry, not a session lock (PostgreSQL advisory lock),
/// because the same code must work on SQLite, and a row says who holds it.
/// </summary>
public sealed class DatabaseLeaseRow
{
    /// <summary>What the lease is for, e.g. <c>mine</c>.</summary>
    public required string Name { get; set; }

    /// <summary>The holder as a person reads it: host, process id, what it runs.</summary>
    public required string Holder { get; set; }

    /// <summary>A random token of this one holding: renewals and the release touch only the row that is still theirs.</summary>
    public required string Token { get; set; }

    /// <summary>When the holder took it (UTC).</summary>
    public DateTime AcquiredAt { get; set; }

    /// <summary>Until when it is the holder's without a renewal (UTC); after that anyone may take it over.</summary>
    public DateTime ExpiresAt { get; set; }
}

internal sealed class DatabaseLeaseRowConfiguration : IEntityTypeConfiguration<DatabaseLeaseRow>
{
    public void Configure(EntityTypeBuilder<DatabaseLeaseRow> builder)
    {
        builder.ToTable(DatabaseLease.Table);
        builder.HasKey(l => l.Name);
        builder.Property(l => l.Name).HasMaxLength(64);
        builder.Property(l => l.Holder).HasMaxLength(300);
        builder.Property(l => l.Token).HasMaxLength(32);
    }
}

/// <summary>
/// A held lease: renewed in the background while held, released when disposed. A holder that crashes stops
/// renewing, and its lease is taken over once it expires (<see cref="TimeToLive"/> after the last renewal).
/// </summary>
public sealed class DatabaseLease : IAsyncDisposable
{
    /// <summary>The table's name.</summary>
    public const string Table = "leases";

    /// <summary>The lease that keeps mining runs apart: two runs at once would both redraft the same candidates.</summary>
    public const string Mining = "mine";

    /// <summary>
    /// How long a lease stays its holder's without a renewal. Renewals come every third of it, so a holder busy on
    /// two shared cores has two chances to renew before it loses the lease, and a crashed holder blocks the next
    /// run for at most this long.
    /// </summary>
    public static readonly TimeSpan DefaultTimeToLive = TimeSpan.FromMinutes(2);

    // The end of a holder name made by ThisProcess: its machine and process id.
    private static readonly System.Text.RegularExpressions.Regex s_holder = new(@" on (?<host>\S+) \(pid (?<pid>\d+)\)$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    private readonly Func<TicketOpsDbContext> _createContext;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewals;

    private DatabaseLease(Func<TicketOpsDbContext> createContext, DatabaseLeaseRow row, TimeSpan timeToLive, TimeProvider time, string? tookOverFrom, bool renewInBackground)
    {
        _createContext = createContext;
        _time = time;
        Name = row.Name;
        Holder = row.Holder;
        Token = row.Token;
        TimeToLive = timeToLive;
        TookOverFrom = tookOverFrom;
        Lost = _lost.Token;
        _renewals = renewInBackground ? RenewUntilStoppedAsync() : Task.CompletedTask;
    }

    /// <summary>The lease's name.</summary>
    public string Name { get; }

    /// <summary>Who holds it (this process).</summary>
    public string Holder { get; }

    /// <summary>How long it stays this holder's without a renewal.</summary>
    public TimeSpan TimeToLive { get; }

    /// <summary>When the lease was taken over from a holder whose lease had expired (a crash): that holder, and since when it had held it.</summary>
    public string? TookOverFrom { get; }

    /// <summary>Cancelled when a renewal finds the lease no longer this holder's (it stalled past the expiry and another took over).</summary>
    public CancellationToken Lost { get; }

    private string Token { get; }

    /// <summary>
    /// Whether a holder named by <see cref="ThisProcess"/> was a process of this machine that no longer runs (killed,
    /// crashed): its lease need not be waited out. A holder on another machine, or a process id now reused, waits for
    /// the expiry as before — the safe direction.
    /// </summary>
    internal static bool HolderHasExited(string holder)
    {
        System.Text.RegularExpressions.Match match = s_holder.Match(holder);
        if (!match.Success || match.Groups["host"].Value != Environment.MachineName || !int.TryParse(match.Groups["pid"].Value, CultureInfo.InvariantCulture, out int pid))
        {
            return false;
        }

        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true; // no process with that id
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    /// <summary>The holder name of this process: host, process id and what it does.</summary>
    public static string ThisProcess(string what) => ThisProcessWithId(what, Environment.ProcessId);

    /// <summary>The holder name of a process of this machine with the given id.</summary>
    internal static string ThisProcessWithId(string what, int processId) =>
        string.Create(CultureInfo.InvariantCulture, $"{what} on {Environment.MachineName} (pid {processId})");

    /// <summary>
    /// Takes the lease when nobody holds it or its holder's lease expired; otherwise says who holds it and since when.
    /// Atomic on both providers: an insert that only one of several takers can make, or an update of an expired row
    /// that only one can make.
    /// </summary>
    /// <param name="createContext">Opens a context on the shared database.</param>
    /// <param name="name">The lease, e.g. <see cref="Mining"/>.</param>
    /// <param name="holder">Who asks, as a person reads it (<see cref="ThisProcess"/>).</param>
    /// <param name="timeToLive">How long it stays the holder's without a renewal; <see cref="DefaultTimeToLive"/> when null.</param>
    /// <param name="timeProvider">The clock; the system clock when null.</param>
    /// <param name="renewInBackground">Renew every third of <paramref name="timeToLive"/> until disposed (false: the caller calls <see cref="RenewAsync"/>).</param>
    /// <param name="cancellationToken">Cancels.</param>
    public static async Task<DatabaseLeaseResult> TryTakeAsync(
        Func<TicketOpsDbContext> createContext, string name, string holder, TimeSpan? timeToLive = null, TimeProvider? timeProvider = null,
        bool renewInBackground = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(createContext);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(holder);
        TimeProvider time = timeProvider ?? TimeProvider.System;
        TimeSpan ttl = timeToLive ?? DefaultTimeToLive;
        DateTime now = time.GetUtcNow().UtcDateTime;
        var row = new DatabaseLeaseRow { Name = name, Holder = holder, Token = Guid.NewGuid().ToString("N"), AcquiredAt = now, ExpiresAt = now + ttl };
        await using TicketOpsDbContext db = createContext();
        db.Add(row);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return new DatabaseLeaseResult(new DatabaseLease(createContext, row, ttl, time, tookOverFrom: null, renewInBackground), null);
        }
        catch (DbUpdateException exception) when (TicketOpsDatabase.IsUniqueViolation(exception))
        {
            db.ChangeTracker.Clear();
        }

        DatabaseLeaseRow? current = await db.Set<DatabaseLeaseRow>().AsNoTracking().SingleOrDefaultAsync(l => l.Name == name, cancellationToken);
        bool holderGone = current is not null && HolderHasExited(current.Holder);
        if (current is not null && (current.ExpiresAt < now || holderGone))
        {
            // Only one taker's update matches the token it read (still expired, or still the vanished holder's).
            DateTime expiredBefore = holderGone ? DateTime.MaxValue : now;
            int taken = await db.Set<DatabaseLeaseRow>()
                .Where(l => l.Name == name && l.Token == current.Token && l.ExpiresAt < expiredBefore)
                .ExecuteUpdateAsync(
                    set => set.SetProperty(l => l.Holder, row.Holder).SetProperty(l => l.Token, row.Token).SetProperty(l => l.AcquiredAt, now).SetProperty(l => l.ExpiresAt, row.ExpiresAt),
                    cancellationToken);
            if (taken == 1)
            {
                string from = holderGone
                    ? $"{current.Holder}, holding it since {Utc(current.AcquiredAt)}, a process of this machine that no longer runs"
                    : $"{current.Holder}, holding it since {Utc(current.AcquiredAt)}, whose lease expired at {Utc(current.ExpiresAt)}";
                return new DatabaseLeaseResult(new DatabaseLease(createContext, row, ttl, time, from, renewInBackground), null);
            }

            current = await db.Set<DatabaseLeaseRow>().AsNoTracking().SingleOrDefaultAsync(l => l.Name == name, cancellationToken);
        }

        return current is null
            ? new DatabaseLeaseResult(null, $"The '{name}' lease was released while it was being taken; try again.")
            : new DatabaseLeaseResult(null, $"The '{name}' lease is held by {current.Holder} since {Utc(current.AcquiredAt)} (renewed until {Utc(current.ExpiresAt)}). " +
                "Wait for that run to finish; if it crashed, its lease expires at that time and the next run takes it over.");
    }

    /// <summary>Extends the lease by <see cref="TimeToLive"/> from now; false (and <see cref="Lost"/> cancelled) when it is no longer this holder's.</summary>
    public async Task<bool> RenewAsync(CancellationToken cancellationToken = default)
    {
        DateTime expires = _time.GetUtcNow().UtcDateTime + TimeToLive;
        await using TicketOpsDbContext db = _createContext();
        int renewed = await db.Set<DatabaseLeaseRow>()
            .Where(l => l.Name == Name && l.Token == Token)
            .ExecuteUpdateAsync(set => set.SetProperty(l => l.ExpiresAt, expires), cancellationToken);
        if (renewed == 0)
        {
            await _lost.CancelAsync();
        }

        return renewed == 1;
    }

    /// <summary>Stops renewing and gives the lease back (only if it is still this holder's).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _renewals;
        await using (TicketOpsDbContext db = _createContext())
        {
            await db.Set<DatabaseLeaseRow>().Where(l => l.Name == Name && l.Token == Token).ExecuteDeleteAsync();
        }

        _stop.Dispose();
        _lost.Dispose();
    }

    private async Task RenewUntilStoppedAsync()
    {
        TimeSpan interval = TimeToLive / 3;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await Task.Delay(interval, _time, _stop.Token);
                try
                {
                    if (!await RenewAsync(_stop.Token))
                    {
                        return;
                    }
                }
                catch (Exception exception) when (exception is DbUpdateException or System.Data.Common.DbException or TimeoutException or InvalidOperationException)
                {
                    // The database away for a moment: the next renewal tries again, before the lease expires.
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    private static string Utc(DateTime time) => time.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}

/// <summary>The outcome of <see cref="DatabaseLease.TryTakeAsync"/>: the lease, or who holds it.</summary>
/// <param name="Lease">The lease taken; null when refused.</param>
/// <param name="Refusal">Who holds it, since when, and what to do; null when taken.</param>
public sealed record DatabaseLeaseResult(DatabaseLease? Lease, string? Refusal);
