using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CorpNotifier.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PendingIndexById : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_notices_pending_send_at",
                table: "notices");

            migrationBuilder.CreateIndex(
                name: "ix_notices_pending_send_at",
                table: "notices",
                columns: new[] { "send_at", "id" },
                filter: "status = 'pending'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_notices_pending_send_at",
                table: "notices");

            migrationBuilder.CreateIndex(
                name: "ix_notices_pending_send_at",
                table: "notices",
                column: "send_at",
                filter: "status = 'pending'");
        }
    }
}
