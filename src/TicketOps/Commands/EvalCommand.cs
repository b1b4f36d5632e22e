using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using TicketOps.Cli;
using TicketOps.Core.Evaluation;
using TicketOps.Core.Matching;
using TicketOps.Core.Mining;

namespace TicketOps.Commands;

internal sealed class EvalSettings : TicketOpsSettings
{
    [CommandArgument(0, "<DATASET_DIR>")]
    [Description("Folder with corpus.jsonl, qrels.jsonl and optionally queries.jsonl / groups.jsonl.")]
    public string Dataset { get; init; } = "";

    [CommandOption("--method <METHOD>")]
    [Description("bm25, dense, hybrid or all (side by side, measured in the same run).")]
    [DefaultValue("all")]
    public string Method { get; init; } = "all";

    [CommandOption("--encoder <ENCODER>")]
    [Description("int8 (the product's encoder), fp32 (the model as the package ships it) or both, side by side in the same run.")]
    [DefaultValue("int8")]
    public string Encoder { get; init; } = "int8";

    /// <summary>The encoders to measure, in the order of the output.</summary>
    public IReadOnlyList<EncoderPrecision> Encoders => Encoder switch
    {
        "fp32" => [EncoderPrecision.Full],
        "both" => [EncoderPrecision.Full, EncoderPrecision.Quantized],
        _ => [EncoderPrecision.Quantized],
    };

    [CommandOption("--tune")]
    [Description("Also fit the tuned ranking (as 'ticketops tune' does from links) on the earlier queries and measure it on the later ones beside the fused ranking.")]
    public bool Tune { get; init; }

    [CommandOption("--train-share <SHARE>")]
    [Description("With --tune: the share of the queries, earliest first, to fit on (the rest, later, is measured).")]
    [DefaultValue(0.6)]
    public double TrainShare { get; init; } = 0.6;

    [CommandOption("--cache <DIR>")]
    [Description("Where to keep the data set's embeddings between runs. Default: DATA_DIR/eval-cache/NAME.")]
    public string? Cache { get; init; }

    [CommandOption("--clusters")]
    [Description("Measure clustering instead: ARI and NMI of TicketOps' clustering (not told k) beside k-means given the true k.")]
    public bool Clusters { get; init; }

    [CommandOption("--resolution <R>")]
    [Description("With --clusters: a fixed clustering resolution (e.g. 2) instead of the product's choice by stability, for comparison.")]
    public double? Resolution { get; init; }

    [CommandOption("--with-resolution")]
    [Description("With --clusters: embed title + body + resolution, as mining embeds a resolved case. Only for data sets whose resolution field is a real fix (not gitbugs', a status word).")]
    public bool WithResolution { get; init; }

    [CommandOption("--against <LABELS>")]
    [Description("With --clusters: category (the items' category) or groups (groups.jsonl). Default: groups when the file exists, else category.")]
    public string? Against { get; init; }

    public override ValidationResult Validate()
    {
        if (Against is not (null or "category" or "groups"))
        {
            return ValidationResult.Error($"--against must be category or groups, not '{Against}'.");
        }

        if (!Directory.Exists(Dataset))
        {
            return ValidationResult.Error($"{Dataset}: no such folder.");
        }

        if (Resolution is { } resolution && !(resolution > 0))
        {
            return ValidationResult.Error($"--resolution must be a positive number (2 is a typical value), not {resolution}.");
        }

        if (TrainShare is <= 0.1 or >= 0.9)
        {
            return ValidationResult.Error($"--train-share must be between 0.1 and 0.9 (0.6 fits on the earliest 60 % of the queries), not {TrainShare}.");
        }

        if (Tune && Clusters)
        {
            return ValidationResult.Error("--tune measures matching; it cannot be combined with --clusters.");
        }

        if (Encoder is not ("int8" or "fp32" or "both"))
        {
            return ValidationResult.Error($"--encoder must be int8, fp32 or both, not '{Encoder}'.");
        }

        if (Clusters && Encoder == "both")
        {
            return ValidationResult.Error("--encoder both measures matching; with --clusters choose int8 or fp32.");
        }

        return Method is "all" or "bm25" or "dense" or "hybrid"
            ? base.Validate()
            : ValidationResult.Error($"--method must be bm25, dense, hybrid or all, not '{Method}'.");
    }
}

