using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sip.Statistics.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class SurveyTables : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "survey_codes",
                schema: "statistics",
                columns: table => new
                {
                    code_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    tenant_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    issued_month = table.Column<DateOnly>(type: "date", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    redeemed = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_survey_codes", x => x.code_hash);
                });

            migrationBuilder.CreateTable(
                name: "survey_responses",
                schema: "statistics",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    year = table.Column<int>(type: "integer", nullable: false),
                    age_band = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    sex = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    municipality_code = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: false),
                    county_code = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    declined = table.Column<bool>(type: "boolean", nullable: false),
                    respect = table.Column<short>(type: "smallint", nullable: true),
                    participation = table.Column<short>(type: "smallint", nullable: true),
                    relevance = table.Column<short>(type: "smallint", nullable: true),
                    structure = table.Column<short>(type: "smallint", nullable: true),
                    information = table.Column<short>(type: "smallint", nullable: true),
                    personal_code_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    round = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_survey_responses", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_survey_responses_tenant_id_personal_code_hash_round",
                schema: "statistics",
                table: "survey_responses",
                columns: new[] { "tenant_id", "personal_code_hash", "round" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_survey_responses_tenant_id_year",
                schema: "statistics",
                table: "survey_responses",
                columns: new[] { "tenant_id", "year" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "survey_codes",
                schema: "statistics");

            migrationBuilder.DropTable(
                name: "survey_responses",
                schema: "statistics");
        }
    }
}
