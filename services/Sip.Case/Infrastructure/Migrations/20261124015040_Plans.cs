using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sip.Case.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class Plans : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "plan_versions",
                schema: "cases",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    case_id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    content = table.Column<string>(type: "jsonb", nullable: false),
                    revision = table.Column<int>(type: "integer", nullable: false),
                    meeting_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    due_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    changed_by = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    signed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    signed_by = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    locked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    individual_signature = table.Column<string>(type: "jsonb", nullable: true),
                    coordinator_signature = table.Column<string>(type: "jsonb", nullable: true),
                    copy_recipients = table.Column<string>(type: "jsonb", nullable: false),
                    late_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    activity_log = table.Column<string>(type: "jsonb", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_plan_versions", x => x.id);
                    table.ForeignKey(
                        name: "FK_plan_versions_cases_case_id",
                        column: x => x.case_id,
                        principalSchema: "cases",
                        principalTable: "cases",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "plan_revisions",
                schema: "cases",
                columns: table => new
                {
                    plan_version_id = table.Column<Guid>(type: "uuid", nullable: false),
                    revision = table.Column<int>(type: "integer", nullable: false),
                    content = table.Column<string>(type: "jsonb", nullable: false),
                    by = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_plan_revisions", x => new { x.plan_version_id, x.revision });
                    table.ForeignKey(
                        name: "FK_plan_revisions_plan_versions_plan_version_id",
                        column: x => x.plan_version_id,
                        principalSchema: "cases",
                        principalTable: "plan_versions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_plan_due",
                schema: "cases",
                table: "plan_versions",
                column: "due_at",
                filter: "status = 'Draft' AND late_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ux_plan_version",
                schema: "cases",
                table: "plan_versions",
                columns: new[] { "case_id", "version" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "plan_revisions",
                schema: "cases");

            migrationBuilder.DropTable(
                name: "plan_versions",
                schema: "cases");
        }
    }
}
