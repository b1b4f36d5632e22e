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
                if (InnerOrSelf<DatabaseSettingException>(exception) is { } setting)
                {
                    output.Fail(setting.Message);

                    // A broken ticketops.json is bad input data; a bad --database value is a usage error.
                    return setting.InnerException is InvalidDataException ? ExitCodes.InvalidData : ExitCodes.Usage;
                }

                if (InnerOrSelf<DataDirectoryInUseException>(exception) is { } inUse)
                {
                    output.Fail(inUse.Message);
                    return ExitCodes.Refused;
                }

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
            config.AddCommand<MatchCommand>("match")
                .WithDescription("Match a ticket to playbooks, templates and similar resolved cases, with the reasons.")
                .WithExample("match", "\"SSO login fails with ERR_SAML_CLOCK_SKEW after IdP change\"")
                .WithExample("match", "-", "--product", "SSO/Auth", "--format", "json");
            config.AddBranch("index", index =>
            {
                index.SetDescription("Match index maintenance (BM25 + embeddings; derived from the database).");
                index.AddCommand<IndexRebuildCommand>("rebuild")
                    .WithDescription("Rebuild the match index from the database.")
                    .WithExample("index", "rebuild", "--data-dir", ".data/demo");
            });
            config.AddCommand<EvalCommand>("eval")
                .WithDescription("Measure matching quality on a data set folder (Recall@k, MRR; bm25, dense and hybrid side by side).")
                .WithExample("eval", "../shared/data/officedocs")
                .WithExample("eval", "../shared/data/gitbugs/hadoop", "--method", "hybrid", "--format", "json")
                .WithExample("eval", "../shared/data/officedocs", "--clusters", "--against", "category")
                .WithExample("eval", "../shared/data/gitbugs/seamonkey", "--tune");
            config.AddCommand<TuneCommand>("tune")
                .WithDescription("Learn the ranking from the organisation's own links, check it on the later period, and use it for matching when it pays.")
                .WithExample("tune", "--data-dir", ".data/demo")
                .WithExample("tune", "--dry-run", "--format", "json")
                .WithExample("tune", "--reset");
            config.AddCommand<MineCommand>("mine")
                .WithDescription("Mine resolved cases into candidate playbooks, update suggestions and investigation templates (review queue).")
                .WithExample("mine", "--data-dir", ".data/demo")
                .WithExample("mine", "--min-cases", "8", "--format", "json");
            config.AddCommand<ThemesCommand>("themes")
                .WithDescription("Recurring product-friction themes over time: volume, growth, escalation share, product areas.")
                .WithExample("themes", "--period", "month")
                .WithExample("themes", "--period", "week", "--periods", "26", "--format", "json");
            config.AddCommand<HelpGapsCommand>("help-gaps")
                .WithDescription("Help-article suggestions for knowledge owners: themes support solved by explaining (no engineering), with the customers' questions in their words.")
                .WithExample("help-gaps")
                .WithExample("help-gaps", "--format", "json", "--data-dir", ".data/demo");
            config.AddCommand<FeedbackReportCommand>("feedback-report")
                .WithDescription("Themes written up for the product team: friction, volume, customers, versions, engineering hours, rework, cases, workaround, open question.")
                .WithExample("feedback-report", "--theme", "cl-0123456789")
                .WithExample("feedback-report", "--from", "2026-06-01", "--to", "2026-12-01", "--format", "json", "--out", "feedback.json");
            config.AddBranch("knowledge", knowledge =>
            {
                knowledge.SetDescription("The Markdown knowledge folder.");
                knowledge.AddCommand<KnowledgeSyncCommand>("sync")
                    .WithDescription("Validate and load the knowledge folder; publish validated articles to matching.")
                    .WithExample("knowledge", "sync", "--folder", "knowledge");
            });
            config.AddBranch("review", review =>
            {
                review.SetDescription("Review mined candidates into knowledge: approve, edit, reject, merge; KCS states; audit log.");
                review.AddCommand<ReviewListCommand>("list")
                    .WithDescription("The review queue: draft candidates and update suggestions, oldest and largest first.")
                    .WithExample("review", "list")
                    .WithExample("review", "list", "--format", "json", "--data-dir", ".data/demo");
                review.AddCommand<ReviewShowCommand>("show")
                    .WithDescription("A candidate: its draft, source cases, and the knowledge it resembles side by side, with duplicate and contradiction warnings.")
                    .WithExample("review", "show", "12")
                    .WithExample("review", "show", "12", "--article");
                review.AddCommand<ReviewApproveCommand>("approve")
                    .WithDescription("Approve a candidate as a new playbook or template (written under --knowledge, indexed at once).")
                    .WithExample("review", "approve", "12", "--as", "alice")
                    .WithExample("review", "approve", "12", "--from", "draft.md", "--not-validated", "--as", "alice");
                review.AddCommand<ReviewRejectCommand>("reject")
                    .WithDescription("Reject a candidate with a reason; mining does not propose it again unless its cluster grows.")
                    .WithExample("review", "reject", "12", "--reason", "not a product issue", "--as", "alice");
                review.AddCommand<ReviewMergeCommand>("merge")
                    .WithDescription("Merge a candidate into an existing article (source cases added, version raised, re-indexed).")
                    .WithExample("review", "merge", "12", "--into", "PB-0003", "--as", "alice")
                    .WithExample("review", "merge", "12", "--into", "PB-0003", "--from", "PB-0003.edited.md", "--as", "alice");
                review.AddCommand<ReviewValidateCommand>("validate")
                    .WithDescription("Validate (publish) a draft or not-validated article.")
                    .WithExample("review", "validate", "PB-0009", "--as", "alice");
                review.AddCommand<ReviewArchiveCommand>("archive")
                    .WithDescription("Archive an article (removed from matching); optionally superseded by another.")
                    .WithExample("review", "archive", "PB-0002", "--reason", "fixed in 4.3", "--as", "alice")
                    .WithExample("review", "archive", "PB-0005", "--reason", "merged", "--superseded-by", "PB-0003", "--as", "alice");
                review.AddCommand<ReviewLogCommand>("log")
                    .WithDescription("The audit log of review decisions, newest first.")
                    .WithExample("review", "log")
                    .WithExample("review", "log", "--subject", "PB-0003", "--format", "json");
            });
            config.AddCommand<FeedbackCommand>("feedback")
                .WithDescription("Record what you did with a playbook or template on a case: used (links it), helped, did-not-help, flag, suggested.")
                .WithExample("feedback", "DEMO-000123", "PB-0001", "--kind", "used", "--as", "ana")
                .WithExample("feedback", "zendesk:48213", "PB-0004", "--kind", "flag", "--reason", "step 3 moved in v4.3", "--as", "ana");
            config.AddCommand<OutcomeCommand>("outcome")
                .WithDescription("Record a case's outcome; 'escalated' needs a complete escalation packet (see escalate).")
                .WithExample("outcome", "DEMO-000123", "solved", "--as", "ana")
                .WithExample("outcome", "DEMO-000123", "escalated", "--as", "ana", "--format", "json")
                .WithExample("outcome", "DEMO-000123", "returned", "--missing", "HAR file of the failing login", "--unclear-ownership", "--as", "eng-identity");
            config.AddCommand<RouteCommand>("route")
                .WithDescription("Record where you sent a case (frontline, l2, engineering, incident) beside the ownership advice its match gave.")
                .WithExample("route", "DEMO-000123", "--to", "l2", "--advised", "l2", "--as", "ana")
                .WithExample("route", "DEMO-000123", "--to", "engineering", "--advised", "none", "--as", "ana", "--format", "json");
            config.AddCommand<EscalateCommand>("escalate")
                .WithDescription("Write and check a case's escalation packet against its investigation template; exit 5 naming what is missing.")
                .WithExample("escalate", "DEMO-000123", "--hypothesis", "IdP clock drifted", "--question", "Why is skew rejected within 60 s?", "--impact", "40 users, no workaround", "--as", "ana")
                .WithExample("escalate", "DEMO-000123", "--template", "IT-0001", "--evidence", "Captured SAML response attached", "--hypothesis", "...", "--question", "...", "--impact", "...", "--as", "ana");
            config.AddBranch("flags", flags =>
            {
                flags.SetDescription("Open flags on knowledge (the owners' queue), and resolving them.");
                flags.SetDefaultCommand<FlagsCommand>();
                flags.AddExample("flags", "--owner", "identity-knowledge");
                flags.AddCommand<FlagResolveCommand>("resolve")
                    .WithDescription("Close an open flag once the knowledge is fixed.")
                    .WithExample("flags", "resolve", "12", "--as", "identity-knowledge");
            });
            config.AddCommand<ReportCommand>("report")
                .WithDescription("Support metrics per window, product area and team, with the counts behind each rate.")
                .WithExample("report", "--from", "2026-01-01", "--to", "2026-07-01", "--product", "SSO/Auth")
                .WithExample("report", "--format", "json", "--csv", "metrics.csv");
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
            config.AddBranch("keys", keys =>
            {
                keys.SetDescription("API keys for the HTTP API and the pages (one role each; only a hash is stored).");
                keys.AddCommand<KeysCreateCommand>("create")
                    .WithDescription("Create a key and print it once.")
                    .WithExample("keys", "create", "--role", "agent", "--name", "Ana (L2)")
                    .WithExample("keys", "create", "--role", "admin", "--name", "zendesk-webhook", "--format", "json");
                keys.AddCommand<KeysListCommand>("list")
                    .WithDescription("List keys: prefix, name, role, created, last used, revoked.")
                    .WithExample("keys", "list");
                keys.AddCommand<KeysRevokeCommand>("revoke")
                    .WithDescription("Revoke a key by id or prefix; requests and sessions with it are refused at once.")
                    .WithExample("keys", "revoke", "tko_AbCdEfGh");
            });
            config.AddCommand<BackupCommand>("backup")
                .WithDescription("Write a consistent copy of the database (also while 'ticketops serve' runs); index and vectors are rebuilt from it.")
                .WithExample("backup", "--out", "/backups/ticketops-2026-12-03.db")
                .WithExample("backup", "--data-dir", "/var/lib/ticketops", "--out", "ticketops.db", "--format", "json");
            config.AddCommand<RestoreCommand>("restore")
                .WithDescription("Restore a backup into an empty data directory (or --replace) and rebuild the match index from it.")
                .WithExample("restore", "/backups/ticketops-2026-12-03.db", "--data-dir", "/var/lib/ticketops")
                .WithExample("restore", "ticketops.db", "--data-dir", "/var/lib/ticketops", "--replace");
            config.AddCommand<DoctorCommand>("doctor")
                .WithDescription("Check the data directory, database, embedding model and index.")
                .WithExample("doctor");
            config.AddCommand<ServeCommand>("serve")
                .WithDescription("Run the web app and HTTP API (the default when no verb is given).")
                .WithExample("serve", "--urls", "http://127.0.0.1:5080");
        });

        return await app.RunAsync(args, cancellationToken);
    }

    // The server wraps a failed start (the matcher is opened by a hosted service) in its own exceptions.
    private static T? InnerOrSelf<T>(Exception? exception)
        where T : Exception
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is T found)
            {
                return found;
            }
        }

        return null;
    }
}
