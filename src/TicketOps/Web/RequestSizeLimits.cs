using Microsoft.AspNetCore.Http.Metadata;

namespace TicketOps.Web;

/// <summary>
/// Refuses a body larger than its endpoint accepts before anything reads it: 413 with ProblemDetails. Kestrel
/// enforces the same limits on the bytes it reads (chunked bodies too); this answers early and clearly
/// when the client declared the length, and also applies under hosts without Kestrel's limit (tests).
/// </summary>
internal static class RequestSizeLimits
{
    public static WebApplication UseRequestSizeLimits(this WebApplication app, TicketOpsWebOptions options)
    {
        app.Use(async (context, next) =>
        {
            long limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? options.MaxRequestBodyBytes;
            if (context.Request.ContentLength is { } length && length > limit)
            {
                await ProblemResponses.WriteAsync(
                    context,
                    StatusCodes.Status413PayloadTooLarge,
                    "Request body too large",
                    $"The body has {length:N0} bytes; this endpoint accepts at most {limit:N0}. Send fewer cases per request, or use 'ticketops import' for a bulk load.");
                return;
            }

            await next(context);
        });
        return app;
    }
}
