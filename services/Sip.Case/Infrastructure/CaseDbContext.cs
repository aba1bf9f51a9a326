using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Sip.Case.Domain;
using Sip.Messaging;
using Sip.ServiceDefaults.Data;
using Sip.ServiceDefaults.Time;

namespace Sip.Case.Infrastructure;

public sealed class CaseDbContext(DbContextOptions<CaseDbContext> options) : DbContext(options)
{
    public const string Schema = "cases";
    private const string ReferenceSequence = "case_reference_seq";

    public DbSet<Unit> Units => Set<Unit>();
    public DbSet<SipCase> Cases => Set<SipCase>();
    public DbSet<PlanVersion> Plans => Set<PlanVersion>();
    public DbSet<PlanRevision> PlanRevisions => Set<PlanRevision>();
    public DbSet<CaseMessage> Messages => Set<CaseMessage>();
    public DbSet<StaffMember> Staff => Set<StaffMember>();
    public DbSet<InboxEntry> InboxEntries => Set<InboxEntry>();

    /// <summary>
    /// Saves, and when the save changed a case, its initiatives, messages or plans, rewrites those cases' inbox rows
    /// (<see cref="InboxProjection"/>) in the same transaction: the save's own, or the caller's (a consumer's with its
    /// inbox row).
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var touched = InboxProjection.TouchedCases(ChangeTracker);
        if (touched.Count == 0)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        if (!acceptAllChangesOnSuccess)
        {
            throw new InvalidOperationException("The case context saves its inbox rows after the changes: save with acceptAllChangesOnSuccess.");
        }
        await using var own = Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(cancellationToken) : null;
        var saved = await base.SaveChangesAsync(true, cancellationToken);
        var entries = await InboxProjection.RefreshAsync(this, touched, cancellationToken);
        await base.SaveChangesAsync(true, cancellationToken);
        foreach (var entry in entries)
        {
            Entry(entry).State = EntityState.Detached;
        }
        if (own is not null)
        {
            await own.CommitAsync(cancellationToken);
        }
        return saved;
    }

    /// <summary>
    /// For a request that only reads (and writes its audit row): what it reads is not tracked. Tracking an entity with JSON
    /// columns costs a serialisation and a deserialisation per column to snapshot it when read, and two serialisations per
    /// column to compare it when the audit row is saved (<see cref="JsonColumns"/>' comparer): work a read does for nothing
    /// (docs/benchmarks.md, run AD).
    /// </summary>
    public void ReadOnly() => ChangeTracker.QueryTrackingBehavior = QueryTrackingBehavior.NoTracking;

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        throw new NotSupportedException("The case context saves asynchronously (SaveChangesAsync), which keeps the inbox rows.");

    public async Task<string> NextCaseReferenceAsync(DateTimeOffset now, CancellationToken ct)
    {
        var next = await Database.SqlQueryRaw<long>($"SELECT nextval('\"{Schema}\".{ReferenceSequence}') AS \"Value\"").SingleAsync(ct);
        return $"SIP-{SwedishCalendar.Today(now).Year}-{next:D6}";
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.HasSequence<long>(ReferenceSequence);
        modelBuilder.Entity<Unit>(e =>
        {
            e.ToTable("units");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id").ValueGeneratedNever();
            e.Property(x => x.TenantId).HasColumnName("tenant_id").HasMaxLength(64);
            e.Property(x => x.Name).HasColumnName("name").HasMaxLength(200);
            e.Property(x => x.Principal).HasColumnName("principal").HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.MunicipalityCode).HasColumnName("municipality_code").HasMaxLength(4);
            e.Property(x => x.Type).HasColumnName("type").HasMaxLength(64);
            e.Property(x => x.FunctionalMailbox).HasColumnName("functional_mailbox").HasMaxLength(254);
            e.Property(x => x.ExternalId).HasColumnName("external_id").HasMaxLength(64);
            e.Property(x => x.UpdatedAt).HasColumnName("updated_at");
            e.Property(x => x.Version).HasColumnName("version").HasDefaultValue(0L).IsConcurrencyToken();
            e.HasIndex(x => new { x.TenantId, x.ExternalId }).IsUnique().HasFilter("external_id IS NOT NULL").HasDatabaseName("ux_unit_external_id");
        });
        modelBuilder.Entity<SipCase>(e =>
        {
            e.ToTable("cases");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id").ValueGeneratedNever();
            e.Property(x => x.TenantId).HasColumnName("tenant_id").HasMaxLength(64);
            e.Property(x => x.Reference).HasColumnName("reference").HasMaxLength(32);
            e.Property(x => x.IndividualId).HasColumnName("individual_id");
            e.Property(x => x.MunicipalityCode).HasColumnName("municipality_code").HasMaxLength(4);
            e.Property(x => x.Reason).HasColumnName("reason").HasMaxLength(2000);
            e.Property(x => x.Urgency).HasColumnName("urgency").HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.Status).HasColumnName("status").HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.OpenedByUnitId).HasColumnName("opened_by_unit_id");
            e.Property(x => x.OpenedBy).HasColumnName("opened_by").HasMaxLength(128);
            e.Property(x => x.OpenedAt).HasColumnName("opened_at");
            e.Property(x => x.ChangedAt).HasColumnName("changed_at");
            e.Property(x => x.CancelledBecause).HasColumnName("cancelled_because").HasConversion<string>().HasMaxLength(32);
            e.Property(x => x.CancelledAt).HasColumnName("cancelled_at");
            e.Property(x => x.Closure).HasColumnName("closure").AsJson();
            e.Property(x => x.Discharge).HasColumnName("discharge").AsJson();
            e.Property(x => x.FirstPlanningSummonsAt).HasColumnName("first_planning_summons_at");
            e.Property(x => x.FirstMeetingHeldAt).HasColumnName("first_meeting_held_at");
            e.Property(x => x.TargetGroup).HasColumnName("target_group").HasConversion<string>().HasMaxLength(32).HasDefaultValue(TargetGroup.NotStated).HasSentinel((TargetGroup)(-1));
            e.Property(x => x.BirthYear).HasColumnName("birth_year");
            e.Property(x => x.BirthMonth).HasColumnName("birth_month");
            e.Property(x => x.Sex).HasColumnName("sex").HasMaxLength(8).HasDefaultValue(Contracts.Statistics.StatisticsDimensions.Unknown);
            e.Ignore(x => x.ParticipantUnitIds);
            e.Property<uint>("RowVersion").IsRowVersion();
            e.HasIndex(x => x.Reference).IsUnique().HasDatabaseName("ux_case_reference");
            e.HasMany(x => x.Initiatives).WithOne().HasForeignKey(x => x.CaseId);
        });
        modelBuilder.Entity<Initiative>(e =>
        {
            e.ToTable("initiatives");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id").ValueGeneratedNever();
            e.Property(x => x.CaseId).HasColumnName("case_id");
            e.Property(x => x.FromUnitId).HasColumnName("from_unit_id");
            e.Property(x => x.ToUnitId).HasColumnName("to_unit_id");
            e.Property(x => x.SentAt).HasColumnName("sent_at");
            e.Property(x => x.DueAt).HasColumnName("due_at");
            e.Property(x => x.Status).HasColumnName("status").HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.OverdueAt).HasColumnName("overdue_at");
            e.Property(x => x.AnsweredAt).HasColumnName("answered_at");
            e.Property(x => x.AnsweredBy).HasColumnName("answered_by").HasMaxLength(128);
            e.Property(x => x.Comment).HasColumnName("comment").HasMaxLength(2000);
            e.Property(x => x.SuggestedTimes).HasColumnName("suggested_times");
            e.Property(x => x.RedirectToUnitId).HasColumnName("redirect_to_unit_id");
            e.Property(x => x.ForwardedFromId).HasColumnName("forwarded_from_id");
            e.Ignore(x => x.IsAwaitingAnswer);
            e.HasIndex(x => new { x.ToUnitId, x.Status }).HasDatabaseName("ix_initiative_inbox");
            // The deadline worker's scan: initiatives still awaiting an answer, by deadline.
            e.HasIndex(x => x.DueAt).HasFilter("status = 'Sent'").HasDatabaseName("ix_initiative_due");
        });
        modelBuilder.Entity<PlanVersion>(e =>
        {
            e.ToTable("plan_versions");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id").ValueGeneratedNever();
            e.Property(x => x.CaseId).HasColumnName("case_id");
            e.Property(x => x.TenantId).HasColumnName("tenant_id").HasMaxLength(64);
            e.Property(x => x.Version).HasColumnName("version");
            e.Property(x => x.Status).HasColumnName("status").HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.Content).HasColumnName("content").AsJson();
            e.Property(x => x.Revision).HasColumnName("revision");
            e.Property(x => x.MeetingAt).HasColumnName("meeting_at");
            e.Property(x => x.DueAt).HasColumnName("due_at");
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
            e.Property(x => x.ChangedBy).HasColumnName("changed_by").HasMaxLength(128);
            e.Property(x => x.ChangedAt).HasColumnName("changed_at");
            e.Property(x => x.SignedAt).HasColumnName("signed_at");
            e.Property(x => x.SignedBy).HasColumnName("signed_by").HasMaxLength(128);
            e.Property(x => x.LockedAt).HasColumnName("locked_at");
            e.Property(x => x.IndividualSignature).HasColumnName("individual_signature").AsJson();
            e.Property(x => x.CoordinatorSignature).HasColumnName("coordinator_signature").AsJson();
            e.Property(x => x.CopyRecipients).HasColumnName("copy_recipients").AsJson();
            e.Property(x => x.Copies).HasColumnName("copies").AsJson();
            e.Property(x => x.Consent).HasColumnName("consent_reference").AsJson();
            e.Property(x => x.LateAt).HasColumnName("late_at");
            e.Property(x => x.ActivityLog).HasColumnName("activity_log").AsJson();
            e.Property(x => x.CoordinatorUnitId).HasColumnName("coordinator_unit_id");
            e.Property(x => x.ResponsibleUnitIds).HasColumnName("responsible_unit_ids");
            e.HasIndex(x => x.CoordinatorUnitId).HasDatabaseName("ix_plan_coordinator");
            e.Property<uint>("RowVersion").IsRowVersion();
            e.HasIndex(x => new { x.CaseId, x.Version }).IsUnique().HasDatabaseName("ux_plan_version");
            e.HasIndex(x => x.DueAt).HasFilter("status = 'Draft' AND late_at IS NULL").HasDatabaseName("ix_plan_due");
            e.HasOne<SipCase>().WithMany().HasForeignKey(x => x.CaseId);
        });
        modelBuilder.Entity<StaffMember>(e =>
        {
            e.ToTable("staff");
            e.HasKey(x => new { x.TenantId, x.Subject });
            e.Property(x => x.TenantId).HasColumnName("tenant_id").HasMaxLength(64);
            e.Property(x => x.Subject).HasColumnName("subject").HasMaxLength(128);
            e.Property(x => x.Name).HasColumnName("name").HasMaxLength(200);
            e.Property(x => x.Title).HasColumnName("title").HasMaxLength(200);
            e.Property(x => x.Memberships).HasColumnName("memberships").AsJson();
            e.Property(x => x.UnitIds).HasColumnName("unit_ids");
            e.Property(x => x.UpdatedAt).HasColumnName("updated_at");
            e.HasIndex(x => x.UnitIds).HasMethod("gin").HasDatabaseName("ix_staff_units");
        });
        modelBuilder.Entity<CaseMessage>(e =>
        {
            e.ToTable("case_messages");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id").ValueGeneratedNever();
            e.Property(x => x.CaseId).HasColumnName("case_id");
            e.Property(x => x.FromUnitId).HasColumnName("from_unit_id");
            e.Property(x => x.ToUnitIds).HasColumnName("to_unit_ids");
            e.Property(x => x.Text).HasColumnName("text").HasMaxLength(CaseMessage.MaxLength);
            e.Property(x => x.RequiresAcknowledgement).HasColumnName("requires_acknowledgement");
            e.Property(x => x.SentBy).HasColumnName("sent_by").HasMaxLength(128);
            e.Property(x => x.SentAt).HasColumnName("sent_at");
            e.Property(x => x.AcknowledgedByUnitIds).HasColumnName("acknowledged_by_unit_ids");
            e.Property(x => x.Acknowledgements).HasColumnName("acknowledgements").AsJson();
            e.HasOne<SipCase>().WithMany().HasForeignKey(x => x.CaseId);
            e.HasIndex(x => x.CaseId).HasDatabaseName("ix_message_case");
        });
        modelBuilder.Entity<InboxEntry>(e =>
        {
            e.ToTable("inbox_entries");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id").UseIdentityAlwaysColumn();
            e.Property(x => x.TenantId).HasColumnName("tenant_id").HasMaxLength(64);
            e.Property(x => x.UnitId).HasColumnName("unit_id");
            e.Property(x => x.Kind).HasColumnName("kind").HasConversion<string>().HasMaxLength(32);
            e.Property(x => x.ItemId).HasColumnName("item_id");
            e.Property(x => x.CaseId).HasColumnName("case_id");
            e.Property(x => x.CaseReference).HasColumnName("case_reference").HasMaxLength(32);
            e.Property(x => x.Urgency).HasColumnName("urgency").HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.FromUnitId).HasColumnName("from_unit_id");
            e.Property(x => x.ReceivedAt).HasColumnName("received_at");
            e.Property(x => x.DueAt).HasColumnName("due_at");
            e.Property(x => x.OverdueAfter).HasColumnName("overdue_after");
            e.Property(x => x.ShownFrom).HasColumnName("shown_from");
            e.Property(x => x.PlanVersion).HasColumnName("plan_version");
            e.Property(x => x.Obligation).HasColumnName("obligation").HasMaxLength(32);
            // A unit's inbox in its default order, with what the count filters on (an index-only count); and a case's
            // rows, which every save of the case rewrites.
            e.HasIndex(x => new { x.TenantId, x.UnitId, x.DueAt, x.ItemId, x.Id }).HasDatabaseName("ix_inbox_unit_order")
                .IncludeProperties(x => x.ShownFrom);
            e.HasIndex(x => x.CaseId).HasDatabaseName("ix_inbox_case");
            e.HasOne<SipCase>().WithMany().HasForeignKey(x => x.CaseId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<PlanRevision>(e =>
        {
            e.ToTable("plan_revisions");
            e.HasKey(x => new { x.PlanVersionId, x.Revision });
            e.Property(x => x.PlanVersionId).HasColumnName("plan_version_id");
            e.Property(x => x.Revision).HasColumnName("revision");
            e.Property(x => x.Content).HasColumnName("content").AsJson();
            e.Property(x => x.By).HasColumnName("by").HasMaxLength(128);
            e.Property(x => x.At).HasColumnName("at");
            e.HasOne<PlanVersion>().WithMany().HasForeignKey(x => x.PlanVersionId);
        });
        modelBuilder.AddAuditLog();
        modelBuilder.AddSipMessaging();
        modelBuilder.AddSipScheduledEvents();
    }
}

internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<CaseDbContext>
{
    public CaseDbContext CreateDbContext(string[] args) =>
        new(ServiceDatabaseRegistration.DesignTimeOptions<CaseDbContext>(CaseDbContext.Schema));
}
