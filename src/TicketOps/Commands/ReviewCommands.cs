using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using TicketOps.Cli;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Matching;
using TicketOps.Core.Review;
using TicketOps.Core.Storage;

namespace TicketOps.Commands;

/// <summary>Options of every <c>review</c> verb.</summary>
internal class ReviewSettings : TicketOpsSettings
{
    [CommandOption("--knowledge <DIR>")]
    [Description("The knowledge folder approved and changed articles are written to.")]
    [DefaultValue("knowledge")]
    public string Knowledge { get; init; } = "knowledge";

    [CommandOption("--as <NAME>")]
    [Description("Who decides; recorded in the audit log. Required for decisions.")]
    public string? Actor { get; init; }
}

/// <summary>Options of a decision: the actor is required.</summary>
internal class ReviewDecisionSettings : ReviewSettings
{
    public override ValidationResult Validate() =>
        string.IsNullOrWhiteSpace(Actor) ? ValidationResult.Error("Name who decides with --as NAME; every decision is recorded in the audit log.") : base.Validate();
}

internal sealed class ReviewCandidateSettings : ReviewSettings
{
    [CommandArgument(0, "<ID>")]
    [Description("The candidate id (see 'review list').")]
    public long Id { get; init; }

    [CommandOption("--article")]
    [Description("Print only the article file an approval would write, to edit and pass to 'review approve --from'.")]
    public bool Article { get; init; }
}

internal sealed class ReviewApproveSettings : ReviewDecisionSettings
{
    [CommandArgument(0, "<ID>")]
    [Description("The candidate id.")]
    public long Id { get; init; }

    [CommandOption("--from <FILE>")]
    [Description("Approve this edited article file instead of the draft as it is (start from 'review show ID --article').")]
    public string? From { get; init; }

    [CommandOption("--not-validated")]
    [Description("Create the article as not validated (usable, not yet published to matching).")]
    public bool NotValidated { get; init; }

    [CommandOption("--owner <NAME>")]
    [Description("The article's owner. Default: the --as name.")]
    public string? Owner { get; init; }

    public override ValidationResult Validate() =>
        From is not null && !File.Exists(From) ? ValidationResult.Error($"{From}: no such file; pass the edited article with --from FILE.") : base.Validate();
}

internal sealed class ReviewRejectSettings : ReviewDecisionSettings
{
    [CommandArgument(0, "<ID>")]
    [Description("The candidate id.")]
    public long Id { get; init; }

    [CommandOption("--reason <TEXT>")]
    [Description("Why (required); mining does not propose the cluster again until it grows.")]
    public string? Reason { get; init; }
}

internal sealed class ReviewMergeSettings : ReviewDecisionSettings
{
    [CommandArgument(0, "<ID>")]
    [Description("The candidate id.")]
    public long Id { get; init; }

    [CommandOption("--into <KB-ID>")]
    [Description("The article to merge into, e.g. PB-0003.")]
    public string? Into { get; init; }

    [CommandOption("--from <FILE>")]
    [Description("The target article's file as you edited it (its title and sections replace the article's).")]
    public string? From { get; init; }

    [CommandOption("--reason <TEXT>")]
    [Description("Why, optionally.")]
    public string? Reason { get; init; }

    public override ValidationResult Validate() =>
        string.IsNullOrWhiteSpace(Into) ? ValidationResult.Error("Name the article to merge into with --into PB-0003.")
        : From is not null && !File.Exists(From) ? ValidationResult.Error($"{From}: no such file.")
        : base.Validate();
}

internal sealed class ReviewArticleSettings : ReviewDecisionSettings
{
    [CommandArgument(0, "<KB-ID>")]
    [Description("The article id, e.g. PB-0003.")]
    public string Id { get; init; } = "";

    [CommandOption("--reason <TEXT>")]
    [Description("Why (required to archive).")]
    public string? Reason { get; init; }

    [CommandOption("--superseded-by <KB-ID>")]
    [Description("Archive: the article that replaces this one.")]
    public string? SupersededBy { get; init; }
}

internal sealed class ReviewLogSettings : ReviewSettings
{
    [CommandOption("--subject <ID>")]
    [Description("Only entries about this article (PB-0003) or candidate (12 or candidate:12).")]
    public string? Subject { get; init; }

    [CommandOption("--limit <N>")]
    [Description("How many entries at most, newest first.")]
    [DefaultValue(50)]
    public int Limit { get; init; } = 50;
}

/// <summary>The review service over a data directory, with the matcher and embedder opened only when a verb needs them.</summary>
internal sealed class ReviewSession : IAsyncDisposable
{
    private readonly MatchIndexLease? _lease;
    private readonly SentenceEmbedder? _embedder;
    private readonly TicketMatcher? _matcher;

