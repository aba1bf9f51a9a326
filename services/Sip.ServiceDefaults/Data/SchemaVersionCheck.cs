using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Sip.ServiceDefaults.Data;

/// <summary>
/// Readiness of a service's database: one query, as the service's own role, that its schema holds the newest migration
/// the running code was built with. A schema that is newer (the next release migrated it before its pods rolled out)
/// is ready too: migrations only add, so the code before them still works against it. Unhealthy when the database
/// does not answer, the schema or its history table is missing, or the code's newest migration has not been applied.
/// </summary>
public sealed class SchemaVersionCheck<TDbContext>(IServiceProvider services, NpgsqlDataSource dataSource, string schema) : IHealthCheck
    where TDbContext : DbContext
{
    private static string? _expected;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var expected = _expected ??= ExpectedMigration();
        try
        {
            await using var command = dataSource.CreateCommand(
                $"SELECT EXISTS (SELECT 1 FROM {schema}.{ServiceDatabaseRegistration.MigrationsHistoryTable} WHERE \"MigrationId\" = $1)");
            command.Parameters.Add(new NpgsqlParameter { Value = expected });
            return await command.ExecuteScalarAsync(cancellationToken) is true
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"schema {schema} lacks migration {expected}; run the migrate step");
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName)
        {
            return HealthCheckResult.Unhealthy($"schema {schema} is not migrated; run the migrate step");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy(e.GetType().Name);
        }
    }

    private string ExpectedMigration()
    {
        using var scope = services.CreateScope();
        return scope.ServiceProvider.GetRequiredService<TDbContext>().Database.GetMigrations().LastOrDefault()
            ?? throw new InvalidOperationException($"{typeof(TDbContext).Name} has no migrations.");
    }
}
