using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sip.Case.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class InboxPageIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_inbox_unit_due",
                schema: "cases",
                table: "inbox_entries");

            migrationBuilder.CreateIndex(
                name: "ix_inbox_unit_order",
                schema: "cases",
                table: "inbox_entries",
                columns: new[] { "tenant_id", "unit_id", "due_at", "item_id", "id" })
                .Annotation("Npgsql:IndexInclude", new[] { "shown_from" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_inbox_unit_order",
                schema: "cases",
                table: "inbox_entries");

            migrationBuilder.CreateIndex(
                name: "ix_inbox_unit_due",
                schema: "cases",
                table: "inbox_entries",
                columns: new[] { "unit_id", "due_at" });
        }
    }
}
