using TicketOps.Core.Mining;
using TicketOps.Core.Storage;

namespace TicketOps.Cli;

/// <summary>
/// The one configuration file: <c>ticketops.json</c> in the data directory (optional), overridable by
/// environment variables in the ASP.NET convention (<c>TicketOps__Llm__Model=...</c>). The CLI and the web
/// app read the same keys under the <c>TicketOps</c> section.
/// </summary>
internal static class ConfigFile
{
    public const string FileName = "ticketops.json";
    public const string LlmSection = "TicketOps:Llm";

    public static string PathIn(DataDirectory dataDirectory) => Path.Combine(dataDirectory.Root, FileName);

    public static IConfiguration Load(DataDirectory dataDirectory) =>
        new ConfigurationBuilder()
            .AddJsonFile(PathIn(dataDirectory), optional: true, reloadOnChange: false)
            .AddEnvironmentVariables()
            .Build();

    /// <summary>The LLM rewrite settings, or the problem with them (naming the file and key).</summary>
    public static (CandidateRewriteOptions Options, string? Problem) Llm(IConfiguration configuration, DataDirectory dataDirectory)
    {
        CandidateRewriteOptions options;
        try
        {
            options = configuration.GetSection(LlmSection).Get<CandidateRewriteOptions>() ?? new CandidateRewriteOptions();
        }
        catch (InvalidOperationException exception)
        {
            return (new CandidateRewriteOptions(), $"{PathIn(dataDirectory)}: {LlmSection}: {exception.Message}");
        }

        if (!options.Enabled)
        {
            return (options, null);
        }

        string? problem = options switch
        {
            { Endpoint: null } => "Endpoint is missing; set it to an OpenAI-compatible base URL such as http://localhost:11434/v1.",
            { Endpoint.IsAbsoluteUri: false } => $"Endpoint '{options.Endpoint}' is not an absolute URL.",
            { Model: "" or null } => "Model is missing; set it to the model name the endpoint serves.",
            { MaxAttempts: < 1 or > 5 } => "MaxAttempts must be between 1 and 5.",
            _ when options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromMinutes(10) => "Timeout must be between 00:00:01 and 00:10:00.",
            _ => null,
        };
        return (options, problem is null ? null : $"{PathIn(dataDirectory)}: {LlmSection}: {problem}");
    }
}
