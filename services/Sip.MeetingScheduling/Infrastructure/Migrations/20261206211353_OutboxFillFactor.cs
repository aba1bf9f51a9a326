using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sip.MeetingScheduling.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class OutboxFillFactor : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterTable(
                name: "outbox_messages",
                schema: "meeting_scheduling")
                .Annotation("Npgsql:StorageParameter:fillfactor", 50);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterTable(
                name: "outbox_messages",
                schema: "meeting_scheduling")
                .OldAnnotation("Npgsql:StorageParameter:fillfactor", 50);
        }
    }
}
