using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Sip.Consent.Domain;
using Sip.Messaging;
using Sip.ServiceDefaults.Data;

namespace Sip.Consent.Infrastructure;

public sealed class ConsentDbContext(DbContextOptions<ConsentDbContext> options) : DbContext(options)
{
    public const string Schema = "consent";

    public DbSet<Individual> Individuals => Set<Individual>();
    public DbSet<Domain.Consent> Consents => Set<Domain.Consent>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.Entity<Individual>(e =>
        {
            e.ToTable("individuals");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id").ValueGeneratedNever();
            e.Property(x => x.TenantId).HasColumnName("tenant_id").HasMaxLength(64);
            e.Property(x => x.IdentityKind).HasColumnName("identity_kind").HasConversion<string>().HasMaxLength(32);
            e.Property(x => x.IdentityValue).HasColumnName("identity_value").HasMaxLength(32);
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
            e.HasIndex(x => new { x.TenantId, x.IdentityKind, x.IdentityValue }).IsUnique().HasDatabaseName("ux_individual_identity");
        });
        modelBuilder.Entity<Domain.Consent>(e =>
        {
            e.ToTable("consents");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id").ValueGeneratedNever();
            e.Property(x => x.TenantId).HasColumnName("tenant_id").HasMaxLength(64);
            e.Property(x => x.IndividualId).HasColumnName("individual_id");
            e.Property(x => x.Form).HasColumnName("form").HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.Status).HasColumnName("status").HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.UnitIds).HasColumnName("unit_ids");
            e.Property(x => x.ValidFrom).HasColumnName("valid_from");
            e.Property(x => x.ValidUntil).HasColumnName("valid_until");
            e.Property(x => x.RecordedBy).HasColumnName("recorded_by").HasMaxLength(128);
            e.Property(x => x.RecordedByUnitId).HasColumnName("recorded_by_unit_id");
            e.Property(x => x.RecordedAt).HasColumnName("recorded_at");
            e.HasOne<Individual>().WithMany().HasForeignKey(x => x.IndividualId);
            e.HasIndex(x => new { x.TenantId, x.IndividualId }).HasDatabaseName("ix_consent_individual");
        });
        modelBuilder.AddAuditLog();
        modelBuilder.AddSipMessaging();
    }
}

internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<ConsentDbContext>
{
    public ConsentDbContext CreateDbContext(string[] args) =>
        new(ServiceDatabaseRegistration.DesignTimeOptions<ConsentDbContext>(ConsentDbContext.Schema));
}
