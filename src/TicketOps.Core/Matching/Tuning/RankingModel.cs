using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using TicketOps.Core.Storage;

namespace TicketOps.Core.Matching.Tuning;

/// <summary>
/// A ranking learned from an organisation's own history by <see cref="RankingTrainer"/>: one weight per
/// <see cref="RankingFeatures"/> value; a candidate's tuned score is the weighted sum. It reorders the best
/// fused candidates of a match; the fused score, the confidence bands and "no good match" stay as calibrated
/// (docs/matching.md, "Tuned ranking"). Stored as <c>ranking-model.json</c> in the data directory.
/// </summary>
public sealed record RankingModel
{
    /// <summary>The file format version this code reads and writes.</summary>
    public const int CurrentFormat = 1;

    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>File format version.</summary>
    public int Format { get; init; } = CurrentFormat;

    /// <summary>The feature names, in the order of <see cref="Weights"/> (checked on load).</summary>
    public required IReadOnlyList<string> Features { get; init; }

    /// <summary>One weight per feature.</summary>
    public required IReadOnlyList<double> Weights { get; init; }

    /// <summary>How many of each ticket's fused candidates the model reorders.</summary>
    public int Depth { get; init; } = RankingTrainer.DefaultDepth;

    /// <summary>When the model was fitted (UTC).</summary>
    public DateTime TrainedAt { get; init; }

    /// <summary>Tickets with a known right answer it was fitted on.</summary>
    public int TrainedOnQueries { get; init; }

    /// <summary>Where the training tickets came from (<c>links</c>, a data set's name).</summary>
    public string? Source { get; init; }

    /// <summary>The check on the later period that justified it: MRR without and with the model.</summary>
    public RankingCheck? Check { get; init; }

    /// <summary>Reads a model file; the problem (unreadable, another format, other features) instead of the model when it cannot be used.</summary>
    /// <returns>The model, or null with <paramref name="problem"/> set; null and no problem when the file does not exist.</returns>
    public static RankingModel? Load(string path, out string? problem)
    {
        problem = null;
        if (!File.Exists(path))
        {
            return null;
        }

        RankingModel? model;
        try
        {
            model = JsonSerializer.Deserialize<RankingModel>(File.ReadAllText(path), s_json);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            problem = $"{path}: cannot be read ({e.Message}); run 'ticketops tune' again or delete the file.";
            return null;
        }

        if (model is null || model.Format != CurrentFormat)
        {
            problem = $"{path}: format {model?.Format.ToString(CultureInfo.InvariantCulture) ?? "none"}, this version reads {CurrentFormat}; run 'ticketops tune' again.";
            return null;
        }

        if (!model.Features.SequenceEqual(RankingFeatures.Names) || model.Weights.Count != RankingFeatures.Count || model.Weights.Any(w => !double.IsFinite(w)))
        {
            problem = $"{path}: its features ({string.Join(", ", model.Features)}) are not this version's ({string.Join(", ", RankingFeatures.Names)}); run 'ticketops tune' again.";
            return null;
        }

        return model;
    }

    /// <summary>Writes the model file atomically (a crash leaves the old file or the new one).</summary>
    public Task SaveAsync(string path, CancellationToken cancellationToken = default) =>
        DurableFile.WriteAllTextAsync(path, JsonSerializer.Serialize(this, s_json) + "\n", cancellationToken);
}

/// <summary>MRR and Recall@1 on the later period, with the fused ranking and with a tuned one.</summary>
/// <param name="TrainQueries">Queries of the earlier period the checked model was fitted on.</param>
/// <param name="TestQueries">Queries of the later period it was measured on.</param>
/// <param name="SplitAt">The first time of the later period (null when the queries had no times and the order was used).</param>
/// <param name="FusedMrr">MRR of the fused ranking on the later period.</param>
/// <param name="TunedMrr">MRR of the tuned ranking on the later period.</param>
/// <param name="FusedRecallAt1">Recall@1 of the fused ranking on the later period.</param>
/// <param name="TunedRecallAt1">Recall@1 of the tuned ranking on the later period.</param>
public sealed record RankingCheck(int TrainQueries, int TestQueries, DateTime? SplitAt, double FusedMrr, double TunedMrr, double FusedRecallAt1, double TunedRecallAt1);
