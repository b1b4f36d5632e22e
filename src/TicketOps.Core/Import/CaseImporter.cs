using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Cases;
using TicketOps.Core.Storage;

namespace TicketOps.Core.Import;

/// <summary>What an import should do.</summary>
public sealed record ImportOptions
{
    /// <summary>Format of every file; detected per file from its name and content when null.</summary>
    public ImportFormat? Format { get; init; }

    /// <summary>How columns/properties map to TicketOps fields.</summary>
    public FieldMapping Mapping { get; init; } = new();

    /// <summary>Source name for every record; overrides the mapping's and the records' own.</summary>
    public string? Source { get; init; }

    /// <summary>Import the valid records and write the invalid ones to <see cref="RejectsPath"/>.</summary>
    public bool SkipInvalid { get; init; }

    /// <summary>Where rejected records go (JSON lines, each with its location, reasons and original text).</summary>
    public string? RejectsPath { get; init; }
}

/// <summary>How far an import has got, for a progress bar.</summary>
/// <param name="Stage"><c>read</c> or <c>write</c>.</param>
/// <param name="Done">Records done in this stage.</param>
/// <param name="Total">Records in this stage, when known.</param>
public readonly record struct ImportProgress(string Stage, int Done, int? Total);

/// <summary>A record that cannot be imported, and why.</summary>
/// <param name="Location">Where it is.</param>
/// <param name="Errors">Every problem found in it.</param>
public sealed record RecordFailure(SourceLocation Location, IReadOnlyList<FieldError> Errors)
{
    /// <inheritdoc />
    public override string ToString() => $"{Location}: {string.Join("; ", Errors)}";
}

/// <summary>The outcome of an import. When <see cref="Succeeded"/> is false nothing was written.</summary>
public sealed record ImportResult
{
    /// <summary>True when the import was committed.</summary>
    public bool Succeeded { get; init; }

    /// <summary>A problem with the import as a whole (a missing file, an unknown format).</summary>
    public string? Problem { get; init; }

    /// <summary>Invalid records (the reason for failure, or the rejects with --skip-invalid).</summary>
    public IReadOnlyList<RecordFailure> Invalid { get; init; } = [];

    /// <summary>Records read from all files.</summary>
    public int Read { get; init; }

    /// <summary>New cases stored.</summary>
    public int Inserted { get; init; }

    /// <summary>Stored cases whose content changed.</summary>
    public int Updated { get; init; }

    /// <summary>Records identical to what was stored.</summary>
    public int Unchanged { get; init; }

    /// <summary>
    /// Records not applied because the stored version is newer by the source's <c>updated_at</c> (another import
    /// or webhook brought a later version first).
    /// </summary>
    public int Stale { get; init; }

    /// <summary>Where rejected records were written.</summary>
    public string? RejectsFile { get; init; }

    /// <summary>Wall time.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>Ids (database keys) of cases inserted or updated, so derived indexes can follow.</summary>
    public IReadOnlyList<long> ChangedCaseIds { get; init; } = [];
}

/// <summary>
/// Imports support exports into the database: reads and validates every record first, redacts personal
/// data, then upserts by (source, external id) in one transaction. An invalid record fails the whole
/// import with nothing written, unless <see cref="ImportOptions.SkipInvalid"/> sends it to a rejects file.
/// </summary>
public sealed class CaseImporter(TicketOpsDbContext db, TimeProvider timeProvider)
{
    // Updates go through EF in chunks: large enough for its batching, small enough for a cheap change tracker.
    private const int WriteChunk = 2_000;

    // Up to this many records the existing rows are looked up by id; above it, reading all keys of the
    // source once is cheaper than a huge IN list.
    private const int SmallImport = 5_000;

    private static readonly JsonSerializerOptions s_rejectJson = new() { WriteIndented = false };

    /// <summary>Imports <paramref name="files"/>; see <see cref="ImportResult"/> for the outcome.</summary>
    public async Task<ImportResult> ImportAsync(IReadOnlyList<string> files, ImportOptions options, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(options);
        var stopwatch = Stopwatch.StartNew();
        if (files.Count == 0)
        {
            return new ImportResult { Problem = "no file given; name at least one CSV, JSON or JSONL file." };
        }

        var formats = new HashSet<ImportFormat>();
        var readers = new List<IEnumerable<(ParsedRecord Parsed, ImportFormat Format)>>();
        foreach (string file in files)
        {
            if (!File.Exists(file))
            {
                return new ImportResult { Problem = $"{file}: no such file." };
            }

            ImportFormat? format = options.Format ?? ImportFormatDetector.Detect(file);
            if (format is null)
            {
                return new ImportResult { Problem = $"{file}: cannot tell the format; it is neither CSV nor JSON. Pass --format csv|json|jsonl|zendesk|jira." };
            }

            formats.Add(format.Value);
            readers.Add(CaseFileReader.Read(file, format.Value, options.Mapping).Select(parsed => (parsed, format.Value)));
        }

        return await ImportParsedAsync(readers.SelectMany(r => r), string.Join('\n', files.Select(Path.GetFullPath)), formats, options, progress, stopwatch, cancellationToken);
    }

