using System.Globalization;
using System.Text.RegularExpressions;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MimeKit;
using Sip.Contracts.Directory;
using Sip.Notification.Infrastructure;
using Sip.ServiceDefaults.Auth;
using Sip.Testing;

namespace Sip.Notification.Tests.Service;

/// <summary>
/// The real notification service (its own Program) in memory, on a real PostgreSQL and RabbitMQ in containers, migrated as
/// the migrate step does it, sending over SMTP to a real SMTP server in the test process (<see cref="Smtp"/>). Events reach
/// it through the broker, published as the outbox does (message id = event id).
/// </summary>
public sealed class NotificationServiceHost : IAsyncLifetime
{
    public const string Tenant = "notification-test";
    public static readonly Uri LinkBase = new("https://sip.example.se/");
    private readonly PostgresFixture _postgres = new();
    private readonly RabbitMqFixture _rabbit = new();
    private readonly string _keyFile = Path.Combine(Path.GetTempPath(), $"sip-notification-tests-{Guid.NewGuid():N}.pem");
    private WebApplicationFactory<Program>? _factory;
    private LocalHttpServer? _directory;

    /// <summary>How long before a deadline this test tenant is reminded: short, so a test sees a reminder go out.</summary>
    public static readonly TimeSpan ReminderBefore = TimeSpan.FromSeconds(3);

    public SmtpSink Smtp { get; } = new();
    public SmsProviderStandIn Sms { get; } = new();
    public WebhookReceiver Webhooks { get; } = new();
    public WebApplicationFactory<Program> Factory => _factory!;
    public PostgresFixture Postgres => _postgres;

