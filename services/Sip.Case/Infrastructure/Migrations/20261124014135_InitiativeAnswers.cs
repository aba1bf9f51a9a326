using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sip.Case.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class InitiativeAnswers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "answered_at",
                schema: "cases",
                table: "initiatives",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "answered_by",
                schema: "cases",
                table: "initiatives",
                type: "character varying(128)",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "comment",
                schema: "cases",
                table: "initiatives",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "forwarded_from_id",
                schema: "cases",
                table: "initiatives",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "overdue_at",
                schema: "cases",
                table: "initiatives",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "redirect_to_unit_id",
                schema: "cases",
                table: "initiatives",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<List<DateTimeOffset>>(
                name: "suggested_times",
                schema: "cases",
                table: "initiatives",
                type: "timestamp with time zone[]",
                nullable: false,
                defaultValueSql: "'{}'");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "cancelled_at",
                schema: "cases",
                table: "cases",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "cancelled_because",
                schema: "cases",
                table: "cases",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_initiative_due",
                schema: "cases",
                table: "initiatives",
                column: "due_at",
                filter: "status = 'Sent'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_initiative_due",
                schema: "cases",
                table: "initiatives");

            migrationBuilder.DropColumn(
                name: "answered_at",
                schema: "cases",
                table: "initiatives");

            migrationBuilder.DropColumn(
                name: "answered_by",
                schema: "cases",
                table: "initiatives");

            migrationBuilder.DropColumn(
                name: "comment",
                schema: "cases",
                table: "initiatives");

            migrationBuilder.DropColumn(
                name: "forwarded_from_id",
                schema: "cases",
                table: "initiatives");

            migrationBuilder.DropColumn(
                name: "overdue_at",
                schema: "cases",
                table: "initiatives");

            migrationBuilder.DropColumn(
                name: "redirect_to_unit_id",
                schema: "cases",
                table: "initiatives");

            migrationBuilder.DropColumn(
                name: "suggested_times",
                schema: "cases",
                table: "initiatives");

            migrationBuilder.DropColumn(
                name: "cancelled_at",
                schema: "cases",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "cancelled_because",
                schema: "cases",
                table: "cases");
        }
    }
}
