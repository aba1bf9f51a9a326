using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;
using Sip.Case.Infrastructure;
using Sip.Consent.Infrastructure;
using Sip.MeetingScheduling.Infrastructure;
using Sip.Notification.Infrastructure;
using Sip.ServiceDefaults.Data;
using Sip.Statistics.Infrastructure;
using Sip.Testing;

[assembly: AssemblyFixture(typeof(PostgresFixture))]

namespace Sip.Platform.Tests;

/// <summary>One schema and one role per service, enforced by grants: provisioned and migrated exactly as the migrate step does it.</summary>
public sealed class DatabaseIsolationTests(PostgresFixture postgres)
{
    private static readonly SemaphoreSlim Once = new(1, 1);
    private static bool _migrated;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static readonly TheoryData<string> Schemas = new(ConsentDbContext.Schema, CaseDbContext.Schema, MeetingDbContext.Schema, NotificationDbContext.Schema, StatisticsDbContext.Schema);

    private async Task MigrateAllAsync()
    {
        await Once.WaitAsync(Ct);
        try
        {
            if (_migrated)
            {
                return;
            }
            await Migrate<ConsentDbContext>(ConsentDbContext.Schema, o => new ConsentDbContext(o));
            await Migrate<CaseDbContext>(CaseDbContext.Schema, o => new CaseDbContext(o));
            await Migrate<MeetingDbContext>(MeetingDbContext.Schema, o => new MeetingDbContext(o));
            await Migrate<NotificationDbContext>(NotificationDbContext.Schema, o => new NotificationDbContext(o));
            await Migrate<StatisticsDbContext>(StatisticsDbContext.Schema, o => new StatisticsDbContext(o));
            _migrated = true;
        }
        finally
        {
            Once.Release();
        }
    }

    public static readonly TheoryData<string> AuditingSchemas = new(ConsentDbContext.Schema, CaseDbContext.Schema, MeetingDbContext.Schema);

    /// <summary>As the migrate step: provision as the admin, migrate as the service role, then secure the audit log as the admin.</summary>
    private async Task Migrate<T>(string schema, Func<DbContextOptions<T>, T> create) where T : DbContext
    {
        var cs = await postgres.CreateServiceSchemaAsync(schema);
        var options = new DbContextOptionsBuilder<T>()
            .UseNpgsql(cs, n => n.MigrationsHistoryTable(ServiceDatabaseRegistration.MigrationsHistoryTable, schema)).Options;
        await using var db = create(options);
        await db.Database.MigrateAsync(Ct);
        await ServiceDatabase.SecureAuditLogAsync(postgres.AdminConnectionString, cs, schema, Ct);
    }

    private async Task<int> ExecuteAsAsync(string schema, string sql)
    {
        await using var connection = new NpgsqlConnection(postgres.ServiceConnectionString(schema));
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync(Ct);
    }

