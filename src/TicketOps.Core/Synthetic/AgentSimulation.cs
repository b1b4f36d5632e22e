using System.Diagnostics;
using Bogus;
using Microsoft.EntityFrameworkCore;
using TicketOps.Core.Cases;
using TicketOps.Core.Escalation;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Matching;
using TicketOps.Core.Storage;

namespace TicketOps.Core.Synthetic;

/// <summary>Settings of an <see cref="AgentSimulation"/> replay. The probabilities are the agents' habits.</summary>
public sealed record AgentSimulationOptions
{
    /// <summary>Replay cases created at or after this time (UTC).</summary>
    public required DateTime From { get; init; }

    /// <summary>Replay cases created before this time (UTC).</summary>
    public required DateTime To { get; init; }

    /// <summary>
    /// Ground truth: the issue family of each case by external id (from <see cref="DemoCaseGenerator.Generate"/>
    /// with the options that made the data, <see cref="Import.CaseRecord.EvalFamily"/>). Cases without a family
    /// are one-offs: no knowledge fits them.
    /// </summary>
    public required IReadOnlyDictionary<string, string> FamilyByExternalId { get; init; }

    /// <summary>Seed: the same seed over the same database records the same events.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>
    /// Encode each case's ticket text (title + description) as a new ticket would be. When false, the case's
    /// stored index vector is reused: much faster, but that vector also embeds the cause and resolution,
    /// which a new ticket does not have, so matching looks better than it is.
    /// </summary>
    public bool EncodeTicketText { get; init; } = true;

    /// <summary>Knowledge suggestions shown per case (the matcher's top items of at least possible confidence).</summary>
    public int MaxSuggestions { get; init; } = 3;

    /// <summary>Chance an agent links a suggested playbook that really fits the case.</summary>
    public double UseFittingPlaybook { get; init; } = 0.85;

    /// <summary>Chance an agent links a suggested playbook that does not fit (it then did not help).</summary>
    public double UseWrongPlaybook { get; init; } = 0.04;

    /// <summary>Chance a linked, fitting playbook helped (the rest: did not help).</summary>
    public double FittingPlaybookHelped { get; init; } = 0.88;

    /// <summary>Chance an agent flags a playbook they linked (stale step, missing cause).</summary>
    public double FlagLinkedPlaybook { get; init; } = 0.03;

    /// <summary>Chance an agent links a fitting investigation template on a case that is not escalated.</summary>
    public double UseFittingTemplate { get; init; } = 0.25;

    /// <summary>Chance the agent completes an escalation packet the check caught (unless the case was returned).</summary>
    public double CompleteCaughtPacket { get; init; } = 0.95;
}

/// <summary>What a replay recorded, with the per-case decisions for checking metrics by hand.</summary>
public sealed record AgentSimulationSummary
{
    /// <summary>Cases replayed.</summary>
    public required int Cases { get; init; }

    /// <summary>Cases whose ticket text was encoded (the rest reused their stored vector).</summary>
    public required int Encoded { get; init; }

    /// <summary>Events recorded per kind.</summary>
    public required IReadOnlyDictionary<KnowledgeEventKind, int> Events { get; init; }

    /// <summary>Escalation packets written (first drafts and completed versions).</summary>
    public required int PacketsWritten { get; init; }

    /// <summary>Escalated cases whose first packet the check caught as incomplete.</summary>
    public required int PacketsCaught { get; init; }

    /// <summary>Caught packets the agent then completed.</summary>
    public required int PacketsCompleted { get; init; }

    /// <summary>How long the replay took.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>Every replayed case and what the simulated agent did.</summary>
    public required IReadOnlyList<SimulatedCase> Decisions { get; init; }
}

/// <summary>One replayed case.</summary>
/// <param name="CaseId">The case.</param>
/// <param name="CreatedAt">When it was opened.</param>
/// <param name="Family">Its issue family, or null.</param>
/// <param name="Suggested">Knowledge the matcher suggested.</param>
/// <param name="Linked">Knowledge the agent linked (Used).</param>
public sealed record SimulatedCase(long CaseId, DateTime CreatedAt, string? Family, IReadOnlyList<string> Suggested, IReadOnlyList<string> Linked);

/// <summary>
/// Replays stored cases in creation order as agents would have worked them, recording plausible knowledge
/// events through <see cref="FeedbackService"/> and escalation packets through <see cref="EscalationService"/>,
/// with the services' clock at the simulated time. Only knowledge that existed before a case opened is
/// suggested (articles created on an earlier day, as <see cref="Metrics.SupportMetrics"/> counts "known").
/// Case outcomes are not replayed: the imported cases already carry them.
/// </summary>
/// <remarks>
/// Whether a suggestion "really fits" comes from the ground truth: the case's issue family against the
/// article's family (<see cref="KnowledgeFamilies"/>). Deterministic for a seed and a database.
/// </remarks>
/// <param name="db">The database.</param>
/// <param name="matcher">The matcher over the data directory's index (knowledge and cases).</param>
/// <param name="embedder">The embedder, for ticket texts.</param>
public sealed class AgentSimulation(TicketOpsDbContext db, TicketMatcher matcher, SentenceEmbedder embedder)
{
    /// <summary>Actor of the suggestion events.</summary>
    public const string MatcherActor = "matcher";

