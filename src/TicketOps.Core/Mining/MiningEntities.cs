using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace TicketOps.Core.Mining;

/// <summary>A cluster's identity as stored across mining runs: what themes and rejected candidates hang on.</summary>
public sealed class MinedCluster
{
    /// <summary>Stable cluster id (see <see cref="CaseCluster.Id"/>).</summary>
    public required string Id { get; set; }

    /// <summary>Legend label from the latest run.</summary>
    public string Label { get; set; } = "";

    /// <summary>Member case ids from the latest run, most central first.</summary>
    public List<string> MemberCaseIds { get; set; } = [];

    /// <summary>
    /// Open cases of the latest run that resemble this cluster's cases (<see cref="OpenCaseAssigner"/>): counted
    /// by the themes report, never used for drafting, sizes or identities.
    /// </summary>
    public List<string> OpenCaseIds { get; set; } = [];

    /// <summary>Members in the latest run.</summary>
    public int Size { get; set; }

    /// <summary>Cohesion in the latest run.</summary>
    public double Cohesion { get; set; }

    /// <summary>First run that found it (UTC).</summary>
    public DateTime FirstSeenAt { get; set; }

    /// <summary>Latest run that found it (UTC).</summary>
    public DateTime LastSeenAt { get; set; }

    /// <summary>When a run no longer found it (merged away or its cases gone); null while alive.</summary>
    public DateTime? RetiredAt { get; set; }
}

/// <summary>Where a mined candidate is in review.</summary>
public enum CandidateState
{
    /// <summary>Waiting for a knowledge owner.</summary>
    Draft = 0,

    /// <summary>Approved and turned into knowledge.</summary>
    Approved = 1,

    /// <summary>Rejected; not proposed again for the same cluster unless it changes.</summary>
    Rejected = 2,

    /// <summary>No draft was made (the reason says why); kept so the decision is visible.</summary>
    Skipped = 3,

    /// <summary>Approved as a merge into an existing article (<see cref="MiningCandidate.KnowledgeId"/>).</summary>
    Merged = 4,
}

/// <summary>A stored candidate: the draft, rendered for review, and its provenance.</summary>
public sealed class MiningCandidate
{
    /// <summary>Database key.</summary>
    public long Id { get; set; }

    /// <summary>Cluster id (or area key for investigation templates).</summary>
    public required string ClusterId { get; set; }

    /// <summary>Kind of draft.</summary>
    public CandidateKind Kind { get; set; }

    /// <summary>Review state.</summary>
    public CandidateState State { get; set; }

    /// <summary>Proposed title.</summary>
    public string Title { get; set; } = "";

    /// <summary>The draft as Markdown, as a reviewer reads it.</summary>
    public string Markdown { get; set; } = "";

    /// <summary>The draft as JSON (every section with its counts), for the API and the LLM rewrite.</summary>
    public string DraftJson { get; set; } = "";

    /// <summary>Confidence 0..1.</summary>
    public double Confidence { get; set; }

    /// <summary>The validated LLM rewrite as JSON (<see cref="RewrittenCandidate"/>); null when the extractive draft stands.</summary>
    public string? RewriteJson { get; set; }

    /// <summary>What the optional LLM rewrite did: who rewrote it, or why the extractive draft stands; null when the rewrite is off.</summary>
    public string? RewriteNote { get; set; }

    /// <summary>Why there is no draft, or why an update instead of a new playbook; or the rejection reason.</summary>
    public string? Reason { get; set; }

    /// <summary>For update suggestions: the playbook to update.</summary>
    public string? TargetKnowledgeId { get; set; }

    /// <summary>The article the candidate became (approved) or was merged into (merged); null before review.</summary>
    public string? KnowledgeId { get; set; }

    /// <summary>Source case ids, most similar first.</summary>
    public List<string> SourceCaseIds { get; set; } = [];

    /// <summary>Cluster size when drafted: a rejected candidate is proposed again only if the cluster grows well past it.</summary>
    public int ClusterSizeAtDraft { get; set; }

    /// <summary>Created (UTC).</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>Last redrafted or reviewed (UTC).</summary>
    public DateTime UpdatedAt { get; set; }
}

internal sealed class MinedClusterConfiguration : IEntityTypeConfiguration<MinedCluster>
{
    public void Configure(EntityTypeBuilder<MinedCluster> builder)
    {
        builder.ToTable("mined_clusters");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).HasMaxLength(64);
        builder.Property(c => c.Label).HasMaxLength(300);
        builder.HasIndex(c => c.LastSeenAt);
    }
}

internal sealed class MiningCandidateConfiguration : IEntityTypeConfiguration<MiningCandidate>
{
    public void Configure(EntityTypeBuilder<MiningCandidate> builder)
    {
        builder.ToTable("mining_candidates");
        builder.Property(c => c.ClusterId).HasMaxLength(200);
        builder.Property(c => c.Kind).HasConversion<string>().HasMaxLength(32);
        // The state is the candidate's concurrency token: a decision (or a redraft) saves only if the state is still
        // the one it read, so two instances deciding on one candidate at once cannot both win (docs/storage.md).
        builder.Property(c => c.State).HasConversion<string>().HasMaxLength(16).IsConcurrencyToken();
        builder.Property(c => c.Title).HasMaxLength(500);
        builder.Property(c => c.TargetKnowledgeId).HasMaxLength(200);
        builder.Property(c => c.RewriteNote).HasMaxLength(1000);
        builder.Property(c => c.KnowledgeId).HasMaxLength(32);
        builder.HasIndex(c => new { c.ClusterId, c.Kind });
        builder.HasIndex(c => c.State);
    }
}
