using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TicketOps.Core.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ThemeOpenCases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "OpenCaseIds",
                table: "mined_clusters",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "OpenCaseIds",
                table: "mined_clusters");
        }
    }
}