    public async ValueTask InitializeAsync()
    {
        await Task.WhenAll(_postgres.InitializeAsync().AsTask(), _rabbit.InitializeAsync().AsTask(), Sms.StartAsync(), Webhooks.StartAsync());
        _directory = await DirectoryStandIn.StartAsync();
        DevelopmentTokens.CreateKeyFileIfMissing(_keyFile);
        var connection = await _postgres.CreateServiceSchemaAsync(NotificationDbContext.Schema);
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("ConnectionStrings:Database", connection);
            builder.UseSetting("Auth:DevSigningKeyFile", _keyFile);
            builder.UseSetting("Services:CaseGrpc", _directory.Address.ToString().TrimEnd('/'));
            builder.UseSetting("Smtp:Host", "127.0.0.1");
            builder.UseSetting("Smtp:Port", Smtp.Port.ToString(CultureInfo.InvariantCulture));
            builder.UseSetting("Smtp:Security", "None");
            builder.UseSetting("Notification:LinkBaseUrl", LinkBase.ToString());
            builder.UseSetting("Notification:AllowPlainHttpWebhooks", "true");
            builder.UseSetting("Notification:IdlePoll", "00:00:01");
            builder.UseSetting($"Notification:Tenants:{Tenant}:ReminderBefore", ReminderBefore.ToString());
            builder.UseSetting($"Notification:Tenants:{Tenant}:Escalate", "true");
            // One quick retry within an attempt, and a short limit per try: the tests' receivers answer at once or fail on purpose.
            foreach (var channel in new[] { "email", "sms", "webhook" })
            {
                builder.UseSetting($"Notification:Channels:{channel}:QuickRetries", "1");
                builder.UseSetting($"Notification:Channels:{channel}:QuickRetryDelay", "00:00:00.100");
                builder.UseSetting($"Notification:Channels:{channel}:AttemptTimeout", "00:01:00");
            }
            // Webhooks give up after two attempts here, so a test sees a delivery fail for good and an administrator retry it.
            builder.UseSetting("Notification:Channels:webhook:MaxAttempts", "2");
            builder.UseSetting("Sms:Endpoint", Sms.Endpoint.ToString());
            builder.UseSetting("Sms:Username", SmsProviderStandIn.Username);
            builder.UseSetting("Sms:Password", SmsProviderStandIn.Password);
            foreach (var (key, value) in _rabbit.Configuration())
            {
                builder.UseSetting(key, value);
            }
            builder.ConfigureLogging(l => l.ClearProviders());
        });
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<NotificationDbContext>().Database.MigrateAsync();
        }
        // Ready (database and schema), and the bus with its receive endpoints: before that, a published event would find no queue bound.
        using var anonymous = _factory.CreateClient();
        await Eventually.HoldsAsync(async () => (await anonymous.GetAsync("/health/ready")).IsSuccessStatusCode
            && (await anonymous.GetAsync("/health/bus")).IsSuccessStatusCode, TimeSpan.FromSeconds(60), "the service is ready and its queues bound");
    }

    /// <summary>A unit in the directory with its functional mailbox, known to the notification service before the test goes on.</summary>
    public async Task<Guid> UnitAsync(string mailbox, string name = "Enhet")
    {
        var unit = Guid.NewGuid();
        var eventId = Guid.NewGuid();
        await PublishAsync(new UnitUpdated(eventId, DateTimeOffset.UtcNow, Tenant, unit, name, "Region", null, mailbox), eventId);
        await Eventually.HoldsAsync(async () => await _postgres.ScalarAsync<long>($"SELECT count(*) FROM notification.unit_subscriptions WHERE unit_id = '{unit}'") == 1,
            TimeSpan.FromSeconds(30), "the unit reaches the notification service's directory");
        return unit;
    }

    /// <summary>A client of the service's API as a person with <paramref name="roles"/> in <paramref name="units"/> (the directory stand-in agrees).</summary>
    public HttpClient Client(string subject, IReadOnlyList<Guid> units, params string[] roles)
    {
        var client = _factory!.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
            DevelopmentTokens.Mint(_keyFile, new TokenRequest(subject, "Test Testsson", Tenant, units, roles)));
        return client;
    }

    public HttpClient Administrator(Guid unit) => Client($"admin-{unit:N}", [unit], SipRoles.UnitAdministrator);

    public HttpClient Staff(string subject, Guid unit) => Client(subject, [unit], SipRoles.Staff);

    /// <summary>Publishes to the real broker as a service's outbox does: the event id is the message id the inbox deduplicates on.</summary>
    public async Task PublishAsync<T>(T message, Guid messageId) where T : class =>
        await _factory!.Services.GetRequiredService<IBus>().Publish(message, context => context.MessageId = messageId);

    /// <summary>Waits until <paramref name="count"/> e-mails have reached <paramref name="mailbox"/>, and returns them.</summary>
    public async Task<IReadOnlyList<MimeMessage>> MailsToAsync(string mailbox, int count = 1)
    {
        await Eventually.HoldsAsync(() => Task.FromResult(Smtp.To(mailbox).Count >= count), TimeSpan.FromSeconds(60), $"{count} e-mail(s) reach {mailbox}");
        return Smtp.To(mailbox);
    }

    public Task<long> DeliveriesOfAsync(Guid eventId) =>
        _postgres.ScalarAsync<long>($"SELECT count(*) FROM notification.deliveries WHERE source_event_id = '{eventId}'");

    /// <summary>How many messages a consumer has processed, or recognised as redelivered (<paramref name="counter"/> "processed" or "duplicates"), from /metrics.</summary>
    public async Task<long> InboxCountAsync(string consumer, string counter)
    {
        using var client = _factory!.CreateClient();
        var text = await client.GetStringAsync("/metrics");
        return Regex.Matches(text, $@"^sip_inbox_{counter}_total\{{(?<labels>[^}}]*)\}} (?<value>\S+)", RegexOptions.Multiline)
            .Where(m => m.Groups["labels"].Value.Contains($"consumer=\"{consumer}\"", StringComparison.Ordinal))
            .Sum(m => (long)double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Every message any test of the class sent, in every channel, carries no name, identity number or address: checked
    /// when the class is done, so a test that forgot to look cannot let one through.
    /// </summary>
    public void AssertNoPersonalDataWasSent()
    {
        var messages = Smtp.Messages.Select(HostileInput.Content).Concat(Sms.Received.Select(r => r.Message)).Concat(Webhooks.Accepted.Select(a => a.Body)).ToList();
        HostileInput.AssertAbsent(messages);
        // And every link any message carried opens a page of the web app through the gateway (attachments fold long lines, so texts only).
        var texts = Smtp.Messages.Select(m => m.Subject + "\n" + m.TextBody).Concat(Sms.Received.Select(r => r.Message)).Concat(Webhooks.Accepted.Select(a => a.Body));
        var links = texts.SelectMany(m => Regex.Matches(m, Regex.Escape(LinkBase.ToString()) + @"[^\s""<>]*").Select(x => new Uri(x.Value))).Distinct().ToList();
        Assert.All(links, link => Assert.True(WebPages.PageFor(link) is not null, $"{link.AbsolutePath} opens no page"));
    }

    public async ValueTask DisposeAsync()
    {
        Smtp.Release();
        var scanned = Smtp.Messages.Count + Sms.Received.Count + Webhooks.Accepted.Count;
        Exception? leak = null;
        try
        {
            AssertNoPersonalDataWasSent();
        }
        catch (Exception e)
        {
            leak = e;
        }
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
        File.Delete(_keyFile);
        Smtp.Release();
        await Smtp.DisposeAsync();
        await Sms.DisposeAsync();
        await Webhooks.DisposeAsync();
        if (_directory is not null)
        {
            await _directory.DisposeAsync();
        }
        if (leak is not null)
        {
            throw new InvalidOperationException($"Of the {scanned} messages the tests sent, one carried personal data.", leak);
        }
        await _postgres.DisposeAsync();
        await _rabbit.DisposeAsync();
    }
}
