using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Sip.Case.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class InboxProjection : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "inbox_entries",
                schema: "cases",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    tenant_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    unit_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    item_id = table.Column<Guid>(type: "uuid", nullable: false),
                    case_id = table.Column<Guid>(type: "uuid", nullable: false),
                    case_reference = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    urgency = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    from_unit_id = table.Column<Guid>(type: "uuid", nullable: true),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    due_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    overdue_after = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    shown_from = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    plan_version = table.Column<int>(type: "integer", nullable: true),
                    obligation = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_inbox_entries", x => x.id);
                    table.ForeignKey(
                        name: "FK_inbox_entries_cases_case_id",
                        column: x => x.case_id,
                        principalSchema: "cases",
                        principalTable: "cases",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            // Which version of the inbox rules the rows were last rebuilt with (InboxProjection.RulesVersion): the migrate
            // step rebuilds them while it is behind, so a rebuild that failed is tried again by the next migrate step.
            migrationBuilder.Sql("CREATE TABLE cases.inbox_rules (version integer NOT NULL); INSERT INTO cases.inbox_rules VALUES (0);");

            migrationBuilder.CreateIndex(
                name: "ix_inbox_case",
                schema: "cases",
                table: "inbox_entries",
                column: "case_id");

            migrationBuilder.CreateIndex(
                name: "ix_inbox_unit_due",
                schema: "cases",
                table: "inbox_entries",
                columns: new[] { "unit_id", "due_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE cases.inbox_rules;");

            migrationBuilder.DropTable(
                name: "inbox_entries",
                schema: "cases");
        }
    }
}
