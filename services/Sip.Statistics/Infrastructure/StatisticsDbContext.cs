using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Sip.Messaging;
using Sip.ServiceDefaults.Data;

namespace Sip.Statistics.Infrastructure;

/// <summary>
/// The statistics projection, rolled up per dimension: how many facts of a series fell in a month in one group of one
/// dimension, with this bucket value and outcome. Only tables by one dimension are published, so nothing finer is kept:
/// <c>geo</c> keeps region, municipality and unit together (suppressed together), every other dimension its group alone.
/// Every published table is a sum over one dimension's rows.
/// </summary>
public sealed class Rollup
{
    public string TenantId { get; init; } = "";
    public string Series { get; init; } = "";
    public DateOnly Month { get; init; }
    public string Dimension { get; init; } = "";
    public string Grp { get; init; } = "";
    public string RegionCode { get; init; } = "";
    public string MunicipalityCode { get; init; } = "";
    public string UnitId { get; init; } = "";
    public int Value { get; init; }
    public bool Outcome { get; init; }
    public long Count { get; init; }
}

/// <summary>
/// The version of one tenant's month of the cube: raised by a trigger on <c>statistics.rollups</c> in the transaction that
/// changes any rollup of the month (a fact counted, a rebuild), so a month published from an older version is known stale.
/// </summary>
public sealed class CubeMonth
{
    public string TenantId { get; init; } = "";
    public DateOnly Month { get; init; }
    public long Version { get; init; }
}

/// <summary>
/// One month of a published table (measure, dimension, threshold), suppression applied, as JSON, with the cube version it
/// was made from and the code's <see cref="Apis.MeasuresApi.CellsFormat"/>: what a later query serves again while both are unchanged.
/// </summary>
public sealed class PublishedMonth
{
    public string TenantId { get; init; } = "";
    public string Measure { get; init; } = "";
    public string By { get; init; } = "";
    public int Threshold { get; init; }
    public DateOnly Month { get; init; }
    public long Version { get; init; }
    public int Format { get; init; }
    public byte[] Cells { get; init; } = [];
}

/// <summary>
/// Every statistics fact received, as it came (pseudonymous: no case or person id), so the cube can be rebuilt by
/// replaying them (<see cref="Sip.Statistics.Domain.Rebuild"/>). Never published: only the cube's suppressed tables are.
/// </summary>
public sealed class FactLogEntry
{
    public Guid EventId { get; init; }
    public string FactType { get; init; } = "";
    public string Payload { get; init; } = "";
    public DateTimeOffset ReceivedAt { get; init; }
}

public sealed class StatisticsDbContext(DbContextOptions<StatisticsDbContext> options) : DbContext(options)
{
    public const string Schema = "statistics";

