using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Sip.ServiceDefaults.Auth;

namespace Sip.ServiceDefaults.Data;

/// <summary>
/// Who read or wrote whose personal data, from which unit, in which role, why and when
/// (patient data law: the log, and its review). Append-only: a trigger refuses UPDATE and DELETE.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; private set; }
    public string TenantId { get; init; } = "";
    public string Actor { get; init; } = "";
    public Guid? ActorUnitId { get; init; }
    public string ActorRoles { get; init; } = "";
    public string Action { get; init; } = "";
    public Guid? IndividualId { get; init; }
    public Guid? CaseId { get; init; }
    public string Purpose { get; init; } = "";
    public DateTimeOffset At { get; init; }
}

public static class AuditLog
{
    public const string Table = "audit_entries";

    public static ModelBuilder AddAuditLog(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<AuditEntry>(e =>
        {
            e.ToTable(Table);
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id").UseIdentityAlwaysColumn();
            e.Property(x => x.TenantId).HasColumnName("tenant_id").HasMaxLength(64);
            e.Property(x => x.Actor).HasColumnName("actor").HasMaxLength(128);
            e.Property(x => x.ActorUnitId).HasColumnName("actor_unit_id");
            e.Property(x => x.ActorRoles).HasColumnName("actor_roles").HasMaxLength(256);
            e.Property(x => x.Action).HasColumnName("action").HasMaxLength(64);
            e.Property(x => x.IndividualId).HasColumnName("individual_id");
            e.Property(x => x.CaseId).HasColumnName("case_id");
            e.Property(x => x.Purpose).HasColumnName("purpose").HasMaxLength(128);
            e.Property(x => x.At).HasColumnName("at");
            e.HasIndex(x => new { x.TenantId, x.IndividualId, x.At }).HasDatabaseName("ix_audit_individual");
        });
        return modelBuilder;
    }

    public static MigrationBuilder CreateAuditAppendOnlyTrigger(this MigrationBuilder migrationBuilder, string schema)
    {
        migrationBuilder.Sql($"""
            CREATE OR REPLACE FUNCTION "{schema}".audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              RAISE EXCEPTION 'audit entries are append-only';
            END $$;
            CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON "{schema}".{Table}
              FOR EACH ROW EXECUTE FUNCTION "{schema}".audit_append_only();
            CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON "{schema}".{Table}
              FOR EACH STATEMENT EXECUTE FUNCTION "{schema}".audit_append_only();
            """);
        return migrationBuilder;
    }

    public static void Audit(this DbContext db, SipUser user, Guid? actorUnitId, string action, Guid? individualId, Guid? caseId, string purpose, DateTimeOffset at) =>
        db.Set<AuditEntry>().Add(new AuditEntry
        {
            TenantId = user.TenantId,
            Actor = user.Subject,
            ActorUnitId = actorUnitId,
            ActorRoles = string.Join(',', user.Roles.Order()),
            Action = action,
            IndividualId = individualId,
            CaseId = caseId,
            Purpose = purpose,
            At = at,
        });
}
