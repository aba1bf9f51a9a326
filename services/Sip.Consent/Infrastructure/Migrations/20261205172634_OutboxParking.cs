using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sip.Consent.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class OutboxParking : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "failures",
                schema: "consent",
                table: "outbox_messages",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "parked_at",
                schema: "consent",
                table: "outbox_messages",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_parked",
                schema: "consent",
                table: "outbox_messages",
                column: "parked_at",
                filter: "parked_at IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_outbox_parked",
                schema: "consent",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "failures",
                schema: "consent",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "parked_at",
                schema: "consent",
                table: "outbox_messages");
        }
    }
}
