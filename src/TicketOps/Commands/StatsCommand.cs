using Spectre.Console;
using Spectre.Console.Cli;
using TicketOps.Cli;
using TicketOps.Core.Cases;
using TicketOps.Core.Storage;

namespace TicketOps.Commands;

internal sealed class StatsCommand(CliOutput output) : AsyncCommand<TicketOpsSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, TicketOpsSettings settings, CancellationToken cancellationToken)
    {
        DataDirectory dataDirectory = settings.ResolveDataDirectory();
        await TicketOpsDatabase.MigrateAsync(dataDirectory, cancellationToken);
        await using TicketOpsDbContext db = TicketOpsDatabase.CreateContext(dataDirectory);
        IReadOnlyList<CaseVolume> rows = await CaseVolume.ByProductAsync(db, cancellationToken);
        if (settings.Json)
        {
            output.WriteJson(rows);
            return ExitCodes.Success;
        }

        output.Console.Write(CaseVolumeTable(rows));
        return ExitCodes.Success;
    }

    internal static Table CaseVolumeTable(IReadOnlyList<CaseVolume> rows)
    {
        var table = new Table().Title("Cases by product area")
            .AddColumns("product area", "cases", "resolved", "open", "escalated", "returned for context", "median hours to first evidence");
        foreach (CaseVolume row in rows)
        {
            table.AddRow(
                Markup.Escape(row.Product), $"{row.Cases:N0}", $"{row.Resolved:N0}", $"{row.Open:N0}", $"{row.Escalated:N0}",
                $"{row.ReturnedForContext:N0}", row.MedianHoursToFirstEvidence is { } hours ? $"{hours:N1}" : "n/a");
        }

        return table;
    }
}