    private const int EncodeBatch = 64;

    private static readonly string[] s_agents = ["agent-ana", "agent-ben", "agent-chloe", "agent-dev", "agent-emre", "agent-fatima", "agent-goran", "agent-hana"];

    private static readonly string[] s_flagReasons =
    [
        "Step 2 points to a settings page that moved in the current version.",
        "The cause section misses the variant we saw here; the fix worked only after an extra step.",
        "Resolution step 3 is out of date: the customer could not find the option.",
        "The error text in the Issue section differs from what customers see now.",
    ];

    private readonly TicketOpsDbContext _db = db ?? throw new ArgumentNullException(nameof(db));
    private readonly TicketMatcher _matcher = matcher ?? throw new ArgumentNullException(nameof(matcher));
    private readonly SentenceEmbedder _embedder = embedder ?? throw new ArgumentNullException(nameof(embedder));

    /// <summary>Replays the cases created in the options' window.</summary>
    /// <param name="options">Window, ground truth and habits.</param>
    /// <param name="progress">Cases done so far.</param>
    /// <param name="cancellationToken">Cancels the replay (nothing of it is kept).</param>
    public async Task<AgentSimulationSummary> RunAsync(AgentSimulationOptions options, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var stopwatch = Stopwatch.StartNew();
        List<SupportCase> cases = await _db.Cases.AsNoTracking()
            .Where(c => c.CreatedAt >= options.From && c.CreatedAt < options.To)
            .OrderBy(c => c.CreatedAt).ThenBy(c => c.Id)
            .ToListAsync(cancellationToken);
        KnowledgeFamilies families = await KnowledgeFamilies.LoadAsync(_db, options.FamilyByExternalId, cancellationToken);
        (Dictionary<long, float[]> vectors, int encoded) = QueryVectors(cases, options.EncodeTicketText, cancellationToken);

        var random = new Randomizer(options.Seed);
        var clock = new SimulatedClock();
        var feedback = new FeedbackService(_db, clock);
        var escalation = new EscalationService(_db, clock);
        var events = Enum.GetValues<KnowledgeEventKind>().ToDictionary(k => k, _ => 0);
        var decisions = new List<SimulatedCase>(cases.Count);
        int packets = 0;
        int caught = 0;
        int completed = 0;

        // One transaction: a commit per event would make the replay wait on the disk thousands of times.
        await using var transaction = await _db.Database.BeginTransactionAsync(cancellationToken);
        foreach (SupportCase supportCase in cases)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string? family = options.FamilyByExternalId.GetValueOrDefault(supportCase.ExternalId);
            string agent = s_agents[random.Int(0, s_agents.Length - 1)];
            DateTime suggestedAt = supportCase.AssignedAt ?? supportCase.CreatedAt;
            DateTime workedAt = supportCase.FirstEvidenceAt ?? suggestedAt;

            async Task RecordAsync(string knowledgeId, KnowledgeEventKind kind, string actor, DateTime at, string? reason = null)
            {
                clock.Now = at;
                FeedbackResult result = await feedback.RecordAsync(new KnowledgeFeedback(supportCase.Id, knowledgeId, kind, actor, reason, at), cancellationToken);
                if (!result.Succeeded)
                {
                    throw new InvalidOperationException($"Simulation recorded an invalid event: {result.Message}");
                }

                events[kind]++;
            }

            var request = new MatchRequest
            {
                Text = supportCase.TicketText,
                MaxResults = options.MaxSuggestions,
                Filter = new MatchFilter
                {
                    Kinds = KnowledgeKinds,
                    CreatedBefore = supportCase.CreatedAt.Date, // day precision, as "existed before the case opened"
                },
            };
            List<MatchedItem> suggested = [.. _matcher.Match(request, vectors[supportCase.Id]).Items
                .Where(i => i.Kind != MatchDocumentKind.Case && i.Confidence >= MatchConfidence.Possible)
                .Take(options.MaxSuggestions)];
            var linked = new List<string>();
            foreach (MatchedItem item in suggested)
            {
                await RecordAsync(item.Id, KnowledgeEventKind.Suggested, MatcherActor, suggestedAt);
            }

            bool escalated = supportCase.EscalatedAt is not null;
            bool playbookLinked = false;
            foreach (MatchedItem item in suggested)
            {
                bool fits = families.Fits(item.Id, family);
                bool use = item.Kind == MatchDocumentKind.Playbook
                    ? !playbookLinked && random.Double() < (fits ? options.UseFittingPlaybook : options.UseWrongPlaybook)
                    : fits && (escalated || random.Double() < options.UseFittingTemplate);
                if (!use)
                {
                    continue;
                }

                linked.Add(item.Id);
                await RecordAsync(item.Id, KnowledgeEventKind.Used, agent, workedAt);
                if (item.Kind != MatchDocumentKind.Playbook)
                {
                    continue;
                }

                playbookLinked = true;
                DateTime judgedAt = supportCase.ResolvedAt ?? workedAt;
                bool helped = fits && random.Double() < options.FittingPlaybookHelped;
                await RecordAsync(item.Id, helped ? KnowledgeEventKind.Helped : KnowledgeEventKind.DidNotHelp, agent, judgedAt);
                if (fits && random.Double() < options.FlagLinkedPlaybook)
                {
                    await RecordAsync(item.Id, KnowledgeEventKind.Flagged, agent, judgedAt, s_flagReasons[random.Int(0, s_flagReasons.Length - 1)]);
                }
            }

            if (escalated)
            {
                (int written, bool wasCaught, bool wasCompleted) = await EscalateAsync(supportCase, escalation, clock, agent, random, options, cancellationToken);
                packets += written;
                caught += wasCaught ? 1 : 0;
                completed += wasCompleted ? 1 : 0;
            }

            decisions.Add(new SimulatedCase(supportCase.Id, supportCase.CreatedAt, family, [.. suggested.Select(s => s.Id)], linked));
            _db.ChangeTracker.Clear();
            if (decisions.Count % 100 == 0)
            {
                progress?.Report(decisions.Count);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        progress?.Report(decisions.Count);
        return new AgentSimulationSummary
        {
            Cases = cases.Count,
            Encoded = encoded,
            Events = events,
            PacketsWritten = packets,
            PacketsCaught = caught,
            PacketsCompleted = completed,
            Elapsed = stopwatch.Elapsed,
            Decisions = decisions,
        };
    }

    private static readonly HashSet<MatchDocumentKind> KnowledgeKinds = [MatchDocumentKind.Playbook, MatchDocumentKind.Template];

    /// <summary>
    /// The agent writes the packet at escalation time from the case's evidence. Cases engineering later
    /// returned for missing context are written as they were: thin (a field left out); the check catches them
    /// and, in this replay, they stay incomplete — the history says they went out that way. Other caught
    /// packets are completed: the agent gathers each missing item and fills the empty fields.
    /// </summary>
    private static async Task<(int Written, bool Caught, bool Completed)> EscalateAsync(
        SupportCase supportCase, EscalationService escalation, SimulatedClock clock, string agent, Randomizer random,
        AgentSimulationOptions options, CancellationToken cancellationToken)
    {
        DateTime at = supportCase.EscalatedAt!.Value;
        clock.Now = at;
        bool returned = supportCase.EscalationReturnedForMissingContext;
        string component = supportCase.Component ?? supportCase.Product ?? "the product";
        string hypothesis = supportCase.Cause is { Length: > 0 } cause ? $"Suspected cause: {cause}." : $"Suspected defect in {component}.";
        string question = $"Is {component}{(supportCase.Version is { } v ? " " + v : "")} behaving as designed here, and if not, what is the fix or workaround?";
        string impact = $"{random.Int(2, 250)} users affected; {(random.Bool() ? "no workaround" : "a manual workaround exists")}.";
        if (returned)
        {
            int drop = random.Int(0, 2);
            question = drop == 0 ? "" : question;
            impact = drop == 1 ? "" : impact;
            hypothesis = drop == 2 ? "" : hypothesis;
        }

        EscalationPacketResult first = await escalation.PrepareAsync(supportCase.Id, new EscalationDraft(hypothesis, question, impact), agent, at: at, cancellationToken: cancellationToken);
        if (!first.Succeeded)
        {
            throw new InvalidOperationException($"Simulation wrote an invalid packet: {first.Problem}");
        }

        if (first.Check!.IsComplete)
        {
            return (1, false, false);
        }

        if (returned || random.Double() >= options.CompleteCaughtPacket)
        {
            return (1, true, false);
        }

        // Gathering what the check named takes a while; the completed packet is written a little later.
        DateTime later = at.AddMinutes(random.Int(20, 180));
        clock.Now = later;
        var added = first.Check.Missing.Where(m => m.Kind == MissingPieceKind.TemplateItem).Select(m => "Gathered: " + m.Text).ToList();
        if (first.Packet!.Evidence.Count == 0)
        {
            added.Add("Reproduced the error with the customer on a call");
        }

        var draft = new EscalationDraft(
            hypothesis.Length > 0 ? hypothesis : $"Suspected defect in {component}.",
            question.Length > 0 ? question : $"Is {component} behaving as designed here?",
            impact.Length > 0 ? impact : "Impact unknown: customer did not say; asked.",
            added);
        EscalationPacketResult second = await escalation.PrepareAsync(supportCase.Id, draft, agent, at: later, cancellationToken: cancellationToken);
        return (2, true, second.Check?.IsComplete == true);
    }

    private (Dictionary<long, float[]> Vectors, int Encoded) QueryVectors(List<SupportCase> cases, bool encodeAll, CancellationToken cancellationToken)
    {
        var vectors = new Dictionary<long, float[]>(cases.Count);
        var toEncode = new List<SupportCase>();
        foreach (SupportCase supportCase in cases)
        {
            float[]? stored = encodeAll ? null : _matcher.Semantic.Vector(MatchDocument.CaseId(supportCase));
            if (stored is null)
            {
                toEncode.Add(supportCase);
            }
            else
            {
                vectors[supportCase.Id] = stored;
            }
        }

        for (int start = 0; start < toEncode.Count; start += EncodeBatch)
        {
            List<SupportCase> batch = toEncode.GetRange(start, Math.Min(EncodeBatch, toEncode.Count - start));
            float[][] embedded = _embedder.EmbedDocuments([.. batch.Select(c => c.TicketText)], _matcher.Options.LongText, _matcher.VectorCache, cancellationToken);
            for (int i = 0; i < batch.Count; i++)
            {
                vectors[batch[i].Id] = embedded[i];
            }
        }

        return (vectors, toEncode.Count);
    }
}

/// <summary>
/// Which issue family each piece of knowledge is about, for deciding whether a suggestion really fits a case:
/// a hand-written playbook by <see cref="IssueFamily.PlaybookIds"/>, a mined playbook by the majority family of
/// its source cases, a template by product area (it covers a class of cases, not one issue).
/// </summary>
public sealed class KnowledgeFamilies
{
    private readonly Dictionary<string, string> _playbookFamily;
    private readonly Dictionary<string, List<string>> _templateAreas;

