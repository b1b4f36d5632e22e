using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using TicketOps.Cli;
using TicketOps.Core.Matching;
using TicketOps.Core.Matching.Tuning;
using TicketOps.Core.Storage;

namespace TicketOps.Commands;

internal sealed class TuneSettings : TicketOpsSettings
{
    [CommandOption("--train-share <SHARE>")]
    [Description("Share of the linked cases, earliest first, the checked model is fitted on; the later rest measures it.")]
    [DefaultValue(0.6)]
    public double TrainShare { get; init; } = 0.6;

    [CommandOption("--dry-run")]
    [Description("Fit and measure, but write nothing.")]
    public bool DryRun { get; init; }

    [CommandOption("--force")]
    [Description("Write the model even when it did worse than the fused ranking on the later period.")]
    public bool Force { get; init; }

    [CommandOption("--reset")]
    [Description("Delete the data directory's ranking model: matching goes back to the fused ranking.")]
    public bool Reset { get; init; }

    public override ValidationResult Validate() =>
        TrainShare is <= 0.1 or >= 0.9
            ? ValidationResult.Error($"--train-share must be between 0.1 and 0.9 (0.6 fits on the earliest 60 % of the linked cases), not {TrainShare}.")
            : Reset && (DryRun || Force) ? ValidationResult.Error("--reset deletes the model; it takes neither --dry-run nor --force.")
            : base.Validate();
}

/// <summary>
/// <c>ticketops tune</c>: learns the ranking from the organisation's own links (<see cref="LinkHistory"/>), checks it on the
/// later period against the fused ranking, and writes <c>ranking-model.json</c> to the data directory when it does
/// not do worse. Matching (CLI and a server started afterwards) uses the file when it is there.
/// </summary>
internal sealed class TuneCommand(CliOutput output, TimeProvider timeProvider) : AsyncCommand<TuneSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, TuneSettings settings, CancellationToken cancellationToken)
    {
        DataDirectory dataDirectory = settings.ResolveDataDirectory();
        if (settings.Reset)
        {
            bool existed = File.Exists(dataDirectory.RankingModelPath);
            File.Delete(dataDirectory.RankingModelPath);
            output.Line(existed ? $"Deleted {dataDirectory.RankingModelPath}: matching uses the fused ranking." : $"No ranking model in {dataDirectory.Root}: matching already uses the fused ranking.");
            return ExitCodes.Success;
        }

        await TicketOpsDatabase.MigrateAsync(dataDirectory, cancellationToken);
        using var embedder = new SentenceEmbedder();
        using MatchIndexLease lease = MatchIndexLease.Take(dataDirectory);
        using TicketMatcher matcher = TicketMatcher.Open(dataDirectory, embedder, vectorCache: StoredVectors.Of(dataDirectory));
        if (matcher.Lexical.Count == 0)
        {
            output.Fail($"the match index in {dataDirectory.Root} is empty; import resolved cases and sync knowledge first.");
            return ExitCodes.Failure;
        }

        IReadOnlyList<TuningQuery> queries;
        await using (TicketOpsDbContext db = TicketOpsDatabase.CreateContext(dataDirectory))
        {
            output.Error.WriteLine("tune: reading the linked cases and embedding their texts");
            queries = await LinkHistory.LoadAsync(db, embedder, matcher.Options.LongText, matcher.VectorCache, cancellationToken);
        }

        output.Error.WriteLine($"tune: ranking {queries.Count:N0} linked cases and fitting");
        TuningOutcome outcome = RankingTrainer.Tune(matcher, queries, settings.TrainShare, "links", timeProvider.GetUtcNow().UtcDateTime, cancellationToken);
        if (outcome.Model is not { } model || outcome.Check is not { } check)
        {
            output.Fail($"no ranking fitted: {outcome.Problem} Nothing written.");
            return ExitCodes.Refused;
        }

        bool write = !settings.DryRun && (outcome.Pays || settings.Force);
        if (write)
        {
            await model.SaveAsync(dataDirectory.RankingModelPath, cancellationToken);
        }

        string verdict = settings.DryRun ? "dry run: nothing written."
            : write ? $"written to {dataDirectory.RankingModelPath}; matching uses it from now on (restart a running server)."
            : "not written: the tuned ranking did worse than the fused one on the later period (--force writes it anyway).";
        if (settings.Json)
        {
            output.WriteJson(new { LinkedCases = queries.Count, check.TrainQueries, check.TestQueries, check.SplitAt, check.FusedMrr, check.TunedMrr, check.FusedRecallAt1, check.TunedRecallAt1, Weights = model.Features.Zip(model.Weights).ToDictionary(p => p.First, p => p.Second), Written = write });
            return ExitCodes.Success;
        }

        var table = new Table()
            .Title($"Tuned ranking on the later {check.TestQueries:N0} linked cases{(check.SplitAt is { } at ? $" (from {at:yyyy-MM-dd})" : "")}, fitted on the earlier {check.TrainQueries:N0}")
            .AddColumns("ranking", "MRR", "R@1");
        table.AddRow("fused (BM25 + embeddings)", $"{check.FusedMrr:N3}", $"{check.FusedRecallAt1:N3}");
        table.AddRow("tuned", $"{check.TunedMrr:N3}", $"{check.TunedRecallAt1:N3}");
        output.Console.Write(table);
        output.Line($"Weights (fitted on all {model.TrainedOnQueries:N0}): {string.Join(", ", model.Features.Zip(model.Weights).Select(p => $"{p.First} {p.Second:N3}"))}.");
        output.Line(verdict);
        return ExitCodes.Success;
    }
}
