using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sip.Case.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class PlanConsentReference : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "consent_reference",
                schema: "cases",
                table: "plan_versions",
                type: "jsonb",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "consent_reference",
                schema: "cases",
                table: "plan_versions");
        }
    }
}
