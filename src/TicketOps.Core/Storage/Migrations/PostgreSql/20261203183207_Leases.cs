using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TicketOps.Core.Storage.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class Leases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "leases",
                columns: table => new
                {
                    Name = table.Column<string>(type: "text", maxLength: 64, nullable: false, collation: "C"),
                    Holder = table.Column<string>(type: "text", maxLength: 300, nullable: false, collation: "C"),
                    Token = table.Column<string>(type: "text", maxLength: 32, nullable: false, collation: "C"),
                    AcquiredAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_leases", x => x.Name);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "leases");
        }
    }
}
