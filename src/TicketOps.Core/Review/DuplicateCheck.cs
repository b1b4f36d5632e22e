using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using TicketOps.Core.Knowledge;

namespace TicketOps.Core.Review;

/// <summary>How a candidate relates to an existing article.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<KnowledgeOverlap>))]
public enum KnowledgeOverlap
{
    /// <summary>Similar, but not the same issue: shown for context.</summary>
    Related = 0,

    /// <summary>Same issue and same cause: update (merge into) the article instead of creating a second one.</summary>
    Duplicate = 1,

    /// <summary>Same issue, different cause or resolution: one of the two may be wrong, or the article is incomplete.</summary>
    PossibleContradiction = 2,
}

/// <summary>One section of a candidate beside the same section of an article.</summary>
/// <param name="Heading">The section heading.</param>
/// <param name="Candidate">The candidate's text.</param>
/// <param name="Article">The article's text.</param>
/// <param name="Similarity">Cosine similarity of their sentence embeddings (0 when either is empty).</param>
public sealed record SectionComparison(string Heading, string Candidate, string Article, double Similarity);

/// <summary>An existing article a candidate resembles, section by section.</summary>
/// <param name="KnowledgeId">The article's id.</param>
/// <param name="Title">Its title.</param>
/// <param name="State">Its KCS state.</param>
/// <param name="IssueSimilarity">Similarity of title + issue (framing for templates).</param>
/// <param name="CauseSimilarity">Similarity of the cause (evidence for templates).</param>
/// <param name="Overlap">What the similarities mean.</param>
/// <param name="Sections">Every section side by side.</param>
public sealed record SimilarKnowledge(
    string KnowledgeId, string Title, [property: JsonConverter(typeof(JsonStringEnumConverter<KnowledgeState>))] KnowledgeState State, double IssueSimilarity, double CauseSimilarity, KnowledgeOverlap Overlap, IReadOnlyList<SectionComparison> Sections);

/// <summary>
/// "One article per issue and cause": compares a candidate with the live articles of its type, section by
/// section, with sentence embeddings. The same issue with the same cause is a duplicate (offer a merge);
/// the same issue with a different cause is a possible contradiction. The thresholds were measured on the
/// synthetic demo set (docs/review.md).
/// </summary>
public static partial class DuplicateCheck
{
    /// <summary>
    /// From this title + issue similarity on, candidate and article describe the same issue. On the demo set
    /// (two seeds, 31 families) it finds 30 of 31 same-issue pairs and flags 2 of 930 other-issue pairs: a
    /// missed duplicate costs a second article, a false flag only a warning, so recall wins over 0.65-0.75.
    /// </summary>
    public const double SameIssueThreshold = 0.60;

    /// <summary>
    /// From this cause similarity on (with the same issue), they name the same cause. On the demo set, same
    /// causes score 0.81 or more and another family's cause 0.35 or less; 0.60 sits in the middle of the gap,
    /// leaving room for real causes worded less alike than the generator's.
    /// </summary>
    public const double SameCauseThreshold = 0.60;

    /// <summary>How many similar articles are returned at most.</summary>
    public const int MaxSimilar = 3;

    /// <summary>
    /// The articles most similar to <paramref name="candidate"/> (same type, not archived, not the candidate
    /// itself), most similar issue first, duplicates and contradictions before merely related ones.
    /// </summary>
    /// <param name="candidate">The candidate as an article (see <see cref="CandidateArticle"/>).</param>
    /// <param name="articles">The existing articles.</param>
    /// <param name="embed">Sentence embedder returning unit vectors.</param>
    public static IReadOnlyList<SimilarKnowledge> Compare(KnowledgeArticle candidate, IReadOnlyList<KnowledgeArticle> articles, Func<IReadOnlyList<string>, float[][]> embed)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(articles);
        ArgumentNullException.ThrowIfNull(embed);
        List<KnowledgeArticle> live = [.. articles.Where(a => a.Type == candidate.Type && a.State != KnowledgeState.Archived && a.Id != candidate.Id)];
        if (live.Count == 0)
        {
            return [];
        }

        IReadOnlyList<string> headings = KnowledgeSections.For(candidate.Type);
        var texts = new List<string>();
        foreach (KnowledgeArticle article in (IEnumerable<KnowledgeArticle>)[candidate, .. live])
        {
            texts.Add(IssueText(article));
            texts.AddRange(headings.Select(h => Plain(article.Section(h) ?? "")));
        }

        float[][] vectors = embed(texts);
        int stride = headings.Count + 1;
        string causeHeading = CauseHeading(candidate.Type);
        var results = new List<SimilarKnowledge>();
        for (int a = 0; a < live.Count; a++)
        {
            int offset = (a + 1) * stride;
            double issue = Cosine(vectors[0], vectors[offset], texts[0], texts[offset]);
            var sections = new List<SectionComparison>();
            for (int h = 0; h < headings.Count; h++)
            {
                sections.Add(new SectionComparison(
                    headings[h],
                    candidate.Section(headings[h]) ?? "",
                    live[a].Section(headings[h]) ?? "",
                    Math.Round(Cosine(vectors[1 + h], vectors[offset + 1 + h], texts[1 + h], texts[offset + 1 + h]), 3)));
            }

            double cause = sections.Single(s => s.Heading == causeHeading).Similarity;
            results.Add(new SimilarKnowledge(live[a].Id, live[a].Title, live[a].State, Math.Round(issue, 3), cause, OverlapOf(issue, cause), sections));
        }

        return [.. results
            .OrderByDescending(r => r.Overlap != KnowledgeOverlap.Related)
            .ThenByDescending(r => r.IssueSimilarity)
            .Take(MaxSimilar)];
    }

    /// <summary>The verdict for an issue and a cause similarity.</summary>
    public static KnowledgeOverlap OverlapOf(double issueSimilarity, double causeSimilarity) =>
        issueSimilarity < SameIssueThreshold ? KnowledgeOverlap.Related
        : causeSimilarity >= SameCauseThreshold ? KnowledgeOverlap.Duplicate
        : KnowledgeOverlap.PossibleContradiction;

    /// <summary>The section that names the cause: Cause for playbooks, the evidence to gather for templates.</summary>
    public static string CauseHeading(KnowledgeType type) => type == KnowledgeType.Playbook ? "Cause" : "Evidence to gather first";

    /// <summary>What is compared as "the issue": the title and the first section (Issue or Framing).</summary>
    public static string IssueText(KnowledgeArticle article)
    {
        ArgumentNullException.ThrowIfNull(article);
        return Plain(article.Title + "\n" + (article.Section(KnowledgeSections.For(article.Type)[0]) ?? ""));
    }

    // Bullets, numbers and code marks are layout, not meaning; MiniLM reads cleaner text more consistently.
    private static string Plain(string markdown) => MarkdownMarks().Replace(markdown, " ").Trim();

    private static double Cosine(float[] a, float[] b, string textA, string textB)
    {
        if (textA.Length == 0 || textB.Length == 0)
        {
            return 0;
        }

        double dot = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
        }

        return dot;
    }

    [GeneratedRegex(@"(?m)^\s*(?:[-*+]|\d+\.)\s+|[`*_>#]")]
    private static partial Regex MarkdownMarks();
}
