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

    /// <summary>A claim expires after this, so a dispatcher that dies mid-batch does not hold rows forever.</summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Covers a lost NOTIFY or a dropped LISTEN connection; NOTIFY does the prompt work.</summary>
    public TimeSpan FallbackPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);
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
