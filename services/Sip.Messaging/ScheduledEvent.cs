using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Sip.Contracts;

namespace Sip.Messaging;

/// <summary>
/// An event that is to leave the service at <see cref="DueAt"/> unless cancelled first: a deadline, a reminder.
/// Written in the same transaction as the state change that set the deadline; when due, the timer moves it to
/// the outbox and marks it fired in one statement, so it is published once, on time, on any number of replicas.
/// The rule that computes <see cref="DueAt"/> belongs to the owning service's domain; this is only the timer.
/// </summary>
public sealed class ScheduledEvent
{
    /// <summary>The event's id: it becomes the outbox row's id and the broker's MessageId.</summary>
    public Guid Id { get; private init; }

    /// <summary>What the timer is for, e.g. <c>summons/{id}/overdue</c>; cancelled by key prefix.</summary>
    public string Key { get; private init; } = "";

    public DateTimeOffset DueAt { get; private init; }
    public string AggregateId { get; private init; } = "";
    public string MessageType { get; private init; } = "";
    public string Body { get; private init; } = "";
    public string TenantId { get; private init; } = "";
    public DateTimeOffset OccurredAt { get; private init; }
    public DateTimeOffset? FiredAt { get; private set; }
    public DateTimeOffset? CancelledAt { get; private set; }

    public bool IsPending => FiredAt is null && CancelledAt is null;

    public static ScheduledEvent From(string key, DateTimeOffset dueAt, IIntegrationEvent message)
    {
        var type = message.GetType();
        return new ScheduledEvent
        {
            Id = message.EventId,
            Key = key,
            // timestamptz takes UTC only: a time in Swedish local time (+01:00) is the same instant in UTC.
            DueAt = dueAt.ToUniversalTime(),
            AggregateId = message.AggregateId.ToString(),
            MessageType = MessageTypes.NameOf(type),
            Body = JsonSerializer.Serialize(message, type, MessageTypes.Json),
            TenantId = message.TenantId,
            OccurredAt = message.OccurredAt.ToUniversalTime(),
        };
    }

    public void Cancel(DateTimeOffset now) => CancelledAt ??= now;
}

public static class ScheduledEvents
{
    public const string Table = "scheduled_events";

    /// <summary>Maps the timer table into the context's schema (opt-in: only services with deadlines carry it).</summary>
    public static ModelBuilder AddSipScheduledEvents(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<ScheduledEvent>(e =>
        {
            e.ToTable(Table);
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id").ValueGeneratedNever();
            e.Property(x => x.Key).HasColumnName("key").HasMaxLength(200);
            e.Property(x => x.DueAt).HasColumnName("due_at");
            e.Property(x => x.AggregateId).HasColumnName("aggregate_id").HasMaxLength(64);
            e.Property(x => x.MessageType).HasColumnName("message_type").HasMaxLength(256);
            e.Property(x => x.Body).HasColumnName("body").HasColumnType("jsonb");
            e.Property(x => x.TenantId).HasColumnName("tenant_id").HasMaxLength(64);
            e.Property(x => x.OccurredAt).HasColumnName("occurred_at");
            // A cancel saved after the timer fired must fail, not record a timer both cancelled and published.
            e.Property(x => x.FiredAt).HasColumnName("fired_at").IsConcurrencyToken();
            e.Property(x => x.CancelledAt).HasColumnName("cancelled_at");
            e.Ignore(x => x.IsPending);
            e.HasIndex(x => x.DueAt).HasDatabaseName("ix_scheduled_pending").HasFilter("fired_at IS NULL AND cancelled_at IS NULL");
            e.HasIndex(x => x.Key).HasDatabaseName("ix_scheduled_key").HasFilter("fired_at IS NULL AND cancelled_at IS NULL");
        });
        return modelBuilder;
    }

    /// <summary>
    /// Publishes <paramref name="message"/> at <paramref name="dueAt"/> unless cancelled first; saved with the
    /// surrounding SaveChanges. Give the event <c>OccurredAt = dueAt</c>: it describes the moment the deadline passes.
    /// </summary>
    public static void ScheduleEvent(this DbContext db, string key, DateTimeOffset dueAt, IIntegrationEvent message) =>
        db.Set<ScheduledEvent>().Add(ScheduledEvent.From(key, dueAt, message));

    /// <summary>
    /// Cancels every pending timer whose key starts with <paramref name="keyPrefix"/>; saved with the surrounding SaveChanges.
    /// Should a timer fire in between, that SaveChanges throws <see cref="DbUpdateConcurrencyException"/> and commits nothing:
    /// the event has left, and the caller's retry sees the timer fired.
    /// </summary>
    public static async Task<int> CancelScheduledAsync(this DbContext db, string keyPrefix, DateTimeOffset now, CancellationToken ct)
    {
        var pending = await db.Set<ScheduledEvent>()
            .Where(s => s.Key.StartsWith(keyPrefix) && s.FiredAt == null && s.CancelledAt == null)
            .ToListAsync(ct);
        foreach (var timer in pending)
        {
            timer.Cancel(now);
        }
        return pending.Count;
    }
}
