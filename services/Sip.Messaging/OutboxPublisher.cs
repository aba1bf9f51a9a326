using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Sip.Messaging;

/// <summary>Publishes one claimed outbox row; completes only when the broker has confirmed it.</summary>
public interface IOutboxPublisher
{
    Task PublishAsync(ClaimedOutboxMessage message, CancellationToken ct);

    /// <summary>Completes when publishing makes sense: the dispatcher waits for it once, before its first round.</summary>
    Task WhenReadyAsync(CancellationToken ct) => Task.CompletedTask;
}

/// <summary>The row itself is at fault (unknown type, unreadable body): no retry can publish it as it is. Counts towards parking.</summary>
public sealed class UnpublishableMessageException(string message, Exception? inner = null) : Exception(message, inner);

public sealed record ClaimedOutboxMessage(Guid Id, long Sequence, string AggregateId, string MessageType, string Body, int Attempts);

internal sealed class MassTransitOutboxPublisher(IBusControl bus, IOptions<MessagingOptions> options) : IOutboxPublisher
{
    public const string SequenceHeader = "Sip-Outbox-Sequence";

    /// <summary>
    /// The service's own receive endpoints bind their queues to the exchanges when the bus has started. A row published before
    /// that (a timer due at start-up, rows left from the last run) reaches an exchange that nothing is bound to yet on a first
    /// deployment, and the broker confirms and drops it. So the first round waits for the bus, but not forever: with the broker
    /// down, publishes fail and back off as they would later.
    /// </summary>
    public async Task WhenReadyAsync(CancellationToken ct) =>
        await bus.WaitForHealthStatus(BusHealthStatus.Healthy, options.Value.BusStartWait).WaitAsync(ct);

    public async Task PublishAsync(ClaimedOutboxMessage message, CancellationToken ct)
    {
        var type = MessageTypes.Resolve(message.MessageType)
            ?? throw new UnpublishableMessageException($"Unknown message type '{message.MessageType}'.");
        object body;
        try
        {
            body = JsonSerializer.Deserialize(message.Body, type, MessageTypes.Json)
                ?? throw new UnpublishableMessageException($"Empty body for message type '{message.MessageType}'.");
        }
        catch (JsonException e)
        {
            throw new UnpublishableMessageException($"The body does not read as '{message.MessageType}' ({e.Message}).", e);
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Value.PublishTimeout);
        await bus.Publish(body, type, context =>
        {
            context.MessageId = message.Id;
            context.Headers.Set(SequenceHeader, message.Sequence);
        }, timeout.Token);
    }
}
