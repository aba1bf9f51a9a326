using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Sip.Contracts;

namespace Sip.Messaging;

public static class MessagingModel
{
    public const string OutboxTable = "outbox_messages";
    public const string InboxTable = "inbox_messages";

    /// <summary>Maps the outbox and inbox tables into the context's own schema.</summary>
    public static ModelBuilder AddSipMessaging(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<OutboxMessage>(e =>
        {
            e.ToTable(OutboxTable);
            // Half of each page is left free, so a claim (lease, owner and attempts: no indexed column) writes the row's new
            // version on the same page, a HOT update that touches none of the six indexes. Packed full pages made every claim
            // a new tuple elsewhere with an entry in each index. Measured in docs/benchmarks.md (issue 14, run V): a claim of 500
            // from a 50,000-row backlog went from 19 to 11 ms (tests/bench-outbox-claim.sh).
            e.HasStorageParameter("fillfactor", 50);
            // The database-assigned sequence is the key: EF Core orders a batch's inserts by key, and its
            // temporary keys grow in the order events were added, so one transaction's events get
            // sequence numbers in the order the code wrote them (keyed by the event id, they would not).
            e.HasKey(x => x.Sequence);
            e.Property(x => x.Id).HasColumnName("id").ValueGeneratedNever();
            e.HasIndex(x => x.Id).IsUnique().HasDatabaseName("ux_outbox_id");
            e.Property(x => x.Sequence).HasColumnName("sequence").UseIdentityAlwaysColumn();
            e.Property(x => x.AggregateId).HasColumnName("aggregate_id").HasMaxLength(64);
            e.Property(x => x.MessageType).HasColumnName("message_type").HasMaxLength(256);
            e.Property(x => x.Body).HasColumnName("body").HasColumnType("jsonb");
            e.Property(x => x.TenantId).HasColumnName("tenant_id").HasMaxLength(64);
            e.Property(x => x.OccurredAt).HasColumnName("occurred_at");
            e.Property(x => x.CreatedAt).HasColumnName("created_at").HasDefaultValueSql("now()").ValueGeneratedOnAdd();
            e.Property(x => x.SentAt).HasColumnName("sent_at");
            e.Property(x => x.ClaimedUntil).HasColumnName("claimed_until");
            e.Property(x => x.ClaimedBy).HasColumnName("claimed_by").HasMaxLength(128);
            e.Property(x => x.Attempts).HasColumnName("attempts");
            e.Property(x => x.LastError).HasColumnName("last_error").HasMaxLength(512);
            e.Property(x => x.Failures).HasColumnName("failures").HasDefaultValue(0);
            e.Property(x => x.ParkedAt).HasColumnName("parked_at");
            e.HasIndex(x => x.ParkedAt).HasDatabaseName("ix_outbox_parked").HasFilter("parked_at IS NOT NULL");
            e.HasIndex(x => x.Sequence).HasDatabaseName("ix_outbox_unsent").HasFilter("sent_at IS NULL");
            e.HasIndex(x => new { x.AggregateId, x.Sequence }).HasDatabaseName("ix_outbox_unsent_aggregate").HasFilter("sent_at IS NULL");
            e.HasIndex(x => x.SentAt).HasDatabaseName("ix_outbox_sent").HasFilter("sent_at IS NOT NULL");
        });
        modelBuilder.Entity<InboxMessage>(e =>
        {
            e.ToTable(InboxTable);
            e.HasKey(x => new { x.Consumer, x.MessageId });
            e.Property(x => x.Consumer).HasColumnName("consumer").HasMaxLength(128);
            e.Property(x => x.MessageId).HasColumnName("message_id");
            e.Property(x => x.ProcessedAt).HasColumnName("processed_at");
            e.HasIndex(x => x.ProcessedAt).HasDatabaseName("ix_inbox_processed_at");
        });
        return modelBuilder;
    }

    public static string NotifyChannel(string schema) => $"sip_outbox_{schema}";

    /// <summary>
    /// A statement-level trigger that NOTIFYs the outbox channel on every insert. The services' first migrations created it;
    /// their <c>OutboxWakeInProcess</c> migrations drop it again (<see cref="DropOutboxNotifyTrigger"/>, and see
    /// <see cref="OutboxWake"/> for why).
    /// </summary>
    public static MigrationBuilder CreateOutboxNotifyTrigger(this MigrationBuilder migrationBuilder, string schema)
    {
        migrationBuilder.Sql(NotifyTriggerSql(schema));
        return migrationBuilder;
    }

    /// <summary>Drops the trigger of <see cref="CreateOutboxNotifyTrigger"/>: commits with events wake their dispatcher in-process.</summary>
    public static MigrationBuilder DropOutboxNotifyTrigger(this MigrationBuilder migrationBuilder, string schema)
    {
        migrationBuilder.Sql($"""
            DROP TRIGGER IF EXISTS outbox_notify ON "{schema}".{OutboxTable};
            DROP FUNCTION IF EXISTS "{schema}".outbox_notify();
            """);
        return migrationBuilder;
    }

    private static string NotifyTriggerSql(string schema) => $"""
            CREATE OR REPLACE FUNCTION "{schema}".outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              PERFORM pg_notify('{NotifyChannel(schema)}', '');
              RETURN NULL;
            END $$;
            CREATE TRIGGER outbox_notify AFTER INSERT ON "{schema}".{OutboxTable}
              FOR EACH STATEMENT EXECUTE FUNCTION "{schema}".outbox_notify();
            """;

    /// <summary>Writes the event to the outbox; it is published only if the surrounding SaveChanges commits.</summary>
    public static void AddEvent(this DbContext db, IIntegrationEvent message) =>
        db.Set<OutboxMessage>().Add(OutboxMessage.From(message));
}
