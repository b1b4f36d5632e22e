using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Storage;

namespace TicketOps.Core.Matching;

/// <summary>How far an instance's match index is behind the database's change log.</summary>
/// <param name="LastAppliedId">Every change up to this id is in this instance's index.</param>
/// <param name="LatestId">The newest change in the database.</param>
/// <param name="Pending">Changes in the database this instance has not applied yet.</param>
/// <param name="LagSeconds">Age of the oldest change not applied yet; 0 when none is pending.</param>
/// <param name="LastPassAt">When the last pass over the log finished (UTC); null before the first.</param>
public sealed record ChangeFeedStatus(long LastAppliedId, long LatestId, int Pending, double LagSeconds, DateTime? LastPassAt);

/// <summary>What one pass over the change log applied.</summary>
/// <param name="Changes">Changes read and applied.</param>
/// <param name="Cases">Distinct cases brought up to date.</param>
/// <param name="Articles">Distinct articles brought up to date.</param>
public sealed record ChangeFeedPass(int Changes, int Cases, int Articles)
{
    /// <summary>The articles brought up to date (an export folder writes them).</summary>
    public IReadOnlyCollection<string> ArticleIds { get; init; } = [];
}

/// <summary>
/// Keeps one instance's match index in step with a database that other instances (and CLI runs) change: reads
/// the change log after the last change it applied, and re-reads each changed case or article from the database
/// into the index (vectors come from the database by text hash; an item whose vector is not stored yet is
/// matched by BM25 until the background encoder gets to it). Remembers the last applied id in the data directory
/// (<see cref="StateFileName"/>), so a restart goes on where it stopped. Applying a change twice is harmless.
/// </summary>
/// <remarks>
/// PostgreSQL hands out ids when a row is inserted, not when its transaction commits, so a change with a lower
/// id can become visible after a higher one, and a rolled-back transaction leaves an id that never appears. The
/// follower therefore reads on after a missing id, remembers it, applies it if it shows up, and gives up on it
/// after <see cref="GapGrace"/> (changes are written last in their transaction, so a missing id that is not a
/// rollback shows up within milliseconds). The persisted id never passes a missing id still awaited.
/// </remarks>
public sealed class ChangeFeedFollower : IDisposable
{
    /// <summary>The file in the data directory that holds the last applied change id.</summary>
    public const string StateFileName = "change-feed.json";

    /// <summary>How long a missing change id is awaited before it counts as a rolled-back transaction.</summary>
    public static readonly TimeSpan DefaultGapGrace = TimeSpan.FromMinutes(2);

    private const int Batch = 1_000;
    private static readonly JsonSerializerOptions s_json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    private readonly string _statePath;
    private readonly string _database;
    private readonly TicketMatcher _matcher;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _pass = new(1, 1);
    private readonly Dictionary<long, DateTime> _missing = [];
    private long _readUpTo;
    private long _persisted;

    private ChangeFeedFollower(DataDirectory dataDirectory, TicketMatcher matcher, TimeProvider time, TimeSpan gapGrace, long? lastApplied)
    {
        _statePath = Path.Combine(dataDirectory.Root, StateFileName);
        _database = dataDirectory.Database.Description;
        _matcher = matcher;
        _time = time;
        GapGrace = gapGrace;
        HasState = lastApplied is not null;
        _readUpTo = _persisted = lastApplied ?? 0;
    }

    /// <summary>How long a missing change id is awaited.</summary>
    public TimeSpan GapGrace { get; }

    /// <summary>False until a position was read from the data directory or set by <see cref="StartAsync"/>.</summary>
    public bool HasState { get; private set; }

    /// <summary>Every change up to this id is applied to the index.</summary>
    public long LastAppliedId => _readUpTo;

    /// <summary>True once a pass found the database's log shorter than this index's position (a restore) and started over from its first change.</summary>
    public bool RestartedFromScratch { get; private set; }

    /// <summary>When the last pass finished (UTC).</summary>
    public DateTime? LastPassAt { get; private set; }

