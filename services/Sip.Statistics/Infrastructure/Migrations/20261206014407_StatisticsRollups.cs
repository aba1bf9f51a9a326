using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sip.Statistics.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class StatisticsRollups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "fact_log",
                schema: "statistics",
                columns: table => new
                {
                    event_id = table.Column<Guid>(type: "uuid", nullable: false),
                    fact_type = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    payload = table.Column<string>(type: "jsonb", nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_fact_log", x => x.event_id);
                });

            migrationBuilder.CreateTable(
                name: "rollups",
                schema: "statistics",
                columns: table => new
                {
                    tenant_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    series = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    month = table.Column<DateOnly>(type: "date", nullable: false),
                    dimension = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    grp = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    region_code = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: false),
                    municipality_code = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: false),
                    unit_id = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: false),
                    value = table.Column<int>(type: "integer", nullable: false),
                    outcome = table.Column<bool>(type: "boolean", nullable: false),
                    count = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rollups", x => new { x.tenant_id, x.dimension, x.series, x.month, x.grp, x.region_code, x.municipality_code, x.unit_id, x.value, x.outcome });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "fact_log",
                schema: "statistics");

            migrationBuilder.DropTable(
                name: "rollups",
                schema: "statistics");
        }
    }
}
