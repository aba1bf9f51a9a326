using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Sip.Messaging;
using Sip.ServiceDefaults.Data;

namespace Sip.Statistics.Infrastructure;

public sealed class InitiativeCount
{
    public string TenantId { get; init; } = "";
    public string MunicipalityCode { get; init; } = "";
    public DateOnly Month { get; init; }
    public long Initiatives { get; init; }
}

public sealed class StatisticsDbContext(DbContextOptions<StatisticsDbContext> options) : DbContext(options)
{
    public const string Schema = "statistics";

    public DbSet<InitiativeCount> InitiativeCounts => Set<InitiativeCount>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.Entity<InitiativeCount>(e =>
        {
            e.ToTable("initiative_counts");
            e.HasKey(x => new { x.TenantId, x.MunicipalityCode, x.Month });
            e.Property(x => x.TenantId).HasColumnName("tenant_id").HasMaxLength(64);
            e.Property(x => x.MunicipalityCode).HasColumnName("municipality_code").HasMaxLength(4);
            e.Property(x => x.Month).HasColumnName("month");
            e.Property(x => x.Initiatives).HasColumnName("initiatives");
        });
        modelBuilder.AddSipMessaging();
    }
}

internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<StatisticsDbContext>
{
    public StatisticsDbContext CreateDbContext(string[] args) =>
        new(ServiceDatabaseRegistration.DesignTimeOptions<StatisticsDbContext>(StatisticsDbContext.Schema));
}
