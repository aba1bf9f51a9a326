using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace Sip.Messaging;

/// <summary>
/// What MassTransit does not do for us on a broker without the delayed-message plugin (RabbitMQ 3.10 from Debian, the
/// test image): the waiting queues of delayed redelivery, and moving a queue's <c>_error</c> messages back. Raw AMQP on a
/// connection of its own, every publish confirmed by the broker before the source message is let go.
/// </summary>
public sealed class BrokerMaintenance(IOptions<RabbitMqOptions> rabbit, ILogger<BrokerMaintenance> log) : IAsyncDisposable
{
    /// <summary>How many delayed redeliveries a message has had; absent on its first delivery.</summary>
    public const string RedeliveryHeader = "Sip-Redelivery-Count";

    private readonly SemaphoreSlim _connecting = new(1, 1);
    private readonly ConcurrentDictionary<string, bool> _declared = new();
    private IConnection? _connection;

    /// <summary>
    /// The waiting queue for one delay: messages sit there for <paramref name="delay"/> (its message TTL), then the broker
    /// dead-letters them through the default exchange straight back into <paramref name="queue"/>. One queue per delay, so
    /// every message in it has the same TTL and none waits behind a longer one.
    /// </summary>
    public static string DelayQueueName(string queue, TimeSpan delay) =>
        delay.TotalSeconds % 60 == 0
            ? $"{queue}_delay_{(long)delay.TotalMinutes}m"
            : $"{queue}_delay_{(long)delay.TotalMilliseconds}ms";

    /// <summary>Sends the delivered message as it came (body, headers, message id) to <paramref name="queue"/>'s waiting queue for <paramref name="delay"/>.</summary>
    public async Task DelayAsync(string queue, TimeSpan delay, IReadOnlyBasicProperties properties, ReadOnlyMemory<byte> body, int redeliveries,
        CancellationToken ct)
    {
        var waiting = DelayQueueName(queue, delay);
        await using var channel = await ChannelAsync(ct);
        if (!_declared.ContainsKey(waiting))
        {
            await channel.QueueDeclareAsync(waiting, durable: true, exclusive: false, autoDelete: false, new Dictionary<string, object?>
            {
                ["x-queue-type"] = "quorum",
                ["x-message-ttl"] = (long)delay.TotalMilliseconds,
                ["x-dead-letter-exchange"] = "",
                ["x-dead-letter-routing-key"] = queue,
                // Quorum queues dead-letter at least once only with these two: no message is lost on its way back.
                ["x-dead-letter-strategy"] = "at-least-once",
                ["x-overflow"] = "reject-publish",
            }, cancellationToken: ct);
            _declared[waiting] = true;
        }
        var copy = new BasicProperties(properties) { Persistent = true };
        copy.Headers = new Dictionary<string, object?>(properties.Headers ?? new Dictionary<string, object?>())
        {
            [RedeliveryHeader] = redeliveries,
        };
        await channel.BasicPublishAsync("", waiting, mandatory: true, copy, body, ct);
    }

    /// <summary>
    /// Moves the messages now in <c>{queue}_error</c> back to <paramref name="queue"/> (through the default exchange, so only
    /// that queue gets them, not every subscriber of the event), without MassTransit's fault headers and with a fresh count of
    /// delayed redeliveries. Each message is acknowledged only after the broker confirmed its copy: an interrupted replay
    /// duplicates at most one message (the consumer's inbox drops it), never loses one. Returns how many were moved.
    /// </summary>
    public async Task<int> ReplayErrorsAsync(string queue, CancellationToken ct)
    {
        var source = $"{queue}_error";
        await using var channel = await ChannelAsync(ct);
        await channel.QueueDeclarePassiveAsync(queue, ct); // the target must exist: never publish into nowhere
        var waiting = (await channel.QueueDeclarePassiveAsync(source, ct)).MessageCount;
        var moved = 0;
        // Only what was there at the start: a message that fails again at once is not replayed in a loop.
        while (moved < waiting)
        {
            var message = await channel.BasicGetAsync(source, autoAck: false, ct);
            if (message is null)
            {
                break;
            }
            var copy = new BasicProperties(message.BasicProperties) { Persistent = true };
            copy.Headers = message.BasicProperties.Headers?
                .Where(h => !h.Key.StartsWith("MT-Fault-", StringComparison.Ordinal) && h.Key is not ("MT-Reason" or RedeliveryHeader))
                .ToDictionary(h => h.Key, h => h.Value);
            await channel.BasicPublishAsync("", queue, mandatory: true, copy, message.Body, ct);
            await channel.BasicAckAsync(message.DeliveryTag, multiple: false, ct);
            moved++;
        }
        log.LogInformation("Replayed {Moved} message(s) from {Source} to {Queue}", moved, source, queue);
        return moved;
    }

    public static int RedeliveriesOf(IReadOnlyBasicProperties properties) =>
        properties.Headers?.TryGetValue(RedeliveryHeader, out var value) == true && value is not null
            ? Convert.ToInt32(value, CultureInfo.InvariantCulture)
            : 0;

    /// <summary>
    /// Deletes the queues of consumers a service no longer has: the queue, its <c>_error</c> and <c>_skipped</c> queues and its
    /// waiting queues for <paramref name="delays"/>. Left alone, a retired consumer's queue stays bound to its exchange and
    /// fills up for ever. Returns how many existed.
    /// </summary>
    public async Task<int> DeleteQueuesAsync(IEnumerable<string> queues, IEnumerable<TimeSpan> delays, CancellationToken ct)
    {
        var deleted = 0;
        foreach (var queue in queues)
        {
            foreach (var name in new[] { queue, $"{queue}_error", $"{queue}_skipped" }.Concat(delays.Select(d => DelayQueueName(queue, d))))
            {
                // A channel per queue: deleting a queue that is not there closes the channel (404).
                await using var channel = await ChannelAsync(ct);
                try
                {
                    await channel.QueueDeclarePassiveAsync(name, ct);
                }
                catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
                {
                    continue;
                }
                var messages = await channel.QueueDeleteAsync(name, ifUnused: false, ifEmpty: false, cancellationToken: ct);
                log.LogWarning("Deleted the queue {Queue} of a retired consumer ({Messages} messages in it)", name, messages);
                deleted++;
            }
        }
        return deleted;
    }

    private async Task<IChannel> ChannelAsync(CancellationToken ct)
    {
        var connection = _connection;
        if (connection is not { IsOpen: true })
        {
            await _connecting.WaitAsync(ct);
            try
            {
                if (_connection is not { IsOpen: true })
                {
                    if (_connection is not null)
                    {
                        await _connection.DisposeAsync();
                    }
                    var o = rabbit.Value;
                    var factory = new ConnectionFactory
                    {
                        HostName = o.Host, Port = o.Port, VirtualHost = o.VirtualHost, UserName = o.Username, Password = o.Password,
                    };
                    _connection = await factory.CreateConnectionAsync("sip-broker-maintenance", ct);
                }
                connection = _connection;
            }
            finally
            {
                _connecting.Release();
            }
        }
        return await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
            ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
        _connecting.Dispose();
    }
}
