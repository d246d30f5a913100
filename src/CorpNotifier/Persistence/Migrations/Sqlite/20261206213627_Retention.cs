using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CorpNotifier.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Retention : Migration
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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
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
