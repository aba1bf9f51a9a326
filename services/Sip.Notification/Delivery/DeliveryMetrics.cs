using System.Diagnostics.Metrics;
using Npgsql;
using Sip.ServiceDefaults;

namespace Sip.Notification.Delivery;

/// <summary>
/// Outbound deliveries per channel (never a unit, address or case): every attempt's outcome as it happens, and the
/// deliveries waiting, retrying and given up, from a snapshot <see cref="DeliveryMetricsWorker"/> refreshes every 30 s.
/// Every channel's series start at 0, so a failure ratio has a denominator before the first failure.
/// </summary>
public sealed class DeliveryMetrics : IDisposable
{
    public const string MeterName = "Sip.Notification";

    /// <summary>The channels this service sends through.</summary>
    public static readonly string[] Channels = Domain.Channels.All;

    private readonly Meter _meter;
    private readonly Counter<long> _attempts;
    private volatile IReadOnlyList<ChannelSnapshot> _snapshot = Channels.Select(c => new ChannelSnapshot(c, 0, 0, 0)).ToList();

    public DeliveryMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _attempts = _meter.CreateCounter<long>("sip.notification.delivery_attempts",
            description: "Delivery attempts by outcome: sent, failed (retried later), given_up (failed for the last time)");
        foreach (var channel in Channels)
        {
            foreach (var outcome in new[] { "sent", "failed", "given_up" })
            {
                _attempts.Add(0, new("channel", channel), new("outcome", outcome));
            }
        }
        _meter.CreateObservableGauge("sip.notification.deliveries",
            () => _snapshot.SelectMany(s => new[]
            {
                new Measurement<long>(s.Pending, new("channel", s.Channel), new("state", "pending")),
                new Measurement<long>(s.Retrying, new("channel", s.Channel), new("state", "retrying")),
                new Measurement<long>(s.Failed, new("channel", s.Channel), new("state", "failed")),
            }),
            description: "Deliveries waiting to be sent (pending; retrying: the last attempt failed) and given up (failed) — these need a person");
    }

    public void Attempted(string channel, string outcome) => _attempts.Add(1, new("channel", channel), new("outcome", outcome));

    public void Update(IReadOnlyList<ChannelSnapshot> snapshot) => _snapshot = snapshot;

    public void Dispose() => _meter.Dispose();

    public sealed record ChannelSnapshot(string Channel, long Pending, long Retrying, long Failed);
}

/// <summary>
/// Refreshes the delivery gauges every 30 s; reads only pending and failed rows. A reminder or escalation waiting for its
/// time is not pending yet.
/// </summary>
public sealed class DeliveryMetricsWorker(NpgsqlDataSource dataSource, DeliveryMetrics metrics, TimeProvider clock, ILogger<DeliveryMetricsWorker> logger)
    : PeriodicWorker(clock, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromSeconds(30);

    protected override string Name => "Delivery metrics";

    protected override async Task RunOnceAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT channel, count(*) FILTER (WHERE status = 'Pending' AND (last_error IS NOT NULL OR next_attempt_at <= now())),
                   count(*) FILTER (WHERE status = 'Pending' AND last_error IS NOT NULL),
                   count(*) FILTER (WHERE status = 'Failed')
            FROM notification.deliveries WHERE status IN ('Pending', 'Failed') GROUP BY channel
            """);
        var byChannel = DeliveryMetrics.Channels.ToDictionary(c => c, c => new DeliveryMetrics.ChannelSnapshot(c, 0, 0, 0));
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var channel = reader.GetString(0);
            byChannel[channel] = new(channel, reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
        }
        metrics.Update(byChannel.Values.ToList());
    }
}
