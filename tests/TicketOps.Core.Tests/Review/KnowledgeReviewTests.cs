using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Matching;
using TicketOps.Core.Mining;
using TicketOps.Core.Review;
using TicketOps.Core.Storage;
using TicketOps.Core.Tests.Matching;

namespace TicketOps.Core.Tests.Review;

public abstract class KnowledgeReviewTests(EmbedderFixture fixture, DatabaseProvider provider)
{
    [Fact]
    public async Task Queue_lists_drafts_oldest_first_then_largest_cluster_first()
    {
        using ReviewDesk desk = await ReviewDesk.OpenAsync(fixture.Embedder, provider);
        long older = await desk.MineAsync("cl-old", ReviewDesk.EmptyInvoiceCases("old", 5));
        desk.Clock.Now = ReviewDesk.Today.AddDays(1);
        long small = await desk.MineAsync("cl-small", ReviewDesk.EmptyInvoiceCases("small", 5));
        long large = await desk.MineAsync("cl-large", ReviewDesk.EmptyInvoiceCases("large", 8));

        await using TicketOpsDbContext db = desk.CreateContext();
        IReadOnlyList<ReviewQueueItem> queue = await desk.Review(db).QueueAsync();

        Assert.Equal([older, large, small], queue.Select(q => q.CandidateId));
        Assert.Equal(8, queue[1].ClusterSize);
    }

    [Fact]
    public async Task Approve_writes_markdown_and_makes_playbook_matchable()
    {
        using ReviewDesk desk = await ReviewDesk.OpenAsync(fixture.Embedder, provider);
        long id = await desk.MineAsync("cl-invoice", ReviewDesk.EmptyInvoiceCases("inv", 6));

        ReviewResult<ReviewDecision> result;
        await using (TicketOpsDbContext db = desk.CreateContext())
        {
            result = await desk.Review(db).ApproveAsync(new ApproveRequest { CandidateId = id, Actor = "alice", Owner = "billing-team" });
        }

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal("PB-0002", result.Value!.KnowledgeId);
        Assert.True(result.Value.Indexed);
        KnowledgeParseResult file = KnowledgeMarkdown.Parse(File.ReadAllText(desk.PathOf("PB-0002")), "PB-0002.md");
        Assert.True(file.IsValid, string.Join("; ", file.Errors));
        KnowledgeArticle row = (await desk.ArticleAsync("PB-0002"))!;
        Assert.Equal(row.ContentHash, file.Article!.ContentHash);
        Assert.Equal(KnowledgeState.Validated, row.State);
        Assert.Equal("billing-team", row.Owner);
        Assert.Equal(["Billing"], row.ProductAreas);
        Assert.Equal([.. Enumerable.Range(0, 6).Select(i => $"inv-{i}")], row.SourceCaseIds);
        Assert.Equal(new DateOnly(2026, 9, 14), row.Created);
        Assert.Equal(new DateOnly(2026, 9, 14), row.Reviewed);
        Assert.Equal(1, row.Version);
        Assert.Contains("render cache", row.Section("Cause"), StringComparison.Ordinal);

        MatchResult match = await desk.Matcher.MatchAsync(new MatchRequest { Text = "Our invoice PDF is empty, zero pages when downloaded" });
        Assert.Equal("PB-0002", match.Items[0].Id);

        MiningCandidate candidate = await desk.CandidateAsync(id);
        Assert.Equal(CandidateState.Approved, candidate.State);
        Assert.Equal("PB-0002", candidate.KnowledgeId);
        AuditEntry audit = Assert.Single(await desk.AuditAsync());
        Assert.Equal((ReviewAction.Approve, "alice", (long?)id, "PB-0002"), (audit.Action, audit.Actor, audit.CandidateId, audit.KnowledgeId));
        Assert.Equal(row.ContentHash, audit.AfterHash);
        Assert.NotNull(audit.BeforeHash);
        Assert.Equal(ReviewDesk.Today.UtcDateTime, audit.At);
    }

