using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CorpNotifier.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SendWindowsAndCaps : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Rows stored before keep window_days NULL: they read as their kind's default window
            // and cap until the sync from configuration at start stores those (NoticeSettingsStore).
            migrationBuilder.AddColumn<int>(
                name: "cap_count",
                table: "notice_settings",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "cap_per",
                table: "notice_settings",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<TimeSpan>(
                name: "cap_period",
                table: "notice_settings",
                type: "interval",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "window_days",
                table: "notice_settings",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<TimeOnly>(
                name: "window_end",
                table: "notice_settings",
                type: "time without time zone",
                nullable: false,
                defaultValue: new TimeOnly(19, 0, 0));

            migrationBuilder.AddColumn<TimeOnly>(
                name: "window_start",
                table: "notice_settings",
                type: "time without time zone",
                nullable: false,
                defaultValue: new TimeOnly(9, 0, 0));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "cap_count",
                table: "notice_settings");

            migrationBuilder.DropColumn(
                name: "cap_per",
                table: "notice_settings");

            migrationBuilder.DropColumn(
                name: "cap_period",
                table: "notice_settings");

            migrationBuilder.DropColumn(
                name: "window_days",
                table: "notice_settings");

            migrationBuilder.DropColumn(
                name: "window_end",
                table: "notice_settings");

            migrationBuilder.DropColumn(
                name: "window_start",
                table: "notice_settings");
        }
    }
}
