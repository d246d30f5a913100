using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CorpNotifier.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Deliveries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "delivery_webhooks",
                columns: table => new
                {
                    webhook_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    received_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_delivery_webhooks", x => x.webhook_id);
                });

            migrationBuilder.CreateTable(
                name: "letter_deliveries",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    notice_id = table.Column<long>(type: "INTEGER", nullable: false),
                    recipient = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    provider_message_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    accepted_at = table.Column<long>(type: "INTEGER", nullable: false),
                    outcome = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    outcome_at = table.Column<long>(type: "INTEGER", nullable: true),
                    outcome_text = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_letter_deliveries", x => x.id);
                    table.ForeignKey(
                        name: "fk_letter_deliveries_notice_notice_id",
                        column: x => x.notice_id,
                        principalTable: "notices",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "delivery_reports",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    delivery_id = table.Column<long>(type: "INTEGER", nullable: false),
                    notice_id = table.Column<long>(type: "INTEGER", nullable: false),
                    outcome = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    provider_text = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    source = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    recorded_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_delivery_reports", x => x.id);
                    table.ForeignKey(
                        name: "fk_delivery_reports_letter_delivery_delivery_id",
                        column: x => x.delivery_id,
                        principalTable: "letter_deliveries",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_delivery_reports_delivery_id_outcome_at",
                table: "delivery_reports",
                columns: new[] { "delivery_id", "outcome", "at" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_delivery_reports_notice_id_id",
                table: "delivery_reports",
                columns: new[] { "notice_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_delivery_webhooks_received_at",
                table: "delivery_webhooks",
                column: "received_at");

            migrationBuilder.CreateIndex(
                name: "ix_letter_deliveries_notice_id_id",
                table: "letter_deliveries",
                columns: new[] { "notice_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_letter_deliveries_outcome_notice_id",
                table: "letter_deliveries",
                columns: new[] { "outcome", "notice_id" },
                filter: "outcome IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_letter_deliveries_provider_message_id",
                table: "letter_deliveries",
                column: "provider_message_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "delivery_reports");

            migrationBuilder.DropTable(
                name: "delivery_webhooks");

            migrationBuilder.DropTable(
                name: "letter_deliveries");
        }
    }
}
