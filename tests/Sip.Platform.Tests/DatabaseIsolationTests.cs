using Microsoft.EntityFrameworkCore;
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

    private async Task Migrate<T>(string schema, Func<DbContextOptions<T>, T> create) where T : DbContext
    {
        var cs = await postgres.CreateServiceSchemaAsync(schema);
        var options = new DbContextOptionsBuilder<T>()
            .UseNpgsql(cs, n => n.MigrationsHistoryTable(ServiceDatabaseRegistration.MigrationsHistoryTable, schema)).Options;
        await using var db = create(options);
        await db.Database.MigrateAsync(Ct);
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
    public async Task Each_service_migrates_into_a_schema_its_own_role_owns(string schema)
    {
        await MigrateAllAsync();
        Assert.Equal($"sip_{schema}", await postgres.ScalarAsync<string>($"SELECT schema_owner FROM information_schema.schemata WHERE schema_name = '{schema}'"));
        Assert.Equal(0, await postgres.ScalarAsync<long>($"SELECT count(*) FROM pg_tables WHERE schemaname = '{schema}' AND tableowner <> 'sip_{schema}'"));
        Assert.True(await postgres.ScalarAsync<long>($"SELECT count(*) FROM pg_tables WHERE schemaname = '{schema}' AND tablename IN ('outbox_messages', 'inbox_messages')") == 2);
        Assert.Equal(1, await postgres.ScalarAsync<long>($"SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '{schema}' AND t.tgname = 'outbox_notify'"));
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
    [InlineData("consent")]
    [InlineData("cases")]
    public async Task Audit_entries_are_append_only(string schema)
    {
        await MigrateAllAsync();
        await using (var connection = new NpgsqlConnection(postgres.ServiceConnectionString(schema)))
        {
            await connection.OpenAsync(Ct);
            await using var insert = new NpgsqlCommand($"INSERT INTO {schema}.audit_entries (tenant_id, actor, actor_roles, action, purpose, at) VALUES ('t', 'a', 'staff', 'case.read', 'p', now())", connection);
            Assert.Equal(1, await insert.ExecuteNonQueryAsync(Ct));
        }

        foreach (var sql in new[] { $"UPDATE {schema}.audit_entries SET actor = 'someone else'", $"DELETE FROM {schema}.audit_entries", $"TRUNCATE {schema}.audit_entries" })
        {
            var e = await FailsAs(schema, sql);
            Assert.Contains("append-only", e.MessageText);
        }
        Assert.True(await postgres.ScalarAsync<long>($"SELECT count(*) FROM {schema}.audit_entries") >= 1);
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