    [Fact]
    public async Task Approve_as_not_validated_writes_the_article_but_keeps_it_out_of_matching()
    {
        using ReviewDesk desk = await ReviewDesk.OpenAsync(fixture.Embedder, provider);
        long id = await desk.MineAsync("cl-invoice", ReviewDesk.EmptyInvoiceCases("inv", 6));

        await using TicketOpsDbContext db = desk.CreateContext();
        ReviewResult<ReviewDecision> result = await desk.Review(db).ApproveAsync(new ApproveRequest { CandidateId = id, Actor = "alice", State = KnowledgeState.NotValidated });

        Assert.True(result.Succeeded);
        Assert.False(result.Value!.Indexed);
        Assert.Contains("state: not_validated", File.ReadAllText(desk.PathOf("PB-0002")), StringComparison.Ordinal);
        MatchResult match = await desk.Matcher.MatchAsync(new MatchRequest { Text = "Our invoice PDF is empty, zero pages when downloaded" });
        Assert.DoesNotContain(match.Items, i => i.Id == "PB-0002");
    }

    [Fact]
    public async Task Approve_takes_the_stored_llm_rewrite_the_reviewer_read_instead_of_the_extractive_lines()
    {
        using ReviewDesk desk = await ReviewDesk.OpenAsync(fixture.Embedder, provider);
        long id = await desk.MineAsync("cl-invoice", ReviewDesk.EmptyInvoiceCases("inv", 6));
        await using (TicketOpsDbContext setup = desk.CreateContext())
        {
            MiningCandidate candidate = await setup.Set<MiningCandidate>().SingleAsync(c => c.Id == id);
            candidate.RewriteJson = """
                {"title": "Invoice PDF downloads with zero pages", "issue": "Customers download an invoice and the PDF is empty.",
                 "environment": "Billing, invoice list", "cause": "The renderer times out on long invoices.", "evidence": [],
                 "resolution": ["Regenerate the invoice", "Download it again"], "escalate_when": [], "escalation_packet": [], "cited_cases": ["1"]}
                """;
            await setup.SaveChangesAsync();
        }

        await using TicketOpsDbContext db = desk.CreateContext();
        ReviewResult<ReviewDecision> result = await desk.Review(db).ApproveAsync(new ApproveRequest { CandidateId = id, Actor = "alice" });

        Assert.True(result.Succeeded, result.Error?.Message);
        KnowledgeArticle article = (await desk.ArticleAsync("PB-0002"))!;
        Assert.Equal("Invoice PDF downloads with zero pages", article.Title);
        Assert.Equal("The renderer times out on long invoices.", article.Section("Cause"));
        Assert.Equal("1. Regenerate the invoice\n2. Download it again", article.Section("Resolution"));
    }

