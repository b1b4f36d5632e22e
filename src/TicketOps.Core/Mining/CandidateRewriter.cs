using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using OpenAI;
using TicketOps.Core.Import;

namespace TicketOps.Core.Mining;

/// <summary>Settings of the optional LLM rewrite; off unless an endpoint and model are configured.</summary>
public sealed class CandidateRewriteOptions
{
    /// <summary>Turns the rewrite on.</summary>
    public bool Enabled { get; set; }

    /// <summary>OpenAI-compatible base URL, e.g. <c>http://localhost:11434/v1</c> (Ollama) or <c>https://api.openai.com/v1</c>.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>Model name as the endpoint knows it.</summary>
    public string Model { get; set; } = "";

    /// <summary>Name of the environment variable holding the API key (the key itself never sits in configuration).</summary>
    public string ApiKeyVariable { get; set; } = "TICKETOPS_LLM_API_KEY";

    /// <summary>Time allowed per attempt.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Attempts when the endpoint fails or times out (malformed answers are not retried).</summary>
    public int MaxAttempts { get; set; } = 2;
}

/// <summary>The LLM's rewrite of a draft: the fixed sections in clean prose, citing source cases.</summary>
public sealed class RewrittenCandidate
{
    /// <summary>Title.</summary>
    [JsonPropertyName("title")] public string Title { get; set; } = "";

    /// <summary>Issue / symptoms.</summary>
    [JsonPropertyName("issue")] public string Issue { get; set; } = "";

    /// <summary>Environment.</summary>
    [JsonPropertyName("environment")] public string Environment { get; set; } = "";

    /// <summary>Cause.</summary>
    [JsonPropertyName("cause")] public string Cause { get; set; } = "";

    /// <summary>Evidence to gather first, in order.</summary>
    [JsonPropertyName("evidence")] public List<string> Evidence { get; set; } = [];

    /// <summary>Resolution steps, in order.</summary>
    [JsonPropertyName("resolution")] public List<string> Resolution { get; set; } = [];

    /// <summary>When to escalate.</summary>
    [JsonPropertyName("escalate_when")] public List<string> EscalateWhen { get; set; } = [];

    /// <summary>Escalation packet.</summary>
    [JsonPropertyName("escalation_packet")] public List<string> EscalationPacket { get; set; } = [];

    /// <summary>Source case ids the rewrite relies on; must all be source cases of the draft.</summary>
    [JsonPropertyName("cited_cases")] public List<string> CitedCases { get; set; } = [];
}

/// <summary>The outcome of a rewrite: the rewrite, or the reason the extractive draft stands.</summary>
/// <param name="Rewrite">The validated rewrite; null when falling back.</param>
/// <param name="FallbackReason">Why the extractive draft is kept; null on success.</param>
public sealed record CandidateRewriteResult(RewrittenCandidate? Rewrite, string? FallbackReason)
{
    /// <summary>True when the rewrite can be shown.</summary>
    public bool Succeeded => Rewrite is not null;

    /// <summary>Provenance of a successful rewrite (model and time), kept beside the candidate.</summary>
    public string? Note { get; init; }
}

/// <summary>
/// Optionally rewrites an extractive draft into prose through Microsoft.SemanticKernel against any
/// OpenAI-compatible endpoint. Personal data is redacted before anything is sent; the answer must be JSON with
/// the fixed sections and cite only the draft's source cases; failures, timeouts (bounded attempts) and
/// malformed or invented answers fall back to the extractive draft with the reason.
/// </summary>
public sealed class CandidateRewriter(CandidateRewriteOptions options, HttpClient? httpClient = null)
{
    private const string Instructions =
        "You edit support knowledge. Rewrite the draft playbook below into clear, concise prose for support agents. " +
        "Use only facts present in the draft; keep step order. Answer with one JSON object and nothing else, with the keys " +
        "title, issue, environment, cause (strings), evidence, resolution, escalate_when, escalation_packet (arrays of strings) " +
        "and cited_cases (array of the source case ids you relied on; only ids listed under source_cases).";

    private static readonly JsonSerializerOptions s_json = new() { Converters = { new JsonStringEnumConverter() } };

