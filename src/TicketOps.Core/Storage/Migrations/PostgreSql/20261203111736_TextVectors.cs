using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TicketOps.Core.Storage.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class TextVectors : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "text_vectors",
                columns: table => new
                {
                    EncoderId = table.Column<string>(type: "text", maxLength: 96, nullable: false, collation: "C"),
                    TextHash = table.Column<string>(type: "text", maxLength: 64, nullable: false, collation: "C"),
                    Vector = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_text_vectors", x => new { x.EncoderId, x.TextHash });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "text_vectors");
        }
    }
}
