using TicketOps.Core.Cases;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Matching;
using TicketOps.Core.Matching.Tuning;
using TicketOps.Core.Storage;
using TicketOps.Core.Tests.Knowledge;
using TicketOps.TestSupport;

namespace TicketOps.Core.Tests.Matching;

[Collection(MiniLMGroup.Name)]
public sealed class TunedRankingTests(EmbedderFixture fixture) : IDisposable
{
    private static readonly DateTime s_start = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly TempFolder _folder = new();

    // Each family has three cases of the same text and vector, so BM25 and the cosine cannot tell them apart and
    // the fusion orders them by id; the right one (the duplicate the query was marked as) is the most recent,
    // whose id sorts last. Only the recency feature separates them.
    private static (TicketMatcher Matcher, List<TuningQuery> Queries) DuplicateFamilies(SentenceEmbedder embedder, int families)
    {
        var random = new Random(5);
        var lexical = new LexicalIndex(null);
        var semantic = new EmbeddingStore();
        var queries = new List<TuningQuery>();
        var documents = new List<MatchDocument>();
        for (int f = 0; f < families; f++)
        {
            float[] vector = RandomUnit(random);
            DateTime asked = s_start.AddDays(400 + (f * 3));
            string text = $"Report exporter {f} fails with ERR_EXPORT_{f} on node{f}";
            (string Suffix, DateTime Created)[] members = [("a", asked.AddDays(-380)), ("b", asked.AddDays(-300)), ("c", asked.AddDays(-2))];
            foreach ((string suffix, DateTime created) in members)
            {
                var document = new MatchDocument { Id = $"case:f{f}-{suffix}", Kind = MatchDocumentKind.Case, Title = text, CreatedAt = created };
                documents.Add(document);
                semantic.Upsert(document.Id, vector);
            }

            queries.Add(new TuningQuery(text, vector, asked, new MatchFilter { CreatedBefore = asked }, null, new HashSet<string> { $"case:f{f}-c" }));
        }

        lexical.Upsert(documents);
        return (new TicketMatcher(lexical, semantic, embedder), queries);
    }

    [Fact]
    public void Tuning_learns_a_signal_the_fusion_ignores_and_measures_it_on_the_later_period_only()
    {
        (TicketMatcher matcher, List<TuningQuery> queries) = DuplicateFamilies(fixture.Embedder, families: 60);
        using (matcher)
        {
            TuningOutcome outcome = RankingTrainer.Tune(matcher, queries, trainShare: 0.6, "test", s_start);

            Assert.Null(outcome.Problem);
            RankingCheck check = outcome.Check!;
            Assert.Equal(36, check.TrainQueries);
            Assert.Equal(24, check.TestQueries);
            Assert.Equal(queries[36].At, check.SplitAt);
            Assert.Equal(1.0 / 3, check.FusedMrr, precision: 3);
            Assert.Equal(1.0, check.TunedMrr, precision: 3);
            Assert.True(outcome.Pays);
            RankingModel model = outcome.Model!;
            Assert.Equal(RankingFeatures.Names, model.Features);
            int recency = RankingFeatures.Names.ToList().IndexOf("recency");
            Assert.True(model.Weights[recency] > 0.1, $"recency weight {model.Weights[recency]}");
            Assert.Equal(60, model.TrainedOnQueries);
        }
    }

    [Fact]
    public void Tuning_refuses_to_fit_on_too_few_linked_tickets_and_says_how_many_it_needs()
    {
        (TicketMatcher matcher, List<TuningQuery> queries) = DuplicateFamilies(fixture.Embedder, families: RankingTrainer.MinimumQueries - 1);
        using (matcher)
        {
            TuningOutcome outcome = RankingTrainer.Tune(matcher, queries, trainShare: 0.6, "test", s_start);

            Assert.Null(outcome.Model);
            Assert.False(outcome.Pays);
            Assert.Contains($"only {RankingTrainer.MinimumQueries - 1} tickets", outcome.Problem);
            Assert.Contains($"at least {RankingTrainer.MinimumQueries}", outcome.Problem);
        }
    }

    [Fact]
    public void A_matcher_with_a_model_shows_the_items_in_the_models_order_and_bands_them_by_their_fused_evidence()
    {
        (TicketMatcher matcher, List<TuningQuery> queries) = DuplicateFamilies(fixture.Embedder, families: 3);
        using (matcher)
        {
            TuningQuery query = queries[1];
            var request = new MatchRequest { Text = query.Text, Filter = query.Filter, At = query.At };
            MatchResult fused = matcher.Match(request, query.Vector);
            matcher.Ranking = new RankingModel { Features = RankingFeatures.Names, Weights = [0.3, 0.7, 0, 0, 0, 0.2] };

            MatchResult tuned = matcher.Match(request, query.Vector);

            Assert.Equal(MatchRanking.Fused, fused.RankedBy);
            Assert.Equal(MatchRanking.Tuned, tuned.RankedBy);
            Assert.Equal(["case:f1-a", "case:f1-b", "case:f1-c"], fused.Items.Take(3).Select(i => i.Id));
            Assert.Equal(["case:f1-c", "case:f1-b", "case:f1-a"], tuned.Items.Take(3).Select(i => i.Id));

            // The same candidates with the same fused scores: the evidence (score + lead over the best other)
            // of each item does not depend on the order it is shown in.
            foreach (MatchedItem item in tuned.Items)
            {
                MatchedItem same = fused.Items.Single(i => i.Id == item.Id);
                Assert.Equal(same.Evidence, item.Evidence);
                Assert.Equal(same.Confidence, item.Confidence);
            }

            Assert.Equal(fused.HasGoodMatch, tuned.HasGoodMatch);
        }
    }

