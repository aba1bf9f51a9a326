using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sip.Case.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class MessagesAndClosure : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "coordinator_unit_id",
                schema: "cases",
                table: "plan_versions",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<List<Guid>>(
                name: "responsible_unit_ids",
                schema: "cases",
                table: "plan_versions",
                type: "uuid[]",
                nullable: false,
                defaultValueSql: "'{}'");

            migrationBuilder.AddColumn<string>(
                name: "closure",
                schema: "cases",
                table: "cases",
                type: "jsonb",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "case_messages",
                schema: "cases",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    case_id = table.Column<Guid>(type: "uuid", nullable: false),
                    from_unit_id = table.Column<Guid>(type: "uuid", nullable: false),
                    to_unit_ids = table.Column<List<Guid>>(type: "uuid[]", nullable: false),
                    text = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    requires_acknowledgement = table.Column<bool>(type: "boolean", nullable: false),
                    sent_by = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    acknowledged_by_unit_ids = table.Column<List<Guid>>(type: "uuid[]", nullable: false),
                    acknowledgements = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_case_messages", x => x.id);
                    table.ForeignKey(
                        name: "FK_case_messages_cases_case_id",
                        column: x => x.case_id,
                        principalSchema: "cases",
                        principalTable: "cases",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_plan_coordinator",
                schema: "cases",
                table: "plan_versions",
                column: "coordinator_unit_id");

            migrationBuilder.CreateIndex(
                name: "ix_message_case",
                schema: "cases",
                table: "case_messages",
                column: "case_id");

            // Plans written before these columns: take them from the content.
            migrationBuilder.Sql("""
                UPDATE cases.plan_versions SET
                  coordinator_unit_id = (content->>'coordinatorUnitId')::uuid,
                  responsible_unit_ids = ARRAY(SELECT DISTINCT (a->>'responsibleUnitId')::uuid
                    FROM jsonb_array_elements(content->'shortTermGoals') g, jsonb_array_elements(g->'activities') a
                    WHERE a->>'responsibleUnitId' IS NOT NULL);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "case_messages",
                schema: "cases");

            migrationBuilder.DropIndex(
                name: "ix_plan_coordinator",
                schema: "cases",
                table: "plan_versions");

            migrationBuilder.DropColumn(
                name: "coordinator_unit_id",
                schema: "cases",
                table: "plan_versions");

            migrationBuilder.DropColumn(
                name: "responsible_unit_ids",
                schema: "cases",
                table: "plan_versions");

            migrationBuilder.DropColumn(
                name: "closure",
                schema: "cases",
                table: "cases");
        }
    }
}
