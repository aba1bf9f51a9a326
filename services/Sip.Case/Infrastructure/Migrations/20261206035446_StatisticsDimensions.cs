using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sip.Case.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class StatisticsDimensions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "birth_month",
                schema: "cases",
                table: "cases",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "birth_year",
                schema: "cases",
                table: "cases",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "sex",
                schema: "cases",
                table: "cases",
                type: "character varying(8)",
                maxLength: 8,
                nullable: false,
                defaultValue: "Unknown");

            migrationBuilder.AddColumn<string>(
                name: "target_group",
                schema: "cases",
                table: "cases",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "NotStated");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "birth_month",
                schema: "cases",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "birth_year",
                schema: "cases",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "sex",
                schema: "cases",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "target_group",
                schema: "cases",
                table: "cases");
        }
    }
}
