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
            e.Property(x => x.IdentityValue).HasColumnName("identity_value").HasMaxLength(64);
            e.Property(x => x.IdentityFormat).HasColumnName("identity_format").HasMaxLength(64);
            e.Property(x => x.BirthDate).HasColumnName("birth_date");
            e.Property(x => x.RegisteredByUnitId).HasColumnName("registered_by_unit_id");
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
            e.Property(x => x.ChangedAt).HasColumnName("changed_at");
            e.Property(x => x.MergedIntoId).HasColumnName("merged_into_id");
            e.Property(x => x.Identifiers).HasColumnName("identifiers").AsJson();
            e.Property(x => x.Representatives).HasColumnName("representatives").AsJson();
            e.Property(x => x.SingleGuardianConsentReason).HasColumnName("single_guardian_consent_reason").HasMaxLength(500);
            e.Property(x => x.ProtectedIdentity).HasColumnName("protected_identity");
            e.Property(x => x.EntitledUnitIds).HasColumnName("entitled_unit_ids");
            e.Property(x => x.Contact).HasColumnName("contact").AsJson();
            e.Property(x => x.Placement).HasColumnName("placement").AsJson();
            e.Property<uint>("RowVersion").IsRowVersion();
            e.Ignore(x => x.Identifier);
            e.HasIndex(x => new { x.TenantId, x.IdentityKind, x.IdentityValue }).IsUnique().HasDatabaseName("ux_individual_identity");
            e.HasIndex(x => x.Identifiers).HasMethod("gin").HasDatabaseName("ix_individual_identifier_history");
        });
        modelBuilder.Entity<Domain.Consent>(e =>
        {
            e.ToTable("consents");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id").ValueGeneratedNever();
            e.Property(x => x.TenantId).HasColumnName("tenant_id").HasMaxLength(64);
            e.Property(x => x.IndividualId).HasColumnName("individual_id");
            e.Property(x => x.Basis).HasColumnName("basis").HasConversion<string>().HasMaxLength(32);
            e.Property(x => x.Status).HasColumnName("status").HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.Declarations).HasColumnName("declarations").AsJson();
            e.Property(x => x.ChildView).HasColumnName("child_view").AsJson();
            e.Property(x => x.Presumed).HasColumnName("presumed").AsJson();
            e.Property(x => x.Exception).HasColumnName("exception_decision").AsJson();
            e.Property(x => x.UnitIds).HasColumnName("unit_ids");
            e.Property(x => x.ExcludedCategories).HasColumnName("excluded_categories").AsJson();
            e.Property(x => x.CopyRecipientIds).HasColumnName("copy_recipient_ids");
            e.Property(x => x.CopyToIndividual).HasColumnName("copy_to_individual");
            e.Property(x => x.ValidFrom).HasColumnName("valid_from");
            e.Property(x => x.ValidUntil).HasColumnName("valid_until");
            e.Property(x => x.RecordedBy).HasColumnName("recorded_by").HasMaxLength(128);
            e.Property(x => x.RecordedByUnitId).HasColumnName("recorded_by_unit_id");
            e.Property(x => x.RecordedAt).HasColumnName("recorded_at");
            e.Property(x => x.ChangedAt).HasColumnName("changed_at");
            e.Property(x => x.DecidedAt).HasColumnName("decided_at");
            e.Property(x => x.Withdrawal).HasColumnName("withdrawal").AsJson();
            e.Property(x => x.ExpiredAt).HasColumnName("expired_at");
            e.Property(x => x.ScopeHistory).HasColumnName("scope_history").AsJson();
            e.Property<uint>("RowVersion").IsRowVersion();
            e.Ignore(x => x.IsActive);
            e.HasOne<Individual>().WithMany().HasForeignKey(x => x.IndividualId);
            e.HasIndex(x => new { x.TenantId, x.IndividualId, x.RecordedAt }).HasDatabaseName("ix_consent_individual");
            // At most one consent in force (or waiting for answers) per person: a second one overlaps or contradicts it.
            e.HasIndex(x => new { x.TenantId, x.IndividualId }).IsUnique().HasFilter("status IN ('Pending', 'Given')").HasDatabaseName("ux_consent_active");
            // The expiry worker's scan.
            e.HasIndex(x => x.ValidUntil).HasFilter("status IN ('Pending', 'Given')").HasDatabaseName("ix_consent_active_valid_until");
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
