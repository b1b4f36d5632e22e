using Spectre.Console.Cli;
using TicketOps.Cli;
using TicketOps.Core.Storage;

namespace TicketOps.Commands;

internal sealed class DbMigrateCommand(CliOutput output) : AsyncCommand<TicketOpsSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, TicketOpsSettings settings, CancellationToken cancellationToken)
    {
        DataDirectory dataDirectory = settings.ResolveDataDirectory();
        IReadOnlyList<string> applied = await TicketOpsDatabase.MigrateAsync(dataDirectory, cancellationToken);
        if (settings.Json)
        {
            output.WriteJson(new { Database = dataDirectory.Database.Description, Applied = applied });
        }
        else
        {
            output.Line(applied.Count == 0
                ? $"{dataDirectory.Database.Description}: up to date."
                : $"{dataDirectory.Database.Description}: applied {string.Join(", ", applied)}.");
        }

        return ExitCodes.Success;
    }
}
