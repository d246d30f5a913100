using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CorpNotifier.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ParkedEvents : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Events stored before parking existed were all processed.
            migrationBuilder.AddColumn<string>(
                name: "missing",
                table: "events",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "missing_id",
                table: "events",
                type: "character varying(128)",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "parked_payload",
                table: "events",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "retried_at",
                table: "events",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "status",
                table: "events",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "processed");

            migrationBuilder.CreateIndex(
                name: "ix_events_parked",
                table: "events",
                columns: new[] { "status", "client_id", "occurred_at" },
                filter: "status <> 'processed'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_events_parked",
                table: "events");

            migrationBuilder.DropColumn(
                name: "missing",
                table: "events");

            migrationBuilder.DropColumn(
                name: "missing_id",
                table: "events");

            migrationBuilder.DropColumn(
                name: "parked_payload",
                table: "events");

            migrationBuilder.DropColumn(
                name: "retried_at",
                table: "events");

            migrationBuilder.DropColumn(
                name: "status",
                table: "events");
        }
    }
}
