using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using Sip.ServiceDefaults;
using Sip.Testing;

namespace Sip.Messaging.Tests;

public sealed record RedeliveryProbe(Guid Id);

/// <summary>Fails a probe's deliveries until told otherwise (<see cref="FailUntilAttempt"/>), and remembers each attempt's count of delayed redeliveries.</summary>
public sealed class RedeliveryProbeConsumer : IConsumer<RedeliveryProbe>
{
    public static readonly ConcurrentDictionary<Guid, int> FailUntilAttempt = new();
    public static readonly ConcurrentDictionary<Guid, ConcurrentQueue<int>> Attempts = new();
    public static readonly ConcurrentDictionary<Guid, bool> Handled = new();

    public Task Consume(ConsumeContext<RedeliveryProbe> context)
    {
        var redeliveries = context.ReceiveContext.TryGetPayload<RabbitMqBasicConsumeContext>(out var rabbit) ? BrokerMaintenance.RedeliveriesOf(rabbit.Properties) : -1;
        var attempts = Attempts.GetOrAdd(context.Message.Id, _ => new());
        attempts.Enqueue(redeliveries);
        if (attempts.Count < FailUntilAttempt.GetValueOrDefault(context.Message.Id))
        {
            throw new InvalidOperationException("the database is failing over");
        }
        Handled[context.Message.Id] = true;
        return Task.CompletedTask;
    }
}

