using System.Globalization;
using TicketOps.Core.Cases;
using TicketOps.Core.Import;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Matching;
using TicketOps.Core.Mining;
using TicketOps.Core.Review;
using TicketOps.Core.Synthetic;

namespace TicketOps.Bench;

/// <summary>
/// Measures the duplicate-check similarities on the synthetic demo set (docs/review.md). Two demo sets with
/// different seeds stand for "knowledge written last year" and "cases mined now": one draft per latent issue
/// family in each. Same family = a duplicate; different family = not; a draft whose cause and resolution are
/// swapped for another family's in the same product area = a contradiction (same issue, other cause).
/// </summary>
internal static class ReviewThresholdBenchmark
{
    public static Task<int> RunAsync(int cases, int sample)
    {
        DateTime end = new(2026, 9, 1, 0, 0, 0, DateTimeKind.Utc);
        Dictionary<string, KnowledgeArticle> articles = Drafts(new DemoDataOptions(cases, 42, end), sample, "PB");
        Dictionary<string, KnowledgeArticle> candidates = Drafts(new DemoDataOptions(cases, 43, end), sample, "CA");
        string[] families = [.. articles.Keys.Intersect(candidates.Keys).Order(StringComparer.Ordinal)];
        var areaOf = IssueFamilies.All.ToDictionary(f => f.Id, f => f.ProductArea);
        using var embedder = new SentenceEmbedder();
        // Each text is embedded once: the check is called once per pair and would otherwise re-embed the library.
        var cache = new Dictionary<string, float[]>(StringComparer.Ordinal);
        Func<IReadOnlyList<string>, float[][]> embed = texts =>
        {
            string[] missing = [.. texts.Where(t => !cache.ContainsKey(t)).Distinct(StringComparer.Ordinal)];
            float[][] vectors = missing.Length == 0 ? [] : embedder.Embed(missing);
            for (int i = 0; i < missing.Length; i++)
            {
                cache[missing[i]] = vectors[i];
            }

            return [.. texts.Select(t => cache[t])];
        };
        List<KnowledgeArticle> library = [.. families.Select(f => articles[f])];

        var sameIssue = new List<double>();
        var otherIssue = new List<double>();
        var sameCause = new List<double>();
        var swappedCause = new List<double>();
        var verdicts = new List<(string Truth, KnowledgeOverlap Verdict)>();
        foreach (string family in families)
        {
            // Every article, not only the top three the check returns, so the negatives are all measured.
            foreach (KnowledgeArticle article in library)
            {
                SimilarKnowledge pair = DuplicateCheck.Compare(candidates[family], [article], embed)[0];
                (articles[family] == article ? sameIssue : otherIssue).Add(pair.IssueSimilarity);
                if (articles[family] == article)
                {
                    sameCause.Add(pair.CauseSimilarity);
                }
            }

            SimilarKnowledge top = DuplicateCheck.Compare(candidates[family], library, embed)[0];
            verdicts.Add(("duplicate", top.KnowledgeId == articles[family].Id ? top.Overlap : KnowledgeOverlap.Related));

            // The same issue with another family's cause and resolution from the same product area.
            string? donor = families.FirstOrDefault(f => f != family && areaOf[f] == areaOf[family]);
            if (donor is not null)
            {
                KnowledgeArticle swapped = WithCauseOf(candidates[family], candidates[donor]);
                SimilarKnowledge pair = DuplicateCheck.Compare(swapped, [articles[family]], embed)[0];
                swappedCause.Add(pair.CauseSimilarity);
                verdicts.Add(("contradiction", pair.Overlap));
            }
        }

        Console.WriteLine($"families: {families.Length}, pairs: {sameIssue.Count} same issue, {otherIssue.Count} other issue, {swappedCause.Count} swapped cause");
        Describe("issue similarity, same family", sameIssue);
        Describe("issue similarity, other family", otherIssue);
        Describe("cause similarity, same family", sameCause);
        Describe("cause similarity, swapped cause", swappedCause);
        Console.WriteLine("threshold  same-issue recall  other-issue false positives");
        for (double t = 0.50; t <= 0.951; t += 0.05)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{t,9:0.00}  {sameIssue.Count(s => s >= t) / (double)sameIssue.Count,17:P0}  {otherIssue.Count(s => s >= t),5} of {otherIssue.Count}"));
        }

