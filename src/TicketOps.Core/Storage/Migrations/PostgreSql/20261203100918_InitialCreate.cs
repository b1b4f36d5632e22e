using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace TicketOps.Core.Storage.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "api_keys",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "text", maxLength: 200, nullable: false, collation: "C"),
                    Role = table.Column<string>(type: "text", maxLength: 32, nullable: false, collation: "C"),
                    Prefix = table.Column<string>(type: "text", maxLength: 16, nullable: false, collation: "C"),
                    KeyHash = table.Column<string>(type: "text", maxLength: 64, nullable: false, collation: "C"),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LastUsedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    RevokedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_api_keys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "audit_log",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Actor = table.Column<string>(type: "text", maxLength: 200, nullable: false, collation: "C"),
                    Action = table.Column<string>(type: "text", maxLength: 32, nullable: false, collation: "C"),
                    CandidateId = table.Column<long>(type: "bigint", nullable: true),
                    KnowledgeId = table.Column<string>(type: "text", maxLength: 32, nullable: true, collation: "C"),
                    BeforeHash = table.Column<string>(type: "text", maxLength: 64, nullable: true, collation: "C"),
                    AfterHash = table.Column<string>(type: "text", maxLength: 64, nullable: true, collation: "C"),
                    Summary = table.Column<string>(type: "text", maxLength: 2000, nullable: false, collation: "C"),
                    Reason = table.Column<string>(type: "text", maxLength: 2000, nullable: true, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_log", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "cases",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Source = table.Column<string>(type: "text", maxLength: 64, nullable: false, collation: "C"),
                    ExternalId = table.Column<string>(type: "text", maxLength: 200, nullable: false, collation: "C"),
                    Title = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Description = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Product = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    Component = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    Version = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    Platform = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    Team = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    Status = table.Column<string>(type: "text", maxLength: 16, nullable: false, collation: "C"),
                    IsTechnical = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    AssignedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    FirstEvidenceAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    EscalatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ResolvedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    EvidenceSteps = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Cause = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    Resolution = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    EngineeringInvolved = table.Column<bool>(type: "boolean", nullable: false),
                    EscalationReturnedForMissingContext = table.Column<bool>(type: "boolean", nullable: false),
                    LinkedKnowledgeIds = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Comments = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Tags = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    ContentHash = table.Column<string>(type: "text", maxLength: 64, nullable: false, collation: "C"),
                    ImportedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cases", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "import_runs",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Files = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Format = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    FinishedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Read = table.Column<int>(type: "integer", nullable: false),
                    Inserted = table.Column<int>(type: "integer", nullable: false),
                    Updated = table.Column<int>(type: "integer", nullable: false),
                    Unchanged = table.Column<int>(type: "integer", nullable: false),
                    Rejected = table.Column<int>(type: "integer", nullable: false),
                    RejectsFile = table.Column<string>(type: "text", nullable: true, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_import_runs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "knowledge_articles",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", maxLength: 32, nullable: false, collation: "C"),
                    Type = table.Column<string>(type: "text", maxLength: 16, nullable: false, collation: "C"),
                    Title = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    State = table.Column<string>(type: "text", maxLength: 16, nullable: false, collation: "C"),
                    Owner = table.Column<string>(type: "text", maxLength: 200, nullable: false, collation: "C"),
                    ProductAreas = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    SourceCaseIds = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Created = table.Column<DateOnly>(type: "date", nullable: false),
                    Reviewed = table.Column<DateOnly>(type: "date", nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    TemplateId = table.Column<string>(type: "text", maxLength: 32, nullable: true, collation: "C"),
                    SupersededBy = table.Column<string>(type: "text", maxLength: 32, nullable: true, collation: "C"),
                    Sections = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    ContentHash = table.Column<string>(type: "text", maxLength: 64, nullable: false, collation: "C"),
                    SourcePath = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    LoadedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_knowledge_articles", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "mined_clusters",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", maxLength: 64, nullable: false, collation: "C"),
                    Label = table.Column<string>(type: "text", maxLength: 300, nullable: false, collation: "C"),
                    MemberCaseIds = table.Column<List<string>>(type: "text[]", nullable: false),
                    OpenCaseIds = table.Column<List<string>>(type: "text[]", nullable: false),
                    Size = table.Column<int>(type: "integer", nullable: false),
                    Cohesion = table.Column<double>(type: "double precision", nullable: false),
                    FirstSeenAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LastSeenAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    RetiredAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mined_clusters", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "mining_candidates",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ClusterId = table.Column<string>(type: "text", maxLength: 200, nullable: false, collation: "C"),
                    Kind = table.Column<string>(type: "text", maxLength: 32, nullable: false, collation: "C"),
                    State = table.Column<string>(type: "text", maxLength: 16, nullable: false, collation: "C"),
                    Title = table.Column<string>(type: "text", maxLength: 500, nullable: false, collation: "C"),
                    Markdown = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    DraftJson = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Confidence = table.Column<double>(type: "double precision", nullable: false),
                    RewriteJson = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    RewriteNote = table.Column<string>(type: "text", maxLength: 1000, nullable: true, collation: "C"),
                    Reason = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    TargetKnowledgeId = table.Column<string>(type: "text", maxLength: 200, nullable: true, collation: "C"),
                    KnowledgeId = table.Column<string>(type: "text", maxLength: 32, nullable: true, collation: "C"),
                    SourceCaseIds = table.Column<List<string>>(type: "text[]", nullable: false),
                    ClusterSizeAtDraft = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mining_candidates", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "case_outcomes",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CaseId = table.Column<long>(type: "bigint", nullable: false),
                    Outcome = table.Column<string>(type: "text", maxLength: 32, nullable: false, collation: "C"),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    RecordedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Actor = table.Column<string>(type: "text", maxLength: 200, nullable: false, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_case_outcomes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_case_outcomes_cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "escalation_packets",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CaseId = table.Column<long>(type: "bigint", nullable: false),
                    TemplateId = table.Column<string>(type: "text", maxLength: 32, nullable: true, collation: "C"),
                    PacketJson = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    IsComplete = table.Column<bool>(type: "boolean", nullable: false),
                    Missing = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    CreatedBy = table.Column<string>(type: "text", maxLength: 200, nullable: false, collation: "C"),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_escalation_packets", x => x.Id);
                    table.ForeignKey(
                        name: "FK_escalation_packets_cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "knowledge_events",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CaseId = table.Column<long>(type: "bigint", nullable: false),
                    KnowledgeId = table.Column<string>(type: "text", maxLength: 32, nullable: false, collation: "C"),
                    Kind = table.Column<string>(type: "text", maxLength: 16, nullable: false, collation: "C"),
                    Reason = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Actor = table.Column<string>(type: "text", maxLength: 200, nullable: false, collation: "C"),
                    ResolvedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ResolvedBy = table.Column<string>(type: "text", maxLength: 200, nullable: true, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_knowledge_events", x => x.Id);
                    table.ForeignKey(
                        name: "FK_knowledge_events_cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_knowledge_events_knowledge_articles_KnowledgeId",
                        column: x => x.KnowledgeId,
                        principalTable: "knowledge_articles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_api_keys_Prefix",
                table: "api_keys",
                column: "Prefix",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_audit_log_At",
                table: "audit_log",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_audit_log_CandidateId",
                table: "audit_log",
                column: "CandidateId");

            migrationBuilder.CreateIndex(
                name: "IX_audit_log_KnowledgeId",
                table: "audit_log",
                column: "KnowledgeId");

            migrationBuilder.CreateIndex(
                name: "IX_case_outcomes_CaseId",
                table: "case_outcomes",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_cases_CreatedAt",
                table: "cases",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_cases_Product",
                table: "cases",
                column: "Product");

            migrationBuilder.CreateIndex(
                name: "IX_cases_ResolvedAt",
                table: "cases",
                column: "ResolvedAt");

            migrationBuilder.CreateIndex(
                name: "IX_cases_Source_ExternalId",
                table: "cases",
                columns: new[] { "Source", "ExternalId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_escalation_packets_CaseId_CreatedAt",
                table: "escalation_packets",
                columns: new[] { "CaseId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_import_runs_StartedAt",
                table: "import_runs",
                column: "StartedAt");

            migrationBuilder.CreateIndex(
                name: "IX_knowledge_articles_Owner",
                table: "knowledge_articles",
                column: "Owner");

            migrationBuilder.CreateIndex(
                name: "IX_knowledge_articles_State",
                table: "knowledge_articles",
                column: "State");

            migrationBuilder.CreateIndex(
                name: "IX_knowledge_events_At",
                table: "knowledge_events",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_knowledge_events_CaseId_Kind",
                table: "knowledge_events",
                columns: new[] { "CaseId", "Kind" });

            migrationBuilder.CreateIndex(
                name: "IX_knowledge_events_KnowledgeId_Kind",
                table: "knowledge_events",
                columns: new[] { "KnowledgeId", "Kind" });

            migrationBuilder.CreateIndex(
                name: "IX_mined_clusters_LastSeenAt",
                table: "mined_clusters",
                column: "LastSeenAt");

            migrationBuilder.CreateIndex(
                name: "IX_mining_candidates_ClusterId_Kind",
                table: "mining_candidates",
                columns: new[] { "ClusterId", "Kind" });

            migrationBuilder.CreateIndex(
                name: "IX_mining_candidates_State",
                table: "mining_candidates",
                column: "State");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "api_keys");

            migrationBuilder.DropTable(
                name: "audit_log");

            migrationBuilder.DropTable(
                name: "case_outcomes");

            migrationBuilder.DropTable(
                name: "escalation_packets");

            migrationBuilder.DropTable(
                name: "import_runs");

            migrationBuilder.DropTable(
                name: "knowledge_events");

            migrationBuilder.DropTable(
                name: "mined_clusters");

            migrationBuilder.DropTable(
                name: "mining_candidates");

            migrationBuilder.DropTable(
                name: "cases");

            migrationBuilder.DropTable(
                name: "knowledge_articles");
        }
    }
}