    /// <summary>
    /// Imports records received as JSON (the HTTP API and webhooks) exactly as a file of them would be:
    /// validated all together, redacted, upserted in one transaction, nothing written if one is invalid.
    /// </summary>
    /// <param name="records">The records, each a JSON object in the generic or a ticket system's shape.</param>
    /// <param name="format"><see cref="ImportFormat.Json"/> (the generic shape), <see cref="ImportFormat.Zendesk"/> or <see cref="ImportFormat.Jira"/>.</param>
    /// <param name="origin">What sent them (recorded in the import run, e.g. <c>api /api/cases by ana (tko_AbCd)</c>).</param>
    /// <param name="options">Source and mapping; <see cref="ImportOptions.SkipInvalid"/> is not supported here.</param>
    /// <param name="cancellationToken">Cancels the import; nothing is written then.</param>
    public async Task<ImportResult> ImportRecordsAsync(IReadOnlyList<JsonElement> records, ImportFormat format, string origin, ImportOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(options);
        if (options.SkipInvalid)
        {
            throw new ArgumentException("SkipInvalid needs a rejects file; received records are all or nothing.", nameof(options));
        }

        var stopwatch = Stopwatch.StartNew();
        var parsed = CaseFileReader.ReadElements(records, format, options.Mapping, origin).Select(p => (p, format));
        return await ImportParsedAsync(parsed, origin, [format], options, progress: null, stopwatch, cancellationToken);
    }

    private async Task<ImportResult> ImportParsedAsync(
        IEnumerable<(ParsedRecord Parsed, ImportFormat Format)> records, string origin, HashSet<ImportFormat> formats, ImportOptions options,
        IProgress<ImportProgress>? progress, Stopwatch stopwatch, CancellationToken cancellationToken)
    {
        var valid = new Dictionary<(string Source, string ExternalId), (CaseRecord Record, string Hash)>();
        var invalid = new List<(ParsedRecord Record, RecordFailure Failure)>();
        int read = 0;
        foreach ((ParsedRecord parsed, ImportFormat format) in records)
        {
            cancellationToken.ThrowIfCancellationRequested();
            read++;
            if (read % 5_000 == 0)
            {
                progress?.Report(new ImportProgress("read", read, null));
            }

            if (!parsed.IsValid)
            {
                invalid.Add((parsed, new RecordFailure(parsed.Location, parsed.Errors)));
                continue;
            }

            CaseRecord record = Redacted(parsed.Record!);
            record.Source = options.Source ?? options.Mapping.Source ?? record.Source ?? format.ToString().ToLowerInvariant();
            record.EvalFamily = null;
            // A later record for the same ticket (an incremental export) supersedes an earlier one.
            valid[(record.Source, record.ExternalId!)] = (record, Hash(record));
        }

        progress?.Report(new ImportProgress("read", read, read));

        IReadOnlyList<RecordFailure> failures = [.. invalid.Select(i => i.Failure)];
        if (invalid.Count > 0 && !options.SkipInvalid)
        {
            return new ImportResult { Read = read, Invalid = failures, Elapsed = stopwatch.Elapsed };
        }

        DateTime now = timeProvider.GetUtcNow().UtcDateTime;
        string? rejectsFile = null;
        if (invalid.Count > 0)
        {
            rejectsFile = options.RejectsPath ?? throw new ArgumentException("RejectsPath is required with SkipInvalid.", nameof(options));
            await WriteRejectsAsync(rejectsFile, invalid, cancellationToken);
        }

        UpsertCounts counts = await UpsertAsync(valid, now, progress, origin, formats, read, invalid.Count, rejectsFile, cancellationToken);
        return new ImportResult
        {
            Succeeded = true,
            Read = read,
            Inserted = counts.Inserted,
            Updated = counts.Updated,
            Unchanged = counts.Unchanged,
            Stale = counts.Stale,
            Invalid = failures,
            RejectsFile = rejectsFile,
            Elapsed = stopwatch.Elapsed,
            ChangedCaseIds = counts.Changed,
        };
    }

