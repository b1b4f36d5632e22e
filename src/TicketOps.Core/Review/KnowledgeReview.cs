using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Cases;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Matching;
using TicketOps.Core.Mining;
using TicketOps.Core.Storage;

namespace TicketOps.Core.Review;

/// <summary>
/// The knowledge owner's review workflow: the queue of mined candidates, a candidate beside the knowledge it
/// resembles, and the decisions (approve, approve an edited text, reject, merge, and the KCS state changes
/// of articles). Every decision checks its preconditions first and returns a refusal as a value; when it
/// goes ahead it changes the database row, writes the knowledge file and one <see cref="AuditEntry"/>
/// together: the file is written after the rows are saved and before the transaction commits, and put back
/// as it was if the commit fails. Published articles are (re)indexed at once.
/// </summary>
/// <param name="db">The database.</param>
/// <param name="knowledgeFolder">The knowledge folder the files are written under.</param>
/// <param name="matcher">The matcher to keep in step; null to leave indexing to the next sync or rebuild.</param>
/// <param name="embed">Sentence embedder (unit vectors) for the duplicate check; null to skip it.</param>
/// <param name="timeProvider">Clock for dates and audit times; the system clock when null.</param>
/// <param name="folderIsExport">
/// True when the folder is an export of the database (several instances, each with its own folder): a decision
/// writes the database's new version over whatever file is there instead of refusing a file it did not load.
/// </param>
public sealed class KnowledgeReview(
    TicketOpsDbContext db,
    string knowledgeFolder,
    TicketMatcher? matcher = null,
    Func<IReadOnlyList<string>, float[][]>? embed = null,
    TimeProvider? timeProvider = null,
    bool folderIsExport = false)
{
    private readonly TicketOpsDbContext _db = db ?? throw new ArgumentNullException(nameof(db));
    private readonly string _folder = knowledgeFolder ?? throw new ArgumentNullException(nameof(knowledgeFolder));
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>Draft candidates and update suggestions, oldest first and, within a mining run, largest cluster first.</summary>
    /// <param name="cancellationToken">Cancels the query.</param>
    public async Task<IReadOnlyList<ReviewQueueItem>> QueueAsync(CancellationToken cancellationToken = default)
    {
        List<MiningCandidate> drafts = await _db.Set<MiningCandidate>().AsNoTracking()
            .Where(c => c.State == CandidateState.Draft)
            .ToListAsync(cancellationToken);
        return [.. drafts
            .OrderBy(c => c.CreatedAt)
            .ThenByDescending(c => c.ClusterSizeAtDraft)
            .ThenBy(c => c.Id)
            .Select(c => new ReviewQueueItem(c.Id, c.Kind, c.Title, c.ClusterSizeAtDraft, Math.Round(c.Confidence, 3), c.CreatedAt, c.TargetKnowledgeId))];
    }

    /// <summary>A candidate with its draft, source cases, the article an approval would write, and the knowledge it resembles.</summary>
    /// <param name="candidateId">The candidate.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    public async Task<ReviewResult<CandidateReview>> ShowAsync(long candidateId, CancellationToken cancellationToken = default)
    {
        MiningCandidate? candidate = await _db.Set<MiningCandidate>().AsNoTracking().SingleOrDefaultAsync(c => c.Id == candidateId, cancellationToken);
        if (candidate is null)
        {
            return ReviewResult.Fail<CandidateReview>(ReviewErrorCode.NotFound, NoCandidate(candidateId));
        }

        CandidateDraft? draft = CandidateArticle.DraftOf(candidate);
        var sources = new List<ReviewSourceCase>();
        KnowledgeArticle? proposed = null;
        IReadOnlyList<SimilarKnowledge> similar = [];
        if (draft is not null)
        {
            Dictionary<string, SupportCase> cases = await SourceCasesAsync(draft, cancellationToken);
            sources.AddRange(draft.SourceCases.Select(s => cases.TryGetValue(s.CaseId, out SupportCase? c)
                ? new ReviewSourceCase(c.ExternalId, c.Title, Math.Round(s.Similarity, 3))
                : new ReviewSourceCase(s.CaseId, s.Title, Math.Round(s.Similarity, 3))));
            if (candidate.Kind != CandidateKind.NoDraft)
            {
                proposed = await NewArticleAsync(candidate, draft, cases, candidate.Title, KnowledgeState.Validated, cancellationToken);
                if (embed is not null)
                {
                    List<KnowledgeArticle> articles = await _db.Set<KnowledgeArticle>().AsNoTracking().Where(a => a.State != KnowledgeState.Archived).ToListAsync(cancellationToken);
                    similar = DuplicateCheck.Compare(proposed, articles, embed);
                }
            }
        }

        var warnings = new List<string>();
        string? mergeTarget = candidate.Kind == CandidateKind.UpdateSuggestion ? candidate.TargetKnowledgeId : null;
        foreach (SimilarKnowledge match in similar)
        {
            if (match.Overlap == KnowledgeOverlap.Duplicate)
            {
                mergeTarget ??= match.KnowledgeId;
                warnings.Add($"Duplicate: {match.KnowledgeId} '{match.Title}' covers the same issue (issue {match.IssueSimilarity:0.00}) and cause (cause {match.CauseSimilarity:0.00}). One article per issue and cause: merge into {match.KnowledgeId} instead of approving a new one.");
            }
            else if (match.Overlap == KnowledgeOverlap.PossibleContradiction)
            {
                warnings.Add($"Possible contradiction: {match.KnowledgeId} '{match.Title}' describes the same issue (issue {match.IssueSimilarity:0.00}) with a different cause (cause {match.CauseSimilarity:0.00}). Check which is right; if both are, say in each what tells them apart.");
            }
        }

        if (candidate.Kind == CandidateKind.UpdateSuggestion && candidate.TargetKnowledgeId is not null)
        {
            warnings.Insert(0, $"Update suggestion: mining found these cases covered by {candidate.TargetKnowledgeId}; merge them into it rather than creating a new article.");
        }

        return ReviewResult.Ok(new CandidateReview
        {
            CandidateId = candidate.Id,
            Kind = candidate.Kind,
            State = candidate.State,
            Title = candidate.Title,
            Confidence = Math.Round(candidate.Confidence, 3),
            ClusterSize = candidate.ClusterSizeAtDraft,
            Reason = candidate.Reason,
            TargetKnowledgeId = candidate.TargetKnowledgeId,
            KnowledgeId = candidate.KnowledgeId,
            DraftMarkdown = candidate.Markdown,
            ProposedArticleMarkdown = proposed is null || candidate.Kind == CandidateKind.UpdateSuggestion || candidate.State != CandidateState.Draft ? "" : KnowledgeMarkdown.Write(proposed),
            SourceCases = sources,
            SimilarKnowledge = similar,
            Warnings = warnings,
            SuggestedMergeTarget = mergeTarget,
        });
    }

    /// <summary>
    /// Approves a draft candidate as a new article (next free <c>PB-NNNN</c> / <c>IT-NNNN</c>), or approves
    /// the reviewer's edited text of it. Refused when the candidate is not a draft, is an update suggestion
    /// (merge it), or the edited text is invalid; nothing is written then.
    /// </summary>
    /// <param name="request">What to approve.</param>
    /// <param name="cancellationToken">Cancels the decision; nothing is written then.</param>
    public async Task<ReviewResult<ReviewDecision>> ApproveAsync(ApproveRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        for (int attempt = 1; ; attempt++)
        {
            ReviewResult<ReviewDecision> result = await ApproveOnceAsync(request, cancellationToken);
            if (result.Error is not { ArticleIdTaken: true } || attempt == MaxApproveAttempts)
            {
                return result;
            }

            // Another approval (another candidate, another instance) took the id at the same moment: read the
            // candidate again (it may be the one just approved) and take the next free id.
        }
    }

    private async Task<ReviewResult<ReviewDecision>> ApproveOnceAsync(ApproveRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Actor))
        {
            return NoActor();
        }

        if (request.EditedMarkdown is null && request.State is not (KnowledgeState.Validated or KnowledgeState.NotValidated))
        {
            return Refuse(ReviewErrorCode.IllegalTransition, "An approved candidate becomes a validated or not-validated article.");
        }

        MiningCandidate? candidate = await _db.Set<MiningCandidate>().SingleOrDefaultAsync(c => c.Id == request.CandidateId, cancellationToken);
        if (candidate is null)
        {
            return Refuse(ReviewErrorCode.NotFound, NoCandidate(request.CandidateId));
        }

        if (NotADraft(candidate, "approved") is { } notDraft)
        {
            return notDraft;
        }

        if (candidate.Kind == CandidateKind.UpdateSuggestion)
        {
            return Refuse(ReviewErrorCode.IllegalTransition, $"Candidate {candidate.Id} is an update suggestion for {candidate.TargetKnowledgeId}: merge it ('review merge {candidate.Id} --into {candidate.TargetKnowledgeId}') or reject it.");
        }

        CandidateDraft? draft = CandidateArticle.DraftOf(candidate);
        if (draft is null || candidate.Kind == CandidateKind.NoDraft)
        {
            return Refuse(ReviewErrorCode.IllegalTransition, $"Candidate {candidate.Id} has no draft to approve ({candidate.Reason ?? "no draft stored"}).");
        }

        Dictionary<string, SupportCase> cases = await SourceCasesAsync(draft, cancellationToken);
        KnowledgeArticle article;
        ReviewAction action;
        if (request.EditedMarkdown is null)
        {
            article = await NewArticleAsync(candidate, draft, cases, candidate.Title, request.State, cancellationToken);
            article.Owner = (request.Owner ?? request.Actor).Trim();
            action = ReviewAction.Approve;
        }
        else
        {
            ReviewResult<KnowledgeArticle> edited = await ParseEditedNewArticleAsync(candidate, request, cancellationToken);
            if (edited.Value is null)
            {
                return ReviewResult.Fail<ReviewDecision>(edited.Error!);
            }

            article = edited.Value;
            action = ReviewAction.ApproveEdited;
        }

        DateTime now = Now();
        article.SourcePath = KnowledgeFolder.RelativePathFor(article);
        article.ContentHash = KnowledgeMarkdown.Hash(article);
        article.LoadedAt = now;
        _db.Set<KnowledgeArticle>().Add(article);
        string candidateHash = Sha256(candidate.Markdown);
        candidate.State = CandidateState.Approved;
        candidate.KnowledgeId = article.Id;
        candidate.UpdatedAt = now;
        var audit = new AuditEntry
        {
            At = now,
            Actor = request.Actor.Trim(),
            Action = action,
            CandidateId = candidate.Id,
            KnowledgeId = article.Id,
            BeforeHash = candidateHash,
            AfterHash = article.ContentHash,
            Summary = $"candidate {candidate.Id} approved{(action == ReviewAction.ApproveEdited ? " (edited)" : "")} as {article.Id} '{article.Title}', {KnowledgeMarkdown.StateName(article.State)}, {article.SourceCaseIds.Count} source cases",
        };
        return await CommitAsync(article, expectedHash: null, audit, cancellationToken);
    }

    /// <summary>Rejects a draft candidate; mining does not propose its cluster again until it grows materially (<see cref="MiningStore.RegrowthFactor"/>).</summary>
    /// <param name="candidateId">The candidate.</param>
    /// <param name="actor">Who decides.</param>
    /// <param name="reason">Why; required, so the next reviewer and the miner's tuning can learn from it.</param>
    /// <param name="cancellationToken">Cancels the decision.</param>
    public async Task<ReviewResult<ReviewDecision>> RejectAsync(long candidateId, string actor, string reason, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(actor))
        {
            return NoActor();
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            return Refuse(ReviewErrorCode.MissingInput, "A rejection needs a reason, e.g. 'not a product issue: customer misconfiguration only'.");
        }

        MiningCandidate? candidate = await _db.Set<MiningCandidate>().SingleOrDefaultAsync(c => c.Id == candidateId, cancellationToken);
        if (candidate is null)
        {
            return Refuse(ReviewErrorCode.NotFound, NoCandidate(candidateId));
        }

        if (NotADraft(candidate, "rejected") is { } notDraft)
        {
            return notDraft;
        }

        DateTime now = Now();
        candidate.State = CandidateState.Rejected;
        candidate.Reason = reason.Trim();
        candidate.UpdatedAt = now;
        var audit = new AuditEntry
        {
            At = now,
            Actor = actor.Trim(),
            Action = ReviewAction.Reject,
            CandidateId = candidate.Id,
            BeforeHash = Sha256(candidate.Markdown),
            Summary = $"candidate {candidate.Id} '{candidate.Title}' rejected; kept rejected until its cluster of {candidate.ClusterSizeAtDraft} grows to {Math.Ceiling(candidate.ClusterSizeAtDraft * MiningStore.RegrowthFactor)}",
            Reason = reason.Trim(),
        };
        _db.Add(audit);
        try
        {
            await _db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            _db.ChangeTracker.Clear();
            return DecidedElsewhere(audit);
        }

        return ReviewResult.Ok(new ReviewDecision(ReviewAction.Reject, candidate.Id, null, null, audit));
    }

    /// <summary>
    /// Merges a draft candidate into an existing article: its source cases are added, the reviewer's edited
    /// sections (if any) replace the article's, the version goes up and the article counts as reviewed today.
    /// The candidate is marked <see cref="CandidateState.Merged"/> with the target id.
    /// </summary>
    /// <param name="request">What to merge into what.</param>
    /// <param name="cancellationToken">Cancels the decision; nothing is written then.</param>
    public async Task<ReviewResult<ReviewDecision>> MergeAsync(MergeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Actor))
        {
            return NoActor();
        }

        MiningCandidate? candidate = await _db.Set<MiningCandidate>().SingleOrDefaultAsync(c => c.Id == request.CandidateId, cancellationToken);
        if (candidate is null)
        {
            return Refuse(ReviewErrorCode.NotFound, NoCandidate(request.CandidateId));
        }

        if (NotADraft(candidate, "merged") is { } notDraft)
        {
            return notDraft;
        }

        KnowledgeArticle? target = await _db.Set<KnowledgeArticle>().SingleOrDefaultAsync(a => a.Id == request.TargetId, cancellationToken);
        if (target is null)
        {
            return Refuse(ReviewErrorCode.NotFound, NoArticle(request.TargetId));
        }

        if (target.State == KnowledgeState.Archived)
        {
            string instead = target.SupersededBy is { } by ? $"merge into {by}, which supersedes it" : "merge into a live article";
            return Refuse(ReviewErrorCode.IllegalTransition, $"{target.Id} is archived; {instead}.");
        }

        if (CandidateArticle.TypeOf(candidate.Kind) != target.Type)
        {
            return Refuse(ReviewErrorCode.IllegalTransition, $"Candidate {candidate.Id} is a {candidate.Kind} and {target.Id} a {KnowledgeMarkdown.TypeName(target.Type)}; merge candidates into articles of their own kind.");
        }

        CandidateDraft? draft = CandidateArticle.DraftOf(candidate);
        if (draft is null)
        {
            return Refuse(ReviewErrorCode.IllegalTransition, $"Candidate {candidate.Id} has no draft to merge.");
        }

        string beforeHash = target.ContentHash;
        List<KnowledgeSection> beforeSections = target.Sections;
        string beforeTitle = target.Title;
        if (request.EditedMarkdown is not null)
        {
            KnowledgeParseResult parsed = KnowledgeMarkdown.Parse(request.EditedMarkdown, request.EditedPath);
            if (parsed.Article is null)
            {
                return InvalidMarkdown(request.EditedPath, parsed.Errors);
            }

            if (parsed.Article.Id != target.Id)
            {
                return InvalidMarkdown(request.EditedPath, [new(request.EditedPath, LineOf(request.EditedMarkdown, "id:"), $"the edited text is '{parsed.Article.Id}', not the merge target '{target.Id}'; edit the target's file")]);
            }

            target.Title = parsed.Article.Title;
            target.Sections = parsed.Article.Sections;
        }

        Dictionary<string, SupportCase> cases = await SourceCasesAsync(draft, cancellationToken);
        List<string> added = [.. ExternalIds(draft, cases).Where(id => !target.SourceCaseIds.Contains(id))];
        DateTime now = Now();
        int beforeVersion = target.Version;
        target.SourceCaseIds = [.. target.SourceCaseIds, .. added];
        target.Version++;
        target.Reviewed = DateOnly.FromDateTime(now);
        target.ContentHash = KnowledgeMarkdown.Hash(target);
        target.LoadedAt = now;
        candidate.State = CandidateState.Merged;
        candidate.KnowledgeId = target.Id;
        candidate.UpdatedAt = now;
        string[] changedSections = [.. KnowledgeSections.For(target.Type)
            .Where(h => beforeSections.FirstOrDefault(s => s.Heading == h)?.Body != target.Section(h))];
        var summary = new StringBuilder($"candidate {candidate.Id} merged into {target.Id}: +{added.Count} source cases (now {target.SourceCaseIds.Count}), version {beforeVersion} → {target.Version}");
        if (beforeTitle != target.Title)
        {
            summary.Append(CultureInfo.InvariantCulture, $"; title '{beforeTitle}' → '{target.Title}'");
        }

        summary.Append(changedSections.Length == 0 ? "; sections unchanged" : "; sections changed: " + string.Join(", ", changedSections));
        var audit = new AuditEntry
        {
            At = now,
            Actor = request.Actor.Trim(),
            Action = ReviewAction.Merge,
            CandidateId = candidate.Id,
            KnowledgeId = target.Id,
            BeforeHash = beforeHash,
            AfterHash = target.ContentHash,
            Summary = summary.ToString(),
            Reason = string.IsNullOrWhiteSpace(request.Reason) ? null : request.Reason.Trim(),
        };
        return await CommitAsync(target, beforeHash, audit, cancellationToken);
    }

    /// <summary>Moves a draft article to not validated (usable, not yet confirmed).</summary>
    /// <param name="knowledgeId">The article.</param>
    /// <param name="actor">Who decides.</param>
    /// <param name="reason">Why, optionally.</param>
    /// <param name="cancellationToken">Cancels the decision.</param>
    public Task<ReviewResult<ReviewDecision>> MarkNotValidatedAsync(string knowledgeId, string actor, string? reason = null, CancellationToken cancellationToken = default) =>
        ChangeStateAsync(knowledgeId, KnowledgeState.NotValidated, actor, reason, supersededBy: null, cancellationToken);

    /// <summary>Validates (publishes) a draft or not-validated article; it is matched at once.</summary>
    /// <param name="knowledgeId">The article.</param>
    /// <param name="actor">Who decides.</param>
    /// <param name="reason">Why, optionally.</param>
    /// <param name="cancellationToken">Cancels the decision.</param>
    public Task<ReviewResult<ReviewDecision>> ValidateAsync(string knowledgeId, string actor, string? reason = null, CancellationToken cancellationToken = default) =>
        ChangeStateAsync(knowledgeId, KnowledgeState.Validated, actor, reason, supersededBy: null, cancellationToken);

    /// <summary>Archives an article: it leaves matching at once and stays for history; optionally superseded by another article.</summary>
    /// <param name="knowledgeId">The article.</param>
    /// <param name="actor">Who decides.</param>
    /// <param name="reason">Why; required.</param>
    /// <param name="supersededBy">The live article that replaces it, if any.</param>
    /// <param name="cancellationToken">Cancels the decision.</param>
    public Task<ReviewResult<ReviewDecision>> ArchiveAsync(string knowledgeId, string actor, string reason, string? supersededBy = null, CancellationToken cancellationToken = default) =>
        ChangeStateAsync(knowledgeId, KnowledgeState.Archived, actor, reason, supersededBy, cancellationToken);

    /// <summary>The audit log, newest first; only the entries about <paramref name="subject"/> (a knowledge id, or a candidate id as <c>candidate:12</c> or <c>12</c>) when given.</summary>
    /// <param name="subject">The subject to filter on, or null for all.</param>
    /// <param name="max">How many entries at most.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    public async Task<IReadOnlyList<AuditEntry>> AuditLogAsync(string? subject = null, int max = 100, CancellationToken cancellationToken = default)
    {
        IQueryable<AuditEntry> query = _db.Set<AuditEntry>().AsNoTracking();
        if (!string.IsNullOrWhiteSpace(subject))
        {
            string trimmed = subject.Trim();
            string number = trimmed.StartsWith("candidate:", StringComparison.OrdinalIgnoreCase) ? trimmed["candidate:".Length..] : trimmed;
            query = long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out long candidateId)
                ? query.Where(e => e.CandidateId == candidateId)
                : query.Where(e => e.KnowledgeId == trimmed);
        }

        return await query.OrderByDescending(e => e.Id).Take(max).ToListAsync(cancellationToken);
    }

    private async Task<ReviewResult<ReviewDecision>> ChangeStateAsync(
        string knowledgeId, KnowledgeState to, string actor, string? reason, string? supersededBy, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(actor))
        {
            return NoActor();
        }

        if (to == KnowledgeState.Archived && string.IsNullOrWhiteSpace(reason))
        {
            return Refuse(ReviewErrorCode.MissingInput, "Archiving needs a reason, e.g. 'fixed in 4.3, no cases since'.");
        }

        KnowledgeArticle? article = await _db.Set<KnowledgeArticle>().SingleOrDefaultAsync(a => a.Id == knowledgeId, cancellationToken);
        if (article is null)
        {
            return Refuse(ReviewErrorCode.NotFound, NoArticle(knowledgeId));
        }

        KnowledgeState from = article.State;
        string? illegal = (from, to) switch
        {
            (KnowledgeState.Archived, _) => $"{article.Id} is archived; archived articles stay archived. Write a new article (or approve a candidate) instead.",
            _ when from == to => $"{article.Id} is already {KnowledgeMarkdown.StateName(to)}.",
            (_, KnowledgeState.NotValidated) when from != KnowledgeState.Draft => $"{article.Id} is {KnowledgeMarkdown.StateName(from)}; only a draft moves to not_validated (archive a validated article to retire it).",
            _ => null,
        };
        if (illegal is not null)
        {
            return Refuse(ReviewErrorCode.IllegalTransition, illegal);
        }

        if (supersededBy is not null)
        {
            KnowledgeArticle? successor = await _db.Set<KnowledgeArticle>().AsNoTracking().SingleOrDefaultAsync(a => a.Id == supersededBy, cancellationToken);
            if (successor is null || successor.Id == article.Id || successor.State == KnowledgeState.Archived)
            {
                return Refuse(ReviewErrorCode.IllegalTransition, $"{supersededBy} cannot supersede {article.Id}: it must be another article that is not archived.");
            }

            article.SupersededBy = successor.Id;
        }

        DateTime now = Now();
        string beforeHash = article.ContentHash;
        article.State = to;
        article.Reviewed = DateOnly.FromDateTime(now);
        article.ContentHash = KnowledgeMarkdown.Hash(article);
        article.LoadedAt = now;
        var audit = new AuditEntry
        {
            At = now,
            Actor = actor.Trim(),
            Action = to switch
            {
                KnowledgeState.Validated => ReviewAction.Validate,
                KnowledgeState.Archived => ReviewAction.Archive,
                _ => ReviewAction.MarkNotValidated,
            },
            KnowledgeId = article.Id,
            BeforeHash = beforeHash,
            AfterHash = article.ContentHash,
            Summary = $"{article.Id} {KnowledgeMarkdown.StateName(from)} → {KnowledgeMarkdown.StateName(to)}" + (supersededBy is null ? "" : $", superseded by {supersededBy}"),
            Reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(),
        };
        return await CommitAsync(article, beforeHash, audit, cancellationToken);
    }

    /// <summary>
    /// Saves the tracked changes and the audit entry, writes the article's file, then commits; a file that
    /// cannot be written rolls the transaction back, and a failed commit puts the old file back.
    /// </summary>
    private async Task<ReviewResult<ReviewDecision>> CommitAsync(KnowledgeArticle article, string? expectedHash, AuditEntry audit, CancellationToken cancellationToken)
    {
        _db.Add(audit);
        ChangeLog.Add(_db, audit.Action == ReviewAction.Merge ? ChangeKind.ArticleMerged : KnowledgeFolder.ChangeOf(article), article.Id, audit.At);
        string relative = article.SourcePath ?? KnowledgeFolder.RelativePathFor(article);
        string path = Path.Combine(_folder, relative);
        await using (var transaction = await _db.Database.BeginTransactionAsync(cancellationToken))
        {
            // The candidate's state and the article's hash are concurrency tokens: a save over a row another
            // decision changed since it was read fails here, before any file is written.
            try
            {
                await _db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException exception) when (exception is DbUpdateConcurrencyException || (expectedHash is null && TicketOpsDatabase.IsUniqueViolation(exception)))
            {
                await transaction.RollbackAsync(cancellationToken);
                _db.ChangeTracker.Clear();
                return exception is DbUpdateConcurrencyException
                    ? DecidedElsewhere(audit)
                    : ReviewResult.Fail<ReviewDecision>(new ReviewError(ReviewErrorCode.ConcurrentDecision, $"{article.Id} was taken by another approval saved at the same moment; nothing was written. Approve again.") { ArticleIdTaken = true });
            }

            string? previous = File.Exists(path) ? await File.ReadAllTextAsync(path, cancellationToken) : null;
            if (previous is not null && expectedHash is null && !folderIsExport)
            {
                // A new article's id was free in the database; a file with it means a hand-written article not yet synced.
                await transaction.RollbackAsync(cancellationToken);
                _db.ChangeTracker.Clear();
                return Refuse(ReviewErrorCode.FileConflict, $"{relative} already exists but is not in the database; run 'ticketops knowledge sync' first.");
            }

            // An export folder may hold an older version written before another instance changed the article.
            KnowledgeFileError? fileError = await KnowledgeFolder.WriteFileAsync(_folder, article, folderIsExport ? null : expectedHash, cancellationToken);
            if (fileError is not null)
            {
                await transaction.RollbackAsync(cancellationToken);
                _db.ChangeTracker.Clear();
                return Refuse(ReviewErrorCode.FileConflict, fileError.ToString());
            }

            try
            {
                await transaction.CommitAsync(cancellationToken);
            }
            catch
            {
                RestoreFile(path, previous);
                throw;
            }
        }

        bool indexed = false;
        if (matcher is not null)
        {
            (int published, _) = await KnowledgeDocuments.UpdateAsync(_db, matcher, [article.Id], cancellationToken);
            indexed = published > 0;
        }

        return ReviewResult.Ok(new ReviewDecision(audit.Action, audit.CandidateId, article.Id, relative, audit) { Indexed = indexed });
    }

    private static void RestoreFile(string path, string? previous)
    {
        if (previous is null)
        {
            File.Delete(path);
        }
        else
        {
            DurableFile.WriteAllText(path, previous);
        }
    }

    private async Task<ReviewResult<KnowledgeArticle>> ParseEditedNewArticleAsync(MiningCandidate candidate, ApproveRequest request, CancellationToken cancellationToken)
    {
        string text = request.EditedMarkdown!;
        string path = request.EditedPath;
        KnowledgeParseResult parsed = KnowledgeMarkdown.Parse(text, path);
        if (parsed.Article is not { } article)
        {
            return ReviewResult.Fail<KnowledgeArticle>(new ReviewError(ReviewErrorCode.InvalidMarkdown, Describe(path, parsed.Errors)) { FileErrors = parsed.Errors });
        }

        KnowledgeFileError? problem = null;
        KnowledgeType expected = CandidateArticle.TypeOf(candidate.Kind);
        if (article.Type != expected)
        {
            problem = new(path, LineOf(text, "type:"), $"candidate {candidate.Id} becomes a {KnowledgeMarkdown.TypeName(expected)}, not a {KnowledgeMarkdown.TypeName(article.Type)}");
        }
        else if (article.State == KnowledgeState.Archived)
        {
            problem = new(path, LineOf(text, "state:"), "a new article cannot start archived; use validated, not_validated or draft");
        }
        else if (await _db.Set<KnowledgeArticle>().AnyAsync(a => a.Id == article.Id, cancellationToken))
        {
            string next = await NextIdAsync(article.Type, cancellationToken);
            problem = new(path, LineOf(text, "id:"), $"id '{article.Id}' is taken by an existing article; use {next} (the next free id), or merge into {article.Id} instead");
        }

        if (problem is not null)
        {
            return ReviewResult.Fail<KnowledgeArticle>(new ReviewError(ReviewErrorCode.InvalidMarkdown, Describe(path, [problem])) { FileErrors = [problem] });
        }

        return ReviewResult.Ok(article);
    }

    private async Task<KnowledgeArticle> NewArticleAsync(
        MiningCandidate candidate, CandidateDraft draft, Dictionary<string, SupportCase> cases, string title, KnowledgeState state, CancellationToken cancellationToken)
    {
        KnowledgeType type = CandidateArticle.TypeOf(candidate.Kind);
        DateOnly today = DateOnly.FromDateTime(Now());
        RewrittenCandidate? rewrite = type == KnowledgeType.Playbook ? CandidateArticle.RewriteOf(candidate) : null;
        title = rewrite?.Title is { Length: > 0 } rewrittenTitle ? rewrittenTitle : title;
        var article = new KnowledgeArticle
        {
            Id = await NextIdAsync(type, cancellationToken),
            Type = type,
            Title = title.ReplaceLineEndings(" ").Trim().TrimStart('#').Trim() is { Length: > 0 } clean ? clean : $"Candidate {candidate.Id}",
            State = state,
            Owner = "unassigned",
            ProductAreas = [.. cases.Values.Select(c => c.Product).Where(p => !string.IsNullOrWhiteSpace(p))
                .GroupBy(p => p!, StringComparer.OrdinalIgnoreCase)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                .Take(type == KnowledgeType.Template ? 1 : 2)
                .Select(g => g.Key)],
            SourceCaseIds = ExternalIds(draft, cases),
            Created = today,
            Reviewed = today,
            Version = 1,
            Sections = rewrite is null ? CandidateArticle.SectionsOf(draft) : CandidateArticle.SectionsOf(rewrite),
        };
        article.ContentHash = KnowledgeMarkdown.Hash(article);
        return article;
    }

    /// <summary>The next free id of the type: one past the highest in the database and in the folder's file names.</summary>
    private async Task<string> NextIdAsync(KnowledgeType type, CancellationToken cancellationToken)
    {
        string prefix = type == KnowledgeType.Playbook ? "PB-" : "IT-";
        List<string> ids = await _db.Set<KnowledgeArticle>().Where(a => a.Id.StartsWith(prefix)).Select(a => a.Id).ToListAsync(cancellationToken);
        if (Directory.Exists(_folder))
        {
            ids.AddRange(Directory.EnumerateFiles(_folder, prefix + "*.md", SearchOption.AllDirectories).Select(f => Path.GetFileNameWithoutExtension(f)));
        }

        int highest = ids
            .Select(id => int.TryParse(id.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : 0)
            .DefaultIfEmpty(0)
            .Max();
        return prefix + (highest + 1).ToString("D4", CultureInfo.InvariantCulture);
    }

    /// <summary>The draft's source cases by cluster key (the database id as text).</summary>
    private async Task<Dictionary<string, SupportCase>> SourceCasesAsync(CandidateDraft draft, CancellationToken cancellationToken)
    {
        List<long> keys = [.. draft.SourceCases
            .Select(s => long.TryParse(s.CaseId, NumberStyles.None, CultureInfo.InvariantCulture, out long id) ? id : 0)
            .Where(id => id > 0)];
        List<SupportCase> cases = await _db.Cases.AsNoTracking().Where(c => keys.Contains(c.Id)).ToListAsync(cancellationToken);
        return cases.ToDictionary(CandidateDrafter.CaseKey, StringComparer.Ordinal);
    }

    // Articles cite cases by their ticket-system id, which survives a re-import; clusters use database keys.
    private static List<string> ExternalIds(CandidateDraft draft, Dictionary<string, SupportCase> cases) =>
        [.. draft.SourceCases.Select(s => cases.TryGetValue(s.CaseId, out SupportCase? c) ? c.ExternalId : s.CaseId).Distinct(StringComparer.Ordinal)];

    private static ReviewResult<ReviewDecision>? NotADraft(MiningCandidate candidate, string verb) => candidate.State switch
    {
        CandidateState.Draft => null,
        CandidateState.Rejected => Refuse(ReviewErrorCode.IllegalTransition, $"Candidate {candidate.Id} was rejected ({candidate.Reason}) and cannot be {verb}; mining proposes its cluster again once it grows."),
        CandidateState.Approved => Refuse(ReviewErrorCode.IllegalTransition, $"Candidate {candidate.Id} was already approved as {candidate.KnowledgeId}; change that article instead."),
        CandidateState.Merged => Refuse(ReviewErrorCode.IllegalTransition, $"Candidate {candidate.Id} was already merged into {candidate.KnowledgeId}; change that article instead."),
        _ => Refuse(ReviewErrorCode.IllegalTransition, $"Candidate {candidate.Id} has no draft ({candidate.Reason}) and cannot be {verb}."),
    };

    // Decisions are rare; three tries cover an id raced by another approval twice in a row.
    private const int MaxApproveAttempts = 3;

    private static ReviewResult<ReviewDecision> DecidedElsewhere(AuditEntry attempted)
    {
        string subject = (attempted.CandidateId, attempted.KnowledgeId) switch
        {
            ({ } candidate, { } article) when attempted.Action == ReviewAction.Merge => $"Candidate {candidate} or {article}",
            ({ } candidate, _) => $"Candidate {candidate}",
            (_, { } article) => article,
            _ => "The subject",
        };
        return Refuse(
            ReviewErrorCode.ConcurrentDecision,
            $"{subject} was changed by another decision (on this or another TicketOps instance) while this one was being taken; nothing was written. " +
            "Look at it again ('review show', the audit log) and decide on what it is now.");
    }

    private static ReviewResult<ReviewDecision> InvalidMarkdown(string path, IReadOnlyList<KnowledgeFileError> errors) =>
        ReviewResult.Fail<ReviewDecision>(new ReviewError(ReviewErrorCode.InvalidMarkdown, Describe(path, errors)) { FileErrors = errors });

    private static string Describe(string path, IReadOnlyList<KnowledgeFileError> errors) =>
        $"{path} is not a valid knowledge file; nothing was written. Fix: " + string.Join("; ", errors.Select(e => $"line {e.Line}: {e.Problem}"));

    private static ReviewResult<ReviewDecision> Refuse(ReviewErrorCode code, string message) => ReviewResult.Fail<ReviewDecision>(code, message);

    private static ReviewResult<ReviewDecision> NoActor() =>
        Refuse(ReviewErrorCode.MissingInput, "Name who decides (the actor, e.g. --as alice); every decision is recorded in the audit log.");

    private static string NoCandidate(long id) => $"No candidate {id}; 'review list' shows the queue.";

    private static string NoArticle(string id) => $"No knowledge article '{id}'; run 'ticketops knowledge sync' if its file is new.";

    private static int LineOf(string text, string keyPrefix)
    {
        string[] lines = text.ReplaceLineEndings("\n").Split('\n');
        int index = Array.FindIndex(lines, l => l.StartsWith(keyPrefix, StringComparison.Ordinal));
        return index < 0 ? 1 : index + 1;
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private DateTime Now() => _time.GetUtcNow().UtcDateTime;
}
