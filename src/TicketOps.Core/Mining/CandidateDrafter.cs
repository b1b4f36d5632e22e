using System.Text.RegularExpressions;
using TicketOps.Core.Cases;

namespace TicketOps.Core.Mining;

/// <summary>Settings of <see cref="CandidateDrafter"/>.</summary>
public sealed class CandidateDrafterOptions
{
    /// <summary>A cluster needs this many cases to become a candidate; fewer is not yet a recurring issue.</summary>
    public int MinCases { get; set; } = 5;

    /// <summary>Coverage at or above this turns a candidate into an update suggestion for the covering playbook.</summary>
    public double CoverageThreshold { get; set; } = 0.5;

    /// <summary>Share of cases that must record a resolution; below it there is too little to draft from.</summary>
    public double MinResolvedShare { get; set; } = 0.5;

    /// <summary>
    /// The most common cause must explain at least this share of the cases that record one; below it the
    /// cluster mixes problems and a single playbook would mislead.
    /// </summary>
    public double MinCauseAgreement { get; set; } = 0.4;

    /// <summary>A step (evidence or resolution) enters the draft when this share of cases took it.</summary>
    public double MinStepShare { get; set; } = 0.25;

    /// <summary>An attribute distinguishes escalated cases when its share among them exceeds the others' by this much.</summary>
    public double EscalationLift { get; set; } = 0.3;

    /// <summary>Customer phrasings quoted in the Issue section.</summary>
    public int IssueExamples { get; set; } = 3;
}

/// <summary>
/// Drafts candidate playbooks, update suggestions and investigation templates extractively from the cases of
/// a cluster: every line is taken or counted from the cases and says how many it came from. Nothing is
/// published; the result goes to the review queue in state draft.
/// </summary>
public sealed partial class CandidateDrafter
{
    private readonly CandidateDrafterOptions _options;
    private readonly CoverageScorer? _coverage;

    /// <summary>Creates a drafter; <paramref name="coverage"/> checks existing knowledge (none when null).</summary>
    public CandidateDrafter(CandidateDrafterOptions? options = null, CoverageScorer? coverage = null)
    {
        _options = options ?? new CandidateDrafterOptions();
        _coverage = coverage;
    }

    /// <summary>
    /// Drafts a playbook for the cluster, or an update suggestion when existing knowledge covers it, or
    /// explains why there is no draft. <paramref name="cases"/> must hold the cluster's members (any order).
    /// </summary>
    public CandidateDraft Draft(CaseCluster cluster, IReadOnlyList<SupportCase> cases, string? label = null)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(cases);
        var byId = cases.ToDictionary(CaseKey, StringComparer.Ordinal);
        var members = cluster.Members.Where(m => byId.ContainsKey(m.CaseId)).ToList();
        var ordered = members.Select(m => byId[m.CaseId]).ToList();
        var sources = members.Select(m => new SourceCase(m.CaseId, byId[m.CaseId].Title, m.Similarity)).ToList();
        string title = label ?? ordered.FirstOrDefault()?.Title ?? cluster.Id;

        CandidateDraft NoDraft(string reason) => new()
        {
            Kind = CandidateKind.NoDraft,
            ClusterId = cluster.Id,
            Title = title,
            Reason = reason,
            SourceCases = sources,
        };

        int n = ordered.Count;
        if (n < _options.MinCases)
        {
            return NoDraft($"Only {n} cases; a candidate needs at least {_options.MinCases}.");
        }

        int resolved = ordered.Count(c => !string.IsNullOrWhiteSpace(c.Resolution));
        if (resolved < _options.MinResolvedShare * n)
        {
            return NoDraft($"Too little material: only {resolved} of {n} cases record a resolution.");
        }

        var causes = Counted(ordered.Select(c => (IEnumerable<string>)(string.IsNullOrWhiteSpace(c.Cause) ? [] : [c.Cause])), ordered.Count);
        int withCause = ordered.Count(c => !string.IsNullOrWhiteSpace(c.Cause));
        if (withCause > 0 && causes[0].Cases < _options.MinCauseAgreement * withCause)
        {
            return NoDraft($"Inconsistent material: {causes.Count} different causes; the most common explains only {causes[0].Cases} of {withCause} cases.");
        }

