using Microsoft.Extensions.FileProviders;

namespace TicketOps.Web.Pages;

/// <summary>The server-rendered pages for agents, knowledge owners and leads, and their static files.</summary>
internal static class PagesSetup
{
    /// <summary>
    /// Registers Razor Pages (under <c>Web/Pages</c>). The services they call (the matcher, the feedback
    /// service, the database) are the app's, registered by <see cref="WebApp"/>.
    /// </summary>
    public static IServiceCollection AddTicketOpsPages(this IServiceCollection services)
    {
        // The app is also started from the test assembly, whose name is the default application name:
        // naming this assembly keeps the compiled pages discoverable however the host was started.
        services.AddRazorPages(options => options.RootDirectory = "/Web/Pages")
            .AddApplicationPart(typeof(PagesSetup).Assembly);
        services.AddAntiforgery(options => options.HeaderName = "RequestVerificationToken");
        services.AddScoped<Navigation>();
        services.AddTransient<IStartupFilter, StaticFilesFirst>();
        return services;
    }

    /// <summary>Maps the pages.</summary>
    public static WebApplication MapTicketOpsPages(this WebApplication app)
    {
        app.MapRazorPages();
        return app;
    }

    /// <summary>
    /// Serves the style sheet and the vendored scripts first in the pipeline, before authentication: the
    /// sign-in page needs them, and they hold nothing secret.
    /// </summary>
    private sealed class StaticFilesFirst : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            // wwwroot is copied beside the assembly, so the files are found whatever the content root is
            // (a checkout, a published folder, a test run).
            string webRoot = Path.Combine(AppContext.BaseDirectory, "wwwroot");
            if (Directory.Exists(webRoot))
            {
                app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(webRoot) });
            }

            next(app);
        };
    }
}
