using TicketOps.Core.Cases;
using TicketOps.Core.Mining;

namespace TicketOps.Core.Tests.Mining;

public class CandidateDrafterTests
{
    private const string CertificateCause = "Expired IdP signing certificate";
    private const string ClockCause = "Clock skew between IdP and service";

    /// <summary>Four certificate cases and two clock-skew cases; the clock-skew ones went to engineering on 5.2.</summary>
    private static List<SupportCase> SsoCases()
    {
        var cases = new List<SupportCase>();
        for (int i = 0; i < 4; i++)
        {
            cases.Add(new CaseBuilder($"cert-{i}")
                .Titled($"SSO login loops back to sign-in ({i})", "After the password the browser returns to the sign-in page. It started this morning.")
                .Environment(version: "5.1", platform: i % 2 == 0 ? "Chrome" : "Edge")
                .Cause(CertificateCause)
                .Evidence("Check the IdP certificate expiry date", "Collect a SAML trace")
                .Resolution("Renew the IdP signing certificate; Upload the new metadata to the service")
                .Build());
        }

        cases.Add(new CaseBuilder("clock-0")
            .Titled("SSO assertion rejected as not yet valid")
            .Environment(version: "5.2", platform: "Chrome")
            .Cause(ClockCause)
            .Evidence("Collect a SAML trace", "Check the server clock", "Check the IdP certificate expiry date")
            .Resolution("Enable NTP on the IdP host; Upload the new metadata to the service")
            .Escalated()
            .Build());
        cases.Add(new CaseBuilder("clock-1")
            .Titled("SSO fails with assertion time error")
            .Environment(version: "5.2", platform: "Chrome")
            .Cause(ClockCause)
            .Evidence("Collect a SAML trace")
            .Resolution("Enable NTP on the IdP host")
            .Escalated(returnedForMissingContext: true)
            .Build());
        return cases;
    }

    [Fact]
    public void Draft_counts_causes_and_lists_the_most_common_first()
    {
        var cases = SsoCases();

        CandidateDraft draft = new CandidateDrafter().Draft(CaseBuilder.ClusterOf("cl-sso", cases), cases);

        Assert.Equal(CandidateKind.Playbook, draft.Kind);
        Assert.Equal([(CertificateCause, 4), (ClockCause, 2)], draft.Causes.Select(c => (c.Text, c.Cases)));
        Assert.Equal(0.667, draft.Causes[0].Share);
    }

    [Fact]
    public void Draft_orders_evidence_by_how_often_then_how_early_it_was_gathered()
    {
        var cases = SsoCases();

        CandidateDraft draft = new CandidateDrafter().Draft(CaseBuilder.ClusterOf("cl-sso", cases), cases);

        // trace: 6 cases; certificate: 5 cases; clock: 1 case (below the 25% share, left out).
        Assert.Equal(
            [("Collect a SAML trace", 6), ("Check the IdP certificate expiry date", 5)],
            draft.EvidenceSteps.Select(s => (s.Text, s.Cases)));
    }

    [Fact]
    public void Draft_breaks_equal_evidence_counts_by_earliness()
    {
        var cases = Enumerable.Range(0, 5).Select(i => new CaseBuilder($"c{i}")
            .Cause(CertificateCause)
            .Evidence(i < 3 ? ["Check the metadata URL", "Read the audit log"] : ["Read the audit log", "Check the metadata URL"])
            .Build()).ToList();

        CandidateDraft draft = new CandidateDrafter().Draft(CaseBuilder.ClusterOf("cl", cases), cases);

        // Both steps in all 5 cases; "Check the metadata URL" was first in 3 of 5, so it is earlier on average.
        Assert.Equal(["Check the metadata URL", "Read the audit log"], draft.EvidenceSteps.Select(s => s.Text));
    }

