using System.Text;
using System.Text.Json;
using RabbitMQ.Client;

namespace Sip.Testing;

/// <summary>Messages that reached a queue of our own: the message body of MassTransit's envelope.</summary>
public sealed class EventProbe(IChannel channel, string queue) : IAsyncDisposable
{
    /// <summary>A queue of our own on the real broker, bound to the exchange MassTransit publishes <typeparamref name="T"/> to.</summary>
    public static async Task<EventProbe> ListenAsync<T>(IConnection broker)
    {
        var channel = await broker.CreateChannelAsync();
        var exchange = $"{typeof(T).Namespace}:{typeof(T).Name}";
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
        var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        await channel.QueueBindAsync(queue, exchange, "");
        return new EventProbe(channel, queue);
    }

    private readonly List<JsonElement> _received = [];

    public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < deadline)
        {
            var found = _received.FirstOrDefault(m => match(m));
            if (found.ValueKind != JsonValueKind.Undefined)
            {
                return found;
            }
            var result = await channel.BasicGetAsync(queue, autoAck: true);
            if (result is null)
            {
                await Task.Delay(100);
                continue;
            }
            _received.Add(JsonDocument.Parse(Encoding.UTF8.GetString(result.Body.Span)).RootElement.GetProperty("message").Clone());
        }
        throw new TimeoutException($"No matching message on {queue}; received {_received.Count}");
    }

    public async ValueTask DisposeAsync() => await channel.DisposeAsync();
}
