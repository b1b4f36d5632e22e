using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using TicketOps.Core.Mining;
using TicketOps.Core.Tests.Support;

namespace TicketOps.Core.Tests.Mining;

/// <summary>The LLM rewrite against a real local HTTP server speaking the chat-completions protocol.</summary>
public sealed class CandidateRewriterTests
{
    private static readonly string[] s_evidence = ["Check the certificate expiry date"];
    private static readonly string[] s_resolution = ["Renew the IdP signing certificate"];

    private static CandidateDraft Draft() => new()
    {
        Kind = CandidateKind.Playbook,
        ClusterId = "cl-sso",
        Title = "SSO login loops back to sign-in",
        Issue = [new DraftLine("Login loops, reported by jane.doe@example.com", 1, 0.2)],
        Causes = [new DraftLine("Expired IdP signing certificate", 4, 0.8)],
        ResolutionSteps = [new DraftLine("Renew the IdP signing certificate", 4, 0.8)],
        SourceCases = [new SourceCase("101", "SSO login loops", 0.9), new SourceCase("102", "SSO broken", 0.85)],
        Confidence = 0.8,
    };

    private static string Answer(params string[] cited) => JsonSerializer.Serialize(new
    {
        title = "SSO login returns to the sign-in page",
        issue = "Users are sent back to sign-in after entering their password.",
        environment = "SSO",
        cause = "The IdP signing certificate expired.",
        evidence = s_evidence,
        resolution = s_resolution,
        escalate_when = Array.Empty<string>(),
        escalation_packet = Array.Empty<string>(),
        cited_cases = cited,
    });

    private static CandidateRewriteOptions Options(ChatServer server, double timeoutSeconds = 5) => new()
    {
        Enabled = true,
        Endpoint = server.Endpoint,
        Model = "local-test",
        Timeout = TimeSpan.FromSeconds(timeoutSeconds),
        MaxAttempts = 2,
    };

    [Fact]
    public async Task Rewrite_returns_the_validated_sections_and_sends_no_personal_data()
    {
        using var server = new ChatServer(_ => (200, ChatServer.Completion(Answer("101", "102")), TimeSpan.Zero));

        CandidateRewriteResult result = await new CandidateRewriter(Options(server)).RewriteAsync(Draft());

        Assert.True(result.Succeeded, result.FallbackReason);
        Assert.Equal("The IdP signing certificate expired.", result.Rewrite!.Cause);
        Assert.Equal(["101", "102"], result.Rewrite.CitedCases);
        string request = Assert.Single(server.Requests);
        Assert.DoesNotContain("jane.doe@example.com", request, StringComparison.Ordinal);
        Assert.Contains("Expired IdP signing certificate", request, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rewrite_falls_back_when_the_answer_is_not_json()
    {
        using var server = new ChatServer(_ => (200, ChatServer.Completion("Sure! Here is your playbook: ..."), TimeSpan.Zero));

        CandidateRewriteResult result = await new CandidateRewriter(Options(server)).RewriteAsync(Draft());

        Assert.False(result.Succeeded);
        Assert.StartsWith("The answer is not the requested JSON", result.FallbackReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rewrite_falls_back_when_the_answer_cites_invented_cases()
    {
        using var server = new ChatServer(_ => (200, ChatServer.Completion(Answer("101", "999")), TimeSpan.Zero));

        CandidateRewriteResult result = await new CandidateRewriter(Options(server)).RewriteAsync(Draft());

        Assert.False(result.Succeeded);
        Assert.Equal("The answer cites cases that are not sources of the draft: 999.", result.FallbackReason);
    }

    [Fact]
    public async Task Rewrite_retries_a_failing_endpoint_a_bounded_number_of_times_then_falls_back()
    {
        using var server = new ChatServer(_ => (500, "{\"error\":{\"message\":\"boom\"}}", TimeSpan.Zero));

        CandidateRewriteResult result = await new CandidateRewriter(Options(server)).RewriteAsync(Draft());

        Assert.False(result.Succeeded);
        Assert.Contains("500", result.FallbackReason, StringComparison.Ordinal);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task Rewrite_falls_back_when_the_endpoint_hangs()
    {
        using var server = new ChatServer(_ => (200, ChatServer.Completion(Answer("101")), TimeSpan.FromSeconds(30)));
        var options = Options(server, timeoutSeconds: 1);
        options.MaxAttempts = 1;

        var started = DateTime.UtcNow;
        CandidateRewriteResult result = await new CandidateRewriter(options).RewriteAsync(Draft());

        Assert.False(result.Succeeded);
        Assert.Equal("The endpoint did not answer within 1 s (1 attempt(s)).", result.FallbackReason);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Rewrite_is_off_without_configuration()
    {
        CandidateRewriteResult result = await new CandidateRewriter(new CandidateRewriteOptions()).RewriteAsync(Draft());

        Assert.Equal("LLM rewrite is off (no endpoint and model configured).", result.FallbackReason);
    }
}
