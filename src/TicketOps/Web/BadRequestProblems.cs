using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace TicketOps.Web;

/// <summary>
/// A body or query parameter that cannot be bound is the client's mistake: answered with a 400 (or 413/415)
/// ProblemDetails naming the field, and logged as information, never as an unhandled exception. Minimal APIs
/// only throw for such requests when <c>ThrowOnBadRequest</c> is set (outside Development they answer an empty
/// 400 otherwise); the app sets it everywhere so that the answer always says what to fix.
/// </summary>
internal static partial class BadRequestProblems
{
    public static IServiceCollection AddBadRequestProblems(this IServiceCollection services) =>
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);

    public static WebApplication UseBadRequestProblems(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (BadHttpRequestException bad) when (!context.Response.HasStarted)
            {
                (string field, string message) = Describe(bad);
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BadRequestProblems))
                    .LogInformation("Refused {Method} {Path}: {Field}: {Message}", context.Request.Method, context.Request.Path, field, message);
                context.Response.Clear();
                if (bad.StatusCode == StatusCodes.Status400BadRequest)
                {
                    await TypedResults.ValidationProblem(
                        new Dictionary<string, string[]> { [field] = [message] },
                        detail: "Nothing was stored; fix the field named in errors and send the request again.").ExecuteAsync(context);
                }
                else
                {
                    await ProblemResponses.WriteAsync(context, bad.StatusCode, bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request body too large" : "Bad request",
                        bad.StatusCode == StatusCodes.Status413PayloadTooLarge
                            ? "The request body is larger than this endpoint accepts (TicketOps:MaxRequestBodyBytes, MaxBatchBodyBytes)."
                            : message);
                }
            }
        });
        return app;
    }

    /// <summary>The field at fault (a JSON path without <c>$.</c>, a parameter name, or <c>body</c>) and what was wrong.</summary>
    internal static (string Field, string Message) Describe(BadHttpRequestException bad)
    {
        for (Exception? inner = bad.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is JsonException json)
            {
                string field = json.Path is null or "$" ? "body" : json.Path.StartsWith("$.", StringComparison.Ordinal) ? json.Path[2..] : json.Path;
                string position = json.LineNumber is { } line ? $" (line {line + 1}, byte {json.BytePositionInLine + 1})" : "";
                return (field, $"{FirstSentence(json.Message)}{position}");
            }
        }

        Match parameter = ParameterName().Match(bad.Message);
        return bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase) && !parameter.Success
            ? ("body", bad.Message)
            : (parameter.Success ? SnakeCase(parameter.Groups["name"].Value) : "body", bad.Message);
    }

    private static string FirstSentence(string message)
    {
        // System.Text.Json appends its own path and position after the first sentence; they are given separately.
        int end = message.IndexOf(" Path: ", StringComparison.Ordinal);
        return end < 0 ? message : message[..end];
    }

    private static string SnakeCase(string name) => JsonNamingPolicy.SnakeCaseLower.ConvertName(name);

    [GeneratedRegex("""parameter "(?:[^"]* )?(?<name>\w+)" """)]
    private static partial Regex ParameterName();
}
