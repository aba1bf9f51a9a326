using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sip.Statistics.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class PlanCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "plan_counts",
                schema: "statistics");
        }
    }
}
