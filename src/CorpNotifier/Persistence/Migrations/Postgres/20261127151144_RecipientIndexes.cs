using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CorpNotifier.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RecipientIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_notices_recipients",
                table: "notices",
                column: "recipients")
                .Annotation("Npgsql:CreatedConcurrently", true)
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:StorageParameter:fastupdate", false);

            migrationBuilder.CreateIndex(
                name: "ix_notices_sent_to",
                table: "notices",
                column: "sent_to")
                .Annotation("Npgsql:CreatedConcurrently", true)
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:StorageParameter:fastupdate", false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_notices_recipients",
                table: "notices");

            migrationBuilder.DropIndex(
                name: "ix_notices_sent_to",
                table: "notices");
        }
    }
}
