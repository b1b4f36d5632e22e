using TicketOps.Core.Mining;
using TicketOps.Core.Notifications;
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
    public const string DatabaseKey = "TicketOps:Database";
    public const string WebhooksSection = "TicketOps:Webhooks";

    public static string PathIn(DataDirectory dataDirectory) => Path.Combine(dataDirectory.Root, FileName);

    /// <summary>The configuration, or the problem with the file (naming it, with the line where it breaks).</summary>
    public static (IConfiguration Configuration, string? Problem) Load(DataDirectory dataDirectory)
    {
        try
        {
            return (new ConfigurationBuilder()
                .AddJsonFile(PathIn(dataDirectory), optional: true, reloadOnChange: false)
                .AddEnvironmentVariables()
                .Build(), null);
        }
        catch (InvalidDataException exception)
        {
            // The JSON provider wraps the parser's error (which has the line and position) in its own.
            string detail = exception.InnerException?.Message ?? exception.Message;
            return (new ConfigurationBuilder().AddEnvironmentVariables().Build(), $"{PathIn(dataDirectory)}: not a valid JSON settings file ({detail}). Fix it or remove it; see README \"Configuration\".");
        }
        catch (FormatException exception)
        {
            // A key given twice with different letter case ends here.
            return (new ConfigurationBuilder().AddEnvironmentVariables().Build(), $"{PathIn(dataDirectory)}: {exception.Message}");
        }
    }

    /// <summary>
    /// The data directory with its database: <paramref name="explicitValue"/> (<c>--database</c>), else
    /// <c>TICKETOPS_DATABASE</c>, else <c>TicketOps:Database</c> (ticketops.json or <c>TicketOps__Database</c>),
    /// else the SQLite file in the directory.
    /// </summary>
    /// <exception cref="DatabaseSettingException">The setting cannot be read.</exception>
    public static DataDirectory ResolveDatabase(DataDirectory dataDirectory, string? explicitValue, string? configuredValue = null)
    {
        try
        {
            if (configuredValue is null)
            {
                (IConfiguration configuration, string? problem) = Load(dataDirectory);
                if (problem is not null)
                {
                    throw new DatabaseSettingException(problem, new InvalidDataException(problem));
                }

                configuredValue = configuration[DatabaseKey];
            }

            return dataDirectory.WithDatabase(DatabaseLocation.Resolve(explicitValue, configuredValue, dataDirectory.DatabasePath));
        }
        catch (FormatException exception)
        {
            throw new DatabaseSettingException(
                $"{exception.Message} (from --database, {DatabaseLocation.EnvironmentVariable} or {DatabaseKey} in {PathIn(dataDirectory)})", exception);
        }
    }

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

    /// <summary>The outbound webhook settings, or the problem with them (naming the file and key).</summary>
    public static (WebhookOptions Options, string? Problem) Webhooks(IConfiguration configuration, DataDirectory dataDirectory)
    {
        WebhookOptions options;
        try
        {
            options = configuration.GetSection(WebhooksSection).Get<WebhookOptions>() ?? new WebhookOptions();
        }
        catch (InvalidOperationException exception)
        {
            return (new WebhookOptions(), $"{PathIn(dataDirectory)}: {WebhooksSection}: {exception.Message}");
        }

        return options.Problem() is { } problem ? (options, $"{PathIn(dataDirectory)}: {WebhooksSection}: {problem}") : (options, null);
    }
}

/// <summary>The database setting cannot be read; the message says which setting and what to write instead.</summary>
internal sealed class DatabaseSettingException(string message, Exception innerException) : Exception(message, innerException);
