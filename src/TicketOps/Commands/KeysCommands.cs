using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using TicketOps.Cli;
using TicketOps.Core.Access;
using TicketOps.Core.Storage;
using TicketOps.Web.Access;

namespace TicketOps.Commands;

internal sealed class KeysCreateSettings : TicketOpsSettings
{
    [CommandOption("--role <ROLE>")]
    [Description("agent, knowledge-owner, lead or admin.")]
    public string? Role { get; init; }

    [CommandOption("--name <NAME>")]
    [Description("Who or what the key is for (a person, an integration).")]
    public string? Name { get; init; }

    public override ValidationResult Validate() =>
        Role is null || !AccessRoles.All.Contains(Role)
            ? ValidationResult.Error($"--role must be one of {string.Join(", ", AccessRoles.All)}{(Role is null ? "" : $", not '{Role}'")}.")
            : string.IsNullOrWhiteSpace(Name) ? ValidationResult.Error("--name is required: say who or what the key is for.")
            : Name.Length > 200 ? ValidationResult.Error("--name must be at most 200 characters.")
            : base.Validate();
}

internal sealed class KeysRevokeSettings : TicketOpsSettings
{
    [CommandArgument(0, "<ID|PREFIX>")]
    [Description("The key's id or prefix, as 'keys list' shows them.")]
    public string Key { get; init; } = "";
}

internal static class KeyDatabase
{
    public static async Task<TicketOpsDbContext> OpenAsync(TicketOpsSettings settings, CancellationToken cancellationToken)
    {
        DataDirectory dataDirectory = settings.ResolveDataDirectory();
        await TicketOpsDatabase.MigrateAsync(dataDirectory, cancellationToken);
        return TicketOpsDatabase.CreateContext(dataDirectory);
    }
}

/// <summary>Creates an API key and prints it once; only its hash is stored.</summary>
internal sealed class KeysCreateCommand(CliOutput output, TimeProvider timeProvider) : AsyncCommand<KeysCreateSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, KeysCreateSettings settings, CancellationToken cancellationToken)
    {
        await using TicketOpsDbContext db = await KeyDatabase.OpenAsync(settings, cancellationToken);
        CreatedApiKey created = await new ApiKeyStore(db, timeProvider).CreateAsync(settings.Name!, settings.Role!, cancellationToken);
        if (settings.Json)
        {
            output.WriteJson(new { created.Key.Id, created.Key.Name, created.Key.Role, created.Key.Prefix, Key = created.PlainKey, created.Key.CreatedAt });
            return ExitCodes.Success;
        }

        output.Line($"Created key {created.Key.Id} ({created.Key.Prefix}) for {created.Key.Name}, role {created.Key.Role}.");
        output.Line("Store it now; it is not shown again:");
        output.Line(created.PlainKey);
        return ExitCodes.Success;
    }
}

/// <summary>Lists API keys (never the keys themselves: only their prefixes are stored in the clear).</summary>
internal sealed class KeysListCommand(CliOutput output, TimeProvider timeProvider) : AsyncCommand<TicketOpsSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, TicketOpsSettings settings, CancellationToken cancellationToken)
    {
        await using TicketOpsDbContext db = await KeyDatabase.OpenAsync(settings, cancellationToken);
        IReadOnlyList<ApiKey> keys = await new ApiKeyStore(db, timeProvider).ListAsync(cancellationToken);
        if (settings.Json)
        {
            output.WriteJson(keys.Select(k => new { k.Id, k.Name, k.Role, k.Prefix, k.CreatedAt, k.LastUsedAt, k.RevokedAt }));
            return ExitCodes.Success;
        }

        var table = new Table().AddColumns("id", "prefix", "name", "role", "created", "last used", "revoked");
        foreach (ApiKey key in keys)
        {
            table.AddRow(
                key.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                key.Prefix,
                Markup.Escape(key.Name),
                key.Role,
                $"{key.CreatedAt:yyyy-MM-dd HH:mm}",
                key.LastUsedAt is { } used ? $"{used:yyyy-MM-dd HH:mm}" : "never",
                key.RevokedAt is { } revoked ? $"{revoked:yyyy-MM-dd HH:mm}" : "");
        }

        output.Console.Write(table);
        return ExitCodes.Success;
    }
}

/// <summary>Revokes an API key: requests with it are refused at once, and sessions made with it end.</summary>
internal sealed class KeysRevokeCommand(CliOutput output, TimeProvider timeProvider) : AsyncCommand<KeysRevokeSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, KeysRevokeSettings settings, CancellationToken cancellationToken)
    {
        await using TicketOpsDbContext db = await KeyDatabase.OpenAsync(settings, cancellationToken);
        ApiKey? key = await new ApiKeyStore(db, timeProvider).RevokeAsync(settings.Key, cancellationToken);
        if (key is null)
        {
            output.Fail($"no key with id or prefix '{settings.Key}'; 'ticketops keys list' shows them.");
            return ExitCodes.Failure;
        }

        if (settings.Json)
        {
            output.WriteJson(new { key.Id, key.Name, key.Role, key.Prefix, key.RevokedAt });
        }
        else
        {
            output.Line($"Revoked key {key.Id} ({key.Prefix}) of {key.Name} at {key.RevokedAt:u}.");
        }

        return ExitCodes.Success;
    }
}
