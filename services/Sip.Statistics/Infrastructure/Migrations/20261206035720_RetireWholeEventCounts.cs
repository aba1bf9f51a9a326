using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sip.Statistics.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class RetireWholeEventCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "first_meeting_waits",
                schema: "statistics");

            migrationBuilder.DropTable(
                name: "initiative_counts",
                schema: "statistics");

            migrationBuilder.DropTable(
                name: "meeting_counts",
                schema: "statistics");

            migrationBuilder.DropTable(
                name: "plan_counts",
                schema: "statistics");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "first_meeting_waits",
                schema: "statistics",
                columns: table => new
                {
                    tenant_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    municipality_code = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: false),
                    month = table.Column<DateOnly>(type: "date", nullable: false),
                    days = table.Column<int>(type: "integer", nullable: false),
                    cases = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_first_meeting_waits", x => new { x.tenant_id, x.municipality_code, x.month, x.days });
                });

            migrationBuilder.CreateTable(
                name: "initiative_counts",
                schema: "statistics",
                columns: table => new
                {
                    tenant_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    municipality_code = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: false),
                    month = table.Column<DateOnly>(type: "date", nullable: false),
                    initiatives = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_initiative_counts", x => new { x.tenant_id, x.municipality_code, x.month });
                });

            migrationBuilder.CreateTable(
                name: "meeting_counts",
                schema: "statistics",
                columns: table => new
                {
                    tenant_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    municipality_code = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: false),
                    month = table.Column<DateOnly>(type: "date", nullable: false),
                    au124 = table.Column<long>(type: "bigint", nullable: false),
                    au125 = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_meeting_counts", x => new { x.tenant_id, x.municipality_code, x.month });
                });

            migrationBuilder.CreateTable(
                name: "plan_counts",
                schema: "statistics",
                columns: table => new
                {
                    tenant_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    municipality_code = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: false),
                    month = table.Column<DateOnly>(type: "date", nullable: false),
                    plans_signed = table.Column<long>(type: "bigint", nullable: false),
                    signed_within_deadline = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_plan_counts", x => new { x.tenant_id, x.municipality_code, x.month });
                });
        }
    }
}
