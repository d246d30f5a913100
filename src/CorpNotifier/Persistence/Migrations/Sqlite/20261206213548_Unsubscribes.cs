using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CorpNotifier.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Unsubscribes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "data_protection_keys",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    friendly_name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    xml = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_data_protection_keys", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "unsubscribes",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    address = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    category = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    unsubscribed_at = table.Column<long>(type: "INTEGER", nullable: false),
                    via = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    client_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    notice_id = table.Column<long>(type: "INTEGER", nullable: true),
                    kind = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    actor = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_unsubscribes", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_unsubscribes_address_category",
                table: "unsubscribes",
                columns: new[] { "address", "category" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_unsubscribes_client_id",
                table: "unsubscribes",
                column: "client_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "data_protection_keys");

            migrationBuilder.DropTable(
                name: "unsubscribes");
        }
    }
}