    private async Task<UpsertCounts> UpsertAsync(
        Dictionary<(string Source, string ExternalId), (CaseRecord Record, string Hash)> records, DateTime now,
        IProgress<ImportProgress>? progress, string origin, HashSet<ImportFormat> formats, int read, int rejected,
        string? rejectsFile, CancellationToken cancellationToken)
    {
        bool detectChanges = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            var existing = await StoredVersionsAsync(records.Keys, records.Count <= SmallImport, cancellationToken);
            var plan = new UpsertPlan();
            // Inserted in key order, so two imports inserting overlapping tickets wait on each other in one order
            // (PostgreSQL) and never in a cycle.
            var inserts = new List<SupportCase>();
            foreach ((var key, (CaseRecord record, string hash)) in records.OrderBy(r => r.Key.Source, StringComparer.Ordinal).ThenBy(r => r.Key.ExternalId, StringComparer.Ordinal))
            {
                if (existing.TryGetValue(key, out StoredVersion? stored))
                {
                    plan.Decide(stored, record, hash);
                }
                else
                {
                    inserts.Add(CaseRecordMapping.ToCase(record, key.Source, hash, now));
                }
            }

            int total = inserts.Count + plan.Updates.Count;
            List<SupportCase> taken = await CaseBulkInsert.InsertAsync(db, inserts, n => progress?.Report(new ImportProgress("write", n, total)), cancellationToken);
            List<SupportCase> inserted = [.. inserts.Except(taken)];
            if (taken.Count > 0)
            {
                // Another import or webhook inserted these tickets after we read (and has committed: the insert waited
                // for it). Read what it stored and treat ours as an update of that, by the same rule as any other.
                var takenKeys = taken.Select(c => (c.Source, c.ExternalId)).ToList();
                foreach ((var key, StoredVersion stored) in await StoredVersionsAsync(takenKeys, byId: true, cancellationToken))
                {
                    (CaseRecord record, string hash) = records[key];
                    plan.Decide(stored, record, hash);
                }
            }

            int done = inserts.Count - taken.Count;
            var applied = new List<long>();
            // In id order, for the same reason as the inserts.
            foreach (long[] ids in plan.Updates.Keys.Order().Chunk(WriteChunk))
            {
                foreach (SupportCase supportCase in await LockedAsync(ids, cancellationToken))
                {
                    (CaseRecord record, string hash) = plan.Updates[supportCase.Id];
                    // Decided again on the row as it is now, locked until we commit: a newer version may have been
                    // committed by another instance since we read it.
                    if (plan.Recheck(supportCase, record, hash))
                    {
                        CaseRecordMapping.CopyTo(record, supportCase, hash, now);
                        applied.Add(supportCase.Id);
                    }
                }

                db.ChangeTracker.DetectChanges();
                await db.SaveChangesAsync(cancellationToken);
                db.ChangeTracker.Clear();
                done += ids.Length;
                progress?.Report(new ImportProgress("write", done, total));
            }

            // Last in the transaction: other instances follow these rows into their indexes (ChangeFeedFollower).
            DateTime logged = timeProvider.GetUtcNow().UtcDateTime;
            ChangeLog.AddCases(db, ChangeKind.CaseAdded, inserted.Select(c => c.Id), logged);
            ChangeLog.AddCases(db, ChangeKind.CaseUpdated, applied, logged);
            db.ImportRuns.Add(new ImportRun
            {
                Files = origin,
                Format = string.Join(',', formats.Select(f => f.ToString().ToLowerInvariant()).Order()),
                StartedAt = now,
                FinishedAt = timeProvider.GetUtcNow().UtcDateTime,
                Read = read,
                Inserted = inserted.Count,
                Updated = applied.Count,
                Unchanged = plan.Unchanged,
                Stale = plan.Stale,
                Rejected = rejected,
                RejectsFile = rejectsFile,
            });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);

