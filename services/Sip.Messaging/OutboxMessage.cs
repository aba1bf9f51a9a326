using System.Text.Json;
using Sip.Contracts;

namespace Sip.Messaging;

/// <summary>
/// An event waiting to leave the service, written in the same transaction as the state change that
/// caused it. <see cref="Id"/> is the event's id and becomes the broker's MessageId.
/// </summary>
public sealed class OutboxMessage
{
    public Guid Id { get; private init; }

    /// <summary>Assigned by the database; events of one aggregate are published in this order.</summary>
    public long Sequence { get; private set; }

    public string AggregateId { get; private init; } = "";
    public string MessageType { get; private init; } = "";
    public string Body { get; private init; } = "";
    public string TenantId { get; private init; } = "";
    public DateTimeOffset OccurredAt { get; private init; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? SentAt { get; private set; }
    public DateTimeOffset? ClaimedUntil { get; private set; }
    public string? ClaimedBy { get; private set; }
    public int Attempts { get; private set; }
    public string? LastError { get; private set; }

    /// <summary>Failed publishes that count towards parking (see <c>MessagingOptions.MaxPublishFailures</c>).</summary>
    public int Failures { get; private set; }

    /// <summary>Set when the row was given up on: it is not published again until an operator replays it.</summary>
    public DateTimeOffset? ParkedAt { get; private set; }

    public static OutboxMessage From(IIntegrationEvent message)
    {
        var type = message.GetType();
        return new OutboxMessage
        {
            Id = message.EventId,
            AggregateId = message.AggregateId.ToString(),
            MessageType = MessageTypes.NameOf(type),
            Body = JsonSerializer.Serialize(message, type, MessageTypes.Json),
            TenantId = message.TenantId,
            OccurredAt = message.OccurredAt,
        };
    }
}

/// <summary>A message id one consumer has processed; the unique key makes a second delivery a no-op.</summary>
public sealed class InboxMessage
{
    public string Consumer { get; init; } = "";
    public Guid MessageId { get; init; }
    public DateTimeOffset ProcessedAt { get; init; }
}
