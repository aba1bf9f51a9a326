using Microsoft.EntityFrameworkCore.Migrations;
using Sip.ServiceDefaults.Data;

#nullable disable

namespace Sip.MeetingScheduling.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class AuditPartitioned : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.PartitionAuditLogByMonth("meeting_scheduling");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.UnpartitionAuditLog("meeting_scheduling");
        }
    }
}
