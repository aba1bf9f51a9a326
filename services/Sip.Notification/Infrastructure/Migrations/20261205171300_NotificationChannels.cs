using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Sip.Notification.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class NotificationChannels : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_delivery_pending",
                schema: "notification",
                table: "deliveries");

            migrationBuilder.DropIndex(
                name: "ux_delivery_event_unit",
                schema: "notification",
                table: "deliveries");

            migrationBuilder.AddColumn<bool>(
                name: "customised",
                schema: "notification",
                table: "unit_subscriptions",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "settings_version",
                schema: "notification",
                table: "unit_subscriptions",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AlterColumn<string>(
                name: "recipient",
                schema: "notification",
                table: "deliveries",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(254)",
                oldMaxLength: 254,
                oldNullable: true);

            migrationBuilder.AddColumn<string>(
                name: "audience",
                schema: "notification",
                table: "deliveries",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<Guid>(
                name: "case_id",
                schema: "notification",
                table: "deliveries",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "digest_id",
                schema: "notification",
                table: "deliveries",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "due_at",
                schema: "notification",
                table: "deliveries",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "give_up_after",
                schema: "notification",
                table: "deliveries",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "kind",
                schema: "notification",
                table: "deliveries",
                type: "character varying(40)",
                maxLength: 40,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "link",
                schema: "notification",
                table: "deliveries",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "recipient_key",
                schema: "notification",
                table: "deliveries",
                type: "character varying(500)",
                maxLength: 500,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "reminder_key",
                schema: "notification",
                table: "deliveries",
                type: "character varying(120)",
                maxLength: 120,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "subscription_id",
                schema: "notification",
                table: "deliveries",
                type: "uuid",
                nullable: true);

            // Deliveries written before channels existed: e-mails to the unit's functional mailbox, ten attempts each (their kind was not recorded).
            migrationBuilder.Sql("""
                UPDATE notification.deliveries
                SET recipient_key = coalesce(lower(recipient), 'unit:' || unit_id), audience = 'unit', give_up_after = 10
                """);

            migrationBuilder.CreateTable(
                name: "case_watches",
                schema: "notification",
                columns: table => new
                {
                    tenant_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    case_id = table.Column<Guid>(type: "uuid", nullable: false),
                    subject = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    unit_id = table.Column<Guid>(type: "uuid", nullable: false),
                    email = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_case_watches", x => new { x.tenant_id, x.case_id, x.subject });
                });

            migrationBuilder.CreateTable(
                name: "delivery_attempts",
                schema: "notification",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    delivery_id = table.Column<Guid>(type: "uuid", nullable: false),
                    attempt = table.Column<int>(type: "integer", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    outcome = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    error = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_delivery_attempts", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "settled_items",
                schema: "notification",
                columns: table => new
                {
                    key = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    tenant_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    settled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_settled_items", x => x.key);
                });

            migrationBuilder.CreateTable(
                name: "subscriptions",
                schema: "notification",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    unit_id = table.Column<Guid>(type: "uuid", nullable: false),
                    channel = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    address = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    secret = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    kinds = table.Column<List<string>>(type: "text[]", nullable: false),
                    digest = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_subscriptions", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_delivery_held",
                schema: "notification",
                table: "deliveries",
                column: "created_at",
                filter: "status = 'Held'");

            migrationBuilder.CreateIndex(
                name: "ix_delivery_pending",
                schema: "notification",
                table: "deliveries",
                columns: new[] { "channel", "next_attempt_at" },
                filter: "status = 'Pending'");

            migrationBuilder.CreateIndex(
                name: "ix_delivery_reminder",
                schema: "notification",
                table: "deliveries",
                column: "reminder_key",
                filter: "status = 'Pending' AND reminder_key IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ux_delivery_event_recipient",
                schema: "notification",
                table: "deliveries",
                columns: new[] { "source_event_id", "channel", "recipient_key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_case_watch_subject",
                schema: "notification",
                table: "case_watches",
                columns: new[] { "tenant_id", "subject" });

            migrationBuilder.CreateIndex(
                name: "ux_delivery_attempt",
                schema: "notification",
                table: "delivery_attempts",
                columns: new[] { "delivery_id", "attempt" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_subscription_unit",
                schema: "notification",
                table: "subscriptions",
                columns: new[] { "tenant_id", "unit_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "case_watches",
                schema: "notification");

            migrationBuilder.DropTable(
                name: "delivery_attempts",
                schema: "notification");

            migrationBuilder.DropTable(
                name: "settled_items",
                schema: "notification");

            migrationBuilder.DropTable(
                name: "subscriptions",
                schema: "notification");

            migrationBuilder.DropIndex(
                name: "ix_delivery_held",
                schema: "notification",
                table: "deliveries");

            migrationBuilder.DropIndex(
                name: "ix_delivery_pending",
                schema: "notification",
                table: "deliveries");

            migrationBuilder.DropIndex(
                name: "ix_delivery_reminder",
                schema: "notification",
                table: "deliveries");

            migrationBuilder.DropIndex(
                name: "ux_delivery_event_recipient",
                schema: "notification",
                table: "deliveries");

            migrationBuilder.DropColumn(
                name: "customised",
                schema: "notification",
                table: "unit_subscriptions");

            migrationBuilder.DropColumn(
                name: "settings_version",
                schema: "notification",
                table: "unit_subscriptions");

            migrationBuilder.DropColumn(
                name: "audience",
                schema: "notification",
                table: "deliveries");

            migrationBuilder.DropColumn(
                name: "case_id",
                schema: "notification",
                table: "deliveries");

            migrationBuilder.DropColumn(
                name: "digest_id",
                schema: "notification",
                table: "deliveries");

            migrationBuilder.DropColumn(
                name: "due_at",
                schema: "notification",
                table: "deliveries");

            migrationBuilder.DropColumn(
                name: "give_up_after",
                schema: "notification",
                table: "deliveries");

            migrationBuilder.DropColumn(
                name: "kind",
                schema: "notification",
                table: "deliveries");

            migrationBuilder.DropColumn(
                name: "link",
                schema: "notification",
                table: "deliveries");

            migrationBuilder.DropColumn(
                name: "recipient_key",
                schema: "notification",
                table: "deliveries");

            migrationBuilder.DropColumn(
                name: "reminder_key",
                schema: "notification",
                table: "deliveries");

            migrationBuilder.DropColumn(
                name: "subscription_id",
                schema: "notification",
                table: "deliveries");

            migrationBuilder.AlterColumn<string>(
                name: "recipient",
                schema: "notification",
                table: "deliveries",
                type: "character varying(254)",
                maxLength: 254,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(500)",
                oldMaxLength: 500,
                oldNullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_delivery_pending",
                schema: "notification",
                table: "deliveries",
                column: "next_attempt_at",
                filter: "status = 'Pending'");

            migrationBuilder.CreateIndex(
                name: "ux_delivery_event_unit",
                schema: "notification",
                table: "deliveries",
                columns: new[] { "source_event_id", "unit_id", "channel" },
                unique: true);
        }
    }
}
