using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sip.Consent.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class ConsentRecords : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_consent_individual",
                schema: "consent",
                table: "consents");

            migrationBuilder.AlterColumn<string>(
                name: "identity_value",
                schema: "consent",
                table: "individuals",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(32)",
                oldMaxLength: 32);

            migrationBuilder.AddColumn<DateOnly>(
                name: "birth_date",
                schema: "consent",
                table: "individuals",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "changed_at",
                schema: "consent",
                table: "individuals",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            migrationBuilder.AddColumn<string>(
                name: "contact",
                schema: "consent",
                table: "individuals",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<List<Guid>>(
                name: "entitled_unit_ids",
                schema: "consent",
                table: "individuals",
                type: "uuid[]",
                nullable: false,
                defaultValueSql: "'{}'");

            migrationBuilder.AddColumn<string>(
                name: "identifiers",
                schema: "consent",
                table: "individuals",
                type: "jsonb",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "identity_format",
                schema: "consent",
                table: "individuals",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "merged_into_id",
                schema: "consent",
                table: "individuals",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "placement",
                schema: "consent",
                table: "individuals",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "protected_identity",
                schema: "consent",
                table: "individuals",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<Guid>(
                name: "registered_by_unit_id",
                schema: "consent",
                table: "individuals",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<string>(
                name: "representatives",
                schema: "consent",
                table: "individuals",
                type: "jsonb",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "single_guardian_consent_reason",
                schema: "consent",
                table: "individuals",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<uint>(
                name: "xmin",
                schema: "consent",
                table: "individuals",
                type: "xid",
                rowVersion: true,
                nullable: false,
                defaultValue: 0u);

            // Consents recorded before end dates were required: one year from when they were given.
            migrationBuilder.Sql("UPDATE consent.consents SET valid_until = valid_from + 365 WHERE valid_until IS NULL;");

            migrationBuilder.AlterColumn<DateOnly>(
                name: "valid_until",
                schema: "consent",
                table: "consents",
                type: "date",
                nullable: false,
                defaultValue: new DateOnly(1, 1, 1),
                oldClrType: typeof(DateOnly),
                oldType: "date",
                oldNullable: true);

            migrationBuilder.AddColumn<string>(
                name: "basis",
                schema: "consent",
                table: "consents",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "Individual");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "changed_at",
                schema: "consent",
                table: "consents",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            migrationBuilder.AddColumn<string>(
                name: "child_view",
                schema: "consent",
                table: "consents",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<List<Guid>>(
                name: "copy_recipient_ids",
                schema: "consent",
                table: "consents",
                type: "uuid[]",
                nullable: false,
                defaultValueSql: "'{}'");

            migrationBuilder.AddColumn<bool>(
                name: "copy_to_individual",
                schema: "consent",
                table: "consents",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "decided_at",
                schema: "consent",
                table: "consents",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "declarations",
                schema: "consent",
                table: "consents",
                type: "jsonb",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "exception_decision",
                schema: "consent",
                table: "consents",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "excluded_categories",
                schema: "consent",
                table: "consents",
                type: "jsonb",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "expired_at",
                schema: "consent",
                table: "consents",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "presumed",
                schema: "consent",
                table: "consents",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "scope_history",
                schema: "consent",
                table: "consents",
                type: "jsonb",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "withdrawal",
                schema: "consent",
                table: "consents",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<uint>(
                name: "xmin",
                schema: "consent",
                table: "consents",
                type: "xid",
                rowVersion: true,
                nullable: false,
                defaultValue: 0u);

            migrationBuilder.CreateIndex(
                name: "ix_individual_identifier_history",
                schema: "consent",
                table: "individuals",
                column: "identifiers")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_consent_active_valid_until",
                schema: "consent",
                table: "consents",
                column: "valid_until",
                filter: "status IN ('Pending', 'Given')");

            migrationBuilder.CreateIndex(
                name: "ix_consent_individual",
                schema: "consent",
                table: "consents",
                columns: new[] { "tenant_id", "individual_id", "recorded_at" });

            migrationBuilder.CreateIndex(
                name: "ux_consent_active",
                schema: "consent",
                table: "consents",
                columns: new[] { "tenant_id", "individual_id" },
                unique: true,
                filter: "status IN ('Pending', 'Given')");

            // Records made before this migration: each consent was the individual's own, in the recorded form;
            // each person's identifier history starts with the identifier they were registered with.
            migrationBuilder.Sql("""
                UPDATE consent.consents SET
                  declarations = jsonb_build_array(jsonb_build_object('representativeId', NULL, 'decision', CASE WHEN status = 'Refused' THEN 'Refuses' ELSE 'Consents' END,
                    'form', form, 'conveyedById', NULL, 'recordedBy', recorded_by, 'recordedAt', recorded_at)),
                  changed_at = recorded_at, decided_at = recorded_at;
                UPDATE consent.individuals i SET
                  identifiers = jsonb_build_array(jsonb_build_object('kind', identity_kind, 'value', identity_value, 'format', NULL, 'from', created_at,
                    'replacedAt', NULL, 'recordedBy', 'migration', 'mergedFromIndividualId', NULL)),
                  changed_at = created_at,
                  registered_by_unit_id = COALESCE((SELECT c.recorded_by_unit_id FROM consent.consents c WHERE c.individual_id = i.id ORDER BY c.recorded_at LIMIT 1), '00000000-0000-0000-0000-000000000000');
                """);

            migrationBuilder.DropColumn(
                name: "form",
                schema: "consent",
                table: "consents");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_individual_identifier_history",
                schema: "consent",
                table: "individuals");

            migrationBuilder.DropIndex(
                name: "ix_consent_active_valid_until",
                schema: "consent",
                table: "consents");

            migrationBuilder.DropIndex(
                name: "ix_consent_individual",
                schema: "consent",
                table: "consents");

            migrationBuilder.DropIndex(
                name: "ux_consent_active",
                schema: "consent",
                table: "consents");

            migrationBuilder.DropColumn(
                name: "birth_date",
                schema: "consent",
                table: "individuals");

            migrationBuilder.DropColumn(
                name: "changed_at",
                schema: "consent",
                table: "individuals");

            migrationBuilder.DropColumn(
                name: "contact",
                schema: "consent",
                table: "individuals");

            migrationBuilder.DropColumn(
                name: "entitled_unit_ids",
                schema: "consent",
                table: "individuals");

            migrationBuilder.DropColumn(
                name: "identifiers",
                schema: "consent",
                table: "individuals");

            migrationBuilder.DropColumn(
                name: "identity_format",
                schema: "consent",
                table: "individuals");

            migrationBuilder.DropColumn(
                name: "merged_into_id",
                schema: "consent",
                table: "individuals");

            migrationBuilder.DropColumn(
                name: "placement",
                schema: "consent",
                table: "individuals");

            migrationBuilder.DropColumn(
                name: "protected_identity",
                schema: "consent",
                table: "individuals");

            migrationBuilder.DropColumn(
                name: "registered_by_unit_id",
                schema: "consent",
                table: "individuals");

            migrationBuilder.DropColumn(
                name: "representatives",
                schema: "consent",
                table: "individuals");

            migrationBuilder.DropColumn(
                name: "single_guardian_consent_reason",
                schema: "consent",
                table: "individuals");

            migrationBuilder.DropColumn(
                name: "xmin",
                schema: "consent",
                table: "individuals");

            migrationBuilder.DropColumn(
                name: "basis",
                schema: "consent",
                table: "consents");

            migrationBuilder.DropColumn(
                name: "changed_at",
                schema: "consent",
                table: "consents");

            migrationBuilder.DropColumn(
                name: "child_view",
                schema: "consent",
                table: "consents");

            migrationBuilder.DropColumn(
                name: "copy_recipient_ids",
                schema: "consent",
                table: "consents");

            migrationBuilder.DropColumn(
                name: "copy_to_individual",
                schema: "consent",
                table: "consents");

            migrationBuilder.DropColumn(
                name: "decided_at",
                schema: "consent",
                table: "consents");

            migrationBuilder.DropColumn(
                name: "declarations",
                schema: "consent",
                table: "consents");

            migrationBuilder.DropColumn(
                name: "exception_decision",
                schema: "consent",
                table: "consents");

            migrationBuilder.DropColumn(
                name: "excluded_categories",
                schema: "consent",
                table: "consents");

            migrationBuilder.DropColumn(
                name: "expired_at",
                schema: "consent",
                table: "consents");

            migrationBuilder.DropColumn(
                name: "presumed",
                schema: "consent",
                table: "consents");

            migrationBuilder.DropColumn(
                name: "scope_history",
                schema: "consent",
                table: "consents");

            migrationBuilder.DropColumn(
                name: "withdrawal",
                schema: "consent",
                table: "consents");

            migrationBuilder.DropColumn(
                name: "xmin",
                schema: "consent",
                table: "consents");

            migrationBuilder.AlterColumn<string>(
                name: "identity_value",
                schema: "consent",
                table: "individuals",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(64)",
                oldMaxLength: 64);

            migrationBuilder.AlterColumn<DateOnly>(
                name: "valid_until",
                schema: "consent",
                table: "consents",
                type: "date",
                nullable: true,
                oldClrType: typeof(DateOnly),
                oldType: "date");

            migrationBuilder.AddColumn<string>(
                name: "form",
                schema: "consent",
                table: "consents",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateIndex(
                name: "ix_consent_individual",
                schema: "consent",
                table: "consents",
                columns: new[] { "tenant_id", "individual_id" });
        }
    }
}
