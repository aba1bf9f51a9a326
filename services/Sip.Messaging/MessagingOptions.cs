namespace Sip.Messaging;

public sealed class MessagingOptions
{
    /// <summary>Prefix of this service's queue names, e.g. "notification".</summary>
    public string ServiceName { get; set; } = "";

    /// <summary>The service's own PostgreSQL schema, holding its outbox and inbox.</summary>
    public string Schema { get; set; } = "";

    public bool DispatcherEnabled { get; set; } = true;
    public int BatchSize { get; set; } = 500;

    /// <summary>Publishes awaiting a broker confirm at once; ~100–250 is where MassTransit's throughput levels off (TOOLBOX).</summary>
    public int MaxInFlight { get; set; } = 200;

    /// <summary>
    /// Claim rounds in progress at once: the next batch is claimed and starts publishing while the previous one waits for its
    /// last confirms, so the window never runs dry between rounds. 1 is the old one-round-at-a-time behaviour.
    /// </summary>
    public int PipelinedRounds { get; set; } = 3;

    /// <summary>
    /// Messages the broker hands each consumer endpoint ahead of acknowledgements (RabbitMQ prefetch). Enough to keep
    /// <see cref="ConsumerConcurrency"/> handlers busy while acks travel back; more only moves the queue into memory.
    /// 0 leaves MassTransit's default.
    /// </summary>
    public int ConsumerPrefetch { get; set; } = 64;

    /// <summary>
    /// Messages one consumer endpoint handles at once. Each holds a database connection and a transaction (inbox row plus the
    /// handler's changes), so this bounds the service's connections from consumers; 32 lets PostgreSQL group commits on 2 cores.
    /// 0 leaves MassTransit's default (the prefetch count).
    /// </summary>
    public int ConsumerConcurrency { get; set; } = 32;

    /// <summary>How long the dispatcher waits at start for the bus (its queues bound) before its first round.</summary>
    public TimeSpan BusStartWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Queues of consumers this service had and no longer has (e.g. <c>statistics-initiative-sent</c>): deleted at start with their
    /// <c>_error</c>, <c>_skipped</c> and waiting queues, so they do not stay bound to their exchanges and fill up.
    /// </summary>
    public string[] RetiredQueues { get; set; } = [];

    /// <summary>A claim expires after this, so a dispatcher that dies mid-batch does not hold rows forever.</summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Covers a lost NOTIFY or a dropped LISTEN connection; NOTIFY does the prompt work.</summary>
    public TimeSpan FallbackPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A row is parked after this many failed publishes that were its own fault: the message cannot be built (unknown type,
    /// unreadable body), or the broker refused it while it took other rows in the same round. A broker that is down makes
    /// every publish fail and counts for nothing: an outage never parks a row.
    /// </summary>
    public int MaxPublishFailures { get; set; } = 10;
    public TimeSpan SentRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Must outlive any redelivery of the same message (error-queue replays included).</summary>
    public TimeSpan InboxRetention { get; set; } = TimeSpan.FromDays(30);

    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Runs the timer registered by <c>AddSipScheduledEvents</c>; off, timers wait in their table until it is on again.</summary>
    public bool ScheduledEventsEnabled { get; set; } = true;

    /// <summary>
    /// The timer sleeps until the next pending due time, but no longer than this: a timer written while it sleeps,
    /// and due before it wakes, fires up to this late.
    /// </summary>
    public TimeSpan ScheduledEventsPollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A failing consumer is retried in memory after these waits (~21 s in all) before a delayed redelivery.</summary>
    public TimeSpan[] RetryIntervals { get; set; } = MessagingRegistration.RetryIntervals;

    /// <summary>
    /// Then the message is redelivered after each of these delays in turn (through a waiting queue on the broker, see
    /// <c>DelayedRedeliveryFilter</c>), each time with the immediate retries again; after the last it goes to <c>_error</c>.
    /// About 21 minutes in all: a database failover or a deploy of a few minutes needs no manual replay.
    /// </summary>
    public TimeSpan[] RedeliveryDelays { get; set; } = [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15)];

    /// <summary>The inbox names of the service's consumers (set by <c>AddSipMessaging</c>): their metrics start at 0.</summary>
    public IReadOnlyList<string> Consumers { get; set; } = [];

    /// <summary>The event types this service's timers fire (set by <c>AddSipScheduledEvents</c>): their metrics start at 0.</summary>
    public IReadOnlyList<string> ScheduledEvents { get; set; } = [];
}

public sealed class RabbitMqOptions
{
    public string Host { get; set; } = "127.0.0.1";
    public ushort Port { get; set; } = 5672;
    public string VirtualHost { get; set; } = "/";
    public string Username { get; set; } = "guest";
    public string Password { get; set; } = "guest";
}