    /// <summary>Rewrites the draft, or says why not.</summary>
    public async Task<CandidateRewriteResult> RewriteAsync(CandidateDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (!options.Enabled || options.Endpoint is null || string.IsNullOrWhiteSpace(options.Model))
        {
            return new(null, "LLM rewrite is off (no endpoint and model configured).");
        }

        if (draft.Kind == CandidateKind.NoDraft)
        {
            return new(null, "Nothing to rewrite: there is no draft.");
        }

        // The prompt and schema are the playbook's sections; templates stay extractive.
        if (draft.Kind == CandidateKind.InvestigationTemplate)
        {
            return new(null, "Investigation templates are not rewritten.");
        }

        string apiKey = System.Environment.GetEnvironmentVariable(options.ApiKeyVariable) ?? "none";
        // The client's own retries are switched off so MaxAttempts is the only bound on how long a rewrite takes.
        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = options.Endpoint,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = options.Timeout,
        };
        if (httpClient is not null)
        {
            clientOptions.Transport = new HttpClientPipelineTransport(httpClient);
        }

        var chat = new OpenAIChatCompletionService(options.Model, new OpenAIClient(new ApiKeyCredential(apiKey), clientOptions));
        var history = new ChatHistory(Instructions);
        history.AddUserMessage(PersonalDataRedactor.Redact(JsonSerializer.Serialize(draft, s_json)) ?? "");
        var settings = new OpenAIPromptExecutionSettings { Temperature = 0, ResponseFormat = "json_object" };

        string? answer = null;
        string? failure = null;
        for (int attempt = 1; attempt <= Math.Max(1, options.MaxAttempts) && answer is null; attempt++)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Timeout);
            try
            {
                ChatMessageContent reply = await chat.GetChatMessageContentAsync(history, settings, cancellationToken: timeout.Token);
                answer = reply.Content ?? "";
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                failure = $"The endpoint did not answer within {options.Timeout.TotalSeconds:0} s ({attempt} attempt(s)).";
            }
            catch (HttpOperationException exception)
            {
                failure = $"The endpoint failed: {(int?)exception.StatusCode} {exception.Message} ({attempt} attempt(s)).";
            }
            catch (ClientResultException exception)
            {
                failure = $"The endpoint failed: {exception.Status} {exception.Message} ({attempt} attempt(s)).";
            }
            catch (KernelException exception)
            {
                failure = $"The endpoint failed: {exception.Message} ({attempt} attempt(s)).";
            }
        }

        if (answer is null)
        {
            return new(null, failure);
        }

        CandidateRewriteResult validated = Validate(answer, draft);
        return validated.Succeeded ? validated with { Note = $"rewritten by {options.Model} at {options.Endpoint.Host}; cites {string.Join(", ", validated.Rewrite!.CitedCases)}" } : validated;
    }

    private static CandidateRewriteResult Validate(string answer, CandidateDraft draft)
    {
        RewrittenCandidate? rewrite;
        try
        {
            rewrite = JsonSerializer.Deserialize<RewrittenCandidate>(StripFence(answer));
        }
        catch (JsonException exception)
        {
            return new(null, $"The answer is not the requested JSON: {exception.Message}");
        }

        if (rewrite is null || string.IsNullOrWhiteSpace(rewrite.Title) || string.IsNullOrWhiteSpace(rewrite.Cause) || rewrite.Resolution.Count == 0)
        {
            return new(null, "The answer lacks required sections (title, cause, resolution).");
        }

        var sources = draft.SourceCases.Select(s => s.CaseId).ToHashSet(StringComparer.Ordinal);
        var invented = rewrite.CitedCases.Where(id => !sources.Contains(id)).ToList();
        if (invented.Count > 0)
        {
            return new(null, $"The answer cites cases that are not sources of the draft: {string.Join(", ", invented)}.");
        }

        if (rewrite.CitedCases.Count == 0)
        {
            return new(null, "The answer cites no source case.");
        }

        return new(rewrite, null);
    }

    // Some local servers wrap JSON in a Markdown fence even when asked not to.
    private static string StripFence(string answer)
    {
        string trimmed = answer.Trim();
        if (!trimmed.StartsWith("```", StringComparison.Ordinal))
        {
            return trimmed;
        }

        int start = trimmed.IndexOf('\n', StringComparison.Ordinal);
        int end = trimmed.LastIndexOf("```", StringComparison.Ordinal);
        return start > 0 && end > start ? trimmed[(start + 1)..end] : trimmed;
    }
}
