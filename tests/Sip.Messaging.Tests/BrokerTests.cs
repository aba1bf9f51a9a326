using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Sip.Testing;

namespace Sip.Messaging.Tests;

/// <summary>The library against the real broker: MassTransit, publisher confirms, quorum queues, a real consumer.</summary>
public sealed class BrokerTests(PostgresFixture postgres, RabbitMqFixture rabbit)
{
    private readonly MessagingTestBase _t = new(postgres, rabbit);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<long> ReceivedCount(Guid eventId) =>
        _t.CountAsync($"SELECT count(*) FROM msgtest.received WHERE message_id = '{eventId}'");

    [Fact]
    public async Task A_committed_event_reaches_the_consumer_once_with_the_outbox_id_as_message_id()
    {
        var cs = await _t.CleanSchemaAsync();
        using var host = _t.ServiceHost(cs, $"svc-{Guid.NewGuid():N}"[..12]);
        await MessagingTestBase.StartAsync(host);
        try
        {
            var e = MessagingTestBase.NewEvent();
            await MessagingTestBase.CommitAsync(host, e);

            await Eventually.HoldsAsync(async () => await ReceivedCount(e.EventId) == 1, TimeSpan.FromSeconds(30), "the consumer processed the event");
            Assert.Contains(e.EventId, UnitUpdatedTestConsumer.Deliveries);
            // Marked after the confirm, in the marker's next group commit: the consumer may well have it first.
            await Eventually.HoldsAsync(async () => await _t.CountAsync($"SELECT count(*) FROM msgtest.outbox_messages WHERE id = '{e.EventId}' AND sent_at IS NOT NULL") == 1,
                TimeSpan.FromSeconds(30), "the row is marked sent");
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_crash_between_publish_and_mark_republishes_the_same_id_and_the_inbox_drops_it()
    {
        var cs = await _t.CleanSchemaAsync();
        using var host = _t.ServiceHost(cs, $"svc-{Guid.NewGuid():N}"[..12], o => o.DispatcherEnabled = false);
        await MessagingTestBase.StartAsync(host);
        try
        {
            var real = host.Services.GetRequiredService<IOutboxPublisher>();
            var crashing = new CrashAfterPublish(real);
            var e = MessagingTestBase.NewEvent();
            await MessagingTestBase.CommitAsync(cs, e);

            // First round: the broker confirms, then the process "dies" before marking the row.
            await MessagingTestBase.Dispatcher(cs, crashing).DispatchOnceAsync(Ct);
            await _t.CountAsync("UPDATE msgtest.outbox_messages SET claimed_until = now() - interval '1 second' RETURNING 1");
            // Second round after restart: the same row, the same MessageId.
            await MessagingTestBase.Dispatcher(cs, real).DispatchOnceAsync(Ct);

            await Eventually.HoldsAsync(async () => UnitUpdatedTestConsumer.Deliveries.Count(id => id == e.EventId) == 2 && await ReceivedCount(e.EventId) == 1,
                TimeSpan.FromSeconds(30), "both deliveries arrive and the first is processed");
            await Task.Delay(TimeSpan.FromSeconds(1), Ct); // let the second delivery finish too
            Assert.Equal(1, await ReceivedCount(e.EventId));
            Assert.Equal(1, await _t.CountAsync("SELECT count(*) FROM msgtest.inbox_messages"));
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task While_the_broker_is_down_events_wait_in_the_outbox_and_are_delivered_after_it_returns()
    {
        var cs = await _t.CleanSchemaAsync();
        using var host = _t.ServiceHost(cs, $"svc-{Guid.NewGuid():N}"[..12], o => o.FallbackPollInterval = TimeSpan.FromSeconds(2));
        await MessagingTestBase.StartAsync(host);
        try
        {
            var warmUp = MessagingTestBase.NewEvent();
            await MessagingTestBase.CommitAsync(host, warmUp);
            await Eventually.HoldsAsync(async () => await ReceivedCount(warmUp.EventId) == 1, TimeSpan.FromSeconds(30), "warm-up delivered");

            await rabbit.StopBrokerAsync();
            var e = MessagingTestBase.NewEvent();
            await MessagingTestBase.CommitAsync(host, e);
            await Task.Delay(TimeSpan.FromSeconds(5), Ct);
            Assert.Equal(1, await _t.CountAsync($"SELECT count(*) FROM msgtest.outbox_messages WHERE id = '{e.EventId}' AND sent_at IS NULL"));
            Assert.Equal(0, await ReceivedCount(e.EventId));

            await rabbit.StartBrokerAsync();
            await Eventually.HoldsAsync(async () => await ReceivedCount(e.EventId) == 1, TimeSpan.FromSeconds(90), "delivered after the broker returned");
            await Eventually.HoldsAsync(async () => await _t.CountAsync($"SELECT count(*) FROM msgtest.outbox_messages WHERE id = '{e.EventId}' AND sent_at IS NOT NULL") == 1,
                TimeSpan.FromSeconds(30), "marked sent");
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    private sealed class CrashAfterPublish(IOutboxPublisher inner) : IOutboxPublisher
    {
        public async Task PublishAsync(ClaimedOutboxMessage message, CancellationToken ct)
        {
            await inner.PublishAsync(message, ct);
            throw new InvalidOperationException("process died before marking");
        }
    }
}