    [Fact]
    public void Draft_lists_resolution_steps_and_environment_with_counts()
    {
        var cases = SsoCases();

        CandidateDraft draft = new CandidateDrafter().Draft(CaseBuilder.ClusterOf("cl-sso", cases), cases);

        Assert.Equal(
            [("Upload the new metadata to the service", 5), ("Renew the IdP signing certificate", 4), ("Enable NTP on the IdP host", 2)],
            draft.ResolutionSteps.Select(s => (s.Text, s.Cases)));
        Assert.Equal(
            ["Product: SSO", "Version: 5.1", "Version: 5.2", "Platform: Chrome", "Platform: Edge"],
            draft.Environment.Select(e => e.Text));
        Assert.Equal([6, 4, 2, 4, 2], draft.Environment.Select(e => e.Cases));
    }

    [Fact]
    public void Draft_learns_when_to_escalate_from_what_set_the_escalated_cases_apart()
    {
        var cases = SsoCases();

        CandidateDraft draft = new CandidateDrafter().Draft(CaseBuilder.ClusterOf("cl-sso", cases), cases);

        Assert.Contains(draft.EscalateWhen, l => l.Text.StartsWith("Version 5.2 — 2 of 2 escalated cases, 0 of 4 others", StringComparison.Ordinal));
        Assert.Contains(draft.EscalateWhen, l => l.Text.StartsWith("Caused by: " + ClockCause, StringComparison.Ordinal));
        Assert.DoesNotContain(draft.EscalateWhen, l => l.Text.Contains("Chrome", StringComparison.Ordinal) && l.Text.Contains("0 of 4", StringComparison.Ordinal));

        // The accepted escalation checked the clock; the returned one did not.
        Assert.Contains(draft.EscalationPacket, l => l.Text == "Check the server clock (missing in 1 of 1 escalations returned for missing context)");
    }

    [Fact]
    public void Draft_cites_its_source_cases_with_similarity_and_a_confidence()
    {
        var cases = SsoCases();

        CandidateDraft draft = new CandidateDrafter().Draft(CaseBuilder.ClusterOf("cl-sso", cases), cases);

        Assert.Equal(cases.Select(c => c.ExternalId), draft.SourceCases.Select(s => s.CaseId));
        Assert.Equal(0.95, draft.SourceCases[0].Similarity);
        Assert.InRange(draft.Confidence, 0.5, 1.0);
        Assert.Equal(3, draft.Issue.Count);
        Assert.Equal("SSO login loops back to sign-in (0): \"After the password the browser returns to the sign-in page.\"", draft.Issue[0].Text);
    }

    [Fact]
    public void Draft_quotes_the_first_informative_sentence_not_the_greeting()
    {
        var cases = SsoCases();
        cases[0].Description = "Hi there!\nThanks.\nSince this morning every user is sent back to the sign-in page. Please help.";
        cases[1].Description = "Hello support team, after the password every browser returns to the sign-in page.";

        CandidateDraft draft = new CandidateDrafter().Draft(CaseBuilder.ClusterOf("cl-sso", cases), cases);

        Assert.EndsWith(": \"Since this morning every user is sent back to the sign-in page.\"", draft.Issue[0].Text, StringComparison.Ordinal);
        Assert.EndsWith(": \"after the password every browser returns to the sign-in page.\"", draft.Issue[1].Text, StringComparison.Ordinal); // the salutation dropped, the sentence kept
    }

    [Fact]
    public void Draft_quotes_the_sentence_that_names_the_problem_not_a_pleasantry()
    {
        var cases = SsoCases();

        // "Hope you are all well" is no greeting word the drafter knows, and it comes first and is long enough:
        // only the cluster's own words (sign-in, page, browser, AADSTS50011 shared by two cases) tell it apart.
        cases[0].Description = "Hope you are all well and having a good week over there. Since the rollover the browser "
            + "returns to the sign-in page with AADSTS50011.";
        cases[1].Description = "After the password the browser returns to the sign-in page with AADSTS50011.";

        CandidateDraft draft = new CandidateDrafter().Draft(CaseBuilder.ClusterOf("cl-sso", cases), cases);

        Assert.EndsWith(": \"Since the rollover the browser returns to the sign-in page with AADSTS50011.\"", draft.Issue[0].Text, StringComparison.Ordinal);
        Assert.DoesNotContain(draft.Issue, line => line.Text.Contains("Hope you are", StringComparison.Ordinal));
    }

