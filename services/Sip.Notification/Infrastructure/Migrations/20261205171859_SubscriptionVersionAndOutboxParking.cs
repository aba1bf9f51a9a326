using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sip.Notification.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class SubscriptionVersionAndOutboxParking : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "applied_version",
                schema: "notification",
                table: "unit_subscriptions",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<int>(
                name: "failures",
                schema: "notification",
                table: "outbox_messages",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "parked_at",
                schema: "notification",
                table: "outbox_messages",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_parked",
                schema: "notification",
                table: "outbox_messages",
                column: "parked_at",
                filter: "parked_at IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_outbox_parked",
                schema: "notification",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "applied_version",
                schema: "notification",
                table: "unit_subscriptions");

            migrationBuilder.DropColumn(
                name: "failures",
                schema: "notification",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "parked_at",
                schema: "notification",
                table: "outbox_messages");
        }
    }
}
