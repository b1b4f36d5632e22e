using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace TicketOps.Core.Storage.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class QueueOwnership : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Customer",
                table: "cases",
                type: "text",
                maxLength: 200,
                nullable: true,
                collation: "C");

            migrationBuilder.AddColumn<string>(
                name: "Handoffs",
                table: "cases",
                type: "text",
                nullable: false,
                defaultValue: "[]",
                collation: "C");

            migrationBuilder.AddColumn<string>(
                name: "IncidentId",
                table: "cases",
                type: "text",
                maxLength: 200,
                nullable: true,
                collation: "C");

            migrationBuilder.CreateTable(
                name: "ownership_decisions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CaseId = table.Column<long>(type: "bigint", nullable: false),
                    Advised = table.Column<string>(type: "text", maxLength: 16, nullable: true, collation: "C"),
                    Chosen = table.Column<string>(type: "text", maxLength: 16, nullable: false, collation: "C"),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Actor = table.Column<string>(type: "text", maxLength: 200, nullable: false, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ownership_decisions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ownership_decisions_cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ownership_decisions_At",
                table: "ownership_decisions",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_ownership_decisions_CaseId",
                table: "ownership_decisions",
                column: "CaseId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ownership_decisions");

            migrationBuilder.DropColumn(
                name: "Customer",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "Handoffs",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "IncidentId",
                table: "cases");
        }
    }
}
