using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CorpNotifier.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AdminApi : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_notices_resend_of_id",
                table: "notices");

            migrationBuilder.CreateTable(
                name: "audit_log",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    actor = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    role = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    action = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    target_type = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    target_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    before = table.Column<string>(type: "jsonb", nullable: true),
                    after = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_log", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_notices_kind_id",
                table: "notices",
                columns: new[] { "kind", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_notices_one_active_resend",
                table: "notices",
                column: "resend_of_id",
                unique: true,
                filter: "resend_of_id IS NOT NULL AND status IN ('pending', 'sending')");

            migrationBuilder.CreateIndex(
                name: "ix_notices_status_id",
                table: "notices",
                columns: new[] { "status", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_audit_log_actor_id",
                table: "audit_log",
                columns: new[] { "actor", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_audit_log_target_type_target_id",
                table: "audit_log",
                columns: new[] { "target_type", "target_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "audit_log");

            migrationBuilder.DropIndex(
                name: "ix_notices_kind_id",
                table: "notices");

            migrationBuilder.DropIndex(
                name: "ix_notices_one_active_resend",
                table: "notices");

            migrationBuilder.DropIndex(
                name: "ix_notices_status_id",
                table: "notices");

            migrationBuilder.CreateIndex(
                name: "ix_notices_resend_of_id",
                table: "notices",
                column: "resend_of_id");
        }
    }
}
