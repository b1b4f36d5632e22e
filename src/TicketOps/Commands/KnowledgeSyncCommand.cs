using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using TicketOps.Cli;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Matching;
using TicketOps.Core.Storage;

namespace TicketOps.Commands;

internal sealed class KnowledgeSyncSettings : TicketOpsSettings
{
    [CommandOption("--folder <DIR>")]
    [Description("The knowledge folder (Markdown playbooks and templates).")]
    [DefaultValue("knowledge")]
    public string Folder { get; init; } = "knowledge";

    public override ValidationResult Validate() =>
        Directory.Exists(Folder) ? base.Validate() : ValidationResult.Error($"{Folder}: no such folder; pass --folder DIR.");
}

/// <summary>Validates and loads hand-edited knowledge; a broken file is reported and changes nothing.</summary>
internal sealed class KnowledgeSyncCommand(CliOutput output, TimeProvider timeProvider) : AsyncCommand<KnowledgeSyncSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, KnowledgeSyncSettings settings, CancellationToken cancellationToken)
    {
        DataDirectory dataDirectory = settings.ResolveDataDirectory();
        if (MatchIndexLease.InUse(dataDirectory) is { } inUse)
        {
            // A sync stores the articles and then indexes them; refuse before writing anything.
            output.Fail(inUse);
            return ExitCodes.Refused;
        }

        await TicketOpsDatabase.MigrateAsync(dataDirectory, cancellationToken);
        (KnowledgeSyncResult result, int indexed) = await KnowledgeSync.RunAsync(output, dataDirectory, settings.Folder, timeProvider, cancellationToken);
        if (settings.Json)
        {
            output.WriteJson(new
            {
                result.Loaded,
                result.Updated,
                result.Unchanged,
                result.MissingFiles,
                Errors = result.Errors.Select(e => e.ToString()),
                Indexed = indexed,
            });
        }
        else
        {
            output.Line($"{settings.Folder}: {result.Loaded.Count} loaded, {result.Updated.Count} updated, {result.Unchanged.Count} unchanged, {result.Errors.Count} files with problems; {indexed} published articles indexed for matching.");
            foreach (string missing in result.MissingFiles)
            {
                output.Error.WriteLine($"warning: {missing} is in the database but its file is gone; archive it to retire it.");
            }
        }

        foreach (KnowledgeFileError error in result.Errors)
        {
            output.Error.WriteLine($"error: {error}");
        }

        return result.IsClean ? ExitCodes.Success : ExitCodes.InvalidData;
    }
}

/// <summary>Knowledge sync plus index update, shared by <c>knowledge sync</c> and <c>demo</c>.</summary>
internal static class KnowledgeSync
{
    public static async Task<(KnowledgeSyncResult Result, int Indexed)> RunAsync(CliOutput output, DataDirectory dataDirectory, string folder, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        await MatchIndex.BeginAsync(output, dataDirectory, "knowledge sync", timeProvider, cancellationToken);
        await using TicketOpsDbContext db = TicketOpsDatabase.CreateContext(dataDirectory);
        KnowledgeSyncResult result = await KnowledgeFolder.SyncAsync(folder, db, timeProvider, cancellationToken);
        string[] changed = [.. result.Loaded, .. result.Updated];
        if (changed.Length == 0)
        {
            IndexRepair.MarkDone(dataDirectory);
            return (result, 0);
        }

        using var embedder = new SentenceEmbedder();
        using MatchIndexLease lease = MatchIndexLease.Take(dataDirectory);
        using TicketMatcher matcher = TicketMatcher.Open(dataDirectory, embedder, vectorCache: StoredVectors.Of(dataDirectory));
        (int indexed, _) = await KnowledgeDocuments.UpdateAsync(db, matcher, changed, cancellationToken);
        IndexRepair.MarkDone(dataDirectory);
        return (result, indexed);
    }
}
