using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;
using Sip.ServiceDefaults.Data;

#nullable disable

namespace Sip.MeetingScheduling.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class Meetings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The list of cases whose summons was due is replaced by the meetings and their summons: nothing in it is kept.
            migrationBuilder.DropTable(
                name: "summons_due",
                schema: "meeting_scheduling");

            migrationBuilder.CreateTable(
                name: "audit_entries",
                schema: "meeting_scheduling",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    tenant_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    actor = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    actor_unit_id = table.Column<Guid>(type: "uuid", nullable: true),
                    actor_roles = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    action = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    individual_id = table.Column<Guid>(type: "uuid", nullable: true),
                    case_id = table.Column<Guid>(type: "uuid", nullable: true),
                    purpose = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_entries", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "calendar_feeds",
                schema: "meeting_scheduling",
                columns: table => new
                {
                    unit_id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    secret_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    rotated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    rotated_by = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_calendar_feeds", x => x.unit_id);
                });

            migrationBuilder.CreateTable(
                name: "cases",
                schema: "meeting_scheduling",
                columns: table => new
                {
                    case_id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    reference = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    opened_by_unit_id = table.Column<Guid>(type: "uuid", nullable: false),
                    municipality_code = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cases", x => x.case_id);
                });

            migrationBuilder.CreateTable(
                name: "discharge_watches",
                schema: "meeting_scheduling",
                columns: table => new
                {
                    case_id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    case_reference = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    track = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ready_for_discharge_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    discharged_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    owed_by_unit_id = table.Column<Guid>(type: "uuid", nullable: false),
                    first_planning_summons_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    first_meeting_held_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ended = table.Column<bool>(type: "boolean", nullable: false),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_discharge_watches", x => x.case_id);
                });

            migrationBuilder.CreateTable(
                name: "meetings",
                schema: "meeting_scheduling",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    case_id = table.Column<Guid>(type: "uuid", nullable: false),
                    case_reference = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    starts_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    duration_minutes = table.Column<int>(type: "integer", nullable: false),
                    place = table.Column<string>(type: "jsonb", nullable: false),
                    chair = table.Column<string>(type: "jsonb", nullable: false),
                    coordinator = table.Column<string>(type: "jsonb", nullable: false),
                    convened_by_unit_id = table.Column<Guid>(type: "uuid", nullable: false),
                    reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    sequence = table.Column<int>(type: "integer", nullable: false),
                    cancelled_because = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    cancelled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    held_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    participants = table.Column<string>(type: "jsonb", nullable: false),
                    next_meeting_id = table.Column<Guid>(type: "uuid", nullable: true),
                    previous_meeting_id = table.Column<Guid>(type: "uuid", nullable: true),
                    created_by = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    revision = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_meetings", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "scheduled_events",
                schema: "meeting_scheduling",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    due_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    aggregate_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    message_type = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    body = table.Column<string>(type: "jsonb", nullable: false),
                    tenant_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    fired_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    cancelled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_scheduled_events", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "letters",
                schema: "meeting_scheduling",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    meeting_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    address = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    representative_id = table.Column<Guid>(type: "uuid", nullable: true),
                    added_by_unit_id = table.Column<Guid>(type: "uuid", nullable: false),
                    added_by = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    added_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_letters", x => x.id);
                    table.ForeignKey(
                        name: "FK_letters_meetings_meeting_id",
                        column: x => x.meeting_id,
                        principalSchema: "meeting_scheduling",
                        principalTable: "meetings",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "summons",
                schema: "meeting_scheduling",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    meeting_id = table.Column<Guid>(type: "uuid", nullable: false),
                    unit_id = table.Column<Guid>(type: "uuid", nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    due_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    answered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    answered_by = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    attendees = table.Column<string>(type: "jsonb", nullable: false),
                    decline_reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_summons", x => x.id);
                    table.ForeignKey(
                        name: "FK_summons_meetings_meeting_id",
                        column: x => x.meeting_id,
                        principalSchema: "meeting_scheduling",
                        principalTable: "meetings",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_audit_individual",
                schema: "meeting_scheduling",
                table: "audit_entries",
                columns: new[] { "tenant_id", "individual_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ux_calendar_feeds_secret",
                schema: "meeting_scheduling",
                table: "calendar_feeds",
                column: "secret_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_letters_meeting",
                schema: "meeting_scheduling",
                table: "letters",
                column: "meeting_id");

            migrationBuilder.CreateIndex(
                name: "ix_meetings_case",
                schema: "meeting_scheduling",
                table: "meetings",
                columns: new[] { "tenant_id", "case_id" });

            migrationBuilder.CreateIndex(
                name: "ix_meetings_convener",
                schema: "meeting_scheduling",
                table: "meetings",
                columns: new[] { "convened_by_unit_id", "starts_at" });

            migrationBuilder.CreateIndex(
                name: "ix_scheduled_key",
                schema: "meeting_scheduling",
                table: "scheduled_events",
                column: "key",
                filter: "fired_at IS NULL AND cancelled_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_scheduled_pending",
                schema: "meeting_scheduling",
                table: "scheduled_events",
                column: "due_at",
                filter: "fired_at IS NULL AND cancelled_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_summons_meeting_id",
                schema: "meeting_scheduling",
                table: "summons",
                column: "meeting_id");

            migrationBuilder.CreateIndex(
                name: "ix_summons_unit",
                schema: "meeting_scheduling",
                table: "summons",
                columns: new[] { "unit_id", "status" });

            migrationBuilder.CreateAuditAppendOnlyTrigger("meeting_scheduling");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "audit_entries",
                schema: "meeting_scheduling");

            migrationBuilder.DropTable(
                name: "calendar_feeds",
                schema: "meeting_scheduling");

            migrationBuilder.DropTable(
                name: "cases",
                schema: "meeting_scheduling");

            migrationBuilder.DropTable(
                name: "discharge_watches",
                schema: "meeting_scheduling");

            migrationBuilder.DropTable(
                name: "letters",
                schema: "meeting_scheduling");

            migrationBuilder.DropTable(
                name: "scheduled_events",
                schema: "meeting_scheduling");

            migrationBuilder.DropTable(
                name: "summons",
                schema: "meeting_scheduling");

            migrationBuilder.DropTable(
                name: "meetings",
                schema: "meeting_scheduling");

            migrationBuilder.CreateTable(
                name: "summons_due",
                schema: "meeting_scheduling",
                columns: table => new
                {
                    case_id = table.Column<Guid>(type: "uuid", nullable: false),
                    answers_due_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    case_reference = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    first_initiative_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    tenant_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    unit_ids = table.Column<List<Guid>>(type: "uuid[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_summons_due", x => x.case_id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_summons_due_tenant",
                schema: "meeting_scheduling",
                table: "summons_due",
                columns: new[] { "tenant_id", "answers_due_at" });
        }
    }
}