internal sealed class EvalCommand(CliOutput output) : AsyncCommand<EvalSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, EvalSettings settings, CancellationToken cancellationToken)
    {
        string name = new DirectoryInfo(settings.Dataset).Name;
        var options = new EvaluationOptions
        {
            Methods = settings.Method == "all" ? null : new HashSet<EvaluationMethod> { Enum.Parse<EvaluationMethod>(settings.Method, ignoreCase: true) },
            EmbeddingCacheDirectory = settings.Cache ?? Path.Combine(settings.ResolveDataDirectory().Root, "eval-cache", name),
            Progress = new SyncProgress<string>(stage => output.Error.WriteLine($"eval: {stage}")),
        };

        if (settings.Clusters)
        {
            return await ClustersAsync(settings, name, options.EmbeddingCacheDirectory, cancellationToken);
        }

        var reports = new List<EvaluationReport>();
        try
        {
            foreach (EncoderPrecision precision in settings.Encoders)
            {
                using var embedder = new SentenceEmbedder(precision);
                using PreparedEvaluation prepared = await MatchingEvaluation.PrepareAsync(settings.Dataset, embedder, options, cancellationToken);
                EvaluationReport report = prepared.Evaluate(options.Matcher, options.Methods, cancellationToken);
                if (settings.Tune)
                {
                    options.Progress?.Report("fitting the tuned ranking on the earlier queries");
                    report = report with { Tuning = TuningMetrics.From(prepared.Tune(settings.TrainShare, DateTime.UtcNow, cancellationToken)) };
                }

                reports.Add(report);
            }
        }
        catch (EvaluationDataException ex)
        {
            output.Fail(ex.Message);
            return ExitCodes.InvalidData;
        }

        if (settings.Json)
        {
            output.Line(reports.Count == 1 ? reports[0].ToJson() : $"[{string.Join(",", reports.Select(r => r.ToJson()))}]");
            return ExitCodes.Success;
        }

        EvaluationReport first = reports[0];
        var table = new Table()
            .Title($"{Markup.Escape(first.Dataset)}: {first.Protocol} protocol, {first.Queries:N0} queries")
            .AddColumns("encoder", "method", "R@1", "R@5", "R@10", "R@20", "MRR");
        foreach (EvaluationReport report in reports)
        {
            foreach (MethodMetrics method in report.Methods)
            {
                string encoder = method.Method == "bm25" ? "(none)" : Markup.Escape(report.Encoder ?? "");
                table.AddRow(encoder, method.Method, $"{method.Recall["1"]:N3}", $"{method.Recall["5"]:N3}", $"{method.Recall["10"]:N3}", $"{method.Recall["20"]:N3}", $"{method.Mrr:N3}");
            }
        }

        output.Console.Write(table);
        foreach (EvaluationReport report in reports)
        {
            if (report.NoMatch is { } noMatch)
            {
                output.Line($"\"No good match\" ({report.Encoder}) at threshold {noMatch.Threshold:N2}: precision {noMatch.Precision:N3}, recall {noMatch.Recall:N3} "
                    + $"({noMatch.Abstained:N0} abstentions in {noMatch.Runs:N0} runs: each query once as is and once with its right answers removed).");
            }

            if (report.Reliability is { } reliability)
            {
                var bands = new Table()
                    .Title($"Reliability of the hybrid top item per confidence band ({Markup.Escape(report.Encoder ?? "")})")
                    .AddColumns("band", "queries", "right", "right share", "wrong share", "share of all right");
                foreach (BandReliability band in reliability)
                {
                    bands.AddRow(band.Band, $"{band.Runs:N0}", $"{band.Right:N0}", $"{band.RightShare:N3}", $"{band.WrongShare:N3}", $"{band.ShareOfAllRight:N3}");
                }

                output.Console.Write(bands);
            }

            if (report.Tuning is { } tuning)
            {
                output.Line(tuning.Problem is { } problem
                    ? $"Tuned ranking: not fitted: {problem}"
                    : $"Tuned ranking, later {tuning.TestQueries:N0} queries (fitted on the earlier {tuning.TrainQueries:N0}): MRR {tuning.FusedMrr:N3} fused → {tuning.TunedMrr:N3} tuned, "
                        + $"R@1 {tuning.FusedRecallAt1:N3} → {tuning.TunedRecallAt1:N3}; weights {string.Join(", ", tuning.Weights!.Select(w => $"{w.Key} {w.Value:N2}"))}.");
            }
        }

        return ExitCodes.Success;
    }

    private async Task<int> ClustersAsync(EvalSettings settings, string name, string cache, CancellationToken cancellationToken)
    {
        var options = new ClusteringEvaluationOptions
        {
            Against = settings.Against switch { "category" => ClusteringGroundTruth.Category, "groups" => ClusteringGroundTruth.Groups, _ => ClusteringGroundTruth.Auto },
            EmbeddingCacheDirectory = cache,
            EncoderId = SentenceEmbedder.EncoderIdOf(settings.Encoders[0]),
            DatasetName = name,
            Resolution = settings.Resolution,
            IncludeResolution = settings.WithResolution,
        };
        ClusteringEvaluationResult result;
        try
        {
            using var embedder = new SentenceEmbedder(settings.Encoders[0]);
            result = await ClusteringEvaluation.RunAsync(settings.Dataset, texts => embedder.Embed(texts, cancellationToken), options, cancellationToken);
        }
        catch (EvaluationDataException ex)
        {
            output.Fail(ex.Message);
            return ExitCodes.InvalidData;
        }

        if (settings.Json)
        {
            output.Line(result.ToJson());
            return ExitCodes.Success;
        }

        var table = new Table()
            .Title($"{Markup.Escape(result.Dataset)}: clustering of {result.Items:N0} items against {result.Against} ({result.TrueClusters:N0} true clusters)")
            .AddColumns("method", "clusters", "ARI", "NMI");
        table.AddRow($"ticketops (k not given, resolution {result.Resolution}{(settings.Resolution is null ? " chosen by stability" : ", fixed")})", $"{result.Clusters:N0} (+{result.Unclustered:N0} unclustered)", $"{result.Ari:N3}", $"{result.Nmi:N3}");
        table.AddRow($"{result.Baseline.Method} (baseline, same run)", $"{result.TrueClusters:N0}", $"{result.Baseline.Ari:N3}", $"{result.Baseline.Nmi:N3}");
        output.Console.Write(table);
        output.Line($"clustering took {result.ClusteringMilliseconds:N0} ms (embeddings cached in {options.EmbeddingCacheDirectory}).");
        return ExitCodes.Success;
    }
}
