using TicketOps.Cli;
using TicketOps.Web;

// No verb means `serve`: that is what a container, a service unit and WebApplicationFactory (which passes
// host switches such as --environment=Development) all expect.
if (args.Length == 0 || (args[0].StartsWith("--", StringComparison.Ordinal) && args[0] is not ("--help" or "--version")))
{
    await WebApp.Build(args, dataDir: null, urls: null).RunAsync();
    return ExitCodes.Success;
}

return await TicketOpsCli.RunAsync(args, CliOutput.FromConsole());
