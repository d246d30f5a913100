using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CorpNotifier.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DeliveriesAndPersonalData : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "anonymised_at",
                table: "notices",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "anonymised_at",
                table: "events",
                type: "INTEGER",
                nullable: true);

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
                name: "ix_notices_not_anonymised",
                table: "notices",
                column: "created_at",
                filter: "anonymised_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_events_not_anonymised",
                table: "events",
                column: "received_at",
                filter: "anonymised_at IS NULL");

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
                name: "delivery_reports");

            migrationBuilder.DropTable(
                name: "delivery_webhooks");

            migrationBuilder.DropTable(
                name: "suppression_soft_bounces");

            migrationBuilder.DropTable(
                name: "suppressions");

            migrationBuilder.DropTable(
                name: "unsubscribes");

            migrationBuilder.DropTable(
                name: "letter_deliveries");

            migrationBuilder.DropIndex(
                name: "ix_notices_not_anonymised",
                table: "notices");

            migrationBuilder.DropIndex(
                name: "ix_events_not_anonymised",
                table: "events");

            migrationBuilder.DropColumn(
                name: "anonymised_at",
                table: "notices");

            migrationBuilder.DropColumn(
                name: "anonymised_at",
                table: "events");
        }
    }
}