    private KnowledgeFamilies(Dictionary<string, string> playbookFamily, Dictionary<string, List<string>> templateAreas)
    {
        _playbookFamily = playbookFamily;
        _templateAreas = templateAreas;
    }

    /// <summary>Loads every article and assigns its family.</summary>
    /// <param name="db">The database.</param>
    /// <param name="familyByExternalId">The ground truth per case external id.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    public static async Task<KnowledgeFamilies> LoadAsync(TicketOpsDbContext db, IReadOnlyDictionary<string, string> familyByExternalId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(familyByExternalId);
        List<KnowledgeArticle> articles = await db.Set<KnowledgeArticle>().AsNoTracking().ToListAsync(cancellationToken);
        var handWritten = IssueFamilies.All.SelectMany(f => f.PlaybookIds.Select(id => (id, f.Id))).ToDictionary(p => p.id, p => p.Item2, StringComparer.Ordinal);
        var playbookFamily = new Dictionary<string, string>(StringComparer.Ordinal);
        var templateAreas = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (KnowledgeArticle article in articles)
        {
            if (article.Type == KnowledgeType.Template)
            {
                templateAreas[article.Id] = article.ProductAreas;
                continue;
            }

            string? family = handWritten.GetValueOrDefault(article.Id) ?? article.SourceCaseIds
                .Select(id => familyByExternalId.GetValueOrDefault(id))
                .OfType<string>()
                .GroupBy(f => f, StringComparer.Ordinal)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => g.Key)
                .FirstOrDefault();
            if (family is not null)
            {
                playbookFamily[article.Id] = family;
            }
        }

        return new KnowledgeFamilies(playbookFamily, templateAreas);
    }

    /// <summary>The family of a playbook, or null when unknown.</summary>
    /// <param name="playbookId">The playbook's id.</param>
    public string? FamilyOf(string playbookId) => _playbookFamily.GetValueOrDefault(playbookId);

    /// <summary>Whether the article really fits a case of <paramref name="family"/>.</summary>
    /// <param name="articleId">A playbook or template id.</param>
    /// <param name="family">The case's family; null for one-off cases (nothing fits them).</param>
    public bool Fits(string articleId, string? family)
    {
        if (family is null)
        {
            return false;
        }

        if (_templateAreas.TryGetValue(articleId, out List<string>? areas))
        {
            return IssueFamilies.Find(family) is { } known && areas.Contains(known.ProductArea);
        }

        return _playbookFamily.GetValueOrDefault(articleId) == family;
    }
}