    /// <summary>Opens the follower of a data directory's index, at the position it remembers (none: see <see cref="StartAsync"/>).</summary>
    public static ChangeFeedFollower Open(DataDirectory dataDirectory, TicketMatcher matcher, TimeProvider? timeProvider = null, TimeSpan? gapGrace = null)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        ArgumentNullException.ThrowIfNull(matcher);
        return new ChangeFeedFollower(dataDirectory, matcher, timeProvider ?? TimeProvider.System, gapGrace ?? DefaultGapGrace, ReadState(dataDirectory));
    }

    /// <summary>
    /// Records that the data directory's index holds every change up to <paramref name="lastAppliedId"/>: after a
    /// rebuild from the database (<c>index rebuild</c> reads the latest id before it starts).
    /// </summary>
    public static void Remember(DataDirectory dataDirectory, long lastAppliedId)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        DurableFile.WriteAllText(Path.Combine(dataDirectory.Root, StateFileName), JsonSerializer.Serialize(new State(lastAppliedId, dataDirectory.Database.Description), s_json));
    }

    /// <summary>
    /// Without a remembered position: an index that holds items was built by this data directory's own verbs from
    /// the database as it is, so following starts at the latest change; an empty index starts at the first change.
    /// </summary>
    public async Task StartAsync(TicketOpsDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (HasState)
        {
            return;
        }

        _readUpTo = _matcher.Lexical.Count > 0 ? await ChangeLog.LatestIdAsync(db, cancellationToken) : 0;
        HasState = true;
        Save();
    }

    /// <summary>Applies every change after the last applied one, and any awaited missing id that appeared; returns what it applied.</summary>
    public async Task<ChangeFeedPass> CatchUpAsync(TicketOpsDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        await _pass.WaitAsync(cancellationToken);
        try
        {
            await StartAsync(db, cancellationToken);
            if (await ChangeLog.LatestIdAsync(db, cancellationToken) < _readUpTo)
            {
                // The database is older than this index (restored from a backup): a position past its last change
                // would skip every change it gets from now on. Apply its whole log instead (an index rebuild also
                // drops what the restore took away).
                RestartedFromScratch = true;
                _readUpTo = 0;
                _missing.Clear();
            }

            int changes = 0;
            var cases = new HashSet<long>();
            var articles = new HashSet<string>(StringComparer.Ordinal);
            DateTime now = _time.GetUtcNow().UtcDateTime;
            if (_missing.Count > 0)
            {
                long[] awaited = [.. _missing.Keys];
                List<ChangeLogEntry> late = await db.Set<ChangeLogEntry>().AsNoTracking().Where(e => awaited.Contains(e.Id)).ToListAsync(cancellationToken);
                changes += await ApplyAsync(db, late, cases, articles, cancellationToken);
                late.ForEach(e => _missing.Remove(e.Id));
                foreach (long id in _missing.Where(m => now - m.Value >= GapGrace).Select(m => m.Key).ToList())
                {
                    _missing.Remove(id);
                }
            }

            while (true)
            {
                long after = _readUpTo;
                List<ChangeLogEntry> entries = await db.Set<ChangeLogEntry>().AsNoTracking()
                    .Where(e => e.Id > after).OrderBy(e => e.Id).Take(Batch).ToListAsync(cancellationToken);
                if (entries.Count == 0)
                {
                    break;
                }

                long expected = after + 1;
                foreach (ChangeLogEntry entry in entries)
                {
                    for (long gap = expected; gap < entry.Id; gap++)
                    {
                        _missing.TryAdd(gap, now);
                    }

                    expected = entry.Id + 1;
                }

                changes += await ApplyAsync(db, entries, cases, articles, cancellationToken);
                _readUpTo = entries[^1].Id;
                if (entries.Count < Batch)
                {
                    break;
                }
            }

            LastPassAt = _time.GetUtcNow().UtcDateTime;
            Save();
            return new ChangeFeedPass(changes, cases.Count, articles.Count) { ArticleIds = articles };
        }
        finally
        {
            _pass.Release();
        }
    }

    /// <summary>How far behind the database this index is.</summary>
    public async Task<ChangeFeedStatus> StatusAsync(TicketOpsDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        long applied = _readUpTo;
        long latest = await ChangeLog.LatestIdAsync(db, cancellationToken);
        IQueryable<ChangeLogEntry> pending = db.Set<ChangeLogEntry>().Where(e => e.Id > applied);
        int count = await pending.CountAsync(cancellationToken);
        DateTime? oldest = count == 0 ? null : await pending.MinAsync(e => (DateTime?)e.At, cancellationToken);
        double lag = oldest is { } at ? Math.Max(0, (_time.GetUtcNow().UtcDateTime - at).TotalSeconds) : 0;
        return new ChangeFeedStatus(applied, latest, count, Math.Round(lag, 1), LastPassAt);
    }

    public void Dispose() => _pass.Dispose();

    private async Task<int> ApplyAsync(TicketOpsDbContext db, List<ChangeLogEntry> entries, HashSet<long> cases, HashSet<string> articles, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return 0;
        }

        long[] caseIds = [.. entries.Where(e => e.IsCase).Select(e => long.Parse(e.SubjectId, NumberStyles.None, CultureInfo.InvariantCulture)).Distinct()];
        string[] articleIds = [.. entries.Where(e => !e.IsCase).Select(e => e.SubjectId).Distinct(StringComparer.Ordinal)];
        if (caseIds.Length > 0)
        {
            // Vectors by text hash from the database; one not stored yet is computed by the background encoder.
            await CaseIndexSync.UpdateAsync(db, _matcher, caseIds, timing: VectorTiming.Later, cancellationToken: cancellationToken);
        }

        if (articleIds.Length > 0)
        {
            await KnowledgeDocuments.UpdateAsync(db, _matcher, articleIds, cancellationToken);
        }

        cases.UnionWith(caseIds);
        articles.UnionWith(articleIds);
        return entries.Count;
    }

    // The persisted position never passes an id still awaited: after a restart it is read again.
    private void Save()
    {
        long safe = _missing.Count == 0 ? _readUpTo : Math.Min(_readUpTo, _missing.Keys.Min() - 1);
        if (safe == _persisted && File.Exists(_statePath))
        {
            return;
        }

        DurableFile.WriteAllText(_statePath, JsonSerializer.Serialize(new State(safe, _database), s_json));
        _persisted = safe;
    }

    private static long? ReadState(DataDirectory dataDirectory)
    {
        string path = Path.Combine(dataDirectory.Root, StateFileName);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            State? state = JsonSerializer.Deserialize<State>(File.ReadAllText(path), s_json);

            // A position in another database means nothing here: start as without one.
            return state is not null && state.Database == dataDirectory.Database.Description ? state.LastAppliedId : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record State(long LastAppliedId, string Database);
}
