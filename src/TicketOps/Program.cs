using TicketOps.Cli;

// No verb means `serve`: that is what a container, a service unit and WebApplicationFactory all expect.
return await TicketOpsCli.RunAsync(args.Length == 0 ? ["serve"] : args, CliOutput.FromConsole());
