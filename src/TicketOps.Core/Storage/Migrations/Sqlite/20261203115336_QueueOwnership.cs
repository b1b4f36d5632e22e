using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TicketOps.Core.Storage.Migrations.Sqlite
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
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Handoffs",
                table: "cases",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]" /* cases stored before handoffs were recorded have none */);

            migrationBuilder.AddColumn<string>(
                name: "IncidentId",
                table: "cases",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ownership_decisions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CaseId = table.Column<long>(type: "INTEGER", nullable: false),
                    Advised = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    Chosen = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false)
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
