using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sip.Notification.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class MeetingNotices : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "attachment_content",
                schema: "notification",
                table: "deliveries",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "attachment_content_type",
                schema: "notification",
                table: "deliveries",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "attachment_file_name",
                schema: "notification",
                table: "deliveries",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ux_delivery_event_unit",
                schema: "notification",
                table: "deliveries",
                columns: new[] { "source_event_id", "unit_id", "channel" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ux_delivery_event_unit",
                schema: "notification",
                table: "deliveries");

            migrationBuilder.DropColumn(
                name: "attachment_content",
                schema: "notification",
                table: "deliveries");

            migrationBuilder.DropColumn(
                name: "attachment_content_type",
                schema: "notification",
                table: "deliveries");

            migrationBuilder.DropColumn(
                name: "attachment_file_name",
                schema: "notification",
                table: "deliveries");
        }
    }
}
