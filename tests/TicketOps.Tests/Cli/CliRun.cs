using Spectre.Console;
using TicketOps.Cli;

namespace TicketOps.Tests.Cli;

/// <summary>Runs the real command line in-process and captures what it prints.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Error)
{
    public static async Task<CliRun> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(stdout),
        });
        console.Profile.Width = 200;
        int exitCode = await TicketOpsCli.RunAsync(args, new CliOutput(console, stdout, stderr, interactive: false));
        return new CliRun(exitCode, stdout.ToString(), stderr.ToString());
    }
}
