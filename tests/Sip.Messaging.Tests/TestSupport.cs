using System.Collections.Concurrent;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Sip.Contracts.Directory;
using Sip.ServiceDefaults.Data;
using Sip.Testing;

[assembly: AssemblyFixture(typeof(PostgresFixture))]
[assembly: AssemblyFixture(typeof(RabbitMqFixture))]

namespace Sip.Messaging.Tests;

public sealed class Received
{
    public long Id { get; set; }
    public Guid MessageId { get; set; }
    public Guid UnitId { get; set; }
    public string Name { get; set; } = "";
}

public sealed class TestDb(DbContextOptions<TestDb> options) : DbContext(options)
{
    public const string Schema = "msgtest";

    public DbSet<Received> Received => Set<Received>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.Entity<Received>(e =>
        {
            e.ToTable("received");
            e.Property(x => x.Id).HasColumnName("id");
            e.Property(x => x.MessageId).HasColumnName("message_id");
            e.Property(x => x.UnitId).HasColumnName("unit_id");
            e.Property(x => x.Name).HasColumnName("name");
        });
        modelBuilder.AddSipMessaging();
        modelBuilder.AddSipScheduledEvents();
    }
}

/// <summary>Records what it handled; its effect and the inbox row commit together.</summary>
public sealed class UnitUpdatedTestConsumer(TestDb db, MessagingMetrics metrics) : IdempotentConsumer<UnitUpdated, TestDb>(db, metrics)
{
    public static readonly ConcurrentBag<Guid> Deliveries = [];

    public override Task Consume(ConsumeContext<UnitUpdated> context)
    {
        Deliveries.Add(context.MessageId!.Value);
        return base.Consume(context);
    }

    protected override Task HandleAsync(UnitUpdated message, CancellationToken ct)
    {
        Db.Received.Add(new Received { MessageId = message.EventId, UnitId = message.UnitId, Name = message.Name });
        return Task.CompletedTask;
    }
}

/// <summary>Records publishes in the order they complete; can be told to fail or to be slow.</summary>
public sealed class RecordingPublisher : IOutboxPublisher
{
    private long _order;
    public ConcurrentQueue<(long Order, ClaimedOutboxMessage Message)> Published { get; } = new();
    public Func<ClaimedOutboxMessage, bool> FailWhen { get; set; } = _ => false;

    /// <summary>What a failure throws: by default a broker's refusal; <see cref="UnpublishableMessageException"/> for a row at fault.</summary>
    public Func<Exception> FailWith { get; set; } = () => new InvalidOperationException("broker said no");
    public TimeSpan Delay { get; set; } = TimeSpan.Zero;

    public async Task PublishAsync(ClaimedOutboxMessage message, CancellationToken ct)
    {
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, ct);
        }
        if (FailWhen(message))
        {
            throw FailWith();
        }
        Published.Enqueue((Interlocked.Increment(ref _order), message));
    }
}

public sealed class MessagingTestBase(PostgresFixture postgres, RabbitMqFixture rabbit)
{
    private static readonly SemaphoreSlim SchemaLock = new(1, 1);
    private static string? _connectionString;

    public PostgresFixture Postgres => postgres;
    public RabbitMqFixture Rabbit => rabbit;

    /// <summary>The test schema, provisioned like a service's, created once and emptied for every test.</summary>
    public async Task<string> CleanSchemaAsync()
    {
        await SchemaLock.WaitAsync();
        try
        {
            if (_connectionString is null)
            {
                var cs = await postgres.CreateServiceSchemaAsync(TestDb.Schema);
                await using var db = NewDb(cs);
                await db.Database.EnsureCreatedAsync();
                _connectionString = cs;
            }
            await using var clean = NewDb(_connectionString);
            await clean.Database.ExecuteSqlRawAsync($"TRUNCATE {TestDb.Schema}.outbox_messages, {TestDb.Schema}.inbox_messages, {TestDb.Schema}.received, {TestDb.Schema}.{ScheduledEvents.Table}");
            UnitUpdatedTestConsumer.Deliveries.Clear();
            return _connectionString;
        }
        finally
        {
            SchemaLock.Release();
        }
    }

    /// <summary>A context of another process than any dispatcher's, or of the dispatcher's own when <paramref name="wake"/> is its wake-up.</summary>
    public static TestDb NewDb(string connectionString, OutboxWake? wake = null)
    {
        var options = new DbContextOptionsBuilder<TestDb>().UseNpgsql(connectionString);
        if (wake is not null)
        {
            options.AddInterceptors(new OutboxWakeInterceptor(wake));
        }
        return new(options.Options);
    }

