using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Sip.Messaging;
using Sip.Notification.Domain;
using Sip.ServiceDefaults.Data;

namespace Sip.Notification.Infrastructure;

public sealed class NotificationDbContext(DbContextOptions<NotificationDbContext> options) : DbContext(options)
{
    public const string Schema = "notification";

    public DbSet<UnitSubscription> UnitSubscriptions => Set<UnitSubscription>();
    public DbSet<Domain.Delivery> Deliveries => Set<Domain.Delivery>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.Entity<UnitSubscription>(e =>
        {
            e.ToTable("unit_subscriptions");
            e.HasKey(x => x.UnitId);
            e.Property(x => x.UnitId).HasColumnName("unit_id").ValueGeneratedNever();
            e.Property(x => x.TenantId).HasColumnName("tenant_id").HasMaxLength(64);
            e.Property(x => x.UnitName).HasColumnName("unit_name").HasMaxLength(200);
            e.Property(x => x.Email).HasColumnName("email").HasMaxLength(254);
            // Both guard against an older UnitUpdated overwriting a newer one handled at the same time (VersionGuard).
            e.Property(x => x.UpdatedAt).HasColumnName("updated_at").IsConcurrencyToken();
            e.Property(x => x.AppliedVersion).IsAppliedVersion();
        });
        modelBuilder.Entity<Domain.Delivery>(e =>
        {
            e.ToTable("deliveries");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id").ValueGeneratedNever();
            e.Property(x => x.TenantId).HasColumnName("tenant_id").HasMaxLength(64);
            e.Property(x => x.UnitId).HasColumnName("unit_id");
            e.Property(x => x.Channel).HasColumnName("channel").HasMaxLength(16);
            e.Property(x => x.Recipient).HasColumnName("recipient").HasMaxLength(254);
            e.Property(x => x.Subject).HasColumnName("subject").HasMaxLength(200);
            e.Property(x => x.Body).HasColumnName("body");
            e.Property(x => x.AttachmentFileName).HasColumnName("attachment_file_name").HasMaxLength(100);
            e.Property(x => x.AttachmentContentType).HasColumnName("attachment_content_type").HasMaxLength(100);
            e.Property(x => x.AttachmentContent).HasColumnName("attachment_content");
            e.Property(x => x.CaseReference).HasColumnName("case_reference").HasMaxLength(32);
            e.Property(x => x.SourceEventId).HasColumnName("source_event_id");
            e.Property(x => x.Status).HasColumnName("status").HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.Attempts).HasColumnName("attempts");
            e.Property(x => x.NextAttemptAt).HasColumnName("next_attempt_at");
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
            e.Property(x => x.SentAt).HasColumnName("sent_at");
            e.Property(x => x.LastError).HasColumnName("last_error").HasMaxLength(512);
            e.HasIndex(x => x.NextAttemptAt).HasFilter("status = 'Pending'").HasDatabaseName("ix_delivery_pending");
            e.HasIndex(x => new { x.TenantId, x.UnitId, x.CreatedAt }).HasDatabaseName("ix_delivery_unit");
            // One message per event, unit and channel, whatever reaches the consumer twice (see MailingConsumer.TellAsync).
            e.HasIndex(x => new { x.SourceEventId, x.UnitId, x.Channel }).IsUnique().HasDatabaseName("ux_delivery_event_unit");
        });
        modelBuilder.AddSipMessaging();
    }
}

internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<NotificationDbContext>
{
    public NotificationDbContext CreateDbContext(string[] args) =>
        new(ServiceDatabaseRegistration.DesignTimeOptions<NotificationDbContext>(NotificationDbContext.Schema));
}
