using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Sip.ServiceDefaults.Data;

/// <summary>
/// Keeps <see cref="AuditLog.ServicePartitionsAheadMonths"/> months of audit partitions ahead: once at start and then
/// every six hours it calls <c>audit_ensure_partitions</c> (a few catalogue look-ups when nothing is missing). The migrate
/// step already creates a year ahead; this covers a service that runs longer than that between releases.
/// A failure is logged and retried; rows of a month without a partition land in the default partition meanwhile.
/// </summary>
public sealed class AuditPartitionMaintenance<TDbContext>(IServiceScopeFactory scopes, string schema, ILogger<AuditPartitionMaintenance<TDbContext>> log)
    : BackgroundService where TDbContext : DbContext
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(6);

    private readonly string _sql = $"SELECT \"{schema}\".audit_ensure_partitions(now(), now() + interval '{AuditLog.ServicePartitionsAheadMonths} months') AS \"Value\"";

    public async Task<int> EnsureAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        return await db.Database
            .SqlQueryRaw<int>(_sql)
            .SingleAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var created = await EnsureAsync(stoppingToken);
                if (created > 0)
                {
                    log.LogInformation("Created {Count} monthly audit partitions in schema {Schema}", created, schema);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Could not check the audit partitions of schema {Schema}; retrying later", schema);
            }
            try
            {
                await Task.Delay(Interval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}

public static class AuditPartitionMaintenanceRegistration
{
    public static IServiceCollection AddAuditPartitionMaintenance<TDbContext>(this IServiceCollection services, string schema)
        where TDbContext : DbContext =>
        services.AddHostedService(sp => new AuditPartitionMaintenance<TDbContext>(
            sp.GetRequiredService<IServiceScopeFactory>(), schema, sp.GetRequiredService<ILogger<AuditPartitionMaintenance<TDbContext>>>()));
}
