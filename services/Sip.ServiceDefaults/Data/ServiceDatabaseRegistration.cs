using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Sip.ServiceDefaults.Data;

public static class ServiceDatabaseRegistration
{
    public const string MigrationsHistoryTable = "__ef_migrations_history";

    /// <summary>
    /// The service's data source (its own role), its DbContext in its own schema, and a readiness check: the database
    /// answers the service's role and its schema has the newest migration this code was built with.
    /// </summary>
    public static IHostApplicationBuilder AddServiceDatabase<TDbContext>(this IHostApplicationBuilder builder, string schema)
        where TDbContext : DbContext
    {
        var dataSource = CreateDataSource(builder.Configuration.RequiredDatabaseConnectionString("Database"), builder.Environment.ApplicationName);
        builder.Services.AddSingleton(dataSource);
        // Pooled: a context per request without building one each time (the consent check sits in front of every read of a case).
        // With the interceptors registered in DI, e.g. messaging's, which wakes the outbox dispatcher when events commit.
        builder.Services.AddDbContextPool<TDbContext>((sp, o) => o
            .UseNpgsql(dataSource, n => n.MigrationsHistoryTable(MigrationsHistoryTable, schema))
            .AddRegisteredInterceptors(sp));
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration("database",
            sp => new SchemaVersionCheck<TDbContext>(sp, dataSource, schema), HealthStatus.Unhealthy, [Extensions.ReadyTag]));
        return builder;
    }

    /// <summary>Every <see cref="Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor"/> registered in DI (messaging registers one).</summary>
    public static DbContextOptionsBuilder AddRegisteredInterceptors(this DbContextOptionsBuilder options, IServiceProvider services) =>
        options.AddInterceptors(services.GetServices<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor>());

    public static NpgsqlDataSource CreateDataSource(string connectionString, string applicationName)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.ApplicationName ??= applicationName;
        // Detects a dropped LISTEN connection in the outbox dispatcher.
        if (builder.ConnectionStringBuilder.KeepAlive == 0)
        {
            builder.ConnectionStringBuilder.KeepAlive = 30;
        }
        // A connection going back to the pool is not reset with DISCARD ALL: that was a round trip of its own for every
        // use, more than half of the statements case sent for a plan read (issue 14, load run Z). The services keep no
        // session state: settings are SET LOCAL and locks transaction-scoped (the migrate step's session lock is taken on
        // a connection of its own, not from this source); the outbox's LISTEN connection stays open while it listens.
        builder.ConnectionStringBuilder.NoResetOnClose = true;
        // Statements a connection has run a few times are prepared on it, so PostgreSQL parses and plans them once per
        // connection instead of once per use (issue 14, load run AA). EF's SQL for a query is the same text every time,
        // and lists are array parameters, so a service has a few dozen distinct statements. PgBouncer in front of the
        // database runs in session mode (k8s/postgresql.yaml), which keeps a prepared statement with its connection.
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = 100;
        }
        // A pool smaller than the server's connection slots: work beyond it waits for a connection (up to the connection
        // string's Timeout) instead of being refused by PostgreSQL. Npgsql's own default of 100 is the whole of a stock
        // server's max_connections, and statistics' seven consumers, 32 messages each at a time, reached it on a burst of
        // facts ("53300: remaining connection slots are reserved", CI, issue 14). Five services × 30 fit the local
        // runner's 300; the chart names a pool per pod (database.maxPoolSize) that fits PgBouncer's connections per role.
        if (!NamesPoolSize(connectionString))
        {
            builder.ConnectionStringBuilder.MaxPoolSize = DefaultMaxPoolSize;
        }
        return builder.Build();
    }

    // NpgsqlConnectionStringBuilder.ContainsKey answers for every keyword it knows, so the string's own keys are read.
    private static bool NamesPoolSize(string connectionString) =>
        new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(k => k.Replace(" ", "", StringComparison.Ordinal))
            .Any(k => k.Equals("MaximumPoolSize", StringComparison.OrdinalIgnoreCase) || k.Equals("MaxPoolSize", StringComparison.OrdinalIgnoreCase));

    /// <summary>A service's pool when its connection string names none (<c>Maximum Pool Size</c>).</summary>
    public const int DefaultMaxPoolSize = 30;

    public static DbContextOptions<TDbContext> DesignTimeOptions<TDbContext>(string schema) where TDbContext : DbContext =>
        new DbContextOptionsBuilder<TDbContext>()
            .UseNpgsql("Host=127.0.0.1;Database=design;Username=design", n => n.MigrationsHistoryTable(MigrationsHistoryTable, schema))
            .Options;
}
