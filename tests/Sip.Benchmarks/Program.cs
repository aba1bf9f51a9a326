using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sip.Contracts.Directory;
using Sip.Messaging;
using Sip.ServiceDefaults.Data;

if (args.Length > 0 && args[0] == "audit-review")
{
    await AuditReviewBench.RunAsync(args[1..]);
    return 0;
}
if (args.Length > 0 && args[0] == "statistics")
{
    await StatisticsBench.RunAsync(args[1..]);
    return 0;
}
if (args.Length > 0 && args[0] == "consent-check")
{
    await ConsentCheckBench.RunAsync(args[1..]);
    return 0;
}

// Usage: Sip.Benchmarks <admin-connection-string> <rabbit-host> <rabbit-port> <rabbit-vhost> [seconds-per-phase]
// Use a vhost of its own: the baseline publishes the platform's event types, which the running services would consume.
var admin = args[0];
var rabbitHost = args[1];
var rabbitPort = ushort.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
var vhost = args[3];
var seconds = args.Length > 4 ? int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : 10;

const string schema = "bench";
var serviceConnection = new Npgsql.NpgsqlConnectionStringBuilder(admin) { Username = "sip_bench", Password = "bench", MaxPoolSize = 100 }.ConnectionString;
await ServiceDatabase.ProvisionAsync(admin, serviceConnection, schema);
await using (var db = BenchDb.Create(serviceConnection))
{
    // EnsureCreated would see the services' tables in the same database and do nothing.
    if (await db.Database.SqlQueryRaw<string?>("SELECT to_regclass('bench.outbox_messages')::text AS \"Value\"").SingleAsync() is null)
    {
        await db.GetService<Microsoft.EntityFrameworkCore.Storage.IRelationalDatabaseCreator>().CreateTablesAsync();
        await db.Database.ExecuteSqlRawAsync(MessagingModel.NotifyTriggerSql(schema));
    }
    await db.Database.ExecuteSqlRawAsync("TRUNCATE bench.outbox_messages, bench.inbox_messages");
}

Console.WriteLine($"# sip bench (a): outbox → RabbitMQ → consumer, {Environment.ProcessorCount} cores, {seconds} s per phase");

// Baseline: plain MassTransit publishing (publisher confirms on), 100 in flight, to the same broker.
var baseline = await PlainPublishRateAsync(rabbitHost, rabbitPort, vhost, TimeSpan.FromSeconds(seconds));
Console.WriteLine($"baseline  plain MassTransit publish, 100 in flight: {baseline:F0} msg/s");

using var host = BuildHost(serviceConnection, rabbitHost, rabbitPort, vhost);
await host.StartAsync();
await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(60));

// 560 commits/s: ten times a high national estimate of events at peak (docs/benchmarks.md, issue 14's derivation).
foreach (var rate in new[] { 100, 560 })
{
    var steady = await RunAsync(serviceConnection, TimeSpan.FromSeconds(seconds), writers: 4, perSecond: rate);
    Console.WriteLine($"steady    {rate} commits/s offered: {steady}");
}
var max = await RunAsync(serviceConnection, TimeSpan.FromSeconds(seconds), writers: 16, perSecond: null);
Console.WriteLine($"max       16 writers, no pacing: {max}");
await host.StopAsync();

// The dispatcher alone: a backlog committed while no dispatcher runs, then drained by one, in a host without the consumer
// (it would take the CPU the baseline's publisher has for itself). The consumer's queue exists and is bound from the phases
// above, so the broker routes and stores every message, which the baseline's unbound exchange does not have to.
var backlog = (int)Math.Max(5000, baseline * seconds / 2);
await FillAsync(serviceConnection, backlog);
LatencyConsumer.Reset();
double drainRate;
long drainBacklog;
using (var drainHost = BuildHost(serviceConnection, rabbitHost, rabbitPort, vhost, consumer: false))
{
    await drainHost.StartAsync();
    // Timed from the moment the bus is connected (the baseline's clock also starts after its bus started): connecting and
    // declaring the topology is not publishing. Rows the dispatcher got out while the bus came up are taken off the count.
    await drainHost.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(60));
    var drain = Stopwatch.StartNew();
    drainBacklog = await UnsentAsync(serviceConnection);
    await Eventually(async () => await UnsentAsync(serviceConnection) == 0, TimeSpan.FromSeconds(120));
    drainRate = drainBacklog / drain.Elapsed.TotalSeconds;
    await drainHost.StopAsync();
}
// Then the consumer alone (dispatcher off) works through the queued backlog: its inbox insert and commit per message.
double consumeRate;
using (var consumeHost = BuildHost(serviceConnection, rabbitHost, rabbitPort, vhost, dispatcher: false))
{
    var consume = Stopwatch.StartNew();
    await consumeHost.StartAsync();
    await consumeHost.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(60));
    var consumedAtStart = LatencyConsumer.Received.Count;
    consume.Restart();
    await Eventually(() => Task.FromResult(LatencyConsumer.Received.Count >= backlog), TimeSpan.FromSeconds(120));
    consumeRate = (LatencyConsumer.Received.Count - consumedAtStart) / consume.Elapsed.TotalSeconds;
    await consumeHost.StopAsync();
}
Console.WriteLine($"drain     {backlog} queued events ({drainBacklog} left when the bus was up): dispatcher alone published {drainRate:F0}/s (broker-confirmed), then consumer with inbox alone {consumeRate:F0}/s");
Console.WriteLine($"ratio     dispatcher drain / plain publish = {drainRate / baseline:F2};  end-to-end unpaced / plain publish = {max.Throughput / baseline:F2}");
return 0;

