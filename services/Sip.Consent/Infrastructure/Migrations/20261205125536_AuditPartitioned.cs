using Microsoft.EntityFrameworkCore.Migrations;
using Sip.ServiceDefaults.Data;

#nullable disable

namespace Sip.Consent.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class AuditPartitioned : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.PartitionAuditLogByMonth("consent");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.UnpartitionAuditLog("consent");
        }
    }
}
