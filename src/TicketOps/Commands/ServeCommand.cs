using System.ComponentModel;
using Spectre.Console.Cli;
using TicketOps.Cli;
using TicketOps.Web;

namespace TicketOps.Commands;

internal sealed class ServeSettings : TicketOpsSettings
{
    [CommandOption("--urls <URLS>")]
    [Description("Addresses to listen on, as in ASP.NET (e.g. http://127.0.0.1:5080). Default: ASPNETCORE_URLS or http://localhost:5000.")]
    public string? Urls { get; init; }
}

internal sealed class ServeCommand : AsyncCommand<ServeSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ServeSettings settings, CancellationToken cancellationToken)
    {
        // Anything after the known options (e.g. --Logging:LogLevel:Default=Debug) is ASP.NET configuration.
        WebApplication app = WebApp.Build([.. context.Remaining.Raw], settings.DataDir, settings.Urls, settings.Database);
        await app.RunAsync(cancellationToken);
        return ExitCodes.Success;
    }
}
