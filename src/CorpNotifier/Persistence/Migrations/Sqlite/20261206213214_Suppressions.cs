using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CorpNotifier.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Suppressions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "suppression_soft_bounces",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    address_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_suppression_soft_bounces", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "suppressions",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    address = table.Column<string>(type: "TEXT", maxLength: 320, nullable: true),
                    address_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    reason = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    note = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    notice_id = table.Column<long>(type: "INTEGER", nullable: true),
                    client_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    created_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    erased_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_suppressions", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_suppression_soft_bounces_address_hash_at",
                table: "suppression_soft_bounces",
                columns: new[] { "address_hash", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_suppressions_address",
                table: "suppressions",
                column: "address");

            migrationBuilder.CreateIndex(
                name: "ix_suppressions_address_hash",
                table: "suppressions",
                column: "address_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_suppressions_client_id",
                table: "suppressions",
                column: "client_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "suppression_soft_bounces");

            migrationBuilder.DropTable(
                name: "suppressions");
        }
    }
}
