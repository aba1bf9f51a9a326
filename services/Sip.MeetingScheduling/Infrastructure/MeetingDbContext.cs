using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Sip.MeetingScheduling.Domain;
using Sip.Messaging;
using Sip.ServiceDefaults.Data;

namespace Sip.MeetingScheduling.Infrastructure;

public sealed class MeetingDbContext(DbContextOptions<MeetingDbContext> options) : DbContext(options)
{
    public const string Schema = "meeting_scheduling";

    public DbSet<Meeting> Meetings => Set<Meeting>();
    public DbSet<Summons> Summons => Set<Summons>();
    public DbSet<LetterRecipient> Letters => Set<LetterRecipient>();
    public DbSet<CalendarFeed> CalendarFeeds => Set<CalendarFeed>();
    public DbSet<CaseRecord> Cases => Set<CaseRecord>();
    public DbSet<DischargeWatch> DischargeWatches => Set<DischargeWatch>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.Entity<Meeting>(e =>
        {
            e.ToTable("meetings");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id").ValueGeneratedNever();
            e.Property(x => x.TenantId).HasColumnName("tenant_id").HasMaxLength(64);
            e.Property(x => x.CaseId).HasColumnName("case_id");
            e.Property(x => x.CaseReference).HasColumnName("case_reference").HasMaxLength(32);
            e.Property(x => x.Kind).HasColumnName("kind").HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.StartsAt).HasColumnName("starts_at");
            e.Property(x => x.DurationMinutes).HasColumnName("duration_minutes");
            e.Property(x => x.Place).HasColumnName("place").AsJson();
            e.Property(x => x.Chair).HasColumnName("chair").AsJson();
            e.Property(x => x.Coordinator).HasColumnName("coordinator").AsJson();
            e.Property(x => x.ConvenedByUnitId).HasColumnName("convened_by_unit_id");
            e.Property(x => x.Reason).HasColumnName("reason").HasMaxLength(Meeting.MaxTextLength);
            e.Property(x => x.Status).HasColumnName("status").HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.Sequence).HasColumnName("sequence");
            e.Property(x => x.CancelledBecause).HasColumnName("cancelled_because").HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.CancelledAt).HasColumnName("cancelled_at");
            e.Property(x => x.HeldAt).HasColumnName("held_at");
            e.Property(x => x.Participants).HasColumnName("participants").AsJson();
            e.Property(x => x.NextMeetingId).HasColumnName("next_meeting_id");
            e.Property(x => x.PreviousMeetingId).HasColumnName("previous_meeting_id");
            e.Property(x => x.CreatedBy).HasColumnName("created_by").HasMaxLength(128);
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
            e.Property(x => x.Revision).HasColumnName("revision").IsConcurrencyToken();
            e.HasMany(x => x.Summons).WithOne().HasForeignKey(s => s.MeetingId);
            e.Navigation(x => x.Summons).AutoInclude();
            e.HasIndex(x => new { x.TenantId, x.CaseId }).HasDatabaseName("ix_meetings_case");
            e.HasIndex(x => new { x.ConvenedByUnitId, x.StartsAt }).HasDatabaseName("ix_meetings_convener");
        });
        modelBuilder.Entity<Summons>(e =>
        {
            e.ToTable("summons");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id").ValueGeneratedNever();
            e.Property(x => x.MeetingId).HasColumnName("meeting_id");
            e.Property(x => x.UnitId).HasColumnName("unit_id");
            e.Property(x => x.SentAt).HasColumnName("sent_at");
            e.Property(x => x.DueAt).HasColumnName("due_at");
            e.Property(x => x.Status).HasColumnName("status").HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.AnsweredAt).HasColumnName("answered_at");
            e.Property(x => x.AnsweredBy).HasColumnName("answered_by").HasMaxLength(128);
            e.Property(x => x.Attendees).HasColumnName("attendees").AsJson();
            e.Property(x => x.DeclineReason).HasColumnName("decline_reason").HasMaxLength(Meeting.MaxTextLength);
            e.HasIndex(x => new { x.UnitId, x.Status }).HasDatabaseName("ix_summons_unit");
        });
        modelBuilder.Entity<LetterRecipient>(e =>
        {
            e.ToTable("letters");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id").ValueGeneratedNever();
            e.Property(x => x.MeetingId).HasColumnName("meeting_id");
            e.Property(x => x.Kind).HasColumnName("kind").HasConversion<string>().HasMaxLength(32);
            e.Property(x => x.Name).HasColumnName("name").HasMaxLength(Meeting.MaxNameLength);
            e.Property(x => x.Address).HasColumnName("address").HasMaxLength(Meeting.MaxTextLength);
            e.Property(x => x.RepresentativeId).HasColumnName("representative_id");
            e.Property(x => x.AddedByUnitId).HasColumnName("added_by_unit_id");
            e.Property(x => x.AddedBy).HasColumnName("added_by").HasMaxLength(128);
            e.Property(x => x.AddedAt).HasColumnName("added_at");
            e.HasOne<Meeting>().WithMany().HasForeignKey(x => x.MeetingId);
            e.HasIndex(x => x.MeetingId).HasDatabaseName("ix_letters_meeting");
        });
        modelBuilder.Entity<CalendarFeed>(e =>
        {
            e.ToTable("calendar_feeds");
            e.HasKey(x => x.UnitId);
            e.Property(x => x.UnitId).HasColumnName("unit_id").ValueGeneratedNever();
            e.Property(x => x.TenantId).HasColumnName("tenant_id").HasMaxLength(64);
            e.Property(x => x.SecretHash).HasColumnName("secret_hash").HasMaxLength(64);
            e.Property(x => x.RotatedAt).HasColumnName("rotated_at");
            e.Property(x => x.RotatedBy).HasColumnName("rotated_by").HasMaxLength(128);
            e.HasIndex(x => x.SecretHash).IsUnique().HasDatabaseName("ux_calendar_feeds_secret");
        });
        modelBuilder.Entity<CaseRecord>(e =>
        {
            e.ToTable("cases");
            e.HasKey(x => x.CaseId);
            e.Property(x => x.CaseId).HasColumnName("case_id").ValueGeneratedNever();
            e.Property(x => x.TenantId).HasColumnName("tenant_id").HasMaxLength(64);
            e.Property(x => x.Reference).HasColumnName("reference").HasMaxLength(32);
            e.Property(x => x.OpenedByUnitId).HasColumnName("opened_by_unit_id");
            e.Property(x => x.MunicipalityCode).HasColumnName("municipality_code").HasMaxLength(4);
        });
        modelBuilder.Entity<DischargeWatch>(e =>
        {
            e.ToTable("discharge_watches");
            e.HasKey(x => x.CaseId);
            e.Property(x => x.CaseId).HasColumnName("case_id").ValueGeneratedNever();
            e.Property(x => x.TenantId).HasColumnName("tenant_id").HasMaxLength(64);
            e.Property(x => x.CaseReference).HasColumnName("case_reference").HasMaxLength(32);
            e.Property(x => x.Track).HasColumnName("track").HasMaxLength(16);
            e.Property(x => x.ReadyForDischargeAt).HasColumnName("ready_for_discharge_at");
            e.Property(x => x.DischargedAt).HasColumnName("discharged_at");
            e.Property(x => x.OwedByUnitId).HasColumnName("owed_by_unit_id");
            e.Property(x => x.FirstPlanningSummonsAt).HasColumnName("first_planning_summons_at");
            e.Property(x => x.FirstMeetingHeldAt).HasColumnName("first_meeting_held_at");
            e.Property(x => x.Ended).HasColumnName("ended");
            // The consumers of DischargeRecorded and of the case's end, and the API sending summons, all change this row:
            // the token makes the later writer retry on the newer state instead of overwriting it.
            e.Property(x => x.RecordedAt).HasColumnName("recorded_at");
            e.Property<uint>("RowVersion").IsRowVersion();
        });
        modelBuilder.AddSipMessaging();
        modelBuilder.AddSipScheduledEvents();
        modelBuilder.AddAuditLog();
    }
}

internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<MeetingDbContext>
{
    public MeetingDbContext CreateDbContext(string[] args) =>
        new(ServiceDatabaseRegistration.DesignTimeOptions<MeetingDbContext>(MeetingDbContext.Schema));
}