static async Task FillAsync(string connection, int count)
{
    for (var done = 0; done < count; done += 500)
    {
        await using var db = BenchDb.Create(connection);
        for (var i = 0; i < Math.Min(500, count - done); i++)
        {
            db.AddEvent(new UnitUpdated(Guid.CreateVersion7(), DateTimeOffset.UtcNow, "bench", Guid.NewGuid(), "Enhet", "Region", "1481", null));
        }
        await db.SaveChangesAsync();
    }
}

static async Task<long> UnsentAsync(string connection)
{
    await using var db = BenchDb.Create(connection);
    return await db.Set<OutboxMessage>().LongCountAsync(m => m.SentAt == null);
}

static async Task Eventually(Func<Task<bool>> condition, TimeSpan timeout)
{
    var deadline = DateTime.UtcNow + timeout;
    while (!await condition() && DateTime.UtcNow < deadline)
    {
        await Task.Delay(20);
    }
}

static IHost BuildHost(string connection, string rabbitHost, ushort rabbitPort, string vhost, bool consumer = true, bool dispatcher = true)
{
    var builder = Host.CreateApplicationBuilder();
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
    builder.Configuration.AddInMemoryCollection([
        new("RabbitMq:Host", rabbitHost), new("RabbitMq:Port", rabbitPort.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("RabbitMq:VirtualHost", vhost), new("Messaging:FallbackPollInterval", "00:00:05"),
        new("Messaging:DispatcherEnabled", dispatcher ? "true" : "false")]);
    var dataSource = ServiceDatabaseRegistration.CreateDataSource(connection, "sip-bench");
    builder.Services.AddSingleton(dataSource);
    builder.Services.AddDbContext<BenchDb>(o => o.UseNpgsql(dataSource));
    builder.AddSipMessaging("bench", "bench", x =>
    {
        if (consumer)
        {
            x.AddConsumer<LatencyConsumer>();
        }
    });
    return builder.Build();
}

static async Task<Result> RunAsync(string connection, TimeSpan duration, int writers, int? perSecond)
{
    LatencyConsumer.Reset();
    var committed = new ConcurrentDictionary<Guid, long>();
    var stopwatch = Stopwatch.StartNew();
    var interval = perSecond is { } r ? TimeSpan.FromSeconds((double)writers / r) : TimeSpan.Zero;
    await Task.WhenAll(Enumerable.Range(0, writers).Select(async w =>
    {
        var next = stopwatch.Elapsed;
        while (stopwatch.Elapsed < duration)
        {
            await using var db = BenchDb.Create(connection);
            var e = new UnitUpdated(Guid.CreateVersion7(), DateTimeOffset.UtcNow, "bench", Guid.NewGuid(), "Enhet", "Region", "1481", null);
            db.AddEvent(e);
            await db.SaveChangesAsync();
            committed[e.EventId] = Stopwatch.GetTimestamp();
            if (interval > TimeSpan.Zero)
            {
                next += interval;
                var wait = next - stopwatch.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait);
                }
            }
        }
    }));
    var offeredSeconds = stopwatch.Elapsed.TotalSeconds;
    var deadline = DateTime.UtcNow.AddSeconds(60);
    while (LatencyConsumer.Received.Count < committed.Count && DateTime.UtcNow < deadline)
    {
        await Task.Delay(50);
    }
    var drainedSeconds = stopwatch.Elapsed.TotalSeconds;
    var latencies = LatencyConsumer.Received
        .Where(kv => committed.ContainsKey(kv.Key))
        .Select(kv => Stopwatch.GetElapsedTime(committed[kv.Key], kv.Value).TotalMilliseconds)
        .Order().ToArray();
    return new Result(committed.Count, latencies.Length, committed.Count / offeredSeconds, latencies.Length / drainedSeconds,
        Percentile(latencies, 0.50), Percentile(latencies, 0.99));
}

static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

static async Task<double> PlainPublishRateAsync(string host, ushort port, string vhost, TimeSpan duration)
{
    var bus = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(host, port, vhost, h =>
    {
        h.Username("guest");
        h.Password("guest");
        h.PublisherConfirmation = true;
    }));
    await bus.StartAsync();
    try
    {
        var sent = 0L;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 100).Select(async _ =>
        {
            while (stopwatch.Elapsed < duration)
            {
                await bus.Publish(new UnitUpdated(Guid.NewGuid(), DateTimeOffset.UtcNow, "bench-baseline", Guid.NewGuid(), "Enhet", "Region", "1481", null));
                Interlocked.Increment(ref sent);
            }
        }));
        return sent / stopwatch.Elapsed.TotalSeconds;
    }
    finally
    {
        await bus.StopAsync();
    }
}

internal sealed record Result(int Committed, int Consumed, double Offered, double Throughput, double P50, double P99)
{
    public override string ToString() =>
        $"{Committed} committed ({Offered:F0}/s), {Consumed} consumed ({Throughput:F0}/s end to end), commit→consumed p50 {P50:F1} ms, p99 {P99:F1} ms";
}

internal sealed class BenchDb(DbContextOptions<BenchDb> options) : DbContext(options)
{
    public static BenchDb Create(string connection) => new(new DbContextOptionsBuilder<BenchDb>().UseNpgsql(connection).Options);

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema("bench");
        modelBuilder.AddSipMessaging();
    }
}

/// <summary>Idempotent like every real consumer (inbox row per message), and records when each message arrived.</summary>
internal sealed class LatencyConsumer(BenchDb db, MessagingMetrics metrics) : IdempotentConsumer<UnitUpdated, BenchDb>(db, metrics)
{
    public static ConcurrentDictionary<Guid, long> Received { get; private set; } = new();

    public static void Reset() => Received = new();

    protected override Task HandleAsync(UnitUpdated message, CancellationToken ct)
    {
        Received.TryAdd(message.EventId, Stopwatch.GetTimestamp());
        return Task.CompletedTask;
    }
}
