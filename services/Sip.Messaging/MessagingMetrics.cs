using System.Diagnostics.Metrics;

namespace Sip.Messaging;

/// <summary>
/// Outbox lag and inbox counts, labelled by service, consumer and event type name only (never by data). Counters an
/// alert or a dashboard divides by are written as 0 when the service starts, so their series exist before the first
/// fault (a query over a series that does not exist yet returns nothing, not 0).
/// </summary>
public sealed class MessagingMetrics : IDisposable
{
    public const string MeterName = "Sip.Messaging";
    private readonly Meter _meter;
    private readonly Counter<long> _published;
    private readonly Counter<long> _publishFailures;
    private readonly Counter<long> _processed;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _scheduledFired;
    private readonly Counter<long> _faults;
    private readonly Counter<long> _redelivered;
    private readonly Counter<long> _concurrencyRetries;
    private readonly Counter<long> _redeliveriesDelayed;
    private Func<bool>? _brokerConnected;
    private readonly KeyValuePair<string, object?> _service;
    private double _lagSeconds;
    private long _unsent;
    private long _failing;
    private long _parked;
    private readonly Counter<long> _parkedTotal;
    private long _scheduledPending;
    private double _scheduledOverdueSeconds;

    public MessagingMetrics(IMeterFactory meterFactory, Microsoft.Extensions.Options.IOptions<MessagingOptions> options)
    {
        _meter = meterFactory.Create(MeterName);
        _service = new("service", options.Value.ServiceName);
        _published = _meter.CreateCounter<long>("sip.outbox.published", description: "Outbox messages confirmed by the broker");
        _publishFailures = _meter.CreateCounter<long>("sip.outbox.publish_failures", description: "Outbox publishes that failed and will be retried");
        _processed = _meter.CreateCounter<long>("sip.inbox.processed", description: "Messages processed for the first time");
        _duplicates = _meter.CreateCounter<long>("sip.inbox.duplicates", description: "Redelivered messages recognised by the inbox and skipped");
        _meter.CreateObservableGauge("sip.outbox.lag", () => new Measurement<double>(Volatile.Read(ref _lagSeconds), _service), "s", "Age of the oldest unsent outbox message");
        _meter.CreateObservableGauge("sip.outbox.unsent", () => new Measurement<long>(Volatile.Read(ref _unsent), _service), description: "Unsent outbox messages");
        // A row whose publish failed is retried with back-off (at most a minute apart); after MaxPublishFailures failures
        // that were its own fault it is parked (sip.outbox.parked) until an operator replays it.
        _meter.CreateObservableGauge("sip.outbox.failing", () => new Measurement<long>(Volatile.Read(ref _failing), _service),
            description: "Unsent outbox messages whose last publish failed (retried with back-off), parked ones not counted");
        _meter.CreateObservableGauge("sip.outbox.parked", () => new Measurement<long>(Volatile.Read(ref _parked), _service),
            description: "Outbox messages given up on after repeated failures; published again only when an operator replays them");
        _parkedTotal = _meter.CreateCounter<long>("sip.outbox.parked_rows", description: "Outbox messages parked (each time one is parked)");
        _faults = _meter.CreateCounter<long>("sip.inbox.faults", description: "Consume attempts that threw (each retry counts; after the last the message goes to the _error queue)");
        _redelivered = _meter.CreateCounter<long>("sip.inbox.redelivered", description: "Messages the broker delivered again (a consumer died or nacked before its ack)");
        _concurrencyRetries = _meter.CreateCounter<long>("sip.inbox.concurrency_retries",
            description: "Handlers run again at once because a concurrent writer changed the same row first (VersionGuard)");
        _redeliveriesDelayed = _meter.CreateCounter<long>("sip.inbox.redeliveries_delayed",
            description: "Messages sent to a waiting queue for a delayed redelivery after their immediate retries failed (by queue)");
        _meter.CreateObservableGauge("sip.broker.connected", () => new Measurement<int>(Volatile.Read(ref _brokerConnected)?.Invoke() == true ? 1 : 0, _service),
            description: "1 while the service's bus is connected to the broker with its receive endpoints ready, else 0");
        _scheduledFired = _meter.CreateCounter<long>("sip.scheduled_events.fired", description: "Scheduled events moved to the outbox when due");
        _meter.CreateObservableGauge("sip.scheduled_events.pending", () => new Measurement<long>(Volatile.Read(ref _scheduledPending), _service), description: "Scheduled events neither fired nor cancelled");
        _meter.CreateObservableGauge("sip.scheduled_events.overdue", () => new Measurement<double>(Volatile.Read(ref _scheduledOverdueSeconds), _service), "s",
            "How long the oldest due scheduled event has waited to fire (0 when none is overdue)");
        Initialise(options.Value.Consumers);
        foreach (var eventType in options.Value.ScheduledEvents)
        {
            ScheduledFired(0, eventType);
        }
    }

    /// <summary>Writes 0 for every consumer's counters (and the publish failures), so their series exist from the start.</summary>
    private void Initialise(IEnumerable<string> consumers)
    {
        foreach (var consumer in consumers)
        {
            _processed.Add(0, _service, new("consumer", consumer));
            _duplicates.Add(0, _service, new("consumer", consumer));
            _faults.Add(0, _service, new("consumer", consumer));
            _redelivered.Add(0, _service, new("consumer", consumer));
            _concurrencyRetries.Add(0, _service, new("consumer", consumer));
        }
        _published.Add(0, _service);
        _publishFailures.Add(0, _service);
        _parkedTotal.Add(0, _service);
    }

    public void Published(int count) => _published.Add(count, _service);
    public void PublishFailed(int count) => _publishFailures.Add(count, _service);
    public void Processed(string consumer) => _processed.Add(1, _service, new("consumer", consumer));
    public void Duplicate(string consumer) => _duplicates.Add(1, _service, new("consumer", consumer));
    public void Faulted(string consumer) => _faults.Add(1, _service, new("consumer", consumer));
    public void Redelivered(string consumer) => _redelivered.Add(1, _service, new("consumer", consumer));
    public void ConcurrencyRetried(string consumer) => _concurrencyRetries.Add(1, _service, new("consumer", consumer));

    public void RedeliveryDelayed(string queue) => _redeliveriesDelayed.Add(1, _service, new("queue", queue));

    /// <summary>Where <c>sip_broker_connected</c> reads the broker's state (the bus's health), set once the bus exists.</summary>
    public void ObserveBroker(Func<bool> connected) => Volatile.Write(ref _brokerConnected, connected);

    public void Parked(int count) => _parkedTotal.Add(count, _service);

    public void Backlog(double lagSeconds, long unsent, long failing = 0, long parked = 0)
    {
        Volatile.Write(ref _parked, parked);
        Volatile.Write(ref _lagSeconds, lagSeconds);
        Volatile.Write(ref _unsent, unsent);
        Volatile.Write(ref _failing, failing);
    }

    /// <summary>Timers fired, by the event's type name without namespace (e.g. <c>LusDeadlineBreached</c>).</summary>
    public void ScheduledFired(int count, string eventType = "") =>
        _scheduledFired.Add(count, _service, new("event", eventType.Length == 0 ? "unknown" : eventType[(eventType.LastIndexOf('.') + 1)..]));

    public void ScheduledBacklog(long pending, double overdueSeconds)
    {
        Volatile.Write(ref _scheduledPending, pending);
        Volatile.Write(ref _scheduledOverdueSeconds, overdueSeconds);
    }

    public void Dispose() => _meter.Dispose();
}