    private ReviewSession(TicketOpsDbContext db, MatchIndexLease? lease, SentenceEmbedder? embedder, TicketMatcher? matcher, KnowledgeReview review)
    {
        Db = db;
        _lease = lease;
        _embedder = embedder;
        _matcher = matcher;
        Review = review;
    }

    public TicketOpsDbContext Db { get; }

    public KnowledgeReview Review { get; }

    /// <summary>Opens the review's database, and with <paramref name="withMatching"/> the match index.</summary>
    /// <param name="settings">The verb's settings.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="withMatching">Whether the verb needs the matcher (similar knowledge, publishing to matching).</param>
    /// <param name="cancellationToken">Cancels.</param>
    /// <param name="decision">For a decision that writes the database and then the index: its name, recorded until <see cref="Decided"/> (see <see cref="IndexRepair"/>).</param>
    /// <param name="output">Where a repair of an interrupted earlier decision is reported (with <paramref name="decision"/>).</param>
    public static async Task<ReviewSession> OpenAsync(ReviewSettings settings, TimeProvider timeProvider, bool withMatching, CancellationToken cancellationToken, string? decision = null, CliOutput? output = null)
    {
        DataDirectory dataDirectory = settings.ResolveDataDirectory();

        // The lease first, so a refusal (a server holds the index) has opened nothing else.
        MatchIndexLease? lease = withMatching ? MatchIndexLease.Take(dataDirectory) : null;
        await TicketOpsDatabase.MigrateAsync(dataDirectory, cancellationToken);
        TicketOpsDbContext db = TicketOpsDatabase.CreateContext(dataDirectory);
        SentenceEmbedder? embedder = withMatching ? new SentenceEmbedder() : null;
        TicketMatcher? matcher = embedder is null ? null : TicketMatcher.Open(dataDirectory, embedder, vectorCache: StoredVectors.Of(dataDirectory));
        if (matcher is not null && decision is not null)
        {
            if (IndexRepair.Interrupted(dataDirectory) is { } interrupted)
            {
                await MatchIndex.RepairAsync(output ?? CliOutput.FromConsole(), dataDirectory, db, matcher, interrupted, cancellationToken);
            }

            await IndexRepair.MarkAsync(dataDirectory, decision, timeProvider.GetUtcNow().UtcDateTime, cancellationToken);

            // An article file's temporary copy that a kill left between writing and renaming (the article itself is whole).
            DurableFile.RemoveLeftovers(settings.Knowledge);
        }

        var review = new KnowledgeReview(db, settings.Knowledge, matcher, embedder is null ? null : texts => embedder.Embed(texts, cancellationToken), timeProvider);
        return new ReviewSession(db, lease, embedder, matcher, review) { _marked = matcher is not null && decision is not null ? dataDirectory : null };
    }

    // The data directory whose index marker this session set, cleared by Decided.
    private DataDirectory? _marked;

    /// <summary>The decision has been made (or refused) and its index change committed: clears the marker.</summary>
    public T Decided<T>(T result)
    {
        if (_marked is not null)
        {
            IndexRepair.MarkDone(_marked);
        }

        return result;
    }

    public async ValueTask DisposeAsync()
    {
        _matcher?.Dispose();
        _embedder?.Dispose();
        await Db.DisposeAsync();
        _lease?.Dispose();
    }
}

/// <summary>Writes review results and maps refusals to exit codes.</summary>
internal static class ReviewView
{
    public static int Decision(CliOutput output, ReviewSettings settings, ReviewResult<ReviewDecision> result)
    {
        if (result.Value is not { } decision)
        {
            return Refusal(output, settings, result.Error!);
        }

        if (settings.Json)
        {
            output.WriteJson(decision);
        }
        else
        {
            output.Line(decision.Audit.Summary + ".");
            if (decision.Path is not null)
            {
                output.Line($"Wrote {Path.Combine(settings.Knowledge, decision.Path)}{(decision.Indexed ? "; published to matching" : "")}.");
            }
        }

        return ExitCodes.Success;
    }

    public static int Refusal(CliOutput output, ReviewSettings settings, ReviewError error)
    {
        if (settings.Json)
        {
            output.WriteJson(new { Error = error });
        }

        output.Fail(error.Message);
        return error.Code switch
        {
            ReviewErrorCode.NotFound => ExitCodes.NotFound,
            ReviewErrorCode.MissingInput => ExitCodes.Usage,
            ReviewErrorCode.InvalidMarkdown => ExitCodes.InvalidData,
            _ => ExitCodes.Refused,
        };
    }
}

