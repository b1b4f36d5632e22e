using System.ComponentModel.DataAnnotations;

namespace TicketOps.Web;

/// <summary>The web app's settings (section <c>TicketOps</c>), bound and validated at start.</summary>
internal sealed class TicketOpsWebOptions : IValidatableObject
{
    public const string Section = "TicketOps";

    /// <summary>Data directory (database, index, embeddings); <c>--data-dir</c> wins over it.</summary>
    public string? DataDir { get; set; }

    /// <summary>
    /// The database: a SQLite file, or a PostgreSQL connection string or URL; <c>--database</c> and
    /// <c>TICKETOPS_DATABASE</c> win over it. Unset: the SQLite file in the data directory.
    /// </summary>
    public string? Database { get; set; }

    /// <summary>The Markdown knowledge folder, loaded into the database and the match index at start; none when unset.</summary>
    public string? KnowledgeDir { get; set; }

    /// <summary>
    /// True with several instances: the knowledge folder is an export of the database (written at start and as
    /// changes arrive, never loaded back), and decisions overwrite the files in it. False (one instance): the folder
    /// is the source, loaded into the database at start, and a file edited by hand is never overwritten.
    /// </summary>
    public bool KnowledgeDirIsExport { get; set; }

    /// <summary>Largest request body in bytes (1 MiB: a ticket, a case or a webhook is a few kilobytes).</summary>
    [Range(1_024, 64 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest <c>POST /api/cases/batch</c> body in bytes (32 MiB, bounded: it is held in memory and written in one transaction).</summary>
    [Range(1_024, 512L * 1024 * 1024)]
    public long MaxBatchBodyBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>Most cases in one batch; larger loads belong to <c>ticketops import</c>.</summary>
    [Range(1, 100_000)]
    public int MaxBatchCases { get; set; } = 5_000;

    /// <summary>
    /// How often the server reads the database's change log into its match index (seconds): what other instances
    /// and CLI runs changed becomes matchable here within about this long (docs/storage.md).
    /// </summary>
    [Range(0.05, 3600)]
    public double ChangeFeedPollSeconds { get; set; } = 5;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (KnowledgeDir is { Length: > 0 } folder && !Directory.Exists(folder))
        {
            yield return new ValidationResult(
                $"TicketOps:KnowledgeDir '{folder}' does not exist; create it, point the setting at your knowledge folder or remove the setting.",
                [nameof(KnowledgeDir)]);
        }

        if (MaxBatchBodyBytes < MaxRequestBodyBytes)
        {
            yield return new ValidationResult("TicketOps:MaxBatchBodyBytes must be at least MaxRequestBodyBytes.", [nameof(MaxBatchBodyBytes)]);
        }
    }
}