        var evidence = OrderedSteps(ordered.Select(c => (IReadOnlyList<string>)c.EvidenceSteps).ToList());
        var resolution = OrderedSteps(ordered.Select(c => (IReadOnlyList<string>)SplitSteps(c.Resolution)).ToList());
        var (escalateWhen, packet) = Escalation(ordered, evidence);
        double dominantCause = withCause == 0 ? 0.5 : causes[0].Cases / (double)withCause;
        double confidence = Confidence(n, cluster.Cohesion, dominantCause);

        KnowledgeCoverage? coverage = _coverage?.Invoke(cluster, ordered);
        var environment = Environment(ordered);
        var clusterVocabulary = ClusterVocabulary.Of(ordered);
        // The most central cases' phrasings, each sentence quoted once: near-identical tickets say the same thing,
        // often in another case, spacing, punctuation, version number or typo ("doesn't", "doesnt"; "to 7.4.1",
        // "to 7.4.3"; "updating", "udpating"); subjects in the cluster's own spelling ("Andorid" → "Android").
        Func<string, string> spelling = TicketTitle.CommonSpelling(ordered.Select(c => c.Title));
        var quoted = new List<string>();
        var issue = new List<DraftLine>();
        foreach (IssuePhrasing phrasing in ordered.Select(c => Phrasing(c, clusterVocabulary, spelling)))
        {
            string letters = NotLetter().Replace(phrasing.Quote ?? phrasing.Title, "").ToLowerInvariant();
            int typos = letters.Length / QuoteLettersPerTypo;
            if (quoted.Any(q => TicketTitle.EditDistance(q, letters, typos) <= typos))
            {
                continue;
            }

            quoted.Add(letters);
            issue.Add(new DraftLine(phrasing.Text, 1, Math.Round(1.0 / n, 3)));
            if (issue.Count == _options.IssueExamples)
            {
                break;
            }
        }

        // The matcher ties tickets to an article by their symptoms; the article covers the cluster only if it
        // also gives the cluster's main cause ("one article per issue and cause"). A webhook playbook about
        // signatures matched tickets about delivery timeouts in the demo, and merging them would have buried
        // a second problem in the wrong article; as a new playbook the reviewer sees both side by side.
        bool causeMissing = coverage is not null && causes.Count > 0 && !Mentions(coverage.Text + " " + coverage.Title, causes[0].Text);
        if (coverage is not null && coverage.Score >= _options.CoverageThreshold && !causeMissing)
        {
            // What the playbook does not state yet, in its own sections (Cause, Resolution, Environment): the
            // evidence to gather belongs to the investigation template, and a line counts as stated when the
            // article shares most of its words, not only when it quotes it.
            string article = coverage.Text + " " + coverage.Title;
            var additions = causes.Select(l => l with { Text = "Cause: " + l.Text })
                .Concat(resolution.Select(l => l with { Text = "Resolution step: " + l.Text }))
                .Concat(environment.Where(l => l.Share >= MinEnvironmentAdditionShare && !l.Text.Contains(OtherValues, StringComparison.Ordinal)).Select(l => l with { Text = "Environment: " + l.Text }))
                .Where(l => !Mentions(article, l.Text[(l.Text.IndexOf(':', StringComparison.Ordinal) + 2)..]))
                .ToList();

            // Nothing to add: a suggestion would only ask the owner to confirm the article again. The decision is
            // recorded (and shown by `mine`) but stays out of the review queue.
            if (additions.Count == 0)
            {
                return NoDraft($"Covered by '{coverage.Title}' ({coverage.KnowledgeId}, coverage {coverage.Score:0.00}): the new cases add nothing it lacks.") with { TargetKnowledgeId = coverage.KnowledgeId };
            }

            return new CandidateDraft
            {
                Kind = CandidateKind.UpdateSuggestion,
                ClusterId = cluster.Id,
                Title = coverage.Title,
                TargetKnowledgeId = coverage.KnowledgeId,
                Reason = $"Existing knowledge '{coverage.Title}' ({coverage.KnowledgeId}) already covers this cluster (coverage {coverage.Score:0.00}); "
                    + $"the new cases add {additions.Count} item(s).",
                Additions = additions,
                Issue = issue,
                Environment = environment,
                Causes = causes,
                EvidenceSteps = evidence,
                ResolutionSteps = resolution,
                EscalateWhen = escalateWhen,
                EscalationPacket = packet,
                SourceCases = sources,
                Confidence = confidence,
            };
        }