/// <summary>The review queue: draft candidates and update suggestions, oldest and largest first.</summary>
internal sealed class ReviewListCommand(CliOutput output, TimeProvider timeProvider) : AsyncCommand<ReviewSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ReviewSettings settings, CancellationToken cancellationToken)
    {
        await using ReviewSession session = await ReviewSession.OpenAsync(settings, timeProvider, withMatching: false, cancellationToken);
        IReadOnlyList<ReviewQueueItem> queue = await session.Review.QueueAsync(cancellationToken);
        if (settings.Json)
        {
            output.WriteJson(queue);
            return ExitCodes.Success;
        }

        if (queue.Count == 0)
        {
            output.Line("The review queue is empty; 'ticketops mine' proposes candidates from resolved cases.");
            return ExitCodes.Success;
        }

        var table = new Table().Title($"Review queue ({queue.Count})").AddColumns("id", "kind", "title", "cases", "confidence", "proposed", "note");
        foreach (ReviewQueueItem item in queue)
        {
            string note = item.TargetKnowledgeId is { } target ? $"update {target}" : "";
            table.AddRow($"{item.CandidateId}", item.Kind.ToString(), Markup.Escape(item.Title), $"{item.ClusterSize}", $"{item.Confidence:N2}", $"{item.CreatedAt:yyyy-MM-dd}", Markup.Escape(note));
        }

        output.Console.Write(table);
        return ExitCodes.Success;
    }
}

/// <summary>One candidate: draft, source cases, the knowledge it resembles side by side, duplicate and contradiction warnings.</summary>
internal sealed class ReviewShowCommand(CliOutput output, TimeProvider timeProvider) : AsyncCommand<ReviewCandidateSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ReviewCandidateSettings settings, CancellationToken cancellationToken)
    {
        await using ReviewSession session = await ReviewSession.OpenAsync(settings, timeProvider, withMatching: !settings.Article, cancellationToken);
        ReviewResult<CandidateReview> result = await session.Review.ShowAsync(settings.Id, cancellationToken);
        if (result.Value is not { } review)
        {
            return ReviewView.Refusal(output, settings, result.Error!);
        }

        if (settings.Article)
        {
            if (review.ProposedArticleMarkdown.Length == 0)
            {
                output.Fail(review.State != Core.Mining.CandidateState.Draft
                    ? $"Candidate {review.CandidateId} is {review.State.ToString().ToLowerInvariant()}{(review.KnowledgeId is { } kb ? " (" + kb + ")" : "")}; only drafts are approved."
                    : $"Candidate {review.CandidateId} is a {review.Kind}; it is not approved as a new article. Merge it with 'review merge {review.CandidateId} --into {review.SuggestedMergeTarget ?? "PB-NNNN"}'.");
                return ExitCodes.Refused;
            }

            output.Out.Write(review.ProposedArticleMarkdown);
            return ExitCodes.Success;
        }

        if (settings.Json)
        {
            output.WriteJson(review);
            return ExitCodes.Success;
        }

        output.Line($"Candidate {review.CandidateId} · {review.Kind} · {review.State} · {review.ClusterSize} cases · confidence {review.Confidence:N2}");
        foreach (string warning in review.Warnings)
        {
            output.Line("warning: " + warning);
        }

        output.Line("");
        output.Line(review.DraftMarkdown.TrimEnd());
        output.Line("");
        var sources = new Table().Title("Source cases").AddColumns("case", "similarity", "title");
        foreach (ReviewSourceCase source in review.SourceCases)
        {
            sources.AddRow(Markup.Escape(source.ExternalId), $"{source.Similarity:N2}", Markup.Escape(source.Title));
        }

        output.Console.Write(sources);
        foreach (SimilarKnowledge similar in review.SimilarKnowledge)
        {
            var table = new Table()
                .Title(Markup.Escape($"{similar.KnowledgeId} {similar.Title} ({KnowledgeMarkdown.StateName(similar.State)}): {similar.Overlap}, issue {similar.IssueSimilarity:N2}, cause {similar.CauseSimilarity:N2}"))
                .AddColumns("section", "candidate", similar.KnowledgeId, "similarity");
            foreach (SectionComparison section in similar.Sections)
            {
                table.AddRow(Markup.Escape(section.Heading), Markup.Escape(section.Candidate), Markup.Escape(section.Article), $"{section.Similarity:N2}");
            }

            output.Console.Write(table);
        }

        output.Line(review.SuggestedMergeTarget is { } target
            ? $"Next: review merge {review.CandidateId} --into {target} --as NAME, or review reject {review.CandidateId} --reason TEXT --as NAME"
            : $"Next: review approve {review.CandidateId} --as NAME (edit first: review show {review.CandidateId} --article > draft.md, then --from draft.md), or review reject {review.CandidateId} --reason TEXT --as NAME");
        return ExitCodes.Success;
    }
}