    [Fact]
    public void Draft_quotes_a_sentence_once_whatever_version_or_typo_under_the_subject_spelt_as_most_cases_spell_it()
    {
        var cases = SsoCases();
        cases[0].Title = "Andorid app crashes when logging in";
        cases[0].Description = "Since updating the app to 7.4.1 it crashes right after the password.";
        cases[1].Title = "Android app crashes when logging in";
        cases[1].Description = "Since updating the app to 7.4.3 it crashes right after the password.";
        cases[2].Title = "Android app crashes when logging in";
        cases[2].Description = "Since udpating the app to 7.4.2 it crashes right after the pasword.";

        CandidateDraft draft = new CandidateDrafter().Draft(CaseBuilder.ClusterOf("cl-sso", cases), cases);

        Assert.Equal("Android app crashes when logging in: \"Since updating the app to 7.4.1 it crashes right after the password.\"", draft.Issue[0].Text);
        Assert.Single(draft.Issue, line => line.Text.Contains("crashes right after", StringComparison.Ordinal));
        Assert.DoesNotContain(draft.Issue, line => line.Text.Contains("Andorid", StringComparison.Ordinal));
    }

    [Fact]
    public void Draft_quotes_what_the_subject_does_not_already_say()
    {
        var cases = SsoCases();
        cases[0].Title = "SSO login fails (AADSTS50011)";
        cases[0].Description = "Since this morning the browser loops. The page says AADSTS50011.";
        cases[1].Description = "Sign-in fails with AADSTS50011.";

        CandidateDraft draft = new CandidateDrafter().Draft(CaseBuilder.ClusterOf("cl-sso", cases), cases);

        Assert.Equal("SSO login fails (AADSTS50011): \"Since this morning the browser loops.\"", draft.Issue[0].Text);
    }