        return new CandidateDraft
        {
            Kind = CandidateKind.Playbook,
            ClusterId = cluster.Id,
            Title = title,
            Reason = coverage is null ? "No existing knowledge matches this cluster."
                : coverage.Score >= _options.CoverageThreshold ? $"'{coverage.Title}' ({coverage.KnowledgeId}) matches these tickets but does not give their main cause ({causes[0].Text}); one article per issue and cause."
                : $"Best existing match '{coverage.Title}' covers it only {coverage.Score:0.00}.",
            Issue = issue,
            Environment = environment,
            Causes = causes,
            EvidenceSteps = evidence,
            ResolutionSteps = resolution,
            EscalateWhen = escalateWhen,
            EscalationPacket = packet,
            SourceCases = sources,
            Confidence = confidence,
        };
    }

    /// <summary>
    /// One candidate per problem. A large family can come out of clustering as two or three clusters, and each
    /// then drafted a candidate of its own: two update suggestions for one playbook (PB-0004 in the demo), or two
    /// new playbooks with the same main cause (the VAT family of the synthetic set), each with part of the cases.
    /// Such candidates are drafted again as one from all their cases, under the largest cluster's id (so a
    /// decision on it sticks to that cluster), and each other cluster records where its cases went. They stay
    /// apart, and each says why, when the joint draft would not be the same candidate (its causes too mixed for
    /// one draft, or another article covering it).
    /// </summary>
    /// <param name="drafts">The run's drafts, one per cluster (templates and no-draft decisions pass through).</param>
    /// <param name="clusters">The run's clusters.</param>
    /// <param name="cases">The clustered cases by <see cref="CaseKey"/>.</param>
    /// <returns>The drafts in the same order, folded candidates replaced.</returns>
    public List<CandidateDraft> FoldDuplicates(IReadOnlyList<CandidateDraft> drafts, IReadOnlyList<CaseCluster> clusters, IReadOnlyDictionary<string, SupportCase> cases)
    {
        ArgumentNullException.ThrowIfNull(drafts);
        ArgumentNullException.ThrowIfNull(clusters);
        ArgumentNullException.ThrowIfNull(cases);
        var result = drafts.ToList();
        var clusterOf = clusters.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var known = drafts.Where(d => clusterOf.ContainsKey(d.ClusterId)).ToList();
        var groups = known
            .Where(d => d.Kind == CandidateKind.UpdateSuggestion && d.TargetKnowledgeId is not null)
            .GroupBy(d => d.TargetKnowledgeId!, StringComparer.Ordinal)
            .Select(g => new DuplicateGroup([.. g], CandidateKind.UpdateSuggestion, g.Key))
            .Concat(SameMainCause([.. known.Where(d => d.Kind == CandidateKind.Playbook && d.Causes.Count > 0)]).Select(g => new DuplicateGroup(g, CandidateKind.Playbook, null)))
            .Where(g => g.Drafts.Count > 1);
        foreach (DuplicateGroup group in groups)
        {
            List<CaseCluster> parts = [.. group.Drafts.Select(d => clusterOf[d.ClusterId]).OrderByDescending(c => c.Size).ThenBy(c => c.Id, StringComparer.Ordinal)];
            var joint = new CaseCluster
            {
                Id = parts[0].Id,
                Members = [.. parts.SelectMany(c => c.Members).OrderByDescending(m => m.Similarity).ThenBy(m => m.CaseId, StringComparer.Ordinal)],
                Cohesion = parts.Sum(c => c.Cohesion * c.Size) / parts.Sum(c => c.Size),
                ContinuesClusterId = parts[0].ContinuesClusterId,
            };
            CandidateDraft lead = group.Drafts.First(d => d.ClusterId == joint.Id);
            CandidateDraft folded = Draft(joint, [.. joint.Members.Select(m => cases[m.CaseId])], lead.Title);
            bool same = folded.Kind == group.Kind && (group.Kind == CandidateKind.UpdateSuggestion
                ? folded.TargetKnowledgeId == group.Target
                : folded.Causes.Count > 0 && SameCause(folded.Causes[0].Text, lead.Causes[0].Text));
            string shared = group.Target is null ? $"the same main cause ({lead.Causes[0].Text})" : $"the same playbook ({group.Target})";
            string kind = group.Target is null ? "playbook" : "update suggestion";
            foreach (CandidateDraft draft in group.Drafts)
            {
                string[] rest = [.. parts.Where(c => c.Id != draft.ClusterId).Select(c => c.Id)];
                string others = (rest.Length == 1 ? "cluster " : "clusters ") + string.Join(", ", rest);
                CandidateDraft replacement;
                if (!same)
                {
                    replacement = draft with { Reason = $"{draft.Reason} Also for {shared}: {others}; kept apart because drafted together: {folded.Reason}" };
                }
                else if (draft.ClusterId == joint.Id)
                {
                    replacement = folded with { Reason = $"{folded.Reason} Drafted together with {others}: {shared} (similarities are to each case's own cluster centre)." };
                }
                else
                {
                    replacement = new CandidateDraft
                    {
                        Kind = CandidateKind.NoDraft,
                        ClusterId = draft.ClusterId,
                        Title = draft.Title,
                        Reason = $"Folded into the {kind} drafted under cluster {joint.Id}: {shared}.",
                        SourceCases = draft.SourceCases,
                    };
                }

                result[result.FindIndex(d => ReferenceEquals(d, draft))] = replacement;
            }
        }

        return result;
    }

    // New playbooks whose main causes say the same thing, each way round (one article per issue and cause).
    private static List<List<CandidateDraft>> SameMainCause(List<CandidateDraft> playbooks)
    {
        var groups = new List<List<CandidateDraft>>();
        foreach (CandidateDraft playbook in playbooks)
        {
            List<CandidateDraft>? home = groups.FirstOrDefault(g => SameCause(g[0].Causes[0].Text, playbook.Causes[0].Text));
            if (home is null)
            {
                groups.Add([playbook]);
            }
            else
            {
                home.Add(playbook);
            }
        }

        return groups;
    }

    private static bool SameCause(string a, string b) => Mentions(a, b) && Mentions(b, a);

    private sealed record DuplicateGroup(List<CandidateDraft> Drafts, CandidateKind Kind, string? Target);

    /// <summary>
    /// Drafts an investigation template for a class of cases (a product area or cluster family) from the
    /// clusters in it: how to frame the case, evidence first, the hypothesis, when to stop and escalate, the
    /// packet, and how to close the loop.
    /// </summary>
    public CandidateDraft DraftInvestigationTemplate(string areaKey, IReadOnlyList<(CaseCluster Cluster, string Label)> clusters, IReadOnlyList<SupportCase> cases)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(areaKey);
        ArgumentNullException.ThrowIfNull(clusters);
        ArgumentNullException.ThrowIfNull(cases);
        var byId = cases.ToDictionary(CaseKey, StringComparer.Ordinal);
        var members = clusters.SelectMany(c => c.Cluster.Members).Where(m => byId.ContainsKey(m.CaseId)).ToList();
        var ordered = members.Select(m => byId[m.CaseId]).ToList();
        int n = ordered.Count;
        if (n < _options.MinCases)
        {
            return new CandidateDraft
            {
                Kind = CandidateKind.NoDraft,
                ClusterId = areaKey,
                Title = $"Investigating {areaKey} cases",
                Reason = $"Only {n} clustered cases in {areaKey}; a template needs at least {_options.MinCases}.",
            };
        }

        var causes = Counted(ordered.Select(c => (IEnumerable<string>)(string.IsNullOrWhiteSpace(c.Cause) ? [] : [c.Cause])), n);
        var evidence = OrderedSteps(ordered.Select(c => (IReadOnlyList<string>)c.EvidenceSteps).ToList());
        var (escalateWhen, packet) = Escalation(ordered, evidence);
        var environment = Environment(ordered);

        var framing = new List<DraftLine>
        {
            new($"Frame the case: which of the known {areaKey} patterns does it resemble? "
                + string.Join("; ", clusters.Select(c => $"{c.Label} ({c.Cluster.Size} cases)")), n, 1),
            new("Record the environment before anything else: " + string.Join(", ", environment.Take(4).Select(e => e.Text)), n, 1),
        };
        if (causes.Count > 0)
        {
            framing.Add(new DraftLine(
                "State the hypothesis as 'the cause is likely X because evidence Y'; causes seen here, most common first: "
                + string.Join("; ", causes.Take(4).Select(c => $"{c.Text} ({c.Cases})")), causes.Sum(c => c.Cases), 1));
        }

        framing.Add(new DraftLine("Close the loop: link the playbook that solved it (or flag the one that did not) and record cause and resolution.", n, 1));
        var centre = members.OrderByDescending(m => m.Similarity).Take(5).ToList();
        return new CandidateDraft
        {
            Kind = CandidateKind.InvestigationTemplate,
            ClusterId = areaKey,
            Title = $"Investigating {areaKey} cases",
            Reason = $"{clusters.Count} recurring cluster(s), {n} cases.",
            Framing = framing,
            Environment = environment,
            Causes = causes,
            EvidenceSteps = evidence,
            EscalateWhen = escalateWhen,
            EscalationPacket = packet,
            SourceCases = members.OrderByDescending(m => m.Similarity).Select(m => new SourceCase(m.CaseId, byId[m.CaseId].Title, m.Similarity)).ToList(),
            Confidence = Confidence(n, clusters.Average(c => c.Cluster.Cohesion), causes.Count == 0 ? 0.5 : causes[0].Share),
        };
    }

    /// <summary>The key a case is known by in clusters: its database id when set, else source/external id.</summary>
    public static string CaseKey(SupportCase supportCase)
    {
        ArgumentNullException.ThrowIfNull(supportCase);
        return supportCase.Id != 0 ? supportCase.Id.ToString() : supportCase.ExternalId;
    }

    /// <summary>
    /// Confidence grows with size (saturating at twice the minimum), tightness (cohesion 0.5 → 0, 0.9 → 1)
    /// and agreement on the cause; equal weights, because none of the three alone makes a playbook right.
    /// </summary>
    private double Confidence(int cases, double cohesion, double causeAgreement)
    {
        double size = Math.Min(1, cases / (2.0 * _options.MinCases));
        double tightness = Math.Clamp((cohesion - 0.5) / 0.4, 0, 1);
        return Math.Round((size + tightness + causeAgreement) / 3, 2);
    }

    /// <summary>
    /// The title plus the description sentence that says most about the cluster's problem: the one with the
    /// most of the cluster's recurring terms (<see cref="ClusterVocabulary"/>), shared identifiers counting
    /// double; ties go to the earlier sentence. Greetings and fragments under 25 characters never qualify, and
    /// when no sentence holds a recurring term the first qualifying one stands. A pleasantry such as "Hope you
    /// are all well" carries none of the cluster's words, so it loses to any sentence that names the problem.
    /// </summary>
    /// <summary>
    /// Whether <paramref name="article"/> states <paramref name="cause"/>: at least <see cref="CauseTermShare"/>
    /// of the cause's words (without stop words, a plural "s" ignored) occur in it.
    /// </summary>
    internal static bool Mentions(string article, string cause)
    {
        static string Stem(string term) => term.Length > 3 && term.EndsWith('s') ? term[..^1] : term;
        var causeTerms = ClusterLabeler.Terms(cause).Where(t => !t.Contains(' ', StringComparison.Ordinal)).Select(Stem).ToHashSet(StringComparer.Ordinal);
        if (causeTerms.Count == 0)
        {
            return true;
        }

        var articleTerms = ClusterLabeler.Terms(article).Where(t => !t.Contains(' ', StringComparison.Ordinal)).Select(Stem).ToHashSet(StringComparer.Ordinal);
        return causeTerms.Count(articleTerms.Contains) >= CauseTermShare * causeTerms.Count;
    }

    // The long tail of an environment field, summed into one line, and values few cases share (one patch
    // version, one phone model) are nothing an article would state: not offered as additions.
    private const string OtherValues = " other values (";
    private const double MinEnvironmentAdditionShare = 0.1;

    // Two quotes this many letters long may differ by one typo and still be the same sentence.
    private const int QuoteLettersPerTypo = 12;

    // A paraphrase keeps about half the words of a cause; an unrelated cause shares one or two ("receiver").
    private const double CauseTermShare = 0.4;

    // A case's title with the sentence of its description that says most of what the cluster keeps saying. A
    // sentence that leans on the one before it ("It happens on the second one.") says nothing quoted alone.
    private static IssuePhrasing Phrasing(SupportCase supportCase, ClusterVocabulary vocabulary, Func<string, string> spelling)
    {
        string? best = null;
        int bestScore = -1;
        HashSet<string> inSubject = CaseSpecifics.FromText(supportCase.Title);
        // "Hello, we upgraded and got charged twice." keeps what follows the salutation.
        foreach (string sentence in SentenceBreak().Split(supportCase.Description ?? "").Select(sentence => Salutation().Replace(sentence.Trim(), "")))
        {
            if (sentence.Length < 25 || Greeting().IsMatch(sentence) || LeansOnContext().IsMatch(sentence))
            {
                continue;
            }

            int score = vocabulary.Score(sentence, inSubject);
            if (score > bestScore)
            {
                best = sentence;
                bestScore = score;
            }
        }

        string title = spelling(supportCase.Title);
        string text = best is null ? title : $"{title}: \"{best}\"";
        return new IssuePhrasing(title, best, text.Length <= 240 ? text : text[..237] + "...");
    }

    private sealed record IssuePhrasing(string Title, string? Quote, string Text);

    /// <summary>
    /// What a cluster's cases keep saying: terms (<see cref="ClusterLabeler.Terms"/>: words and bigrams without
    /// stop words) found in at least 30% of the cases and at least two, and identifiers
    /// (<see cref="CaseSpecifics.FromText"/>: error codes, exception names, HTTP statuses) found in at least two.
    /// </summary>
    private sealed class ClusterVocabulary
    {
        private readonly HashSet<string> _terms;
        private readonly HashSet<string> _identifiers;

        private ClusterVocabulary(HashSet<string> terms, HashSet<string> identifiers)
        {
            _terms = terms;
            _identifiers = identifiers;
        }

        public static ClusterVocabulary Of(List<SupportCase> cases)
        {
            var termCases = new Dictionary<string, int>(StringComparer.Ordinal);
            var identifierCases = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (SupportCase supportCase in cases)
            {
                string text = supportCase.Title + "\n" + supportCase.Description;
                foreach (string term in ClusterLabeler.Terms(text).Distinct(StringComparer.Ordinal))
                {
                    termCases[term] = termCases.GetValueOrDefault(term) + 1;
                }

                foreach (string identifier in CaseSpecifics.FromText(text))
                {
                    identifierCases[identifier] = identifierCases.GetValueOrDefault(identifier) + 1;
                }
            }

            int minTermCases = Math.Max(2, (int)Math.Ceiling(0.3 * cases.Count));
            return new ClusterVocabulary(
                termCases.Where(p => p.Value >= minTermCases).Select(p => p.Key).ToHashSet(StringComparer.Ordinal),
                identifierCases.Where(p => p.Value >= 2).Select(p => p.Key).ToHashSet(StringComparer.Ordinal));
        }

        /// <summary>
        /// Recurring terms in the sentence plus twice its recurring identifiers, except identifiers the subject
        /// already gives: "the invoice line says BILL-PRO-221." adds nothing under "Wrong proration (BILL-PRO-221)".
        /// </summary>
        public int Score(string sentence, HashSet<string> inSubject) =>
            ClusterLabeler.Terms(sentence).Distinct(StringComparer.Ordinal).Count(_terms.Contains)
            + (2 * CaseSpecifics.FromText(sentence).Count(i => _identifiers.Contains(i) && !inSubject.Contains(i)));
    }

    /// <summary>
    /// Products, components, versions and platforms with counts. Values seen in fewer than 10% of the cases
    /// (beyond the three most common) are summed into one "other" line, so a long tail of patch versions does
    /// not drown the section.
    /// </summary>
    private static List<DraftLine> Environment(List<SupportCase> cases)
    {
        int n = cases.Count;
        var lines = new List<DraftLine>();
        foreach (var (name, value) in new (string, Func<SupportCase, string?>)[]
        {
            ("Product", c => c.Product), ("Component", c => c.Component), ("Version", c => c.Version), ("Platform", c => c.Platform),
        })
        {
            var values = cases.Select(value).Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim())
                .GroupBy(v => v, StringComparer.OrdinalIgnoreCase)
                .Select(g => (Value: g.Key, Cases: g.Count()))
                .OrderByDescending(g => g.Cases).ThenBy(g => g.Value, StringComparer.Ordinal)
                .ToList();
            var shown = values.Where((v, i) => i < 3 || v.Cases >= 0.1 * n).ToList();
            lines.AddRange(shown.Select(v => new DraftLine($"{name}: {v.Value}", v.Cases, Math.Round(v.Cases / (double)n, 3))));
            var rest = values.Skip(shown.Count).ToList();
            if (rest.Count > 0)
            {
                int restCases = rest.Sum(v => v.Cases);
                lines.Add(new DraftLine($"{name}: {rest.Count}{OtherValues}{string.Join(", ", rest.Take(5).Select(v => v.Value))}{(rest.Count > 5 ? ", ..." : "")})", restCases, Math.Round(restCases / (double)n, 3)));
            }
        }

        return lines;
    }

    /// <summary>Distinct values (variants merged) with the number of cases that mention each, most common first.</summary>
    private static List<DraftLine> Counted(IEnumerable<IEnumerable<string>> perCase, int n)
    {
        var cases = perCase.Select(v => v.ToList()).ToList();
        var variants = new LineVariants(cases.SelectMany(v => v));
        var counts = new Dictionary<int, int>();
        foreach (var values in cases)
        {
            foreach (int group in values.Select(variants.GroupOf).Where(g => g >= 0).Distinct())
            {
                counts[group] = counts.GetValueOrDefault(group) + 1;
            }
        }

        return counts
            .Select(p => (Display: variants.Display(p.Key), Cases: p.Value))
            .OrderByDescending(v => v.Cases).ThenBy(v => v.Display, StringComparer.Ordinal)
            .Select(v => new DraftLine(v.Display, v.Cases, Math.Round(v.Cases / (double)n, 3)))
            .ToList();
    }

    /// <summary>
    /// Steps taken by at least <see cref="CandidateDrafterOptions.MinStepShare"/> of the cases, ordered by how
    /// many cases took them and, at equal counts, by how early (mean relative position) they were taken.
    /// </summary>
    private List<DraftLine> OrderedSteps(List<IReadOnlyList<string>> perCase)
    {
        int n = perCase.Count;
        var variants = new LineVariants(perCase.SelectMany(v => v));
        var stats = new Dictionary<int, (int Cases, double PositionSum)>();
        foreach (var steps in perCase)
        {
            var seen = new HashSet<int>();
            for (int i = 0; i < steps.Count; i++)
            {
                int group = variants.GroupOf(steps[i]);
                if (group < 0 || !seen.Add(group))
                {
                    continue;
                }

                double position = steps.Count == 1 ? 0 : i / (double)(steps.Count - 1);
                stats[group] = stats.TryGetValue(group, out var s) ? (s.Cases + 1, s.PositionSum + position) : (1, position);
            }
        }

        return stats
            .Select(p => (Display: variants.Display(p.Key), p.Value.Cases, p.Value.PositionSum))
            .Where(s => s.Cases >= Math.Max(2, _options.MinStepShare * n) || (n < 2 && s.Cases >= 1))
            .OrderByDescending(s => s.Cases).ThenBy(s => s.PositionSum / s.Cases).ThenBy(s => s.Display, StringComparer.Ordinal)
            .Select(s => new DraftLine(s.Display, s.Cases, Math.Round(s.Cases / (double)n, 3)))
            .ToList();
    }

    /// <summary>
    /// When to escalate: attributes (version, platform, component, cause, error codes) clearly more common among
    /// the escalated cases than among the others. The packet: the environment, the evidence most escalations
    /// carried, and what the escalations returned for missing context lacked.
    /// </summary>
    private (List<DraftLine> When, List<DraftLine> Packet) Escalation(List<SupportCase> cases, List<DraftLine> evidence)
    {
        var escalated = cases.Where(IsEscalated).ToList();
        var others = cases.Where(c => !IsEscalated(c)).ToList();
        var when = new List<DraftLine>();
        var packet = new List<DraftLine>();
        if (escalated.Count == 0)
        {
            return (when, packet);
        }

        static IEnumerable<string> Attributes(SupportCase c)
        {
            if (!string.IsNullOrWhiteSpace(c.Version))
            {
                yield return "version " + c.Version.Trim();
            }

            if (!string.IsNullOrWhiteSpace(c.Platform))
            {
                yield return "platform " + c.Platform.Trim();
            }

            if (!string.IsNullOrWhiteSpace(c.Component))
            {
                yield return "component " + c.Component.Trim();
            }

            if (!string.IsNullOrWhiteSpace(c.Cause))
            {
                yield return "caused by: " + c.Cause.Trim();
            }

            foreach (string code in CaseSpecifics.FromText(c.TicketText).Where(s => s.StartsWith("code:", StringComparison.Ordinal)))
            {
                yield return "error " + code[5..];
            }
        }

        var variants = new LineVariants(cases.SelectMany(Attributes));
        int CountIn(List<Cases.SupportCase> group, int variant) => group.Count(c => Attributes(c).Any(a => variants.GroupOf(a) == variant));
        foreach (int variant in cases.SelectMany(Attributes).Select(variants.GroupOf).Where(g => g >= 0).Distinct().Order())
        {
            int escalatedCases = CountIn(escalated, variant);
            int otherCases = CountIn(others, variant);
            double share = escalatedCases / (double)escalated.Count;
            double otherShare = others.Count == 0 ? 0 : otherCases / (double)others.Count;
            if (share >= 0.5 && share - otherShare >= _options.EscalationLift)
            {
                when.Add(new DraftLine($"{variants.Display(variant)} — {escalatedCases} of {escalated.Count} escalated cases, {otherCases} of {others.Count} others", escalatedCases, Math.Round(share, 3)));
            }
        }

        when = when.OrderByDescending(l => l.Share).ThenBy(l => l.Text, StringComparer.Ordinal).ToList();
        if (when.Count == 0)
        {
            when.Add(new DraftLine($"{escalated.Count} of {cases.Count} cases needed engineering; nothing in the recorded attributes set them apart — escalate when the resolution steps above do not help.", escalated.Count, Math.Round(escalated.Count / (double)cases.Count, 3)));
        }

        packet.Add(new DraftLine("Environment: product, component, version, platform", escalated.Count, 1));
        var accepted = escalated.Where(c => !c.EscalationReturnedForMissingContext).ToList();
        var returned = escalated.Where(c => c.EscalationReturnedForMissingContext).ToList();
        foreach (DraftLine step in Counted(accepted.Select(c => (IEnumerable<string>)c.EvidenceSteps), Math.Max(1, accepted.Count)))
        {
            if (step.Share < 0.5)
            {
                continue;
            }

            var stepVariants = new LineVariants([step.Text, .. returned.SelectMany(r => r.EvidenceSteps)]);
            int stepGroup = stepVariants.GroupOf(step.Text);
            int missingIn = returned.Count(r => !r.EvidenceSteps.Any(s => stepVariants.GroupOf(s) == stepGroup));
            string text = missingIn > 0
                ? $"{step.Text} (missing in {missingIn} of {returned.Count} escalations returned for missing context)"
                : step.Text;
            packet.Add(new DraftLine(text, step.Cases, step.Share));
        }

        if (packet.Count == 1 && evidence.Count > 0)
        {
            packet.AddRange(evidence.Take(3));
        }

        packet.Add(new DraftLine("Current hypothesis and the open question for engineering", escalated.Count, 1));
        return (when, packet);
    }

    private static bool IsEscalated(SupportCase c) => c.EscalatedAt is not null || c.EngineeringInvolved;

    internal static List<string> SplitSteps(string? resolution)
    {
        if (string.IsNullOrWhiteSpace(resolution))
        {
            return [];
        }

        return StepSeparator().Split(resolution)
            .Select(s => StepNumber().Replace(s, "").Trim().TrimEnd('.'))
            .Select(s => s.Length > 0 ? char.ToUpperInvariant(s[0]) + s[1..] : s)
            .Where(s => s.Length > 2)
            .ToList();
    }

    [GeneratedRegex(@"\r?\n|;\s*|,\s*then\s+|\s+and then\s+|(?<=[.!])\s+(?=[A-Z])")]
    private static partial Regex StepSeparator();

    [GeneratedRegex(@"^\s*(?:\d+[.)]|[-*•])\s*")]
    private static partial Regex StepNumber();

    // Customers often start a sentence in lower case ("It stopped. we tried again."), so any letter may follow.
    [GeneratedRegex(@"(?<=[.!?])\s+(?=[A-Za-z0-9])|\r?\n+")]
    private static partial Regex SentenceBreak();

    [GeneratedRegex(@"^(?:it|this|that|these|those|they|same|also|and|but|so)\b|\bthe (?:first|second|third|other|last|same) one\b", RegexOptions.IgnoreCase)]
    private static partial Regex LeansOnContext();

    [GeneratedRegex(@"[^\p{L}]+")]
    private static partial Regex NotLetter();

    private const string SalutationWords = "hi|hello|hey|dear|good (?:morning|afternoon|evening)";

    // A sentence that is only a greeting or a sign-off.
    [GeneratedRegex(@"^(?:" + SalutationWords + @"|thanks|thank you|kind regards|regards|best)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Greeting();

    // "Hello support team, " before the sentence that says something.
    [GeneratedRegex(@"^(?:" + SalutationWords + @")\b[^,!.:;]{0,24}[,!:;]\s+(?=\S)", RegexOptions.IgnoreCase)]
    private static partial Regex Salutation();
}
