using TicketOps.Core.Cases;
using TicketOps.Core.Matching;
using TicketOps.Core.Storage;

namespace TicketOps.Core.Tests.Matching;

[Collection(MiniLMGroup.Name)]
public sealed class TicketMatcherTests(EmbedderFixture fixture) : IDisposable
{
    private readonly TempFolder _folder = new();

    private static readonly MatchDocument[] s_knowledge =
    [
        Documents.Playbook("pb:access", "Installer stops with access denied", "Error 0x80070005 means the service account lacks rights on the install folder; grant it write access and rerun setup.", product: "Desktop", version: "2.3.1"),
        Documents.Playbook("pb:tls", "Browser refuses to open the customer portal", "ERR_SSL_PROTOCOL_ERROR appears when the proxy forces TLS 1.0; enable TLS 1.2 on the proxy.", product: "Portal", version: "3.0"),
        Documents.Case("case:npe", "Nightly job crashes at start", "java.lang.NullPointerException at org.apache.hadoop.fs.FileSystem.get when the cluster config is missing", "Restore core-site.xml on the worker.", product: "Pipelines"),
        Documents.Case("case:invoice", "Invoice PDF shows the wrong VAT rate", "The exported invoice uses 19% VAT instead of 7% for books.", "Fix the tax category of the product.", product: "Billing"),
    ];

    private TicketMatcher OpenMatcher() => TicketMatcher.Open(new DataDirectory(_folder.Path), fixture.Embedder);

    [Fact]
    public void From_twenty_thousand_items_the_retrievers_run_side_by_side_and_rank_as_they_do_one_after_the_other()
    {
        // At 20,000 items and more BM25 and the (sliced) dense scan run on separate cores; the fused ranking
        // must be the one the two searches give when run in turn. Vectors are random: what is checked is the
        // concurrency, not the model.
        var random = new Random(11);
        MatchDocument[] cases = [.. TicketOps.Core.Synthetic.DemoCaseGenerator.Generate(new TicketOps.Core.Synthetic.DemoDataOptions(20_500, 3, new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc)))
            .Select(r => Documents.Case($"case:{r.ExternalId}", r.Title ?? "", r.Description ?? "", r.Resolution ?? "", product: r.Product))];
        var lexical = new LexicalIndex(null);
        var semantic = new EmbeddingStore();
        lexical.Upsert(cases);
        foreach (MatchDocument document in cases)
        {
            semantic.Upsert(document.Id, RandomUnit(random));
        }