    [Fact]
    public void Draft_quotes_no_sentence_that_leans_on_the_one_before_and_splits_sentences_customers_start_in_lower_case()
    {
        var cases = SsoCases();

        // The second sentence holds the shared error code but means nothing alone; the third starts in lower
        // case and must not be glued to it. Two other cases say the same sentence with other spacing and case.
        cases[0].Description = "We were charged twice after the upgrade. It shows AADSTS50011 on the second one. the sign-in page loops with AADSTS50011 after the password.";
        cases[1].Description = "The  sign-in page loops with AADSTS50011, after the password!";
        cases[2].Description = "the sign-in page loops with aadsts50011 after the password.";

        CandidateDraft draft = new CandidateDrafter().Draft(CaseBuilder.ClusterOf("cl-sso", cases), cases);

        Assert.EndsWith(": \"the sign-in page loops with AADSTS50011 after the password.\"", draft.Issue[0].Text, StringComparison.Ordinal);
        Assert.DoesNotContain(draft.Issue, line => line.Text.Contains("second one", StringComparison.Ordinal));
        Assert.Single(draft.Issue, line => line.Text.Contains("loops with", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Draft_sums_rare_environment_values_into_one_line()
    {
        var cases = Enumerable.Range(0, 20).Select(i => new CaseBuilder($"v{i}")
            .Cause(CertificateCause)
            .Environment(version: i < 10 ? "5.1" : $"5.2.{i}")
            .Build()).ToList();

        CandidateDraft draft = new CandidateDrafter().Draft(CaseBuilder.ClusterOf("cl", cases), cases);

        var versions = draft.Environment.Where(e => e.Text.StartsWith("Version", StringComparison.Ordinal)).ToList();
        Assert.Equal(["Version: 5.1", "Version: 5.2.10", "Version: 5.2.11", "Version: 8 other values (5.2.12, 5.2.13, 5.2.14, 5.2.15, 5.2.16, ...)"], versions.Select(v => v.Text));
        Assert.Equal([10, 1, 1, 8], versions.Select(v => v.Cases));
    }

    [Fact]
    public void Draft_refuses_a_cluster_with_too_few_cases_and_says_why()
    {
        var cases = SsoCases().Take(3).ToList();

        CandidateDraft draft = new CandidateDrafter().Draft(CaseBuilder.ClusterOf("cl-small", cases), cases);

        Assert.Equal(CandidateKind.NoDraft, draft.Kind);
        Assert.Equal("Only 3 cases; a candidate needs at least 5.", draft.Reason);
    }

    [Fact]
    public void Draft_refuses_a_cluster_whose_causes_disagree_and_says_why()
    {
        string[] causes = ["Expired certificate", "Firewall blocks port 443", "Wrong redirect URI", "Disk full on the server", "Mistyped password", "Proxy strips headers"];
        var cases = causes.Select((cause, i) => new CaseBuilder($"mixed-{i}").Cause(cause).Build()).ToList();

        CandidateDraft draft = new CandidateDrafter().Draft(CaseBuilder.ClusterOf("cl-mixed", cases), cases);

        Assert.Equal(CandidateKind.NoDraft, draft.Kind);
        Assert.Equal("Inconsistent material: 6 different causes; the most common explains only 1 of 6 cases.", draft.Reason);
    }

    [Fact]
    public void Draft_counts_reworded_causes_as_one()
    {
        string[] causes = ["Cause: " + CertificateCause, "Root cause: " + CertificateCause + " (seen on v5.1.2)", CertificateCause + " - confirmed with the customer.", "RCA: " + CertificateCause, CertificateCause];
        var cases = causes.Select((cause, i) => new CaseBuilder($"c{i}").Cause(cause).Build()).ToList();

        CandidateDraft draft = new CandidateDrafter().Draft(CaseBuilder.ClusterOf("cl", cases), cases);

        DraftLine cause = Assert.Single(draft.Causes);
        Assert.Equal((CertificateCause, 5), (cause.Text, cause.Cases));
    }

    [Fact]
    public void Draft_refuses_a_cluster_without_recorded_resolutions()
    {
        var cases = SsoCases();
        foreach (SupportCase supportCase in cases.Take(4))
        {
            supportCase.Resolution = null;
        }

        CandidateDraft draft = new CandidateDrafter().Draft(CaseBuilder.ClusterOf("cl-sso", cases), cases);

        Assert.Equal(CandidateKind.NoDraft, draft.Kind);
        Assert.Equal("Too little material: only 2 of 6 cases record a resolution.", draft.Reason);
    }

    [Fact]
    public void Draft_for_a_covered_cluster_is_an_update_suggestion_with_what_the_cases_add()
    {
        var cases = SsoCases();
        var existing = new KnowledgeCoverage("kb-sso-cert", "SSO certificate expired", 0.8,
            "Cause: expired IdP signing certificate. Check the IdP certificate expiry date. Renew the IdP signing certificate.");
        var drafter = new CandidateDrafter(coverage: (_, _) => existing);

        CandidateDraft draft = drafter.Draft(CaseBuilder.ClusterOf("cl-sso", cases), cases);

        Assert.Equal(CandidateKind.UpdateSuggestion, draft.Kind);
        Assert.Equal("kb-sso-cert", draft.TargetKnowledgeId);
        Assert.Contains(draft.Additions, a => a.Text == "Cause: " + ClockCause && a.Cases == 2);
        Assert.Contains(draft.Additions, a => a.Text == "Resolution step: Enable NTP on the IdP host");
        Assert.DoesNotContain(draft.Additions, a => a.Text == "Cause: " + CertificateCause);
        Assert.DoesNotContain(draft.Additions, a => a.Text == "Resolution step: Renew the IdP signing certificate");
    }

    [Fact]
    public void Two_clusters_the_same_playbook_covers_get_one_update_suggestion_with_all_their_cases()
    {
        // One family split in two clusters (certificate cases with and without the clock-skew ones); both are
        // covered by the same article, and a third cluster by another.
        var cases = SsoCases();
        var other = Enumerable.Range(0, 3).Select(i => new CaseBuilder($"vpn-{i}")
            .Titled("VPN drops every hour").Cause("Idle timeout on the gateway").Resolution("Raise the idle timeout").Build()).ToList();
        CaseCluster large = CaseBuilder.ClusterOf("cl-large", cases.Take(3).ToList());
        CaseCluster small = CaseBuilder.ClusterOf("cl-small", cases.Skip(3).ToList());
        CaseCluster vpn = CaseBuilder.ClusterOf("cl-vpn", other);
        var sso = new KnowledgeCoverage("kb-sso-cert", "SSO certificate expired", 0.8,
            "Cause: expired IdP signing certificate, or clock skew between IdP and service. Renew the IdP signing certificate.");
        var gateway = new KnowledgeCoverage("kb-vpn", "VPN idle timeout", 0.8, "Cause: idle timeout on the gateway. Raise the idle timeout.");
        var drafter = new CandidateDrafter(new CandidateDrafterOptions { MinCases = 3 }, coverage: (_, members) => members[0].ExternalId.StartsWith("vpn", StringComparison.Ordinal) ? gateway : sso);
        List<CandidateDraft> drafts = [drafter.Draft(small, cases), drafter.Draft(vpn, other), drafter.Draft(large, cases)];
        Assert.Equal(2, drafts.Count(d => d.TargetKnowledgeId == "kb-sso-cert"));

        List<CandidateDraft> folded = drafter.FoldDuplicates(drafts, [large, small, vpn], cases.Concat(other).ToDictionary(CandidateDrafter.CaseKey));

        CandidateDraft suggestion = Assert.Single(folded, d => d.Kind == CandidateKind.UpdateSuggestion && d.TargetKnowledgeId == "kb-sso-cert");
        Assert.Equal("cl-large", suggestion.ClusterId);
        Assert.Equal(cases.Select(CandidateDrafter.CaseKey).Order(), suggestion.SourceCases.Select(s => s.CaseId).Order());
        Assert.Contains(suggestion.Causes, c => c.Text == ClockCause && c.Cases == 2);
        Assert.Equal((CandidateKind.NoDraft, "cl-small"), (folded[0].Kind, folded[0].ClusterId));
        Assert.Equal("Folded into the update suggestion drafted under cluster cl-large: the same playbook (kb-sso-cert).", folded[0].Reason);
        Assert.Same(drafts[1], folded[1]);
    }

    [Fact]
    public void Two_new_playbooks_with_the_same_main_cause_become_one_and_a_different_cause_keeps_its_own()
    {
        var cases = SsoCases();
        CaseCluster[] clusters =
        [
            CaseBuilder.ClusterOf("cl-cert-a", cases.Take(2).ToList()),
            CaseBuilder.ClusterOf("cl-cert-b", cases.Skip(2).Take(2).ToList()),
            CaseBuilder.ClusterOf("cl-clock", cases.Skip(4).ToList()),
        ];
        var drafter = new CandidateDrafter(new CandidateDrafterOptions { MinCases = 2 });
        List<CandidateDraft> drafts = [.. clusters.Select(c => drafter.Draft(c, cases))];
        Assert.All(drafts, d => Assert.Equal(CandidateKind.Playbook, d.Kind));

        List<CandidateDraft> folded = drafter.FoldDuplicates(drafts, clusters, cases.ToDictionary(CandidateDrafter.CaseKey));

        Assert.Equal((CandidateKind.Playbook, 4), (folded[0].Kind, folded[0].SourceCases.Count));
        Assert.Equal([(CertificateCause, 4)], folded[0].Causes.Select(c => (c.Text, c.Cases)));
        Assert.Contains($"Drafted together with cluster cl-cert-b: the same main cause ({CertificateCause})", folded[0].Reason, StringComparison.Ordinal);
        Assert.Equal(CandidateKind.NoDraft, folded[1].Kind);
        Assert.Equal($"Folded into the playbook drafted under cluster cl-cert-a: the same main cause ({CertificateCause}).", folded[1].Reason);
        Assert.Same(drafts[2], folded[2]);
    }

    [Fact]
    public void Suggestions_for_one_playbook_stay_apart_with_the_reason_when_their_cases_together_mix_too_many_causes()
    {
        // Two clusters covered by one broad article, each consistent, but with different causes: drafted as one
        // they would fail the cause-agreement check, so each stays and says why.
        var first = Enumerable.Range(0, 5).Select(i => new CaseBuilder($"a-{i}").Titled("API returns 429").Cause("Shared token over its limit").Resolution("Separate tokens").Build()).ToList();
        var second = Enumerable.Range(0, 5).Select(i => new CaseBuilder($"b-{i}").Titled("API returns 429").Cause(i < 3 ? "Client ignores Retry-After" : "Burst from a bulk import").Resolution("Honour Retry-After").Build()).ToList();
        var third = Enumerable.Range(0, 5).Select(i => new CaseBuilder($"c-{i}").Titled("API returns 429").Cause(i < 3 ? "Webhook replay storm" : "Burst from a bulk import").Resolution("Throttle replays").Build()).ToList();
        var article = new KnowledgeCoverage("kb-429", "API rate limits", 0.9,
            "Causes: shared token over its limit; client ignores Retry-After; webhook replay storm; burst from a bulk import.");
        var drafter = new CandidateDrafter(coverage: (_, _) => article);
        List<SupportCase> all = [.. first, .. second, .. third];
        CaseCluster[] clusters = [CaseBuilder.ClusterOf("cl-a", first), CaseBuilder.ClusterOf("cl-b", second), CaseBuilder.ClusterOf("cl-c", third)];
        List<CandidateDraft> drafts = [.. clusters.Select(c => drafter.Draft(c, all))];
        Assert.All(drafts, d => Assert.Equal(CandidateKind.UpdateSuggestion, d.Kind));

        List<CandidateDraft> folded = drafter.FoldDuplicates(drafts, clusters, all.ToDictionary(CandidateDrafter.CaseKey));

        Assert.All(folded, d => Assert.Equal((CandidateKind.UpdateSuggestion, "kb-429"), (d.Kind, d.TargetKnowledgeId)));
        Assert.EndsWith("Also for the same playbook (kb-429): clusters cl-b, cl-c; kept apart because drafted together: Inconsistent material: 4 different causes; the most common explains only 5 of 15 cases.", folded[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_covered_cluster_whose_cases_add_nothing_is_recorded_without_a_suggestion()
    {
        var cases = Enumerable.Range(0, 6).Select(i => new CaseBuilder($"e{i}")
            .Titled("Export job hangs").Cause("Worker queue stalled").Resolution("Restart the export worker").Build()).ToList();
        var article = new KnowledgeCoverage("kb-export", "Export job hangs", 0.9, "Product: SSO. Cause: the worker queue stalled. Restart the export worker.");
        var drafter = new CandidateDrafter(coverage: (_, _) => article);

        CandidateDraft draft = drafter.Draft(CaseBuilder.ClusterOf("cl-export", cases), cases);
        CandidateDraft withNewStep = drafter.Draft(
            CaseBuilder.ClusterOf("cl-export", cases),
            [.. cases.Select(c => { c.Resolution += "; Split the export per project"; return c; })]);

        Assert.Equal((CandidateKind.NoDraft, "kb-export"), (draft.Kind, draft.TargetKnowledgeId));
        Assert.Equal("Covered by 'Export job hangs' (kb-export, coverage 0.90): the new cases add nothing it lacks.", draft.Reason);
        Assert.Equal(6, draft.SourceCases.Count);
        Assert.Equal(CandidateKind.UpdateSuggestion, withNewStep.Kind);
        Assert.Equal(["Resolution step: Split the export per project"], withNewStep.Additions.Select(a => a.Text));
    }

    [Fact]
    public void Update_suggestion_offers_no_long_tail_of_versions_as_an_addition()
    {
        // Twenty cases on twenty patch versions: the environment section lists three and sums the tail into one
        // "other values" line; neither a version one case in twenty had nor the tail is a fact to add.
        var cases = Enumerable.Range(0, 20).Select(i => new CaseBuilder($"v{i}")
            .Titled("Export job hangs").Environment(version: $"4.{i}.0").Cause("Worker queue stalled").Resolution("Restart the export worker").Build()).ToList();
        var article = new KnowledgeCoverage("kb-export", "Export job hangs", 0.9, "Cause: the worker queue stalled. Restart the export worker.");

        CandidateDraft draft = new CandidateDrafter(coverage: (_, _) => article).Draft(CaseBuilder.ClusterOf("cl-export", cases), cases);

        Assert.Equal(CandidateKind.UpdateSuggestion, draft.Kind);
        Assert.Contains(draft.Environment, l => l.Text.StartsWith("Version: 17 other values (", StringComparison.Ordinal));
        Assert.DoesNotContain(draft.Additions, l => l.Text.StartsWith("Environment: Version", StringComparison.Ordinal));
        Assert.Contains(draft.Additions, l => l.Text == "Environment: Product: SSO" && l.Share == 1.0);
    }

    [Fact]
    public void Draft_for_a_cluster_whose_main_cause_the_matching_article_lacks_is_a_new_playbook()
    {
        var cases = SsoCases();
        var sameSymptoms = new KnowledgeCoverage("kb-sso-login", "SSO login fails", 0.9,
            "Cause: the user is not assigned to the application in the identity provider. Assign the user and retry.");
        var drafter = new CandidateDrafter(coverage: (_, _) => sameSymptoms);

        CandidateDraft draft = drafter.Draft(CaseBuilder.ClusterOf("cl-sso", cases), cases);

        Assert.Equal(CandidateKind.Playbook, draft.Kind);
        Assert.Null(draft.TargetKnowledgeId);
        Assert.Contains($"does not give their main cause ({CertificateCause})", draft.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("The IdP signing certificates expired last week; renew them.", "Expired IdP signing certificate", true)]
    [InlineData("Receivers must verify the HMAC over the raw body.", "Receiver answers after the 10 second delivery timeout", false)]
    [InlineData("Anything at all", "the", true)]
    public void An_article_mentions_a_cause_when_it_shares_enough_of_its_words(string article, string cause, bool expected) =>
        Assert.Equal(expected, CandidateDrafter.Mentions(article, cause));

    [Fact]
    public void Draft_with_weak_coverage_stays_a_new_playbook()
    {
        var cases = SsoCases();
        var drafter = new CandidateDrafter(coverage: (_, _) => new KnowledgeCoverage("kb-other", "Password reset", 0.2, ""));

        CandidateDraft draft = drafter.Draft(CaseBuilder.ClusterOf("cl-sso", cases), cases);

        Assert.Equal(CandidateKind.Playbook, draft.Kind);
        Assert.Contains("covers it only 0.20", draft.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Investigation_template_frames_the_area_from_its_clusters()
    {
        var cases = SsoCases();
        var cluster = CaseBuilder.ClusterOf("cl-sso", cases);

        CandidateDraft template = new CandidateDrafter().DraftInvestigationTemplate("SSO", [(cluster, "sso, saml trace")], cases);

        Assert.Equal(CandidateKind.InvestigationTemplate, template.Kind);
        Assert.Equal("Investigating SSO cases", template.Title);
        Assert.Contains("sso, saml trace (6 cases)", template.Framing[0].Text, StringComparison.Ordinal);
        Assert.Contains(template.Framing, f => f.Text.Contains(CertificateCause + " (4)", StringComparison.Ordinal));
        Assert.Equal("Collect a SAML trace", template.EvidenceSteps[0].Text);
        Assert.NotEmpty(template.EscalateWhen);
    }
}