        Console.WriteLine("threshold  same-cause kept  swapped cause caught");
        for (double t = 0.30; t <= 0.901; t += 0.05)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{t,9:0.00}  {sameCause.Count(s => s >= t) / (double)sameCause.Count,15:P0}  {swappedCause.Count(s => s < t) / (double)Math.Max(1, swappedCause.Count),20:P0}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"with SameIssue {DuplicateCheck.SameIssueThreshold:0.00}, SameCause {DuplicateCheck.SameCauseThreshold:0.00}:"));
        foreach (var group in verdicts.GroupBy(v => v.Truth))
        {
            Console.WriteLine($"  {group.Key}: " + string.Join(", ", group.GroupBy(v => v.Verdict).Select(g => $"{g.Key} {g.Count()}")));
        }

        return Task.FromResult(0);
    }

    private static Dictionary<string, KnowledgeArticle> Drafts(DemoDataOptions options, int sample, string prefix)
    {
        var drafter = new CandidateDrafter();
        var result = new Dictionary<string, KnowledgeArticle>(StringComparer.Ordinal);
        int n = 0;
        foreach (var family in DemoCaseGenerator.Generate(options)
            .Where(r => r.EvalFamily is not null && r.ResolvedAt is not null && r.Technical != false)
            .GroupBy(r => r.EvalFamily!)
            .Where(g => g.Count() >= 5)
            .OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            List<SupportCase> cases = [.. family.Take(sample).Select(ToCase)];
            var cluster = new CaseCluster
            {
                Id = family.Key,
                Members = [.. cases.Select(c => new ClusterMember(c.ExternalId, 0.9))],
                Cohesion = 0.8,
            };
            CandidateDraft draft = drafter.Draft(cluster, cases, cases[0].Title);
            if (draft.Kind == CandidateKind.NoDraft)
            {
                continue;
            }

            result[family.Key] = new KnowledgeArticle
            {
                Id = $"{prefix}-{++n:D4}",
                Title = draft.Title,
                Owner = "bench",
                Sections = CandidateArticle.SectionsOf(draft),
            };
        }

        return result;
    }

    private static KnowledgeArticle WithCauseOf(KnowledgeArticle issue, KnowledgeArticle cause) => new()
    {
        Id = issue.Id,
        Title = issue.Title,
        Owner = issue.Owner,
        Sections = [issue.Sections[0], issue.Sections[1], cause.Sections[2], cause.Sections[3]],
    };

    private static SupportCase ToCase(CaseRecord record) => new()
    {
        Source = "demo",
        ExternalId = record.ExternalId!,
        Title = record.Title!,
        Description = record.Description ?? "",
        Product = record.Product,
        Component = record.Component,
        Version = record.Version,
        Platform = record.Platform,
        CreatedAt = record.CreatedAt ?? default,
        ResolvedAt = record.ResolvedAt,
        EscalatedAt = record.EscalatedAt,
        EngineeringInvolved = record.EngineeringInvolved ?? false,
        EvidenceSteps = record.EvidenceSteps ?? [],
        Cause = record.Cause,
        Resolution = record.Resolution,
    };

    private static void Describe(string name, List<double> values)
    {
        if (values.Count == 0)
        {
            Console.WriteLine($"{name}: none");
            return;
        }

        List<double> sorted = [.. values.Order()];
        double At(double q) => sorted[(int)Math.Round(q * (sorted.Count - 1))];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-34} n={sorted.Count,4} min {sorted[0]:0.000} p10 {At(0.1):0.000} median {At(0.5):0.000} p90 {At(0.9):0.000} max {sorted[^1]:0.000}"));
    }
}
