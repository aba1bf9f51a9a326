using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Sip.ServiceDefaults.Auth;
using Sip.ServiceDefaults.Data;
using Sip.Statistics.Infrastructure;
using Sip.Testing;

namespace Sip.Statistics.Tests.Service;

/// <summary>
/// What Kubernetes is told about a service, on the real statistics service, PostgreSQL and RabbitMQ: ready means its
/// database answers and its schema has the code's newest migration, not that the broker is there; and its migrate step
/// refuses to run beside another one. The database password comes by reference (<c>Database:Password</c>), with
/// characters a connection string cannot hold.
/// </summary>
[Collection(nameof(ServiceHealthTests))]
public sealed class ServiceHealthTests : IAsyncLifetime
{
    // ; and ' break a connection string or SQL literal pasted together; = and spaces a key=value parser; ö an ASCII one.
    private const string Password = "p;w'd=\"x y\\ö€";

    private readonly PostgresFixture _postgres = new();
    private readonly RabbitMqFixture _rabbit = new();
    private readonly string _keyFile = Path.Combine(Path.GetTempPath(), $"sip-health-tests-{Guid.NewGuid():N}.pem");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await Task.WhenAll(_postgres.InitializeAsync().AsTask(), _rabbit.InitializeAsync().AsTask());
        DevelopmentTokens.CreateKeyFileIfMissing(_keyFile);
    }

    public async ValueTask DisposeAsync()
    {
        File.Delete(_keyFile);
        await _postgres.DisposeAsync();
        await _rabbit.DisposeAsync();
    }

    private string WithoutPassword(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Password = null }.ConnectionString;

    [Fact]
    public async Task Ready_means_the_schema_has_the_codes_newest_migration_and_stays_ready_while_only_the_broker_is_down()
    {
        var service = new NpgsqlConnectionStringBuilder(_postgres.ServiceConnectionString(StatisticsDbContext.Schema)) { Password = Password };
        await ServiceDatabase.ProvisionAsync(_postgres.AdminConnectionString, service.ConnectionString, StatisticsDbContext.Schema, Ct);
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("ConnectionStrings:Database", WithoutPassword(service.ConnectionString));
            builder.UseSetting("Database:Password", Password);
            builder.UseSetting("Auth:DevSigningKeyFile", _keyFile);
            foreach (var (key, value) in _rabbit.Configuration())
            {
                builder.UseSetting(key, value);
            }
            builder.ConfigureLogging(l => l.ClearProviders());
        });
        using var client = factory.CreateClient();

        // The database answers the password given by reference, but the schema is empty: not ready, and it says why.
        using (var before = await client.GetAsync("/health/ready", Ct))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, before.StatusCode);
        }
        var report = await ReadyCheckDescriptionAsync(factory);
        Assert.Contains("statistics", report, StringComparison.Ordinal);
        Assert.Contains("migrate", report, StringComparison.Ordinal);

        // Migrated up to one before the newest: still not ready, for this code expects the newest.
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<StatisticsDbContext>();
            var migrations = db.Database.GetMigrations().ToList();
            Assert.True(migrations.Count >= 2, "statistics has at least two migrations to step through");
            await db.GetService<Microsoft.EntityFrameworkCore.Migrations.IMigrator>().MigrateAsync(migrations[^2], Ct);
        }
        using (var behind = await client.GetAsync("/health/ready", Ct))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, behind.StatusCode);
        }

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<StatisticsDbContext>().Database.MigrateAsync(Ct);
        }
        using (var after = await client.GetAsync("/health/ready", Ct))
        {
            Assert.True(after.StatusCode == HttpStatusCode.OK, await ReadyCheckDescriptionAsync(factory));
        }
        await Eventually.HoldsAsync(async () => (await client.GetAsync("/health/bus", Ct)).IsSuccessStatusCode, TimeSpan.FromSeconds(60), "the bus is connected");
        await Eventually.HoldsAsync(async () => await BrokerConnectedAsync(client) == "1", TimeSpan.FromSeconds(30), "the broker gauge says connected");

        // The broker goes away: the bus says so, readiness does not, and the API still answers.
        await _rabbit.StopBrokerAsync();
        await Eventually.HoldsAsync(async () => (await client.GetAsync("/health/bus", Ct)).StatusCode == HttpStatusCode.ServiceUnavailable,
            TimeSpan.FromSeconds(60), "the bus reports the broker gone");
        await Eventually.HoldsAsync(async () => await BrokerConnectedAsync(client) == "0", TimeSpan.FromSeconds(30), "the broker gauge says disconnected");
        for (var i = 0; i < 5; i++)
        {
            using var ready = await client.GetAsync("/health/ready", Ct);
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            await Task.Delay(TimeSpan.FromMilliseconds(200), Ct);
        }
        using var statistician = factory.CreateClient();
        statistician.DefaultRequestHeaders.Authorization = new("Bearer",
            DevelopmentTokens.Mint(_keyFile, new TokenRequest("statistician-1", "Test Testsson", "health-test", [], [SipRoles.Statistician])));
        using var read = await statistician.GetAsync("/api/v1/statistics/measures/initiatives", Ct);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Contains("sip_statistics_tables_total", await client.GetStringAsync("/metrics", Ct));
    }

    /// <summary>The value of <c>sip_broker_connected</c> on /metrics, as written there.</summary>
    private static async Task<string?> BrokerConnectedAsync(HttpClient client)
    {
        var metrics = await client.GetStringAsync("/metrics", Ct);
        return System.Text.RegularExpressions.Regex.Match(metrics, @"^sip_broker_connected\{[^}]*\} (\S+)", System.Text.RegularExpressions.RegexOptions.Multiline)
            is { Success: true } m ? m.Groups[1].Value : null;
    }

    private static async Task<string> ReadyCheckDescriptionAsync(WebApplicationFactory<Program> factory)
    {
        var checks = factory.Services.GetRequiredService<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckService>();
        var result = await checks.CheckHealthAsync(r => r.Name == "database", Ct);
        return result.Entries["database"].Description ?? "";
    }

    [Fact]
    public async Task A_migrate_step_refuses_to_run_while_another_migrates_the_same_schema_and_runs_once_it_is_done()
    {
        // A database of its own, so the other test's schema is left alone.
        await using (var admin = new NpgsqlConnection(_postgres.AdminConnectionString))
        {
            await admin.OpenAsync(Ct);
            await using var create = new NpgsqlCommand("CREATE DATABASE migrate_lock", admin);
            await create.ExecuteNonQueryAsync(Ct);
        }
        var adminOnDatabase = new NpgsqlConnectionStringBuilder(_postgres.AdminConnectionString) { Database = "migrate_lock" }.ConnectionString;
        var service = new NpgsqlConnectionStringBuilder(_postgres.ServiceConnectionString(StatisticsDbContext.Schema)) { Database = "migrate_lock", Password = Password };

        async Task<int> MigrateStepAsync()
        {
            var builder = WebApplication.CreateBuilder();
            builder.Logging.ClearProviders();
            builder.Configuration["ConnectionStrings:Database"] = WithoutPassword(service.ConnectionString);
            builder.Configuration["Database:Password"] = Password;
            builder.Configuration["ConnectionStrings:DatabaseAdmin"] = adminOnDatabase;
            builder.AddServiceDatabase<StatisticsDbContext>(StatisticsDbContext.Schema);
            await using var app = builder.Build();
            var exitCode = Environment.ExitCode;
            try
            {
                Assert.True(await app.TryRunMigrateCommandAsync<StatisticsDbContext>([ServiceDatabase.MigrateCommand], StatisticsDbContext.Schema));
                return Environment.ExitCode;
            }
            finally
            {
                Environment.ExitCode = exitCode;
            }
        }

        async Task<bool> SchemaExistsAsync()
        {
            await using var connection = new NpgsqlConnection(adminOnDatabase);
            await connection.OpenAsync(Ct);
            await using var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'statistics')", connection);
            return await command.ExecuteScalarAsync(Ct) is true;
        }

        await using (var running = await ServiceDatabase.TryLockMigrationsAsync(adminOnDatabase, StatisticsDbContext.Schema, Ct))
        {
            Assert.NotNull(running);
            Assert.Equal(ServiceDatabase.AlreadyRunningExitCode, await MigrateStepAsync());
            Assert.False(await SchemaExistsAsync(), "the refused step provisioned or migrated nothing");
        }

        // The holder's session ends when its backend has gone, a moment after the client closed it: the step runs once it has.
        await Eventually.HoldsAsync(async () => await MigrateStepAsync() == 0, TimeSpan.FromSeconds(30), "the migrate step runs once the other is done");
        Assert.True(await SchemaExistsAsync());
        await using var asService = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(service.ConnectionString).ConnectionString);
        await asService.OpenAsync(Ct);
        await using var count = new NpgsqlCommand($"SELECT count(*) FROM statistics.{ServiceDatabaseRegistration.MigrationsHistoryTable}", asService);
        Assert.True((long)(await count.ExecuteScalarAsync(Ct))! >= 2, "the migrate step applied the migrations, as the service's role, with its password given apart");
    }
}

/// <summary>
/// Alone, after the other classes: these tests read /metrics, and an OpenTelemetry exporter takes instruments by meter name
/// from the whole process. Another class's service host alive at the same time adds its own broker gauge (same labels) to
/// this one's /metrics, and one disposed meanwhile takes the shared series away from it.
/// </summary>
[CollectionDefinition(nameof(ServiceHealthTests), DisableParallelization = true)]
public sealed class ServiceHealthCollection;