/// <summary>
/// Delayed redelivery on the real broker (without the delayed-message plugin: waiting queues with a TTL that dead-letter back),
/// and the one command that moves a queue's <c>_error</c> messages back.
/// </summary>
public sealed class RedeliveryTests(PostgresFixture postgres, RabbitMqFixture rabbit)
{
    private readonly MessagingTestBase _t = new(postgres, rabbit);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Each delivery is tried twice (one immediate retry); then redelivered after 1 s, and again after 1 s; then <c>_error</c>.</summary>
    private IHost Host(string cs, string service) => _t.ServiceHost(cs, service, o =>
    {
        o.RetryIntervals = [TimeSpan.FromMilliseconds(10)];
        o.RedeliveryDelays = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)];
    }, consumers: x => x.AddConsumer<RedeliveryProbeConsumer>());

    private static string QueueOf(string service) => $"{service}-redelivery-probe";

    private async Task<bool> QueueExistsAsync(string queue)
    {
        var factory = new ConnectionFactory { HostName = rabbit.Host, Port = rabbit.Port, UserName = rabbit.Username, Password = rabbit.Password };
        await using var connection = await factory.CreateConnectionAsync(Ct);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: Ct);
        try
        {
            await channel.QueueDeclarePassiveAsync(queue, Ct);
            return true;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
        {
            return false;
        }
    }

    [Fact]
    public async Task A_retired_consumers_queues_are_deleted_at_start_and_the_services_other_queues_stay()
    {
        var cs = await _t.CleanSchemaAsync();
        var service = $"svc-{Guid.NewGuid():N}"[..12];
        // Stopped, not disposed, until the end: MassTransit's log context outlives a bus in the test's async flow.
        using var before = Host(cs, service);
        await MessagingTestBase.StartAsync(before);
        await before.StopAsync(Ct);
        // While nobody consumes it, the old queue keeps taking the events published to its exchange.
        using var publisher = _t.ServiceHost(cs, $"pub-{Guid.NewGuid():N}"[..12]);
        await MessagingTestBase.StartAsync(publisher);
        await publisher.Services.GetRequiredService<IBus>().Publish(new RedeliveryProbe(Guid.NewGuid()), Ct);
        await Eventually.HoldsAsync(async () => await MessagesInAsync(QueueOf(service)) == 1, TimeSpan.FromSeconds(30), "the probe waits in the old queue");
        await publisher.StopAsync(Ct);
        var factory = new ConnectionFactory { HostName = rabbit.Host, Port = rabbit.Port, UserName = rabbit.Username, Password = rabbit.Password };
        await using (var connection = await factory.CreateConnectionAsync(Ct))
        await using (var channel = await connection.CreateChannelAsync(cancellationToken: Ct))
        {
            await channel.QueueDeclareAsync($"{QueueOf(service)}_error", durable: true, exclusive: false, autoDelete: false, cancellationToken: Ct);
        }

        // The service now runs without that consumer.
        using var after = _t.ServiceHost(cs, service, o => o.RetiredQueues = [QueueOf(service)]);
        await MessagingTestBase.StartAsync(after);
        try
        {
            await Eventually.HoldsAsync(async () => !await QueueExistsAsync(QueueOf(service)) && !await QueueExistsAsync($"{QueueOf(service)}_error"),
                TimeSpan.FromSeconds(30), "the retired queue and its error queue are deleted");
            Assert.True(await QueueExistsAsync($"{service}-unit-updated-test"), "the service's own consumer keeps its queue");
        }
        finally
        {
            await after.StopAsync(CancellationToken.None);
        }
    }

    private async Task<uint> MessagesInAsync(string queue)
    {
        var factory = new ConnectionFactory { HostName = rabbit.Host, Port = rabbit.Port, UserName = rabbit.Username, Password = rabbit.Password };
        await using var connection = await factory.CreateConnectionAsync(Ct);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: Ct);
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue, Ct)).MessageCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
        {
            return 0; // MassTransit makes an error queue when the first message goes there
        }
    }

    [Fact]
    public async Task A_message_failing_past_its_immediate_retries_is_redelivered_after_a_delay_and_then_handled()
    {
        var cs = await _t.CleanSchemaAsync();
        var service = $"svc-{Guid.NewGuid():N}"[..12];
        using var host = Host(cs, service);
        await MessagingTestBase.StartAsync(host);
        try
        {
            var probe = new RedeliveryProbe(Guid.NewGuid());
            RedeliveryProbeConsumer.FailUntilAttempt[probe.Id] = 4; // both tries of the first delivery and the first of the next fail

            await host.Services.GetRequiredService<IBus>().Publish(probe, Ct);

            await Eventually.HoldsAsync(() => Task.FromResult(RedeliveryProbeConsumer.Handled.ContainsKey(probe.Id)), TimeSpan.FromSeconds(60), "the probe is handled");
            Assert.Equal([0, 0, 1, 1], RedeliveryProbeConsumer.Attempts[probe.Id]);
            Assert.Equal(0u, await MessagesInAsync($"{QueueOf(service)}_error"));
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_message_failing_after_the_last_delay_goes_to_error_and_replay_errors_brings_it_back_once_the_cause_is_fixed()
    {
        var cs = await _t.CleanSchemaAsync();
        var service = $"svc-{Guid.NewGuid():N}"[..12];
        using var host = Host(cs, service);
        await MessagingTestBase.StartAsync(host);
        try
        {
            var probe = new RedeliveryProbe(Guid.NewGuid());
            RedeliveryProbeConsumer.FailUntilAttempt[probe.Id] = int.MaxValue;

            await host.Services.GetRequiredService<IBus>().Publish(probe, Ct);

            var queue = QueueOf(service);
            await Eventually.HoldsAsync(async () => await MessagesInAsync($"{queue}_error") == 1, TimeSpan.FromSeconds(60), "the probe reaches the error queue");
            Assert.Equal([0, 0, 1, 1, 2, 2], RedeliveryProbeConsumer.Attempts[probe.Id]);
            Assert.False(RedeliveryProbeConsumer.Handled.ContainsKey(probe.Id));

            RedeliveryProbeConsumer.FailUntilAttempt[probe.Id] = 0; // the cause is fixed
            var command = host.Services.GetServices<IMaintenanceCommand>().Single(c => c.Name == "replay-errors");
            Assert.Equal(0, await command.RunAsync([queue], Ct));

            await Eventually.HoldsAsync(() => Task.FromResult(RedeliveryProbeConsumer.Handled.ContainsKey(probe.Id)), TimeSpan.FromSeconds(60), "the replayed probe is handled");
            // Replayed as it came, with a fresh count of delayed redeliveries.
            Assert.Equal(0, RedeliveryProbeConsumer.Attempts[probe.Id].Last());
            Assert.Equal(0u, await MessagesInAsync($"{queue}_error"));
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public void MassTransit_usage_telemetry_is_switched_off()
    {
        using var host = _t.ServiceHost("Host=127.0.0.1;Database=unused", $"svc-{Guid.NewGuid():N}"[..12]);

        Assert.False(host.Services.GetRequiredService<IOptions<UsageTelemetryOptions>>().Value.Enabled);
    }
}
