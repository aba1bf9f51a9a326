using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sip.Statistics.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class PublishedMonths : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "cube_months",
                schema: "statistics",
                columns: table => new
                {
                    tenant_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    month = table.Column<DateOnly>(type: "date", nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cube_months", x => new { x.tenant_id, x.month });
                });

            migrationBuilder.CreateTable(
                name: "published_months",
                schema: "statistics",
                columns: table => new
                {
                    tenant_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    measure = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    dimension = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    threshold = table.Column<int>(type: "integer", nullable: false),
                    month = table.Column<DateOnly>(type: "date", nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false),
                    format = table.Column<int>(type: "integer", nullable: false),
                    cells = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_published_months", x => new { x.tenant_id, x.measure, x.dimension, x.threshold, x.month });
                });

            // Any change to a month's rollups (a fact counted, a rebuild, a repair by hand) gives the month a new version in the same
            // transaction, so a month published from the cube before is served again only while nothing in it changed. Versions come
            // from one sequence, so none is ever given twice (not even after cube_months is emptied), and a month held in memory by
            // its version is the month as it was. One function, one statement-level trigger per kind of change (a trigger with a
            // transition table takes one event).
            migrationBuilder.Sql("""
                CREATE SEQUENCE statistics.cube_versions;
                CREATE FUNCTION statistics.cube_months_touch() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO statistics.cube_months (tenant_id, month, version)
                    SELECT tenant_id, month, nextval('statistics.cube_versions') FROM (SELECT DISTINCT tenant_id, month FROM changed) AS c
                    ON CONFLICT (tenant_id, month) DO UPDATE SET version = excluded.version;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER rollups_inserted AFTER INSERT ON statistics.rollups
                    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION statistics.cube_months_touch();
                CREATE TRIGGER rollups_updated AFTER UPDATE ON statistics.rollups
                    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION statistics.cube_months_touch();
                CREATE TRIGGER rollups_deleted AFTER DELETE ON statistics.rollups
                    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION statistics.cube_months_touch();
                INSERT INTO statistics.cube_months (tenant_id, month, version)
                SELECT tenant_id, month, nextval('statistics.cube_versions') FROM (SELECT DISTINCT tenant_id, month FROM statistics.rollups) AS c;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER rollups_inserted ON statistics.rollups;
                DROP TRIGGER rollups_updated ON statistics.rollups;
                DROP TRIGGER rollups_deleted ON statistics.rollups;
                DROP FUNCTION statistics.cube_months_touch();
                DROP SEQUENCE statistics.cube_versions;
                """);
            migrationBuilder.DropTable(
                name: "cube_months",
                schema: "statistics");

            migrationBuilder.DropTable(
                name: "published_months",
                schema: "statistics");
        }
    }
}
