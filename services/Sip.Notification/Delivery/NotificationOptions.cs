using Sip.Notification.Domain;

namespace Sip.Notification.Delivery;

public sealed class NotificationOptions
{
    /// <summary>The staff web app's address as people reach it (through the gateway); links in messages point there.</summary>
    public string LinkBaseUrl { get; set; } = "http://127.0.0.1:5080/";

    public Links Links => Links.From(LinkBaseUrl);

    /// <summary>The CloudEvents <c>source</c> of every webhook.</summary>
    public string EventSource { get; set; } = "urn:sip-platform:notification";

    /// <summary>Webhook URLs must be https; development and tests allow http (to a receiver on 127.0.0.1).</summary>
    public bool AllowPlainHttpWebhooks { get; set; }

    public TimeSpan IdlePoll { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Reminders, escalation and digest for tenants that have no entry in <see cref="Tenants"/>.</summary>
    public TenantNotificationOptions Defaults { get; set; } = new();

    /// <summary>Per tenant (key: tenant id); a tenant's entry replaces <see cref="Defaults"/> as a whole.</summary>
    public Dictionary<string, TenantNotificationOptions> Tenants { get; set; } = [];

    public TenantNotificationOptions For(string tenantId) => Tenants.GetValueOrDefault(tenantId) ?? Defaults;

    /// <summary>Per channel: how many sends run at once and how long one may take.</summary>
    public Dictionary<string, ChannelOptions> Channels { get; set; } = [];

    public ChannelOptions Channel(string channel) => Channels.GetValueOrDefault(channel) ?? new ChannelOptions();
}

public sealed class TenantNotificationOptions
{
    /// <summary>How long before an initiative's or a summons' deadline an unanswered one is reminded of; zero: no reminder.</summary>
    public TimeSpan ReminderBefore { get; set; } = TimeSpan.FromHours(4);

    /// <summary>Whether a deadline passed unanswered escalates to the unit's administrators.</summary>
    public bool Escalate { get; set; } = true;

    /// <summary>How long after the deadline the escalation goes, unless answered in between.</summary>
    public TimeSpan EscalateAfter { get; set; } = TimeSpan.Zero;

    /// <summary>Swedish local time of the morning digest.</summary>
    public TimeOnly DigestAt { get; set; } = new(7, 0);
}

public sealed class ChannelOptions
{
    public int Concurrency { get; set; } = 2;

    /// <summary>Attempts before a delivery is given up (and shown to the unit's administrators as failed); with the back-off, 10 span about two hours.</summary>
    public int MaxAttempts { get; set; } = Domain.Delivery.MaxAttempts;

    /// <summary>One attempt's limit (Polly timeout), so a hanging server frees its sender.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Quick retries within one attempt (Polly, exponential back-off with jitter) before the delivery waits for its next attempt.</summary>
    public int QuickRetries { get; set; } = 2;

    public TimeSpan QuickRetryDelay { get; set; } = TimeSpan.FromSeconds(1);
}