/// <summary>Approves a candidate as a new article, as drafted or as edited.</summary>
internal sealed class ReviewApproveCommand(CliOutput output, TimeProvider timeProvider) : AsyncCommand<ReviewApproveSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ReviewApproveSettings settings, CancellationToken cancellationToken)
    {
        await using ReviewSession session = await ReviewSession.OpenAsync(settings, timeProvider, withMatching: true, cancellationToken, decision: "review approve", output: output);
        var request = new ApproveRequest
        {
            CandidateId = settings.Id,
            Actor = settings.Actor!,
            Owner = settings.Owner,
            State = settings.NotValidated ? KnowledgeState.NotValidated : KnowledgeState.Validated,
            EditedMarkdown = settings.From is null ? null : await File.ReadAllTextAsync(settings.From, cancellationToken),
            EditedPath = settings.From ?? "edited article",
        };
        return ReviewView.Decision(output, settings, session.Decided(await session.Review.ApproveAsync(request, cancellationToken)));
    }
}

/// <summary>Rejects a candidate with a reason.</summary>
internal sealed class ReviewRejectCommand(CliOutput output, TimeProvider timeProvider) : AsyncCommand<ReviewRejectSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ReviewRejectSettings settings, CancellationToken cancellationToken)
    {
        await using ReviewSession session = await ReviewSession.OpenAsync(settings, timeProvider, withMatching: false, cancellationToken);
        return ReviewView.Decision(output, settings, await session.Review.RejectAsync(settings.Id, settings.Actor!, settings.Reason ?? "", cancellationToken));
    }
}

/// <summary>Merges a candidate into an existing article.</summary>
internal sealed class ReviewMergeCommand(CliOutput output, TimeProvider timeProvider) : AsyncCommand<ReviewMergeSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ReviewMergeSettings settings, CancellationToken cancellationToken)
    {
        await using ReviewSession session = await ReviewSession.OpenAsync(settings, timeProvider, withMatching: true, cancellationToken, decision: "review merge", output: output);
        var request = new MergeRequest
        {
            CandidateId = settings.Id,
            TargetId = settings.Into!,
            Actor = settings.Actor!,
            EditedMarkdown = settings.From is null ? null : await File.ReadAllTextAsync(settings.From, cancellationToken),
            EditedPath = settings.From ?? "edited article",
            Reason = settings.Reason,
        };
        return ReviewView.Decision(output, settings, session.Decided(await session.Review.MergeAsync(request, cancellationToken)));
    }
}

/// <summary>Validates (publishes) an article.</summary>
internal sealed class ReviewValidateCommand(CliOutput output, TimeProvider timeProvider) : AsyncCommand<ReviewArticleSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ReviewArticleSettings settings, CancellationToken cancellationToken)
    {
        await using ReviewSession session = await ReviewSession.OpenAsync(settings, timeProvider, withMatching: true, cancellationToken, decision: "review validate", output: output);
        return ReviewView.Decision(output, settings, session.Decided(await session.Review.ValidateAsync(settings.Id, settings.Actor!, settings.Reason, cancellationToken)));
    }
}

/// <summary>Archives an article (removes it from matching).</summary>
internal sealed class ReviewArchiveCommand(CliOutput output, TimeProvider timeProvider) : AsyncCommand<ReviewArticleSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ReviewArticleSettings settings, CancellationToken cancellationToken)
    {
        await using ReviewSession session = await ReviewSession.OpenAsync(settings, timeProvider, withMatching: true, cancellationToken, decision: "review archive", output: output);
        return ReviewView.Decision(output, settings, session.Decided(await session.Review.ArchiveAsync(settings.Id, settings.Actor!, settings.Reason ?? "", settings.SupersededBy, cancellationToken)));
    }
}

/// <summary>The audit log of review decisions.</summary>
internal sealed class ReviewLogCommand(CliOutput output, TimeProvider timeProvider) : AsyncCommand<ReviewLogSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ReviewLogSettings settings, CancellationToken cancellationToken)
    {
        await using ReviewSession session = await ReviewSession.OpenAsync(settings, timeProvider, withMatching: false, cancellationToken);
        IReadOnlyList<AuditEntry> entries = await session.Review.AuditLogAsync(settings.Subject, settings.Limit, cancellationToken);
        if (settings.Json)
        {
            output.WriteJson(entries);
            return ExitCodes.Success;
        }

        var table = new Table().Title($"Audit log ({entries.Count})").AddColumns("when", "who", "action", "subject", "what changed", "why");
        foreach (AuditEntry entry in entries)
        {
            table.AddRow($"{entry.At:yyyy-MM-dd HH:mm}", Markup.Escape(entry.Actor), entry.Action.ToString(), Markup.Escape(entry.Subject), Markup.Escape(entry.Summary), Markup.Escape(entry.Reason ?? ""));
        }

        output.Console.Write(table);
        return ExitCodes.Success;
    }
}