    private async Task<PostgresException> FailsAs(string schema, string sql)
    {
        await using var connection = new NpgsqlConnection(postgres.ServiceConnectionString(schema));
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(Schemas))]
    public async Task Each_service_migrates_into_its_own_schema_and_owns_every_table_but_the_audit_log(string schema)
    {
        await MigrateAllAsync();
        Assert.Equal(ServiceDatabase.SchemaOwnerRole, await postgres.ScalarAsync<string>($"SELECT schema_owner FROM information_schema.schemata WHERE schema_name = '{schema}'"));
        Assert.Equal(0, await postgres.ScalarAsync<long>($"SELECT count(*) FROM pg_tables WHERE schemaname = '{schema}' AND tableowner <> 'sip_{schema}' AND tablename NOT LIKE 'audit_entries%'"));
        Assert.Equal(0, await postgres.ScalarAsync<long>($"SELECT count(*) FROM pg_tables WHERE schemaname = '{schema}' AND tableowner <> '{ServiceDatabase.AuditOwnerRole}' AND tablename LIKE 'audit_entries%'"));
        Assert.True(await postgres.ScalarAsync<long>($"SELECT count(*) FROM pg_tables WHERE schemaname = '{schema}' AND tablename IN ('outbox_messages', 'inbox_messages')") == 2);
        // No NOTIFY per commit (the first migrations had one): it would serialise every commit with events (OutboxWake).
        Assert.Equal(0, await postgres.ScalarAsync<long>($"SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '{schema}' AND c.relname = 'outbox_messages' AND NOT t.tgisinternal"));
    }

    [Theory]
    [MemberData(nameof(Schemas))]
    public async Task A_service_role_can_neither_read_nor_write_another_services_schema(string schema)
    {
        await MigrateAllAsync();
        var other = schema == ConsentDbContext.Schema ? CaseDbContext.Schema : ConsentDbContext.Schema;

        var read = await FailsAs(schema, $"SELECT count(*) FROM {other}.outbox_messages");
        var write = await FailsAs(schema, $"CREATE TABLE {other}.intruder (id int)");
        var publicSchema = await FailsAs(schema, "CREATE TABLE public.intruder (id int)");

        Assert.All(new[] { read, write, publicSchema }, e => Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, e.SqlState));
    }

    [Theory]
    [MemberData(nameof(AuditingSchemas))]
    public async Task The_services_own_role_can_insert_and_read_audit_entries_but_never_change_or_remove_them(string schema)
    {
        await MigrateAllAsync();
        var marker = $"append-only-{Guid.NewGuid():N}";
        Assert.Equal(1, await ExecuteAsAsync(schema, $"INSERT INTO {schema}.audit_entries (tenant_id, actor, actor_roles, action, purpose, at) VALUES ('t', '{marker}', 'staff', 'case.read', 'p', now())"));
        var partition = await postgres.ScalarAsync<string>($"SELECT tableoid::regclass::text FROM {schema}.audit_entries WHERE actor = '{marker}'");

        var attempts = new[]
        {
            $"UPDATE {schema}.audit_entries SET actor = 'someone else'",
            $"DELETE FROM {schema}.audit_entries",
            $"TRUNCATE {schema}.audit_entries",
            $"UPDATE {partition} SET actor = 'someone else'",
            $"DELETE FROM {partition}",
            $"TRUNCATE {partition}",
            $"ALTER TABLE {schema}.audit_entries DISABLE TRIGGER audit_append_only",
            $"ALTER TABLE {schema}.audit_entries DISABLE TRIGGER ALL",
            $"ALTER TABLE {partition} DISABLE TRIGGER ALL",
            $"DROP TRIGGER audit_append_only ON {schema}.audit_entries",
            $"CREATE OR REPLACE FUNCTION {schema}.audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN OLD; END $$",
            $"ALTER TABLE {schema}.audit_entries OWNER TO sip_{schema}",
            $"ALTER TABLE {schema}.audit_entries RENAME TO audit_entries_gone",
            $"ALTER TABLE {schema}.audit_entries DETACH PARTITION {partition}",
            $"DROP TABLE {partition}",
            $"DROP TABLE {schema}.audit_entries",
            $"DROP TABLE {schema}.audit_entries CASCADE",
            $"DROP SCHEMA {schema} CASCADE",
            $"ALTER SCHEMA {schema} RENAME TO {schema}_gone",
        };
        var allowed = new List<string>();
        foreach (var sql in attempts)
        {
            try
            {
                await ExecuteAsAsync(schema, sql);
                allowed.Add(sql);
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InsufficientPrivilege)
            {
            }
        }
        Assert.Empty(allowed);
        // GRANT without grant options only warns; what matters is that it gave nothing.
        await ExecuteAsAsync(schema, $"GRANT UPDATE, DELETE, TRUNCATE, TRIGGER ON {schema}.audit_entries TO sip_{schema}");
        Assert.False(await postgres.ScalarAsync<bool>($"SELECT has_table_privilege('sip_{schema}', '{schema}.audit_entries', 'UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES')"));
        Assert.False(await postgres.ScalarAsync<bool>($"SELECT has_table_privilege('sip_{schema}', '{partition}', 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, TRIGGER')"));
        Assert.Equal(1, await postgres.ScalarAsync<long>($"SELECT count(*) FROM {schema}.audit_entries WHERE actor = '{marker}'"));
        Assert.Equal(1, await postgres.ScalarAsync<long>($"SELECT count(*) FROM pg_trigger t WHERE t.tgrelid = '{schema}.audit_entries'::regclass AND t.tgname = 'audit_append_only' AND t.tgenabled = 'O'"));
        // Reading for review still works, and the service role may create next month's partition through the owner's function.
        Assert.Equal(-1, await ExecuteAsAsync(schema, $"SELECT count(*) FROM {schema}.audit_entries"));
        Assert.Equal(-1, await ExecuteAsAsync(schema, $"SELECT {schema}.audit_ensure_partitions(now(), now() + interval '3 months')"));
    }

    [Theory]
    [MemberData(nameof(AuditingSchemas))]
    public async Task The_audit_log_is_partitioned_by_month_with_a_year_ahead_and_both_review_indexes(string schema)
    {
        await MigrateAllAsync();
        Assert.Equal("p", await postgres.ScalarAsync<string>($"SELECT relkind::text FROM pg_class WHERE oid = '{schema}.audit_entries'::regclass"));
        Assert.Equal("RANGE (at)", await postgres.ScalarAsync<string>($"SELECT pg_get_partkeydef('{schema}.audit_entries'::regclass)"));
        for (var month = 0; month <= AuditLog.MigratePartitionsAheadMonths; month++)
        {
            var name = $"audit_entries_{DateTime.UtcNow.AddMonths(month):yyyyMM}";
            Assert.True(await postgres.ScalarAsync<bool>($"SELECT to_regclass('{schema}.{name}') IS NOT NULL"), name);
        }
        Assert.True(await postgres.ScalarAsync<bool>($"SELECT to_regclass('{schema}.audit_entries_default') IS NOT NULL"));
        var indexes = await postgres.ScalarAsync<string>($"SELECT string_agg(indexdef, ' | ') FROM pg_indexes WHERE schemaname = '{schema}' AND tablename = 'audit_entries'");
        Assert.Contains("ix_audit_individual ON ONLY", indexes);
        Assert.Contains("(tenant_id, individual_id, at)", indexes);
        Assert.Contains("(tenant_id, actor, at)", indexes);
    }

    [Fact]
    public async Task Partitioning_keeps_every_existing_audit_row_and_its_id()
    {
        // A database migrated as the previous release left it, with audit rows over several years.
        await using (var admin = new NpgsqlConnection(postgres.AdminConnectionString))
        {
            await admin.OpenAsync(Ct);
            await using var create = new NpgsqlCommand("CREATE DATABASE sip_upgrade", admin);
            await create.ExecuteNonQueryAsync(Ct);
        }
        var adminCs = new NpgsqlConnectionStringBuilder(postgres.AdminConnectionString) { Database = "sip_upgrade" }.ConnectionString;
        var cs = new NpgsqlConnectionStringBuilder(postgres.ServiceConnectionString(CaseDbContext.Schema)) { Database = "sip_upgrade" }.ConnectionString;
        await ServiceDatabase.ProvisionAsync(adminCs, cs, CaseDbContext.Schema, Ct);
        var options = new DbContextOptionsBuilder<CaseDbContext>()
            .UseNpgsql(cs, n => n.MigrationsHistoryTable(ServiceDatabaseRegistration.MigrationsHistoryTable, CaseDbContext.Schema)).Options;
        await using (var db = new CaseDbContext(options))
        {
            await db.GetService<Microsoft.EntityFrameworkCore.Migrations.IMigrator>().MigrateAsync("20261204184727_MeetingFacts", cancellationToken: Ct);
            Assert.Equal(0L, await ScalarAsync<long>(adminCs, "SELECT count(*) FROM pg_partitioned_table"));
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO cases.audit_entries (tenant_id, actor, actor_roles, action, individual_id, purpose, at)
                SELECT 'tenant-' || (g % 3), 'user-' || (g % 7), 'staff', 'case.read', gen_random_uuid(), 'Vård och omsorg', now() - g * interval '9 days'
                FROM generate_series(1, 300) g
                """, Ct);
        }
        var before = await ScalarAsync<string>(adminCs, "SELECT md5(string_agg(id || tenant_id || actor || individual_id || at::text, ',' ORDER BY id)) FROM cases.audit_entries");
        var maxId = await ScalarAsync<long>(adminCs, "SELECT max(id) FROM cases.audit_entries");

        await using (var db = new CaseDbContext(options))
        {
            await db.Database.MigrateAsync(Ct);
        }
        await ServiceDatabase.SecureAuditLogAsync(adminCs, cs, CaseDbContext.Schema, Ct);

        Assert.Equal(before, await ScalarAsync<string>(adminCs, "SELECT md5(string_agg(id || tenant_id || actor || individual_id || at::text, ',' ORDER BY id)) FROM cases.audit_entries"));
        Assert.Equal(0L, await ScalarAsync<long>(adminCs, "SELECT count(*) FROM cases.audit_entries_default"));
        Assert.True(await ScalarAsync<long>(adminCs, "SELECT count(DISTINCT tableoid) FROM cases.audit_entries") >= 36);
        // New rows continue the ids, never reuse one.
        await using (var connection = new NpgsqlConnection(cs))
        {
            await connection.OpenAsync(Ct);
            await using var insert = new NpgsqlCommand("INSERT INTO cases.audit_entries (tenant_id, actor, actor_roles, action, purpose, at) VALUES ('t', 'a', 'staff', 'case.read', 'p', now()) RETURNING id", connection);
            Assert.True((long)(await insert.ExecuteScalarAsync(Ct))! > maxId);
        }
    }

    private async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync(Ct))!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Provisioning_again_is_harmless_and_keeps_the_data()
    {
        await MigrateAllAsync();
        var before = await postgres.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE schemaname = 'statistics'");

        await postgres.CreateServiceSchemaAsync(StatisticsDbContext.Schema);
        await Migrate<StatisticsDbContext>(StatisticsDbContext.Schema, o => new StatisticsDbContext(o));

        Assert.Equal(before, await postgres.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE schemaname = 'statistics'"));
    }
}