    [Fact]
    public async Task A_model_file_round_trips_and_a_damaged_or_foreign_one_is_ignored_with_the_reason()
    {
        string path = Path.Combine(_folder.Path, "ranking-model.json");
        Assert.Null(RankingModel.Load(path, out string? none));
        Assert.Null(none);

        var model = new RankingModel { Features = RankingFeatures.Names, Weights = [0.2, 0.5, 0.1, 0.05, 0.3, 0.4], TrainedAt = s_start, TrainedOnQueries = 42, Source = "links" };
        await model.SaveAsync(path);
        RankingModel loaded = RankingModel.Load(path, out string? problem)!;
        Assert.Null(problem);
        Assert.Equal(model.Weights, loaded.Weights);
        Assert.Equal(42, loaded.TrainedOnQueries);

        File.WriteAllText(path, File.ReadAllText(path).Replace("\"recency\"", "\"popularity\"", StringComparison.Ordinal));
        Assert.Null(RankingModel.Load(path, out problem));
        Assert.Contains(path, problem);
        Assert.Contains("popularity", problem);
        Assert.Contains("ticketops tune", problem);

        File.WriteAllText(path, "{ \"format\": 1, \"weights\": [");
        Assert.Null(RankingModel.Load(path, out problem));
        Assert.Contains("cannot be read", problem);
    }

    [Fact]
    public async Task Open_uses_the_data_directorys_model_and_reports_a_damaged_one_instead_of_failing()
    {
        var dataDirectory = new DataDirectory(_folder.Path);
        using (TicketMatcher plain = TicketMatcher.Open(dataDirectory, fixture.Embedder))
        {
            Assert.Null(plain.Ranking);
            Assert.Null(plain.RankingProblem);
        }

        await new RankingModel { Features = RankingFeatures.Names, Weights = [0.3, 0.7, 0, 0, 0, 0.5] }.SaveAsync(dataDirectory.RankingModelPath);
        using (TicketMatcher tuned = TicketMatcher.Open(dataDirectory, fixture.Embedder))
        {
            Assert.Equal(0.5, tuned.Ranking!.Weights[5]);
        }

        File.WriteAllText(dataDirectory.RankingModelPath, "not json");
        using TicketMatcher damaged = TicketMatcher.Open(dataDirectory, fixture.Embedder);
        Assert.Null(damaged.Ranking);
        Assert.Contains(dataDirectory.RankingModelPath, damaged.RankingProblem);
    }

    [Fact]
    public async Task Link_history_turns_linked_cases_into_tickets_whose_right_answers_are_the_linked_knowledge_less_what_did_not_help()
    {
        using var database = new KnowledgeTestDatabase(DatabaseProvider.Sqlite);
        await using (TicketOpsDbContext db = database.CreateContext())
        {
            db.Set<KnowledgeArticle>().AddRange(KnowledgeArticles.Playbook("PB-0001"), KnowledgeArticles.Playbook("PB-0002"), KnowledgeArticles.Template("IT-0001"));
            SupportCase imported = SupportCases.Case("A-1", "2026-03-01", resolved: "2026-03-02", linked: "PB-0001");
            SupportCase used = SupportCases.Case("A-2", "2026-02-01", resolved: "2026-02-03");
            SupportCase onlyNotHelped = SupportCases.Case("A-3", "2026-04-01", resolved: "2026-04-02");
            SupportCase unlinked = SupportCases.Case("A-4", "2026-01-01", resolved: "2026-01-02");
            db.Cases.AddRange(imported, used, onlyNotHelped, unlinked);
            await db.SaveChangesAsync();
            db.Set<KnowledgeEvent>().AddRange(
                Event(used, "PB-0001", KnowledgeEventKind.Used),
                Event(used, "IT-0001", KnowledgeEventKind.Helped),
                Event(used, "PB-0002", KnowledgeEventKind.Used),
                Event(used, "PB-0002", KnowledgeEventKind.DidNotHelp),
                Event(used, "PB-0001", KnowledgeEventKind.Suggested),
                Event(onlyNotHelped, "PB-0002", KnowledgeEventKind.DidNotHelp));
            await db.SaveChangesAsync();
        }

        IReadOnlyList<TuningQuery> queries;
        await using (TicketOpsDbContext db = database.CreateContext())
        {
            queries = await LinkHistory.LoadAsync(db, fixture.Embedder, LongTextHandling.Truncate, cache: null);
        }

        Assert.Equal(2, queries.Count);
        TuningQuery byEvents = queries.Single(q => q.At == SupportCases.At("2026-02-01"));
        Assert.Equal(new HashSet<string> { "PB-0001", "IT-0001" }, byEvents.Relevant);
        Assert.StartsWith("Case A-2", byEvents.Text, StringComparison.Ordinal);
        TuningQuery byImport = queries.Single(q => q.At == SupportCases.At("2026-03-01"));
        Assert.Equal(new HashSet<string> { "PB-0001" }, byImport.Relevant);
        Assert.All(queries, q => Assert.DoesNotContain(MatchDocumentKind.Case, q.Filter.Kinds!));
        Assert.All(queries, q => Assert.Equal(SentenceEmbedder.Dimensions, q.Vector.Length));
    }

    private static KnowledgeEvent Event(SupportCase supportCase, string knowledgeId, KnowledgeEventKind kind) =>
        new() { CaseId = supportCase.Id, KnowledgeId = knowledgeId, Kind = kind, At = supportCase.CreatedAt.AddHours(1), Actor = "agent" };

    private static float[] RandomUnit(Random random)
    {
        float[] vector = [.. Enumerable.Range(0, SentenceEmbedder.Dimensions).Select(_ => (float)(random.NextDouble() - 0.5))];
        SentenceEmbedder.Normalize(vector);
        return vector;
    }

    public void Dispose() => _folder.Dispose();
}