    public static UnitUpdated NewEvent(Guid? unitId = null, string name = "Enhet") =>
        new(Guid.CreateVersion7(), DateTimeOffset.UtcNow, "test-tenant", unitId ?? Guid.NewGuid(), name, "Region", "1481", null);

    /// <summary>Commits <paramref name="events"/> to the outbox in one transaction, from outside any dispatcher's process.</summary>
    public static async Task CommitAsync(string connectionString, params UnitUpdated[] events)
    {
        await using var db = NewDb(connectionString);
        await CommitAsync(db, events);
    }

    /// <summary>Commits <paramref name="events"/> as the service in <paramref name="host"/> does: its own context, which wakes its dispatcher.</summary>
    public static async Task CommitAsync(IHost host, params UnitUpdated[] events)
    {
        await using var scope = host.Services.CreateAsyncScope();
        await CommitAsync(scope.ServiceProvider.GetRequiredService<TestDb>(), events);
    }

    /// <summary>Adds <paramref name="events"/> to <paramref name="db"/> and saves them, in one transaction of their own.</summary>
    public static async Task CommitAsync(TestDb db, params UnitUpdated[] events)
    {
        foreach (var e in events)
        {
            db.AddEvent(e);
        }
        await db.SaveChangesAsync();
    }

    public static OutboxDispatcher Dispatcher(string connectionString, IOutboxPublisher publisher, Action<MessagingOptions>? configure = null,
        OutboxWake? wake = null)
    {
        var options = new MessagingOptions { ServiceName = "msgtest", Schema = TestDb.Schema };
        configure?.Invoke(options);
        var dataSource = ServiceDatabaseRegistration.CreateDataSource(connectionString, "msgtest");
        var metrics = new MessagingMetrics(new TestMeterFactory(), Options.Create(options));
        return new OutboxDispatcher(dataSource, publisher, wake ?? new OutboxWake(), Options.Create(options), metrics, TimeProvider.System, NullLogger<OutboxDispatcher>.Instance);
    }

    /// <summary>A service host: MassTransit on the real broker, the dispatcher (and the timer, if asked), and the test consumer on its own queue.</summary>
    public IHost ServiceHost(string connectionString, string serviceName, Action<MessagingOptions>? configure = null, bool scheduledEvents = false,
        Action<IBusRegistrationConfigurator>? consumers = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddFilter(_ => false);
        builder.Configuration.AddInMemoryCollection(rabbit.Configuration());
        var dataSource = ServiceDatabaseRegistration.CreateDataSource(connectionString, serviceName);
        builder.Services.AddSingleton(dataSource);
        // As AddServiceDatabase does: the registered interceptors (messaging's wakes the dispatcher when events commit).
        builder.Services.AddDbContext<TestDb>((sp, o) => o.UseNpgsql(dataSource).AddRegisteredInterceptors(sp));
        builder.AddSipMessaging(serviceName, TestDb.Schema, x =>
        {
            x.AddConsumer<UnitUpdatedTestConsumer>();
            consumers?.Invoke(x);
        });
        if (scheduledEvents)
        {
            builder.AddSipScheduledEvents();
        }
        builder.Services.PostConfigure<MessagingOptions>(o =>
        {
            o.FallbackPollInterval = TimeSpan.FromSeconds(30);
            o.PublishTimeout = TimeSpan.FromSeconds(3);
            configure?.Invoke(o);
        });
        return builder.Build();
    }

    /// <summary>Starts the host and waits until its bus is connected and its queues are bound, so nothing is published into an unbound exchange.</summary>
    public static async Task StartAsync(IHost host)
    {
        await host.StartAsync(TestContext.Current.CancellationToken);
        var bus = host.Services.GetRequiredService<IBusControl>();
        var health = await bus.WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(60));
        Assert.Equal(BusHealthStatus.Healthy, health);
    }

    public async Task<long> CountAsync(string sql) => await postgres.ScalarAsync<long>(sql);
}

internal sealed class TestMeterFactory : System.Diagnostics.Metrics.IMeterFactory
{
    public System.Diagnostics.Metrics.Meter Create(System.Diagnostics.Metrics.MeterOptions options) => new(options);

    public void Dispose()
    {
    }
}