    [Fact]
    public async Task Approve_an_edited_article_takes_the_edited_text()
    {
        using ReviewDesk desk = await ReviewDesk.OpenAsync(fixture.Embedder, provider);
        long id = await desk.MineAsync("cl-invoice", ReviewDesk.EmptyInvoiceCases("inv", 6));
        await using TicketOpsDbContext db = desk.CreateContext();
        KnowledgeReview review = desk.Review(db);
        string proposed = (await review.ShowAsync(id)).Value!.ProposedArticleMarkdown;
        string edited = proposed.Replace("Download the invoice again", "Ask the customer to download the invoice again from the invoice list", StringComparison.Ordinal);

        ReviewResult<ReviewDecision> result = await review.ApproveAsync(new ApproveRequest { CandidateId = id, Actor = "alice", EditedMarkdown = edited });

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal(ReviewAction.ApproveEdited, result.Value!.Action);
        Assert.Equal(edited, File.ReadAllText(desk.PathOf("PB-0002")));
        Assert.Contains("from the invoice list", (await desk.ArticleAsync("PB-0002"))!.Section("Resolution"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Approve_an_edited_article_with_an_error_names_the_line_and_writes_nothing()
    {
        using ReviewDesk desk = await ReviewDesk.OpenAsync(fixture.Embedder, provider);
        long id = await desk.MineAsync("cl-invoice", ReviewDesk.EmptyInvoiceCases("inv", 6));
        await using TicketOpsDbContext db = desk.CreateContext();
        KnowledgeReview review = desk.Review(db);
        string proposed = (await review.ShowAsync(id)).Value!.ProposedArticleMarkdown;

        ReviewResult<ReviewDecision> broken = await review.ApproveAsync(new ApproveRequest
        {
            CandidateId = id,
            Actor = "alice",
            EditedMarkdown = proposed.Replace("state: validated", "state: published", StringComparison.Ordinal),
            EditedPath = "draft.md",
        });
        ReviewResult<ReviewDecision> taken = await review.ApproveAsync(new ApproveRequest
        {
            CandidateId = id,
            Actor = "alice",
            EditedMarkdown = proposed.Replace("id: PB-0002", "id: PB-0001", StringComparison.Ordinal),
            EditedPath = "draft.md",
        });

        Assert.Equal(ReviewErrorCode.InvalidMarkdown, broken.Error!.Code);
        KnowledgeFileError error = Assert.Single(broken.Error.FileErrors);
        Assert.Equal(("draft.md", 4), (error.Path, error.Line));
        Assert.Contains("unknown state 'published'", error.Problem, StringComparison.Ordinal);
        Assert.Contains("line 4", broken.Error.Message, StringComparison.Ordinal);
        Assert.Equal(ReviewErrorCode.InvalidMarkdown, taken.Error!.Code);
        Assert.Equal(2, Assert.Single(taken.Error.FileErrors).Line);
        Assert.Contains("use PB-0002", taken.Error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(desk.PathOf("PB-0002")));
        Assert.Null(await desk.ArticleAsync("PB-0002"));
        Assert.Empty(await desk.AuditAsync());
        Assert.Equal(CandidateState.Draft, (await desk.CandidateAsync(id)).State);
    }

    [Fact]
    public async Task Reject_needs_a_reason_and_the_next_mining_run_does_not_propose_the_same_cases_again()
    {
        using ReviewDesk desk = await ReviewDesk.OpenAsync(fixture.Embedder, provider);
        var cases = ReviewDesk.EmptyInvoiceCases("inv", 6);
        long id = await desk.MineAsync("cl-invoice", cases);

        ReviewResult<ReviewDecision> noReason;
        ReviewResult<ReviewDecision> rejected;
        await using (TicketOpsDbContext db = desk.CreateContext())
        {
            noReason = await desk.Review(db).RejectAsync(id, "alice", "  ");
            rejected = await desk.Review(db).RejectAsync(id, "alice", "customer template bug, not ours");
        }

        MiningRunSummary next = await desk.MineAgainAsync("cl-invoice", cases);

        Assert.Equal(ReviewErrorCode.MissingInput, noReason.Error!.Code);
        Assert.True(rejected.Succeeded);
        MiningCandidate candidate = await desk.CandidateAsync(id);
        Assert.Equal((CandidateState.Rejected, "customer template bug, not ours"), (candidate.State, candidate.Reason));
        AuditEntry audit = Assert.Single(await desk.AuditAsync());
        Assert.Equal((ReviewAction.Reject, "customer template bug, not ours"), (audit.Action, audit.Reason));
        Assert.Equal(1, next.CandidatesKeptRejected);
        await using TicketOpsDbContext check = desk.CreateContext();
        Assert.Empty(await desk.Review(check).QueueAsync());
    }

    [Fact]
    public async Task Decisions_out_of_turn_are_refused_and_leave_no_audit_entry()
    {
        using ReviewDesk desk = await ReviewDesk.OpenAsync(fixture.Embedder, provider);
        long id = await desk.MineAsync("cl-invoice", ReviewDesk.EmptyInvoiceCases("inv", 6));
        await using TicketOpsDbContext db = desk.CreateContext();
        KnowledgeReview review = desk.Review(db);
        Assert.True((await review.RejectAsync(id, "alice", "not ours")).Succeeded);
        Assert.True((await review.ArchiveAsync("PB-0001", "alice", "fixed in 4.3")).Succeeded);

        ReviewResult<ReviewDecision> approveRejected = await review.ApproveAsync(new ApproveRequest { CandidateId = id, Actor = "alice" });
        ReviewResult<ReviewDecision> rejectAgain = await review.RejectAsync(id, "alice", "still not ours");
        ReviewResult<ReviewDecision> validateArchived = await review.ValidateAsync("PB-0001", "alice");
        ReviewResult<ReviewDecision> noActor = await review.ValidateAsync("PB-0001", " ");
        ReviewResult<ReviewDecision> missing = await review.ApproveAsync(new ApproveRequest { CandidateId = 999, Actor = "alice" });
        ReviewResult<ReviewDecision> archiveWithoutReason = await review.ArchiveAsync("PB-0001", "alice", "");

        Assert.Equal(ReviewErrorCode.IllegalTransition, approveRejected.Error!.Code);
        Assert.Contains("was rejected", approveRejected.Error.Message, StringComparison.Ordinal);
        Assert.Equal(ReviewErrorCode.IllegalTransition, rejectAgain.Error!.Code);
        Assert.Equal(ReviewErrorCode.IllegalTransition, validateArchived.Error!.Code);
        Assert.Contains("archived", validateArchived.Error.Message, StringComparison.Ordinal);
        Assert.Equal(ReviewErrorCode.MissingInput, noActor.Error!.Code);
        Assert.Equal(ReviewErrorCode.NotFound, missing.Error!.Code);
        Assert.Equal(ReviewErrorCode.MissingInput, archiveWithoutReason.Error!.Code);
        Assert.Equal([ReviewAction.Reject, ReviewAction.Archive], (await desk.AuditAsync()).Select(e => e.Action));
    }

    [Fact]
    public async Task A_draft_article_goes_to_not_validated_then_validated_then_archived_and_leaves_matching()
    {
        using ReviewDesk desk = await ReviewDesk.OpenAsync(fixture.Embedder, provider);
        KnowledgeArticle draft = Knowledge.KnowledgeArticles.Playbook("PB-0005");
        draft.TemplateId = null;
        draft.State = KnowledgeState.Draft;
        draft.Title = "Invoice PDF downloads with zero pages";
        draft.Sections = [new("Issue", "The invoice PDF is empty."), new("Environment", "Billing"), new("Cause", "Stale render cache."), new("Resolution", "1. Clear the invoice render cache.")];
        Assert.Null(await KnowledgeFolder.WriteFileAsync(desk.Folder, draft));
        await desk.SyncAsync();
        await using TicketOpsDbContext db = desk.CreateContext();
        KnowledgeReview review = desk.Review(db);
        const string Ticket = "invoice PDF downloads empty with zero pages";

        ReviewResult<ReviewDecision> notValidated = await review.MarkNotValidatedAsync("PB-0005", "alice");
        ReviewResult<ReviewDecision> backwards = await review.MarkNotValidatedAsync("PB-0005", "alice");
        ReviewResult<ReviewDecision> validated = await review.ValidateAsync("PB-0005", "alice");
        bool matchedWhenValidated = (await desk.Matcher.MatchAsync(new MatchRequest { Text = Ticket })).Items.Any(i => i.Id == "PB-0005");
        ReviewResult<ReviewDecision> archived = await review.ArchiveAsync("PB-0005", "alice", "merged into PB-0001", supersededBy: "PB-0001");
        bool matchedWhenArchived = (await desk.Matcher.MatchAsync(new MatchRequest { Text = Ticket })).Items.Any(i => i.Id == "PB-0005");

        Assert.True(notValidated.Succeeded && validated.Succeeded && archived.Succeeded);
        Assert.Equal(ReviewErrorCode.IllegalTransition, backwards.Error!.Code);
        Assert.True(matchedWhenValidated);
        Assert.False(matchedWhenArchived);
        KnowledgeArticle file = KnowledgeMarkdown.Parse(File.ReadAllText(desk.PathOf("PB-0005")), "PB-0005.md").Article!;
        Assert.Equal((KnowledgeState.Archived, "PB-0001"), (file.State, file.SupersededBy));
        Assert.Equal(file.ContentHash, (await desk.ArticleAsync("PB-0005"))!.ContentHash);
        List<AuditEntry> audit = await desk.AuditAsync();
        Assert.Equal([ReviewAction.MarkNotValidated, ReviewAction.Validate, ReviewAction.Archive], audit.Select(e => e.Action));
        Assert.Equal(audit[0].AfterHash, audit[1].BeforeHash);
        Assert.Contains("validated → archived", audit[2].Summary, StringComparison.Ordinal);
        Assert.Equal("merged into PB-0001", audit[2].Reason);
    }

    [Fact]
    public async Task A_candidate_from_an_already_covered_issue_is_flagged_as_duplicate_and_offered_as_merge()
    {
        using ReviewDesk desk = await ReviewDesk.OpenAsync(fixture.Embedder, provider);
        long duplicate = await desk.MineAsync("cl-skew", ReviewDesk.ClockSkewCases("skew", 6));
        long fresh = await desk.MineAsync("cl-invoice", ReviewDesk.EmptyInvoiceCases("inv", 6));
        await using TicketOpsDbContext db = desk.CreateContext();
        KnowledgeReview review = desk.Review(db);

        CandidateReview shown = (await review.ShowAsync(duplicate)).Value!;
        CandidateReview other = (await review.ShowAsync(fresh)).Value!;

        SimilarKnowledge best = shown.SimilarKnowledge[0];
        Assert.Equal(("PB-0001", KnowledgeOverlap.Duplicate), (best.KnowledgeId, best.Overlap));
        Assert.Equal("PB-0001", shown.SuggestedMergeTarget);
        Assert.Contains(shown.Warnings, w => w.StartsWith("Duplicate: PB-0001", StringComparison.Ordinal));
        Assert.Equal(KnowledgeSections.Playbook, best.Sections.Select(s => s.Heading));
        Assert.Contains("NTP", best.Sections[3].Article, StringComparison.Ordinal);
        Assert.Equal([.. Enumerable.Range(0, 6).Select(i => $"skew-{i}")], shown.SourceCases.Select(s => s.ExternalId));
        Assert.Null(other.SuggestedMergeTarget);
        Assert.DoesNotContain(other.SimilarKnowledge, s => s.Overlap != KnowledgeOverlap.Related);
    }

    [Fact]
    public async Task Same_issue_with_another_cause_is_flagged_as_a_possible_contradiction()
    {
        using ReviewDesk desk = await ReviewDesk.OpenAsync(fixture.Embedder, provider);
        long id = await desk.MineAsync("cl-skew", ReviewDesk.ClockSkewCases("skew", 6, cause: "The customer's SAML signing certificate expired last week"));
        await using TicketOpsDbContext db = desk.CreateContext();

        CandidateReview shown = (await desk.Review(db).ShowAsync(id)).Value!;

        Assert.Equal(("PB-0001", KnowledgeOverlap.PossibleContradiction), (shown.SimilarKnowledge[0].KnowledgeId, shown.SimilarKnowledge[0].Overlap));
        Assert.Contains(shown.Warnings, w => w.StartsWith("Possible contradiction: PB-0001", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Merge_adds_the_source_cases_raises_the_version_and_marks_the_candidate_merged()
    {
        using ReviewDesk desk = await ReviewDesk.OpenAsync(fixture.Embedder, provider);
        long id = await desk.MineAsync("cl-skew", ReviewDesk.ClockSkewCases("skew", 6));
        string edited = File.ReadAllText(desk.PathOf("PB-0001")).Replace("Resync the IdP clock with NTP.", "Resync the IdP clock with NTP and enable automatic sync.", StringComparison.Ordinal);
        await using TicketOpsDbContext db = desk.CreateContext();

        ReviewResult<ReviewDecision> result = await desk.Review(db).MergeAsync(new MergeRequest { CandidateId = id, TargetId = "PB-0001", Actor = "alice", EditedMarkdown = edited, Reason = "same issue" });

        Assert.True(result.Succeeded, result.Error?.Message);
        KnowledgeArticle file = KnowledgeMarkdown.Parse(File.ReadAllText(desk.PathOf("PB-0001")), "PB-0001.md").Article!;
        Assert.Equal(3, file.Version);
        Assert.Equal(new DateOnly(2026, 9, 14), file.Reviewed);
        Assert.Equal([.. Enumerable.Range(0, 6).Select(i => $"skew-{i}")], file.SourceCaseIds);
        Assert.Contains("enable automatic sync", file.Section("Resolution"), StringComparison.Ordinal);
        Assert.Equal(file.ContentHash, (await desk.ArticleAsync("PB-0001"))!.ContentHash);
        MiningCandidate candidate = await desk.CandidateAsync(id);
        Assert.Equal((CandidateState.Merged, "PB-0001"), (candidate.State, candidate.KnowledgeId));
        AuditEntry audit = Assert.Single(await desk.AuditAsync());
        Assert.Equal(ReviewAction.Merge, audit.Action);
        Assert.Contains("+6 source cases", audit.Summary, StringComparison.Ordinal);
        Assert.Contains("sections changed: Resolution", audit.Summary, StringComparison.Ordinal);
        MatchResult match = await desk.Matcher.MatchAsync(new MatchRequest { Text = "ERR_SAML_CLOCK_SKEW, need automatic sync" });
        Assert.Equal("PB-0001", match.Items[0].Id);
    }

    [Fact]
    public async Task A_merged_cluster_is_not_proposed_again_as_an_update_until_it_grows()
    {
        using ReviewDesk desk = await ReviewDesk.OpenAsync(fixture.Embedder, provider);
        var cases = ReviewDesk.ClockSkewCases("skew", 6);
        CoverageScorer coveredByPb1 = (_, _) => new KnowledgeCoverage("PB-0001", "SAML login rejected for clock skew", 1.0, "Cause: the IdP server clock drifted ahead of UTC.");
        long id = await desk.MineAsync("cl-skew", cases, coveredByPb1);
        Assert.Equal(CandidateKind.UpdateSuggestion, (await desk.CandidateAsync(id)).Kind);
        await using (TicketOpsDbContext db = desk.CreateContext())
        {
            ReviewResult<ReviewDecision> approve = await desk.Review(db).ApproveAsync(new ApproveRequest { CandidateId = id, Actor = "alice" });
            Assert.Contains("review merge", approve.Error!.Message, StringComparison.Ordinal);
            Assert.True((await desk.Review(db).MergeAsync(new MergeRequest { CandidateId = id, TargetId = "PB-0001", Actor = "alice" })).Succeeded);
        }

        MiningRunSummary same = await desk.MineAgainAsync("cl-skew", cases, coveredByPb1);

        Assert.Equal((0, 1), (same.CandidatesAdded, same.CandidatesKeptRejected));
    }

    [Fact]
    public async Task A_knowledge_file_edited_since_the_last_sync_is_not_overwritten_and_nothing_is_saved()
    {
        using ReviewDesk desk = await ReviewDesk.OpenAsync(fixture.Embedder, provider);
        long id = await desk.MineAsync("cl-skew", ReviewDesk.ClockSkewCases("skew", 6));
        string handEdited = File.ReadAllText(desk.PathOf("PB-0001")).Replace("version: 2", "version: 7", StringComparison.Ordinal);
        File.WriteAllText(desk.PathOf("PB-0001"), handEdited);
        await using TicketOpsDbContext db = desk.CreateContext();

        ReviewResult<ReviewDecision> result = await desk.Review(db).MergeAsync(new MergeRequest { CandidateId = id, TargetId = "PB-0001", Actor = "alice" });

        Assert.Equal(ReviewErrorCode.FileConflict, result.Error!.Code);
        Assert.Contains("knowledge sync", result.Error.Message, StringComparison.Ordinal);
        Assert.Equal(handEdited, File.ReadAllText(desk.PathOf("PB-0001")));
        Assert.Equal(2, (await desk.ArticleAsync("PB-0001"))!.Version);
        Assert.Equal(CandidateState.Draft, (await desk.CandidateAsync(id)).State);
        Assert.Empty(await desk.AuditAsync());
    }
}

/// <summary>The tests above on the embedded SQLite file.</summary>
[Collection(MiniLMGroup.Name)]
public sealed class SqliteKnowledgeReviewTests(EmbedderFixture fixture) : KnowledgeReviewTests(fixture, DatabaseProvider.Sqlite);

/// <summary>The tests above on a fresh PostgreSQL database.</summary>
[Collection(MiniLMGroup.Name)]
public sealed class PostgreSqlKnowledgeReviewTests(EmbedderFixture fixture) : KnowledgeReviewTests(fixture, DatabaseProvider.PostgreSql);
