using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using TicketOps.Cli;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Cases;
using TicketOps.Core.Matching;
using TicketOps.Core.Routing;
using TicketOps.Core.Storage;
using TicketOps.Web;

namespace TicketOps.Commands;

internal sealed class MatchSettings : TicketOpsSettings
{
    [CommandArgument(0, "<TEXT>")]
    [Description("The ticket text (title and description); '-' reads it from standard input.")]
    public string Text { get; init; } = "";

    [CommandOption("--product <AREA>")]
    [Description("Only items of this product area.")]
    public string? Product { get; init; }

    [CommandOption("--component <NAME>")]
    [Description("Only items of this component.")]
    public string? Component { get; init; }

    [CommandOption("--version <VERSION>")]
    [Description("Only items of this version (4.12 also matches 4.12.3).")]
    public string? Version { get; init; }

    [CommandOption("--top <N>")]
    [Description("How many items to show.")]
    [DefaultValue(5)]
    public int Top { get; init; } = 5;

    public override ValidationResult Validate() =>
        string.IsNullOrWhiteSpace(Text) ? ValidationResult.Error("give the ticket text, or '-' to read it from standard input.")
        : Top is < 1 or > 100 ? ValidationResult.Error("--top must be between 1 and 100.")
        : base.Validate();
}

internal sealed class MatchCommand(CliOutput output, TimeProvider timeProvider) : AsyncCommand<MatchSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, MatchSettings settings, CancellationToken cancellationToken)
    {
        string text = settings.Text == "-" ? await Console.In.ReadToEndAsync(cancellationToken) : settings.Text;
        DataDirectory dataDirectory = settings.ResolveDataDirectory();
        await TicketOpsDatabase.MigrateAsync(dataDirectory, cancellationToken);
        using var embedder = new SentenceEmbedder();
        using MatchIndexLease lease = MatchIndexLease.Take(dataDirectory);
        using TicketMatcher matcher = TicketMatcher.Open(dataDirectory, embedder, vectorCache: StoredVectors.Of(dataDirectory));
        if (matcher.Lexical.Count == 0)
        {
            output.Fail($"the match index in {dataDirectory.Root} is empty; import resolved cases or run 'ticketops index rebuild --data-dir {dataDirectory.Root}'.");
            return ExitCodes.Failure;
        }

        var request = new MatchRequest
        {
            Text = text,
            MaxResults = settings.Top,
            Filter = new MatchFilter { Product = settings.Product, Component = settings.Component, Version = settings.Version },
        };
        MatchResult result = await matcher.MatchAsync(request, cancellationToken);
        IReadOnlyDictionary<string, KnowledgeUsage> usage;
        OwnershipAdvice advice;
        await using (TicketOpsDbContext db = TicketOpsDatabase.CreateContext(dataDirectory))
        {
            usage = await KnowledgeUsage.OfAsync(db, result.KnowledgeIds, cancellationToken);
            advice = await new OwnershipAdvisor(matcher).AdviseAsync(db, text, request.Filter, result.KnowledgeIds, timeProvider.GetUtcNow().UtcDateTime, cancellationToken);
        }

        if (settings.Json)
        {
            output.WriteJson(MatchView.Of(result, matcher.Options, usage, advice));
        }
        else
        {
            MatchView.Write(output, result, matcher.Options, usage);
            MatchView.WriteOwnership(output, advice);
        }

        return ExitCodes.Success;
    }
}

/// <summary>How a match result is shown: one table per kind for people, a flat projection for scripts.</summary>
internal static class MatchView
{
    public static object Of(MatchResult result, MatcherOptions options, IReadOnlyDictionary<string, KnowledgeUsage> usage, OwnershipAdvice? advice = null) => new
    {
        result.HasGoodMatch,
        NoMatchThreshold = options.NoMatchThreshold,
        Items = result.Items.Select(i => MatchItemView.Of(i, usage)),
        result.PendingVectors,
        RankedBy = result.RankedBy.ToString().ToLowerInvariant(),
        Ownership = advice is null ? null : OwnershipAdviceView.Of(advice),
    };

    /// <summary>The ownership advice under the match tables: the depth (or "not enough evidence"), why, and the cases behind it.</summary>
    public static void WriteOwnership(CliOutput output, OwnershipAdvice advice)
    {
        string depth = advice.Depth is { } d ? OwnershipDepths.Name(d) : "not enough evidence";
        output.Line($"Ownership: {depth}. {advice.Reason}");
        if (advice.EscalateWhen is not null)
        {
            output.Line($"  Escalate when ({advice.CriteriaFrom}): {advice.EscalateWhen}");
        }

        if (advice.Cases.Count > 0)
        {
            output.Line("  Behind it: " + string.Join(", ", advice.Cases.Take(5).Select(c => $"{c.CaseId} ({OwnershipDepths.Name(c.FinalDepth)})")));
        }
    }

    public static void Write(CliOutput output, MatchResult result, MatcherOptions options, IReadOnlyDictionary<string, KnowledgeUsage>? usage = null)
    {
        if (!result.HasGoodMatch)
        {
            string best = result.Items.Count == 0 ? "nothing found" : $"best evidence {result.Items[0].Evidence:N2} < {options.NoMatchThreshold:N2}";
            output.Line($"No good match ({best}). The nearest items, for what they are worth:");
        }

        foreach (MatchGroup group in result.Groups)
        {
            string title = group.Kind == MatchDocumentKind.Case ? "Similar resolved cases" : group.Kind == MatchDocumentKind.Playbook ? "Playbooks" : "Investigation templates";
            var table = new Table().Title(title).AddColumns("id", "title", "confidence", "score", "why it matched");
            foreach (MatchedItem item in group.Items)
            {
                table.AddRow(
                    Markup.Escape(item.Id),
                    Markup.Escape(item.Title),
                    item.Confidence.ToString().ToLowerInvariant(),
                    $"{item.Score:N2}",
                    Markup.Escape(Why(item.Explanation, usage?.GetValueOrDefault(item.Id))));
            }

            output.Console.Write(table);
        }

        if (result.RankedBy == MatchRanking.Tuned)
        {
            output.Line("Ordered by the ranking learned from this organisation's links ('ticketops tune'); scores and confidence are the fused ones.");
        }

        if (result.PendingVectors > 0)
        {
            output.Line($"{result.PendingVectors:N0} items of the index have no vector yet and were matched by their terms alone; " +
                "'ticketops index rebuild' (or a running 'ticketops serve') computes the missing ones.");
        }
    }

    internal static string Why(MatchExplanation explanation, KnowledgeUsage? usage = null)
    {
        var parts = new List<string>();
        if (explanation.SharedIdentifiers.Count > 0)
        {
            parts.Add("shares " + string.Join(", ", explanation.SharedIdentifiers));
        }

        if (explanation.SharedEnvironment.Count > 0)
        {
            parts.Add(string.Join(", ", explanation.SharedEnvironment));
        }

        if (explanation.MatchedTerms.Count > 0)
        {
            parts.Add("terms: " + string.Join(", ", explanation.MatchedTerms.Take(5)));
        }

        parts.Add(explanation.VectorPending ? "semantic: vector pending" : $"semantic {explanation.SemanticSimilarity:N2}");
        if (usage is not null)
        {
            parts.Add(usage.Summary);
        }

        return string.Join("; ", parts);
    }
}