    public DbSet<Rollup> Rollups => Set<Rollup>();
    public DbSet<FactLogEntry> FactLog => Set<FactLogEntry>();
    public DbSet<CubeMonth> CubeMonths => Set<CubeMonth>();
    public DbSet<PublishedMonth> PublishedMonths => Set<PublishedMonth>();
    public DbSet<SurveyCode> SurveyCodes => Set<SurveyCode>();
    public DbSet<SurveyResponse> SurveyResponses => Set<SurveyResponse>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        var rollups = modelBuilder.Entity<Rollup>();
        rollups.ToTable("rollups");
        rollups.HasKey(x => new { x.TenantId, x.Dimension, x.Series, x.Month, x.Grp, x.RegionCode, x.MunicipalityCode, x.UnitId, x.Value, x.Outcome });
        rollups.Property(x => x.TenantId).HasColumnName("tenant_id").HasMaxLength(64);
        rollups.Property(x => x.Series).HasColumnName("series").HasMaxLength(64);
        rollups.Property(x => x.Month).HasColumnName("month");
        rollups.Property(x => x.Dimension).HasColumnName("dimension").HasMaxLength(16);
        rollups.Property(x => x.Grp).HasColumnName("grp").HasMaxLength(32);
        rollups.Property(x => x.RegionCode).HasColumnName("region_code").HasMaxLength(4);
        rollups.Property(x => x.MunicipalityCode).HasColumnName("municipality_code").HasMaxLength(4);
        rollups.Property(x => x.UnitId).HasColumnName("unit_id").HasMaxLength(36);
        rollups.Property(x => x.Value).HasColumnName("value");
        rollups.Property(x => x.Outcome).HasColumnName("outcome");
        rollups.Property(x => x.Count).HasColumnName("count");
        var log = modelBuilder.Entity<FactLogEntry>();
        log.ToTable("fact_log");
        log.HasKey(x => x.EventId);
        log.Property(x => x.EventId).HasColumnName("event_id");
        log.Property(x => x.FactType).HasColumnName("fact_type").HasMaxLength(64);
        log.Property(x => x.Payload).HasColumnName("payload").HasColumnType("jsonb");
        log.Property(x => x.ReceivedAt).HasColumnName("received_at");
        PublishedTables(modelBuilder);
        SurveyTables(modelBuilder);
        modelBuilder.AddSipMessaging();
    }

    private static void PublishedTables(ModelBuilder modelBuilder)
    {
        var months = modelBuilder.Entity<CubeMonth>();
        months.ToTable("cube_months");
        months.HasKey(x => new { x.TenantId, x.Month });
        months.Property(x => x.TenantId).HasColumnName("tenant_id").HasMaxLength(64);
        months.Property(x => x.Month).HasColumnName("month");
        months.Property(x => x.Version).HasColumnName("version");
        var published = modelBuilder.Entity<PublishedMonth>();
        published.ToTable("published_months");
        published.HasKey(x => new { x.TenantId, x.Measure, x.By, x.Threshold, x.Month });
        published.Property(x => x.TenantId).HasColumnName("tenant_id").HasMaxLength(64);
        published.Property(x => x.Measure).HasColumnName("measure").HasMaxLength(64);
        published.Property(x => x.By).HasColumnName("dimension").HasMaxLength(32);
        published.Property(x => x.Threshold).HasColumnName("threshold");
        published.Property(x => x.Month).HasColumnName("month");
        published.Property(x => x.Version).HasColumnName("version");
        published.Property(x => x.Format).HasColumnName("format");
        published.Property(x => x.Cells).HasColumnName("cells");
    }

    private static void SurveyTables(ModelBuilder modelBuilder)
    {
        var codes = modelBuilder.Entity<SurveyCode>();
        codes.ToTable("survey_codes");
        codes.HasKey(x => x.CodeHash);
        codes.Property(x => x.CodeHash).HasColumnName("code_hash").HasMaxLength(64);
        codes.Property(x => x.TenantId).HasColumnName("tenant_id").HasMaxLength(64);
        codes.Property(x => x.IssuedMonth).HasColumnName("issued_month");
        codes.Property(x => x.ExpiresAt).HasColumnName("expires_at");
        codes.Property(x => x.Redeemed).HasColumnName("redeemed");
        var responses = modelBuilder.Entity<SurveyResponse>();
        responses.ToTable("survey_responses");
        responses.HasKey(x => x.Id);
        responses.Ignore(x => x.Values);
        responses.HasIndex(x => new { x.TenantId, x.Year });
        responses.HasIndex(x => new { x.TenantId, x.PersonalCodeHash, x.Round }).IsUnique();
        responses.Property(x => x.Id).HasColumnName("id");
        responses.Property(x => x.TenantId).HasColumnName("tenant_id").HasMaxLength(64);
        responses.Property(x => x.Year).HasColumnName("year");
        responses.Property(x => x.AgeBand).HasColumnName("age_band").HasMaxLength(8);
        responses.Property(x => x.Sex).HasColumnName("sex").HasMaxLength(8);
        responses.Property(x => x.MunicipalityCode).HasColumnName("municipality_code").HasMaxLength(4);
        responses.Property(x => x.CountyCode).HasColumnName("county_code").HasMaxLength(2);
        responses.Property(x => x.Declined).HasColumnName("declined");
        responses.Property(x => x.Respect).HasColumnName("respect");
        responses.Property(x => x.Participation).HasColumnName("participation");
        responses.Property(x => x.Relevance).HasColumnName("relevance");
        responses.Property(x => x.Structure).HasColumnName("structure");
        responses.Property(x => x.Information).HasColumnName("information");
        responses.Property(x => x.PersonalCodeHash).HasColumnName("personal_code_hash").HasMaxLength(64);
        responses.Property(x => x.Round).HasColumnName("round");
    }
}

internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<StatisticsDbContext>
{
    public StatisticsDbContext CreateDbContext(string[] args) =>
        new(ServiceDatabaseRegistration.DesignTimeOptions<StatisticsDbContext>(StatisticsDbContext.Schema));
}
