using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TicketOps.Cli;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Storage;
using TicketOps.Tests.Support;

namespace TicketOps.Tests.Cli;

public sealed class FeedbackVerbTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly string _dataDir;

    public FeedbackVerbTests() => _dataDir = _temp.Combine("data");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Feedback_records_use_and_a_flag_lists_it_for_the_owner_and_resolves_it()
    {
        await SetUpAsync();

        CliRun used = await Run("feedback", "SUP-1", "PB-0900", "--kind", "used", "--as", "ana");
        CliRun flagged = await Run("feedback", "zendesk:SUP-1", "PB-0900", "--kind", "flag", "--reason", "step 2 moved in v4.3", "--as", "ana");
        CliRun otherOwner = await Run("flags", "--owner", "billing-knowledge");
        CliRun queue = await Run("flags", "--owner", "identity-knowledge", "--format", "json");

        Assert.Equal(ExitCodes.Success, used.ExitCode);
        Assert.Contains("SUP-1 used PB-0900 by ana", used.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, flagged.ExitCode);
        Assert.Contains("No open flags on knowledge owned by billing-knowledge", otherOwner.Out, StringComparison.Ordinal);
        using var flags = JsonDocument.Parse(queue.Out);
        JsonElement flag = Assert.Single(flags.RootElement.EnumerateArray());
        Assert.Equal("step 2 moved in v4.3", flag.GetProperty("reason").GetString());
        Assert.Equal("zendesk:SUP-1", flag.GetProperty("case").GetString());

        CliRun resolved = await Run("flags", "resolve", flag.GetProperty("flag_id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), "--as", "owner-olga");
        CliRun again = await Run("flags", "resolve", flag.GetProperty("flag_id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), "--as", "owner-olga");
        Assert.Equal(ExitCodes.Success, resolved.ExitCode);
        Assert.Contains("No open flags.", (await Run("flags")).Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.NotFound, again.ExitCode);
        Assert.Contains("No open flag with id", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feedback_with_a_bad_kind_an_unknown_or_ambiguous_case_or_a_flag_without_reason_fails_with_the_reason()
    {
        await SetUpAsync();

        CliRun badKind = await Run("feedback", "SUP-1", "PB-0900", "--kind", "liked", "--as", "ana");
        CliRun noActor = await Run("feedback", "SUP-1", "PB-0900", "--kind", "used");
        CliRun unknownCase = await Run("feedback", "SUP-404", "PB-0900", "--kind", "used", "--as", "ana");
        CliRun ambiguous = await Run("feedback", "SUP-2", "PB-0900", "--kind", "used", "--as", "ana");
        CliRun unknownArticle = await Run("feedback", "SUP-1", "PB-0999", "--kind", "used", "--as", "ana");
        CliRun noReason = await Run("feedback", "SUP-1", "PB-0900", "--kind", "flag", "--as", "ana");

        Assert.Equal(ExitCodes.Usage, badKind.ExitCode);
        Assert.Contains("--kind must be one of suggested, used, helped, did-not-help, flag, not 'liked'", badKind.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, noActor.ExitCode);
        Assert.Contains("--as NAME is required", noActor.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.NotFound, unknownCase.ExitCode);
        Assert.Contains("No case 'SUP-404'", unknownCase.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.NotFound, ambiguous.ExitCode);
        Assert.Contains("several sources (", ambiguous.Error, StringComparison.Ordinal);
        Assert.Contains("source:SUP-2", ambiguous.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.NotFound, unknownArticle.ExitCode);
        Assert.Equal(ExitCodes.Usage, noReason.ExitCode);
        Assert.Contains("A flag needs a reason", noReason.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Route_records_where_the_case_was_sent_and_whether_it_followed_the_advice()
    {
        await SetUpAsync();

        CliRun followed = await Run("route", "SUP-1", "--to", "l2", "--advised", "l2", "--as", "ana");
        CliRun noAdvice = await Run("route", "SUP-1", "--to", "engineering", "--advised", "none", "--as", "ana", "--format", "json");
        CliRun badDepth = await Run("route", "SUP-1", "--to", "tier9", "--advised", "none", "--as", "ana");
        CliRun unknown = await Run("route", "NOPE-1", "--to", "l2", "--advised", "l2", "--as", "ana");

        Assert.Equal(ExitCodes.Success, followed.ExitCode);
        Assert.Contains("SUP-1 sent to l2 (followed the advice)", followed.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, noAdvice.ExitCode);
        using System.Text.Json.JsonDocument json = System.Text.Json.JsonDocument.Parse(noAdvice.Out);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, json.RootElement.GetProperty("followed").ValueKind);
        Assert.Equal(ExitCodes.Usage, badDepth.ExitCode);
        Assert.Contains("--to must be frontline, l2, engineering or incident", badDepth.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.NotFound, unknown.ExitCode);
    }

    [Fact]
    public async Task Escalate_names_the_missing_pieces_and_outcome_escalated_is_refused_until_the_packet_is_complete()
    {
        await SetUpAsync();

        CliRun refusedWithoutPacket = await Run("outcome", "SUP-1", "escalated", "--as", "ana");
        CliRun thin = await Run("escalate", "SUP-1", "--hypothesis", "IdP clock drift", "--as", "ana");
        CliRun refused = await Run("outcome", "SUP-1", "escalated", "--as", "ana");
        CliRun complete = await Run(
            "escalate", "SUP-1", "--template", "IT-0900", "--hypothesis", "IdP clock drift", "--question", "Why is a 20 s skew rejected?",
            "--impact", "40 users, no workaround", "--evidence", "Captured SAML response attached, IdP Okta version 2024", "--as", "ana", "--format", "json");
        CliRun escalated = await Run("outcome", "SUP-1", "escalated", "--as", "ana");
        CliRun twice = await Run("outcome", "SUP-1", "escalated", "--as", "ana");
        CliRun badOutcome = await Run("outcome", "SUP-1", "closed", "--as", "ana");
        CliRun askOnSolved = await Run("outcome", "SUP-1", "solved", "--missing", "HAR file", "--as", "eng");
        CliRun returned = await Run("outcome", "SUP-1", "returned", "--missing", "HAR file of the failing login", "--unclear-ownership", "--as", "eng");
        CliRun report = await Run("report", "--from", "2020-01-01", "--to", "2030-01-01", "--format", "json");
        CliRun badTemplate = await Run("escalate", "SUP-1", "--template", "PB-0900", "--as", "ana");

        Assert.Equal(ExitCodes.Refused, refusedWithoutPacket.ExitCode);
        Assert.Contains("Case SUP-1 has no escalation packet", refusedWithoutPacket.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Refused, thin.ExitCode);
        Assert.Contains("Escalation packet for zendesk:SUP-1 (template IT-0900)", thin.Out, StringComparison.Ordinal);
        Assert.Contains("Question:    (missing)", thin.Out, StringComparison.Ordinal);
        Assert.Contains("Open question for engineering is empty", thin.Error, StringComparison.Ordinal);
        Assert.Contains("Customer impact is empty", thin.Error, StringComparison.Ordinal);
        Assert.Contains("Escalation packet: The captured SAML response", thin.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Evidence to gather first", thin.Error, StringComparison.Ordinal); // the case's evidence step shows it
        Assert.Equal(ExitCodes.Refused, refused.ExitCode);
        Assert.Contains("its escalation packet is incomplete", refused.Error, StringComparison.Ordinal);
        Assert.Contains("ticketops escalate SUP-1", refused.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, complete.ExitCode);
        using (var packet = JsonDocument.Parse(complete.Out))
        {
            Assert.True(packet.RootElement.GetProperty("complete").GetBoolean());
        }

        Assert.Equal(ExitCodes.Success, escalated.ExitCode);
        Assert.Contains("(by ana)", escalated.Out, StringComparison.Ordinal);
        await using (TicketOpsDbContext db = TicketOpsDatabase.CreateContext(new DataDirectory(_dataDir)))
        {
            CaseOutcomeEvent recorded = Assert.Single(await db.Set<CaseOutcomeEvent>().Where(e => e.Outcome != CaseOutcome.EscalationReturned).ToListAsync()); // the refused ones left no row
            Assert.Equal((CaseOutcome.Escalated, "ana"), (recorded.Outcome, recorded.Actor));
        }

        Assert.Equal(ExitCodes.Refused, twice.ExitCode);
        Assert.Contains("already escalated", twice.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, badOutcome.ExitCode);
        Assert.Contains("OUTCOME must be one of solved, escalated, returned, solved-by-engineering, not 'closed'", badOutcome.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, askOnSolved.ExitCode);
        Assert.Contains("--missing and --unclear-ownership go with 'returned'", askOnSolved.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, returned.ExitCode);
        Assert.Contains("the receiving team asked for: HAR file of the failing login; clear ownership.", returned.Out, StringComparison.Ordinal);
        using (var metrics = JsonDocument.Parse(report.Out))
        {
            JsonElement quality = metrics.RootElement.GetProperty("escalation_quality");
            Assert.Equal(1, quality.GetProperty("unclear_ownership").GetInt32());
            JsonElement template = Assert.Single(quality.GetProperty("templates").EnumerateArray().ToList());
            Assert.Equal("IT-0900", template.GetProperty("template_id").GetString()); // the returned packet's template
            Assert.Equal("HAR file of the failing login", Assert.Single(template.GetProperty("items").EnumerateArray().ToList()).GetProperty("item").GetString());
        }

        Assert.Equal(ExitCodes.InvalidData, badTemplate.ExitCode);
        Assert.Contains("'PB-0900' is not an investigation template", badTemplate.Error, StringComparison.Ordinal);
    }

    private Task<CliRun> Run(params string[] args) => CliRun.RunAsync([.. args, "--data-dir", _dataDir]);

    private async Task SetUpAsync()
    {
        string cases = _temp.Write("cases.jsonl", string.Join('\n',
            Case("zendesk", "SUP-1", "Confirmed ERR_SAML_CLOCK_SKEW in the login audit log for one user"),
            Case("zendesk", "SUP-2", "none"),
            Case("jira", "SUP-2", "none")));
        string knowledge = _temp.Combine("knowledge");
        Directory.CreateDirectory(Path.Combine(knowledge, "templates"));
        Directory.CreateDirectory(Path.Combine(knowledge, "playbooks"));
        File.WriteAllText(Path.Combine(knowledge, "templates", "IT-0900.md"), """
            ---
            id: IT-0900
            type: template
            state: validated
            owner: identity-knowledge
            product_areas: [SSO/Auth]
            source_cases: []
            created: 2026-01-02
            version: 1
            ---

            # Investigating login failures

            ## Framing

            Who cannot log in, since when.

            ## Evidence to gather first

            1. The error code from the login audit log.

            ## Hypothesis

            One sentence.

            ## When to escalate

            When the response is valid and login still fails.

            ## Escalation packet

            - The captured SAML response, IdP name and version.
            - The open question, in one sentence.
            - Customer impact.

            ## Closing the loop

            Link the playbook.
            """);
        File.WriteAllText(Path.Combine(knowledge, "playbooks", "PB-0900.md"), """
            ---
            id: PB-0900
            type: playbook
            state: validated
            owner: identity-knowledge
            product_areas: [SSO/Auth]
            source_cases: []
            created: 2026-01-03
            version: 1
            template: IT-0900
            ---

            # SAML login rejected for clock skew

            ## Issue

            Users see ERR_SAML_CLOCK_SKEW.

            ## Environment

            SAML SSO.

            ## Cause

            The IdP clock drifted.

            ## Resolution

            1. Resync the IdP clock.
            """);
        Assert.Equal(ExitCodes.Success, (await Run("import", cases, "--no-index")).ExitCode);
        Assert.Equal(ExitCodes.Success, (await Run("knowledge", "sync", "--folder", knowledge)).ExitCode);
    }

    private static string Case(string source, string id, string evidence) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["source"] = source,
        ["external_id"] = id,
        ["title"] = "SSO login fails",
        ["description"] = "Users get ERR_SAML_CLOCK_SKEW",
        ["product"] = "SSO/Auth",
        ["component"] = "SAML SSO",
        ["status"] = "open",
        ["created_at"] = "2026-03-02T08:00:00Z",
        ["evidence_steps"] = evidence == "none" ? Array.Empty<string>() : new[] { evidence },
    });
}
