using Microsoft.Extensions.DependencyInjection;
using Spectre.Console.Cli;
using TicketOps.Commands;

namespace TicketOps.Cli;

/// <summary>The <c>ticketops</c> command line: every verb, its description and an example.</summary>
internal static class TicketOpsCli
{
    public static async Task<int> RunAsync(string[] args, CliOutput output, CancellationToken cancellationToken = default)
    {
        var services = new ServiceCollection();
        services.AddSingleton(output);
        services.AddSingleton(TimeProvider.System);
        var app = new CommandApp(new TypeRegistrar(services));
        app.Configure(config =>
        {
            config.SetApplicationName("ticketops");
            config.ConfigureConsole(output.Console);
            config.SetExceptionHandler((exception, _) =>
            {
                output.Fail(exception is CommandParseException or CommandRuntimeException ? exception.Message : exception.ToString());
                return exception is CommandParseException or CommandRuntimeException ? ExitCodes.Usage : ExitCodes.Failure;
            });

            config.AddCommand<DemoCommand>("demo")
                .WithDescription("Generate the synthetic demo data set into a fresh data directory and run the pipeline on it.")
                .WithExample("demo")
                .WithExample("demo", "--cases", "5000", "--seed", "7", "--data-dir", "/tmp/ticketops-demo");
            config.AddCommand<ImportCommand>("import")
                .WithDescription("Import cases from CSV, JSON, JSONL, Zendesk or Jira exports (one transaction; upsert by source and id).")
                .WithExample("import", "tickets.csv", "--mapping", "helpdesk-mapping.json")
                .WithExample("import", "zendesk-tickets.json", "--skip-invalid")
                .WithExample("import", "export.csv", "--map", "title=Subject", "--map", "external_id=Ticket ID");
            config.AddCommand<GenerateCommand>("generate")
                .WithDescription("Write the synthetic demo data set (JSON lines) for a fictional SaaS product.")
                .WithExample("generate", "--cases", "3000", "--seed", "42", "--out", "demo-cases.jsonl");
            config.AddCommand<StatsCommand>("stats")
                .WithDescription("Summarise the stored cases by product area.")
                .WithExample("stats", "--format", "json");
            config.AddBranch("db", db =>
            {
                db.SetDescription("Database maintenance.");
                db.AddCommand<DbMigrateCommand>("migrate")
                    .WithDescription("Apply pending database migrations (also done at every start).")
                    .WithExample("db", "migrate", "--data-dir", "/var/lib/ticketops");
            });
            config.AddCommand<DoctorCommand>("doctor")
                .WithDescription("Check the data directory, database, embedding model and index.")
                .WithExample("doctor");
            config.AddCommand<ServeCommand>("serve")
                .WithDescription("Run the web app and HTTP API (the default when no verb is given).")
                .WithExample("serve", "--urls", "http://127.0.0.1:5080");
        });

        return await app.RunAsync(args, cancellationToken);
    }
}
