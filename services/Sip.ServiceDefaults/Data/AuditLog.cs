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

    /// <summary>A row read from another service's log (audit review), with that service's id.</summary>
    internal AuditEntry WithId(long id)
    {
        Id = id;
        return this;
    }
}

public static class AuditLog
{
    public const string Table = "audit_entries";

    public static ModelBuilder AddAuditLog(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<AuditEntry>(e =>
        {
            e.ToTable(Table);
            // Partitioned by month on `at` (see PartitionAuditLogByMonth): the key must include the partition key.
            e.HasKey(x => new { x.Id, x.At });
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
            e.HasIndex(x => new { x.TenantId, x.Actor, x.At }).HasDatabaseName("ix_audit_actor");
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

    /// <summary>How many months ahead partitions exist: the migrate step creates a year, each service keeps three.</summary>
    public const int MigratePartitionsAheadMonths = 12;
    public const int ServicePartitionsAheadMonths = 3;

    /// <summary>
    /// Turns <c>audit_entries</c> into a table partitioned by month (UTC) on <c>at</c>, keeping every row and id:
    /// a partition per month from the oldest row to three months ahead, a default partition for anything outside
    /// (a clock far off, a month nobody created in time), both review indexes, and
    /// <c>audit_ensure_partitions(from, to)</c> that creates missing monthly partitions. The function is
    /// SECURITY DEFINER: once the migrate step has given the table to <c>sip_audit_owner</c> it runs as that
    /// owner, so the service role can create next month's partition without owning the table.
    /// </summary>
    public static MigrationBuilder PartitionAuditLogByMonth(this MigrationBuilder migrationBuilder, string schema)
    {
        migrationBuilder.Sql($"""
            ALTER TABLE "{schema}".{Table} RENAME TO {Table}_unpartitioned;
            ALTER TABLE "{schema}".{Table}_unpartitioned RENAME CONSTRAINT "PK_audit_entries" TO "PK_audit_entries_unpartitioned";
            ALTER INDEX "{schema}".ix_audit_individual RENAME TO ix_audit_individual_unpartitioned;
            CREATE TABLE "{schema}".{Table} (
              id bigint GENERATED ALWAYS AS IDENTITY,
              tenant_id character varying(64) NOT NULL,
              actor character varying(128) NOT NULL,
              actor_unit_id uuid NULL,
              actor_roles character varying(256) NOT NULL,
              action character varying(64) NOT NULL,
              individual_id uuid NULL,
              case_id uuid NULL,
              purpose character varying(128) NOT NULL,
              at timestamp with time zone NOT NULL,
              CONSTRAINT "PK_audit_entries" PRIMARY KEY (id, at)
            ) PARTITION BY RANGE (at);
            CREATE INDEX ix_audit_individual ON "{schema}".{Table} (tenant_id, individual_id, at);
            CREATE INDEX ix_audit_actor ON "{schema}".{Table} (tenant_id, actor, at);
            CREATE TABLE "{schema}".{Table}_default PARTITION OF "{schema}".{Table} DEFAULT;
            {EnsurePartitionsFunction(schema)}
            SELECT "{schema}".audit_ensure_partitions(coalesce(min(at), now()), now() + interval '{ServicePartitionsAheadMonths} months')
              FROM "{schema}".{Table}_unpartitioned;
            INSERT INTO "{schema}".{Table} (id, tenant_id, actor, actor_unit_id, actor_roles, action, individual_id, case_id, purpose, at)
              OVERRIDING SYSTEM VALUE
              SELECT id, tenant_id, actor, actor_unit_id, actor_roles, action, individual_id, case_id, purpose, at
              FROM "{schema}".{Table}_unpartitioned;
            SELECT setval(pg_get_serial_sequence('"{schema}".{Table}', 'id'), coalesce(max(id), 0) + 1, false) FROM "{schema}".{Table};
            DROP TABLE "{schema}".{Table}_unpartitioned;
            """);
        return migrationBuilder.CreateAuditAppendOnlyTrigger(schema);
    }

    /// <summary>The way back: one plain table with the same rows.</summary>
    public static MigrationBuilder UnpartitionAuditLog(this MigrationBuilder migrationBuilder, string schema)
    {
        migrationBuilder.Sql($"""
            ALTER TABLE "{schema}".{Table} RENAME TO {Table}_partitioned;
            ALTER TABLE "{schema}".{Table}_partitioned RENAME CONSTRAINT "PK_audit_entries" TO "PK_audit_entries_partitioned";
            ALTER INDEX "{schema}".ix_audit_individual RENAME TO ix_audit_individual_partitioned;
            ALTER INDEX "{schema}".ix_audit_actor RENAME TO ix_audit_actor_partitioned;
            CREATE TABLE "{schema}".{Table} (LIKE "{schema}".{Table}_partitioned INCLUDING DEFAULTS INCLUDING IDENTITY);
            ALTER TABLE "{schema}".{Table} ADD CONSTRAINT "PK_audit_entries" PRIMARY KEY (id);
            CREATE INDEX ix_audit_individual ON "{schema}".{Table} (tenant_id, individual_id, at);
            INSERT INTO "{schema}".{Table} OVERRIDING SYSTEM VALUE SELECT * FROM "{schema}".{Table}_partitioned;
            SELECT setval(pg_get_serial_sequence('"{schema}".{Table}', 'id'), coalesce(max(id), 0) + 1, false) FROM "{schema}".{Table};
            DROP TABLE "{schema}".{Table}_partitioned;
            DROP FUNCTION "{schema}".audit_ensure_partitions(timestamp with time zone, timestamp with time zone);
            """);
        return migrationBuilder.CreateAuditAppendOnlyTrigger(schema);
    }

    private static string EnsurePartitionsFunction(string schema) => $"""
        CREATE OR REPLACE FUNCTION "{schema}".audit_ensure_partitions(from_at timestamp with time zone, to_at timestamp with time zone)
          RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog SET "TimeZone" = 'UTC' AS $fn$
        DECLARE
          month timestamp with time zone := date_trunc('month', greatest(from_at, now() - interval '20 years'));
          last timestamp with time zone := least(to_at, now() + interval '2 years');
          name text;
          created integer := 0;
        BEGIN
          -- One at a time per schema: two replicas checking at once must not race on CREATE TABLE.
          PERFORM pg_advisory_xact_lock(736174, hashtext('{schema}'));
          WHILE month <= last LOOP
            name := '{Table}_' || to_char(month, 'YYYYMM');
            -- A month the default partition already holds rows of stays there: creating its partition would fail.
            IF to_regclass(format('%I.%I', '{schema}', name)) IS NULL
               AND NOT EXISTS (SELECT 1 FROM "{schema}".{Table}_default WHERE at >= month AND at < month + interval '1 month') THEN
              EXECUTE format('CREATE TABLE %I.%I PARTITION OF %I.{Table} FOR VALUES FROM (%L) TO (%L)',
                '{schema}', name, '{schema}', month, month + interval '1 month');
              created := created + 1;
            END IF;
            month := month + interval '1 month';
          END LOOP;
          RETURN created;
        END $fn$;
        """;

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