            return new UpsertCounts(inserted.Count, applied.Count, plan.Unchanged, plan.Stale, [.. inserted.Select(c => c.Id).Concat(applied)]);
        }
        catch
        {
            db.ChangeTracker.Clear();
            throw;
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = detectChanges;
        }
    }

    /// <summary>The stored version of each of <paramref name="keys"/> that exists: looked up by key (a few) or by reading all keys of their sources.</summary>
    private async Task<Dictionary<(string Source, string ExternalId), StoredVersion>> StoredVersionsAsync(
        ICollection<(string Source, string ExternalId)> keys, bool byId, CancellationToken cancellationToken)
    {
        var sources = keys.Select(k => k.Source).Distinct().ToList();
        IQueryable<SupportCase> candidates = db.Cases.AsNoTracking().Where(c => sources.Contains(c.Source));
        if (byId)
        {
            // A webhook or API call sends a few cases: look up just those, not every key of the source.
            var externalIds = keys.Select(k => k.ExternalId).Distinct().ToList();
            candidates = candidates.Where(c => externalIds.Contains(c.ExternalId));
        }

        var wanted = keys.ToHashSet();
        var rows = await candidates
            .Select(c => new StoredVersion(c.Id, c.Source, c.ExternalId, c.ContentHash, c.SourceUpdatedAt))
            .ToListAsync(cancellationToken);
        return rows.Where(r => wanted.Contains((r.Source, r.ExternalId))).ToDictionary(r => (r.Source, r.ExternalId));
    }

    /// <summary>
    /// The cases to update, tracked. On PostgreSQL each row is locked (<c>FOR UPDATE</c>) and read as last committed,
    /// so no other instance can change it between this check and our commit; on SQLite the transaction already holds
    /// the file's write lock (it begins IMMEDIATE), so nobody else can have written since we read.
    /// </summary>
    private async Task<List<SupportCase>> LockedAsync(long[] ids, CancellationToken cancellationToken)
    {
        if (db.Provider != DatabaseProvider.PostgreSql)
        {
            return await db.Cases.Where(c => ids.Contains(c.Id)).ToListAsync(cancellationToken);
        }

        return await db.Cases.FromSql($"SELECT * FROM cases WHERE \"Id\" = ANY({ids}) ORDER BY \"Id\" FOR UPDATE").ToListAsync(cancellationToken);
    }

    private static async Task WriteRejectsAsync(string path, List<(ParsedRecord Record, RecordFailure Failure)> invalid, CancellationToken cancellationToken)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        await using var writer = new StreamWriter(path, append: false);
        foreach ((ParsedRecord record, RecordFailure failure) in invalid)
        {
            string line = JsonSerializer.Serialize(new
            {
                file = record.Location.File,
                line = record.Location.Line,
                record = record.Location.Record,
                errors = failure.Errors.Select(e => e.ToString()).ToArray(),
                raw = record.Raw,
            }, s_rejectJson);
            await writer.WriteLineAsync(line.AsMemory(), cancellationToken);
        }
    }

    private static CaseRecord Redacted(CaseRecord record)
    {
        record.Title = PersonalDataRedactor.Redact(record.Title);
        record.Description = PersonalDataRedactor.Redact(record.Description);
        record.Cause = PersonalDataRedactor.Redact(record.Cause);
        record.Resolution = PersonalDataRedactor.Redact(record.Resolution);
        record.Platform = PersonalDataRedactor.Redact(record.Platform);
        record.EvidenceSteps = record.EvidenceSteps?.Select(s => PersonalDataRedactor.Redact(s)!).ToList();
        foreach (EscalationAskRecord ask in record.EscalationAsks ?? [])
        {
            ask.Item = PersonalDataRedactor.Redact(ask.Item);
        }

        record.Tags = record.Tags?.Select(s => PersonalDataRedactor.Redact(s)!).ToList();
        if (record.Comments is not null)
        {
            foreach (CommentRecord comment in record.Comments)
            {
                comment.Body = PersonalDataRedactor.Redact(comment.Body);
            }
        }

        return record;
    }

    private static string Hash(CaseRecord record) =>
        Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(record)));

    private sealed record UpsertCounts(int Inserted, int Updated, int Unchanged, int Stale, List<long> Changed);

    private sealed record StoredVersion(long Id, string Source, string ExternalId, string ContentHash, DateTime? SourceUpdatedAt);

    /// <summary>
    /// What to do with each record of a ticket already stored. The rule: identical content is unchanged; a record
    /// whose source <c>updated_at</c> is older than the stored one's is stale and not applied; anything else (newer,
    /// the same time with other content, or either time unknown) replaces the stored version.
    /// </summary>
    private sealed class UpsertPlan
    {
        public Dictionary<long, (CaseRecord Record, string Hash)> Updates { get; } = [];

        public int Unchanged { get; private set; }

        public int Stale { get; private set; }

        public void Decide(StoredVersion stored, CaseRecord record, string hash)
        {
            switch (Compare(stored.ContentHash, stored.SourceUpdatedAt, record, hash))
            {
                case Verdict.Unchanged:
                    Unchanged++;
                    break;
                case Verdict.Stale:
                    Stale++;
                    break;
                default:
                    Updates[stored.Id] = (record, hash);
                    break;
            }
        }

        /// <summary>Decides a planned update again on the row as it is now; false (and counted) when it no longer applies.</summary>
        public bool Recheck(SupportCase current, CaseRecord record, string hash)
        {
            switch (Compare(current.ContentHash, current.SourceUpdatedAt, record, hash))
            {
                case Verdict.Unchanged:
                    Unchanged++;
                    return false;
                case Verdict.Stale:
                    Stale++;
                    return false;
                default:
                    return true;
            }
        }

        private static Verdict Compare(string storedHash, DateTime? storedTime, CaseRecord record, string hash) =>
            storedHash == hash ? Verdict.Unchanged
            : record.UpdatedAt is { } incoming && storedTime is { } stored && incoming < stored ? Verdict.Stale
            : Verdict.Apply;

        private enum Verdict
        {
            Apply,
            Unchanged,
            Stale,
        }
    }
}
