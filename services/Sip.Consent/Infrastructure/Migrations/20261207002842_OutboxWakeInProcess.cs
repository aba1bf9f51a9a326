using Microsoft.EntityFrameworkCore.Migrations;
using Sip.Messaging;

#nullable disable

namespace Sip.Consent.Infrastructure.Migrations
{
    /// <summary>Commits with events wake the outbox dispatcher in-process, not by a NOTIFY per commit (see OutboxWake).</summary>
    public partial class OutboxWakeInProcess : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropOutboxNotifyTrigger("consent");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateOutboxNotifyTrigger("consent");
        }
    }
}
