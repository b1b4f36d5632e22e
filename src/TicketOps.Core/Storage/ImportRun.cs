namespace TicketOps.Core.Storage;

/// <summary>The record of one import, kept so an admin can see what came in, when, and what was refused.</summary>
public sealed class ImportRun
{
    /// <summary>Database key.</summary>
    public long Id { get; set; }

    /// <summary>The files read, separated by newlines.</summary>
    public required string Files { get; set; }

    /// <summary>Format the files were read as (csv, json, jsonl, zendesk, jira).</summary>
    public required string Format { get; set; }

    /// <summary>Start (UTC).</summary>
    public DateTime StartedAt { get; set; }

    /// <summary>Finish (UTC).</summary>
    public DateTime FinishedAt { get; set; }

    /// <summary>Records read.</summary>
    public int Read { get; set; }

    /// <summary>New cases stored.</summary>
    public int Inserted { get; set; }

    /// <summary>Existing cases whose content changed.</summary>
    public int Updated { get; set; }

    /// <summary>Records identical to what was stored.</summary>
    public int Unchanged { get; set; }

    /// <summary>Records refused (only with --skip-invalid; otherwise the import writes nothing).</summary>
    public int Rejected { get; set; }

    /// <summary>Records older (by their source <c>updated_at</c>) than the version stored, so not applied.</summary>
    public int Stale { get; set; }

    /// <summary>Where the rejected records were written, when there were any.</summary>
    public string? RejectsFile { get; set; }
}
