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
    public DbSet<DeliveryAttempt> DeliveryAttempts => Set<DeliveryAttempt>();
    public DbSet<Subscription> Subscriptions => Set<Subscription>();
    public DbSet<CaseWatch> CaseWatches => Set<CaseWatch>();
    public DbSet<SettledItem> SettledItems => Set<SettledItem>();

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
            e.Property(x => x.Customised).HasColumnName("customised");
            e.Property(x => x.SettingsVersion).HasColumnName("settings_version").IsConcurrencyToken();
        });
        modelBuilder.Entity<Subscription>(e =>
        {
            e.ToTable("subscriptions");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id").ValueGeneratedNever();
            e.Property(x => x.TenantId).HasColumnName("tenant_id").HasMaxLength(64);
            e.Property(x => x.UnitId).HasColumnName("unit_id");
            e.Property(x => x.Channel).HasColumnName("channel").HasMaxLength(16);
            e.Property(x => x.Address).HasColumnName("address").HasMaxLength(500);
            e.Property(x => x.Secret).HasColumnName("secret").HasMaxLength(100);
            e.Property(x => x.Kinds).HasColumnName("kinds");
            e.Property(x => x.Digest).HasColumnName("digest");
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
            e.Ignore(x => x.RecipientKey);
            e.HasIndex(x => new { x.TenantId, x.UnitId }).HasDatabaseName("ix_subscription_unit");
        });
        modelBuilder.Entity<CaseWatch>(e =>
        {
            e.ToTable("case_watches");
            e.HasKey(x => new { x.TenantId, x.CaseId, x.Subject });
            e.Property(x => x.TenantId).HasColumnName("tenant_id").HasMaxLength(64);
            e.Property(x => x.CaseId).HasColumnName("case_id");
            e.Property(x => x.Subject).HasColumnName("subject").HasMaxLength(128);
            e.Property(x => x.UnitId).HasColumnName("unit_id");
            e.Property(x => x.Email).HasColumnName("email").HasMaxLength(254);
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
            e.HasIndex(x => new { x.TenantId, x.Subject }).HasDatabaseName("ix_case_watch_subject");
        });
        modelBuilder.Entity<SettledItem>(e =>
        {
            e.ToTable("settled_items");
            e.HasKey(x => x.Key);
            e.Property(x => x.Key).HasColumnName("key").HasMaxLength(120);
            e.Property(x => x.TenantId).HasColumnName("tenant_id").HasMaxLength(64);
            e.Property(x => x.SettledAt).HasColumnName("settled_at");
        });
        modelBuilder.Entity<DeliveryAttempt>(e =>
        {
            e.ToTable("delivery_attempts");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id").UseIdentityAlwaysColumn();
            e.Property(x => x.DeliveryId).HasColumnName("delivery_id");
            e.Property(x => x.Attempt).HasColumnName("attempt");
            e.Property(x => x.StartedAt).HasColumnName("started_at");
            e.Property(x => x.FinishedAt).HasColumnName("finished_at");
            e.Property(x => x.Outcome).HasColumnName("outcome").HasMaxLength(16);
            e.Property(x => x.Error).HasColumnName("error").HasMaxLength(200);
            // One row per attempt: the send-once record of what happened to attempt n.
            e.HasIndex(x => new { x.DeliveryId, x.Attempt }).IsUnique().HasDatabaseName("ux_delivery_attempt");
        });
        modelBuilder.Entity<Domain.Delivery>(e =>
        {
            e.ToTable("deliveries");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id").ValueGeneratedNever();
            e.Property(x => x.TenantId).HasColumnName("tenant_id").HasMaxLength(64);
            e.Property(x => x.UnitId).HasColumnName("unit_id");
            e.Property(x => x.Channel).HasColumnName("channel").HasMaxLength(16);
            e.Property(x => x.Kind).HasColumnName("kind").HasMaxLength(40);
            e.Property(x => x.Recipient).HasColumnName("recipient").HasMaxLength(500);
            e.Property(x => x.RecipientKey).HasColumnName("recipient_key").HasMaxLength(500);
            e.Property(x => x.Audience).HasColumnName("audience").HasMaxLength(16);
            e.Property(x => x.SubscriptionId).HasColumnName("subscription_id");
            e.Property(x => x.CaseId).HasColumnName("case_id");
            e.Property(x => x.Link).HasColumnName("link").HasMaxLength(500);
            e.Property(x => x.DueAt).HasColumnName("due_at");
            e.Property(x => x.ReminderKey).HasColumnName("reminder_key").HasMaxLength(120);
            e.Property(x => x.DigestId).HasColumnName("digest_id");
            e.Property(x => x.GiveUpAfter).HasColumnName("give_up_after");
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
            e.HasIndex(x => new { x.Channel, x.NextAttemptAt }).HasFilter("status = 'Pending'").HasDatabaseName("ix_delivery_pending");
            e.HasIndex(x => new { x.TenantId, x.UnitId, x.CreatedAt }).HasDatabaseName("ix_delivery_unit");
            // One message per event, channel and recipient, whatever reaches the consumer twice (see NoticeConsumer.TellAsync).
            e.HasIndex(x => new { x.SourceEventId, x.Channel, x.RecipientKey }).IsUnique().HasDatabaseName("ux_delivery_event_recipient");
            e.HasIndex(x => x.ReminderKey).HasFilter("status = 'Pending' AND reminder_key IS NOT NULL").HasDatabaseName("ix_delivery_reminder");
            e.HasIndex(x => x.CreatedAt).HasFilter("status = 'Held'").HasDatabaseName("ix_delivery_held");
        });
        modelBuilder.AddSipMessaging();
    }
}

internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<NotificationDbContext>
{
    public NotificationDbContext CreateDbContext(string[] args) =>
        new(ServiceDatabaseRegistration.DesignTimeOptions<NotificationDbContext>(NotificationDbContext.Schema));
}
