using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Sip.MeetingScheduling.Domain;
using Sip.Messaging;
using Sip.ServiceDefaults.Data;

namespace Sip.MeetingScheduling.Infrastructure;

public sealed class MeetingDbContext(DbContextOptions<MeetingDbContext> options) : DbContext(options)
{
    public const string Schema = "meeting_scheduling";

    public DbSet<SummonsDue> SummonsDue => Set<SummonsDue>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.Entity<SummonsDue>(e =>
        {
            e.ToTable("summons_due");
            e.HasKey(x => x.CaseId);
            e.Property(x => x.CaseId).HasColumnName("case_id").ValueGeneratedNever();
            e.Property(x => x.TenantId).HasColumnName("tenant_id").HasMaxLength(64);
            e.Property(x => x.CaseReference).HasColumnName("case_reference").HasMaxLength(32);
            e.Property(x => x.UnitIds).HasColumnName("unit_ids");
            e.Property(x => x.FirstInitiativeAt).HasColumnName("first_initiative_at");
            e.Property(x => x.AnswersDueAt).HasColumnName("answers_due_at");
            e.HasIndex(x => new { x.TenantId, x.AnswersDueAt }).HasDatabaseName("ix_summons_due_tenant");
        });
        modelBuilder.AddSipMessaging();
    }
}

internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<MeetingDbContext>
{
    public MeetingDbContext CreateDbContext(string[] args) =>
        new(ServiceDatabaseRegistration.DesignTimeOptions<MeetingDbContext>(MeetingDbContext.Schema));
}
