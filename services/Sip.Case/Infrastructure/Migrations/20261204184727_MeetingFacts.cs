using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sip.Case.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class MeetingFacts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "first_meeting_held_at",
                schema: "cases",
                table: "cases",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "first_planning_summons_at",
                schema: "cases",
                table: "cases",
                type: "timestamp with time zone",
                nullable: true);

            // Until now LUS counted the summons date typed into the discharge record and the meetings behind the plan
            // versions: both carry over, so no obligation met before changes its answer. The typed date then leaves the
            // record, which no longer has it.
            migrationBuilder.Sql("""
                UPDATE cases.cases c SET
                  first_planning_summons_at = (c.discharge->>'summonsSentAt')::timestamptz,
                  first_meeting_held_at = (SELECT min(p.meeting_at) FROM cases.plan_versions p WHERE p.case_id = c.id)
                WHERE c.discharge->>'summonsSentAt' IS NOT NULL OR EXISTS (SELECT 1 FROM cases.plan_versions p WHERE p.case_id = c.id);
                UPDATE cases.cases SET discharge = discharge - 'summonsSentAt' WHERE discharge -> 'summonsSentAt' IS NOT NULL;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The earlier model reads the summons from the record: give it the first planning summons back.
            migrationBuilder.Sql("""
                UPDATE cases.cases SET discharge = jsonb_set(discharge, '{summonsSentAt}', to_jsonb(first_planning_summons_at))
                WHERE discharge IS NOT NULL AND first_planning_summons_at IS NOT NULL;
                """);

            migrationBuilder.DropColumn(
                name: "first_meeting_held_at",
                schema: "cases",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "first_planning_summons_at",
                schema: "cases",
                table: "cases");
        }
    }
}
