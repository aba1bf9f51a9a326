using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net.Http.Headers;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sip.ServiceDefaults.Auth;
using Sip.Statistics.Infrastructure;
using Sip.Testing;

namespace Sip.Statistics.Tests.Service;

/// <summary>
/// The real statistics service (its own Program) in memory, on a real PostgreSQL and RabbitMQ in containers, migrated as
/// the migrate step does it. Events reach it through the broker, published as the outbox does (message id = event id).
/// </summary>
public sealed class StatisticsServiceHost : IAsyncLifetime
{
    private readonly PostgresFixture _postgres = new();
    private readonly RabbitMqFixture _rabbit = new();
    private readonly string _keyFile = Path.Combine(Path.GetTempPath(), $"sip-statistics-tests-{Guid.NewGuid():N}.pem");
    private WebApplicationFactory<Program>? _factory;
    private MeterListener? _inboxListener;
    private readonly ConcurrentDictionary<(string Counter, string Consumer), long> _inboxCounts = new();

    public const string ThresholdThreeTenant = "stat-threshold-3";
    public const string ThresholdOneTenant = "stat-threshold-1";

    public PostgresFixture Postgres => _postgres;

    /// <summary>The service's own connection string (its schema), for a test that loads the cube directly.</summary>
    public string ConnectionString => _connection;

    /// <summary>The service's own container, for a test that must put a row in place (an expired survey code).</summary>
    public IServiceProvider Services => _factory!.Services;

    /// <summary>Rebuilds the cube from the fact log, as <c>Sip.Statistics rebuild</c> does.</summary>
    public async Task<long> RebuildAsync()
    {
        await using var scope = _factory!.Services.CreateAsyncScope();
        return await Sip.Statistics.Domain.Rebuild.RunAsync(scope.ServiceProvider.GetRequiredService<StatisticsDbContext>(), CancellationToken.None);
    }

    public async ValueTask InitializeAsync()
    {
        await Task.WhenAll(_postgres.InitializeAsync().AsTask(), _rabbit.InitializeAsync().AsTask());
        DevelopmentTokens.CreateKeyFileIfMissing(_keyFile);
        var connection = _connection = await _postgres.CreateServiceSchemaAsync(StatisticsDbContext.Schema);
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("ConnectionStrings:Database", connection);
            builder.UseSetting("Auth:DevSigningKeyFile", _keyFile);
            // One tenant with its own threshold, and one that asks for less than the floor of 3.
            builder.UseSetting($"Statistics:Tenants:{ThresholdThreeTenant}:SuppressionThreshold", "3");
            builder.UseSetting($"Statistics:Tenants:{ThresholdOneTenant}:SuppressionThreshold", "1");
            foreach (var (key, value) in _rabbit.Configuration())
            {
                builder.UseSetting(key, value);
            }
            builder.ConfigureLogging(l => l.ClearProviders());
        });
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<StatisticsDbContext>().Database.MigrateAsync();
        }
        ListenToInboxCounters(_factory.Services.GetRequiredService<IMeterFactory>());
        // Ready (database and schema), and the bus with its receive endpoints: before that, a published event would find no queue bound.
        using var anonymous = _factory.CreateClient();
        await Eventually.HoldsAsync(async () => (await anonymous.GetAsync("/health/ready")).IsSuccessStatusCode
            && (await anonymous.GetAsync("/health/bus")).IsSuccessStatusCode, TimeSpan.FromSeconds(60), "the service is ready and its queues bound");
    }

    public HttpClient Statistician(string tenant) => As("statistician-1", tenant, SipRoles.Statistician);

    public HttpClient As(string subject, string tenant, string role)
    {
        var client = _factory!.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            DevelopmentTokens.Mint(_keyFile, new TokenRequest(subject, "Test Testsson", tenant, [], [role])));
        return client;
    }

    public HttpClient Anonymous() => _factory!.CreateClient();

    private string _connection = "";

    /// <summary>How many of these messages the consumer's inbox has recorded as processed (its own table, not a metric).</summary>
    public async Task<long> ProcessedAsync(string consumer, IEnumerable<Guid> messageIds)
    {
        await using var db = new Npgsql.NpgsqlConnection(_connection);
        await db.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            $"SELECT count(*) FROM {StatisticsDbContext.Schema}.inbox_messages WHERE consumer LIKE '%' || @consumer AND message_id = ANY(@ids)", db);
        command.Parameters.AddWithValue("consumer", consumer);
        command.Parameters.AddWithValue("ids", messageIds.ToArray());
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Publishes to the real broker as a service's outbox does: the event id is the message id the inbox deduplicates on.</summary>
    /// <summary>As <see cref="PublishAsync{T}"/>, typed by the message's runtime type.</summary>
    public async Task PublishFactAsync(object message, Guid eventId) =>
        await _factory!.Services.GetRequiredService<IBus>().Publish(message, message.GetType(), context => context.MessageId = eventId);

    public async Task PublishAsync<T>(T message, Guid eventId) where T : class =>
        await _factory!.Services.GetRequiredService<IBus>().Publish(message, context => context.MessageId = eventId);

    /// <summary>How many messages a consumer has processed, or recognised as redelivered (<paramref name="counter"/> "processed" or "duplicates").</summary>
    public Task<long> InboxCountAsync(string consumer, string counter) =>
        Task.FromResult(_inboxCounts.GetValueOrDefault(($"sip.inbox.{counter}", consumer)));

    /// <summary>
    /// The inbox counters of this host's own meters. Not read from /metrics: every test class runs a host of its own in this
    /// one process, and an OpenTelemetry exporter takes instruments by meter name from the whole process, so a later host's
    /// /metrics showed the first host's counters instead of its own (the duplicates counter "never moved" in a full run).
    /// </summary>
    private void ListenToInboxCounters(IMeterFactory meters)
    {
        _inboxListener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, meters) && instrument.Name.StartsWith("sip.inbox.", StringComparison.Ordinal))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _inboxListener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "consumer" && tag.Value is string consumer)
                {
                    _inboxCounts.AddOrUpdate((instrument.Name, consumer), value, (_, sum) => sum + value);
                }
            }
        });
        _inboxListener.Start();
    }

    public async ValueTask DisposeAsync()
    {
        _inboxListener?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
        File.Delete(_keyFile);
        await _postgres.DisposeAsync();
        await _rabbit.DisposeAsync();
    }
}

