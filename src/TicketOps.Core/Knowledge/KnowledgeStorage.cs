using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TicketOps.Core.Storage;

namespace TicketOps.Core.Knowledge;

/// <summary>Maps <see cref="KnowledgeArticle"/> to the <c>knowledge_articles</c> table.</summary>
internal sealed class KnowledgeArticleConfiguration : IEntityTypeConfiguration<KnowledgeArticle>
{
    public void Configure(EntityTypeBuilder<KnowledgeArticle> builder)
    {
        builder.ToTable("knowledge_articles");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).HasMaxLength(32);
        builder.Property(a => a.Type).HasConversion<string>().HasMaxLength(16);
        builder.Property(a => a.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(a => a.Owner).HasMaxLength(200);
        builder.Property(a => a.TemplateId).HasMaxLength(32);
        builder.Property(a => a.SupersededBy).HasMaxLength(32);
        // Every change of an article changes its hash (state, sections, version are all in it), so the hash is its
        // concurrency token: a decision saves only over the version it read (docs/storage.md, several instances).
        builder.Property(a => a.ContentHash).HasMaxLength(64).IsConcurrencyToken();
        builder.Property(a => a.ProductAreas).AsJsonColumn();
        builder.Property(a => a.SourceCaseIds).AsJsonColumn();
        builder.Property(a => a.Sections).AsJsonColumn();
        builder.HasIndex(a => a.Owner);
        builder.HasIndex(a => a.State);
    }
}