        using var matcher = new TicketMatcher(lexical, semantic, fixture.Embedder);
        FusionOptions fusion = matcher.Options.Fusion;
        foreach (MatchDocument query in cases.Take(5))
        {
            float[] vector = RandomUnit(random);
            string text = $"{query.Title}\n{query.Body}";

            IReadOnlyList<FusedCandidate> ranked = matcher.Rank(text, vector, MatchFilter.None, fusion);

            IReadOnlyList<FusedCandidate> inTurn = ScoreFusion.Fuse(
                lexical.Search(text, MatchFilter.None, fusion.CandidatesPerMethod),
                semantic.Search(vector, fusion.CandidatesPerMethod),
                id => semantic.Similarity(vector, id) ?? 0f,
                fusion);
            Assert.Equal(inTurn, ranked);
            Assert.True(ranked.Count > fusion.CandidatesPerMethod, "both retrievers contribute candidates");
            Assert.Contains(ranked, c => c.Id == query.Id && c.LexicalRank <= 10);
        }
    }

    private static float[] RandomUnit(Random random)
    {
        float[] vector = [.. Enumerable.Range(0, SentenceEmbedder.Dimensions).Select(_ => (float)(random.NextDouble() - 0.5))];
        SentenceEmbedder.Normalize(vector);
        return vector;
    }

    [Fact]
    public async Task Match_finds_the_playbook_that_shares_the_error_code_and_explains_why()
    {
        using TicketMatcher matcher = OpenMatcher();
        await matcher.IndexAsync(s_knowledge);

        MatchResult result = await matcher.MatchAsync(new MatchRequest { Text = "Setup of 2.3.1 aborts: access is denied (0x80070005) when installing" });

        Assert.True(result.HasGoodMatch);
        MatchedItem best = result.Items[0];
        Assert.Equal("pb:access", best.Id);
        Assert.NotEqual(MatchConfidence.Weak, best.Confidence);
        Assert.Contains("0x80070005", best.Explanation.SharedIdentifiers);
        Assert.Contains("0x80070005", best.Explanation.MatchedTerms);
        Assert.Contains("denied", best.Explanation.MatchedTerms);
        Assert.Contains("version: 2.3.1", best.Explanation.SharedEnvironment);
        Assert.Contains(best.Explanation.Snippets, s => s.Contains("**0x80070005**", StringComparison.Ordinal));
        Assert.InRange(best.Explanation.SemanticSimilarity, 0.3f, 1f);
        Assert.Equal(1, best.Explanation.LexicalRank);
    }

    [Fact]
    public async Task Matches_running_while_the_index_changes_all_answer_and_the_indexes_end_in_sync()
    {
        // The web app shares one matcher between request threads and the webhook that indexes new cases.
        using TicketMatcher matcher = OpenMatcher();
        await matcher.IndexAsync(s_knowledge);
        MatchDocument[] arriving = [.. Enumerable.Range(0, 40).Select(i => Documents.Case($"case:new-{i}", $"Export job {i} fails with E_EXPORT_{i}", "The nightly export stops with an error.", "Rerun the export.", product: "Reports"))];

        Task writer = Task.Run(async () =>
        {
            foreach (MatchDocument[] batch in arriving.Chunk(4))
            {
                await matcher.IndexAsync(batch);
                await matcher.RemoveAsync([batch[0].Id]);
            }
        });
        var readers = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            int answered = 0;
            while (!writer.IsCompleted || answered == 0)
            {
                MatchResult result = await matcher.MatchAsync(new MatchRequest { Text = "Setup aborts: access is denied (0x80070005)" });
                Assert.Equal("pb:access", result.Items[0].Id);
                answered++;
            }

            return answered;
        })).ToList();
        await writer;
        int[] answers = await Task.WhenAll(readers);

        Assert.All(answers, a => Assert.True(a > 0));
        Assert.True(matcher.IsInSync);
        Assert.Equal(s_knowledge.Length + arriving.Length - (arriving.Length / 4), matcher.Lexical.Count);
    }

    [Fact]
    public async Task Match_with_a_precomputed_query_vector_returns_what_MatchAsync_returns()
    {
        const string Ticket = "Setup of 2.3.1 aborts: access is denied (0x80070005) when installing";
        using TicketMatcher matcher = OpenMatcher();
        await matcher.IndexAsync(s_knowledge);
        var request = new MatchRequest { Text = Ticket };

        MatchResult encoded = await matcher.MatchAsync(request);
        float[] vector = fixture.Embedder.EmbedDocuments([Ticket], matcher.Options.LongText)[0];
        MatchResult precomputed = matcher.Match(request, vector);

        Assert.Equal(encoded.HasGoodMatch, precomputed.HasGoodMatch);
        Assert.Equal(encoded.Items.Select(i => (i.Id, i.Score)), precomputed.Items.Select(i => (i.Id, i.Score)));
    }

    [Fact]
    public async Task Match_returns_no_good_match_for_an_unrelated_ticket_but_still_lists_the_nearest_items()
    {
        using TicketMatcher matcher = OpenMatcher();
        await matcher.IndexAsync(s_knowledge);

        MatchResult result = await matcher.MatchAsync(new MatchRequest { Text = "What is a good recipe for banana bread with walnuts?" });

        Assert.False(result.HasGoodMatch);
        Assert.NotEmpty(result.Items);
        Assert.All(result.Items, i => Assert.Equal(MatchConfidence.Weak, i.Confidence));
    }

    [Fact]
    public async Task Clear_winner_gets_more_evidence_than_one_of_two_near_identical_items()
    {
        const string Ticket = "Setup aborts: access is denied (0x80070005) when installing";
        using TicketMatcher matcher = OpenMatcher();
        await matcher.IndexAsync(s_knowledge);
        MatchedItem alone = (await matcher.MatchAsync(new MatchRequest { Text = Ticket })).Items[0];

        await matcher.IndexAsync([s_knowledge[0] with { Id = "pb:access-copy", Title = "Installer stops with access denied." }]);
        MatchedItem crowded = (await matcher.MatchAsync(new MatchRequest { Text = Ticket })).Items[0];

        // The copy changes the BM25 statistics a little, the lead a lot.
        Assert.True(crowded.Evidence < alone.Evidence - 0.1f, $"evidence {crowded.Evidence} vs {alone.Evidence}");
        Assert.InRange(crowded.Score, alone.Score - 0.02f, alone.Score + 0.02f);
    }

    [Fact]
    public async Task New_case_is_found_at_once_and_removed_case_disappears()
    {
        using TicketMatcher matcher = OpenMatcher();
        await matcher.IndexAsync(s_knowledge);
        var supportCase = new SupportCase
        {
            Source = "test",
            ExternalId = "77",
            Title = "Kerberos ticket expired on the reporting server",
            Description = "Reports fail with KRB_AP_ERR_TKT_EXPIRED after the nightly restart.",
            Resolution = "Renew the keytab and restart the service.",
            CreatedAt = new DateTime(2025, 1, 2, 0, 0, 0, DateTimeKind.Utc),
        };
        const string Ticket = "reporting fails with KRB_AP_ERR_TKT_EXPIRED";

        await matcher.IndexAsync([MatchDocument.FromCase(supportCase)]);
        MatchResult found = await matcher.MatchAsync(new MatchRequest { Text = Ticket });
        Assert.Equal("case:test:77", found.Items[0].Id);
        Assert.Equal(MatchDocumentKind.Case, found.Groups.Single(g => g.Items.Any(i => i.Id == "case:test:77")).Kind);

        await matcher.RemoveAsync(["case:test:77"]);
        MatchResult gone = await matcher.MatchAsync(new MatchRequest { Text = Ticket });
        Assert.DoesNotContain(gone.Items, i => i.Id == "case:test:77");
        Assert.True(matcher.IsInSync);
    }

    [Fact]
    public async Task Rebuild_replaces_everything_with_the_given_items()
    {
        using TicketMatcher matcher = OpenMatcher();
        await matcher.IndexAsync(s_knowledge);

        await matcher.RebuildAsync(s_knowledge.Skip(2).ToAsyncEnumerable());

        Assert.Equal(2, matcher.Lexical.Count);
        Assert.Equal(2, matcher.Semantic.Count);
        MatchResult result = await matcher.MatchAsync(new MatchRequest { Text = "ERR_SSL_PROTOCOL_ERROR on the portal" });
        Assert.DoesNotContain(result.Items, i => i.Id == "pb:tls");
    }

    [Fact]
    public async Task Filters_apply_to_both_lexical_and_semantic_candidates()
    {
        using TicketMatcher matcher = OpenMatcher();
        await matcher.IndexAsync(s_knowledge);

        MatchResult result = await matcher.MatchAsync(new MatchRequest
        {
            Text = "access denied 0x80070005 while installing",
            Filter = new MatchFilter { Product = "Portal" },
        });

        Assert.Equal("pb:tls", Assert.Single(result.Items).Id);
    }

    [Fact]
    public async Task Results_are_grouped_with_knowledge_before_cases()
    {
        using TicketMatcher matcher = OpenMatcher();
        await matcher.IndexAsync(s_knowledge);

        MatchResult result = await matcher.MatchAsync(new MatchRequest { Text = "nightly job dies: java.lang.NullPointerException at org.apache.hadoop.fs.FileSystem.get", MaxResults = 4 });

        Assert.Equal("case:npe", result.Items[0].Id);
        Assert.Equal([MatchDocumentKind.Playbook, MatchDocumentKind.Case], result.Groups.Select(g => g.Kind));
        Assert.Contains("org.apache.hadoop.fs.FileSystem.get", result.Items[0].Explanation.SharedIdentifiers);
        Assert.Contains("java.lang.NullPointerException", result.Items[0].Explanation.SharedIdentifiers);
    }

    [Fact]
    public async Task Stored_embeddings_and_index_are_reused_after_reopening()
    {
        using (TicketMatcher matcher = OpenMatcher())
        {
            await matcher.IndexAsync(s_knowledge);
        }

        using TicketMatcher reopened = OpenMatcher();

        Assert.Equal(s_knowledge.Length, reopened.Semantic.Count);
        Assert.True(reopened.IsInSync);
        MatchResult result = await reopened.MatchAsync(new MatchRequest { Text = "proxy forces old TLS, portal shows ERR_SSL_PROTOCOL_ERROR" });
        Assert.Equal("pb:tls", result.Items[0].Id);
    }

    [Fact]
    public void Long_text_is_cut_into_windows_the_model_can_see()
    {
        string longText = string.Join(' ', Enumerable.Repeat("the connector times out after the proxy restarts", 80));

        IReadOnlyList<string> truncated = fixture.Embedder.SplitForEmbedding(longText, LongTextHandling.Truncate);
        IReadOnlyList<string> windows = fixture.Embedder.SplitForEmbedding(longText, LongTextHandling.ChunkMean);

        Assert.Single(truncated);
        Assert.True(windows.Count > 2);
        Assert.Equal(truncated[0], windows[0]);
        Assert.StartsWith(truncated[0][..40], longText, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}
