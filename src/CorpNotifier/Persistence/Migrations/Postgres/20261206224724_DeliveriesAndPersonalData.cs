using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CorpNotifier.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DeliveriesAndPersonalData : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "anonymised_at",
                table: "notices",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "anonymised_at",
                table: "events",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "data_protection_keys",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    friendly_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    xml = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_data_protection_keys", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "delivery_webhooks",
                columns: table => new
                {
                    webhook_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_delivery_webhooks", x => x.webhook_id);
                });

            migrationBuilder.CreateTable(
                name: "letter_deliveries",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    notice_id = table.Column<long>(type: "bigint", nullable: false),
                    recipient = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    provider_message_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    accepted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    outcome = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    outcome_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    outcome_text = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
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
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    address_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_suppression_soft_bounces", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "suppressions",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    address = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    address_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    reason = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    note = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    notice_id = table.Column<long>(type: "bigint", nullable: true),
                    client_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    erased_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_suppressions", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "unsubscribes",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    address = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    category = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    unsubscribed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    via = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    client_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    notice_id = table.Column<long>(type: "bigint", nullable: true),
                    kind = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    actor = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_unsubscribes", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "delivery_reports",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    delivery_id = table.Column<long>(type: "bigint", nullable: false),
                    notice_id = table.Column<long>(type: "bigint", nullable: false),
                    outcome = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    provider_text = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    source = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
