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
    // Created afresh from the current model each run (its storage settings included). EnsureCreated would see the services'
    // tables in the same database and do nothing.
    await db.Database.ExecuteSqlRawAsync("DROP TABLE IF EXISTS bench.outbox_messages, bench.inbox_messages");
    await db.GetService<Microsoft.EntityFrameworkCore.Storage.IRelationalDatabaseCreator>().CreateTablesAsync();
}

Console.WriteLine($"# sip bench (a): outbox → RabbitMQ → consumer, {Environment.ProcessorCount} cores, {seconds} s per phase");

// Baseline: plain MassTransit publishing (publisher confirms on), 100 in flight, to the same broker.
// Nothing is bound to the exchange yet (a fresh vhost), so the broker confirms and drops each message.
var (baseline, baselineCpu) = await PlainPublishRateAsync(rabbitHost, rabbitPort, vhost, TimeSpan.FromSeconds(seconds));
Console.WriteLine($"baseline  plain MassTransit publish, 100 in flight, unrouted: {baseline:F0} msg/s; {baselineCpu}");

using var counters = new MessagingCounters();
using var host = BuildHost(serviceConnection, rabbitHost, rabbitPort, vhost);
await host.StartAsync();
await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(60));

// Warm-up, not counted: the first tens of seconds of a .NET process keep its tiered JIT busy (most of a core here, recompiling
// hot methods with what it learned, and behind on a busy box), which would be billed to the phases as CPU per message and as
// their slowest commits. A service that has run for a while has long finished that. So: 10 s at 560 commits/s, then 5 s
// rounds at 100/s until a round's JIT takes under 0.3 s (at most 60 s in all).
var jitBefore = System.Runtime.JitInfo.GetCompilationTime();
var warmUp = Stopwatch.StartNew();
await RunAsync(host.Services, TimeSpan.FromSeconds(10), writers: 16, perSecond: 560);
while (warmUp.Elapsed < TimeSpan.FromSeconds(60))
{
    var jitRound = System.Runtime.JitInfo.GetCompilationTime();
    await RunAsync(host.Services, TimeSpan.FromSeconds(5), writers: 16, perSecond: 100);
    if (System.Runtime.JitInfo.GetCompilationTime() - jitRound < TimeSpan.FromSeconds(0.3))
    {
        break;
    }
}
Console.WriteLine($"warm-up   {warmUp.Elapsed.TotalSeconds:F0} s, not counted: JIT {(System.Runtime.JitInfo.GetCompilationTime() - jitBefore).TotalSeconds:F1} s");

// 560 commits/s: ten times a high national estimate of events at peak (docs/benchmarks.md, issue 14's derivation).
foreach (var rate in new[] { 100, 560 })
{
    // Sixteen writers share the offered rate: at the national peak commits come from many requests at once, and four
    // sequential writers would cap the rate at 4 / (commit latency) on a box whose commits take more than 7 ms.
    var before = counters.Snapshot();
    Result steady;
    var jit = System.Runtime.JitInfo.GetCompilationTime();
    using (PhaseTrace.Start($"steady{rate}"))
    {
        steady = await RunAsync(host.Services, TimeSpan.FromSeconds(seconds), writers: 16, perSecond: rate);
    }
    Console.WriteLine($"steady    {rate} commits/s offered: {steady}; {counters.Trouble(before)}; JIT {(System.Runtime.JitInfo.GetCompilationTime() - jit).TotalSeconds:F1} s");
}
var beforeMax = counters.Snapshot();
var max = await RunAsync(host.Services, TimeSpan.FromSeconds(seconds), writers: 16, perSecond: null);
Console.WriteLine($"max       16 writers, no pacing: {max}; {counters.Trouble(beforeMax)}");
await host.StopAsync();

// The dispatcher alone, in rounds (the box is shared by PostgreSQL, RabbitMQ and the rest of the platform, and one 10 s
// figure moves by ±20 %): plain publishing into the consumer's quorum queue, then a backlog committed while no dispatcher
// runs, drained by one in a host without the consumer. From the phases above the queue exists and is bound to the
// exchange, so the baseline's messages are routed, stored and replicated before the broker confirms them, as the drained
// ones are: like against like. The queue is emptied between phases, so it does not grow from round to round. The median
// round is the figure.
var backlog = (int)Math.Max(5000, baseline * seconds / 2);
var queue = new KebabCaseEndpointNameFormatter("bench", false).Consumer<LatencyConsumer>();
var rounds = int.Parse(Environment.GetEnvironmentVariable("SIP_BENCH_DRAIN_ROUNDS") ?? "3", System.Globalization.CultureInfo.InvariantCulture);
var ratios = new List<double>();
long drainBacklog = 0;
for (var round = 1; round <= rounds; round++)
{
    var (routed, routedCpu) = await PlainPublishRateAsync(rabbitHost, rabbitPort, vhost, TimeSpan.FromSeconds(seconds));
    await PurgeAsync(rabbitHost, rabbitPort, vhost, queue);
    // Every round starts from an empty outbox. Sent rows are kept for a week, and the rounds' hundreds of thousands of them
    // would outgrow the local PostgreSQL's 128 MB of shared buffers and make later rounds slower than earlier ones.
    await BenchSql.ExecuteAsync(serviceConnection, "TRUNCATE bench.outbox_messages");
    await FillAsync(serviceConnection, backlog);
    // A real backlog builds up over an outage, while autovacuum keeps up with the table. Here it would be filled in seconds
    // and autovacuum would start on it during the drain (a new table passes the insert threshold at once), in some rounds
    // and not others; the rounds with it were half as fast (run V in docs/benchmarks.md). So the table is vacuumed first.
    await BenchSql.ExecuteAsync(serviceConnection, "VACUUM ANALYZE bench.outbox_messages");
    double drainRate;
    string drainCpu;
    (drainRate, drainBacklog, drainCpu) = await DrainAsync(serviceConnection, rabbitHost, rabbitPort, vhost);
    ratios.Add(drainRate / routed);
    Console.WriteLine($"round {round}   plain publish into the quorum queue, 100 in flight: {routed:F0} msg/s; {routedCpu}");
    Console.WriteLine($"round {round}   dispatcher drain of {drainBacklog} rows: {drainRate:F0}/s (broker-confirmed, marked); {drainCpu}; ratio {drainRate / routed:F2}");
    if (round < rounds)
    {
        await PurgeAsync(rabbitHost, rabbitPort, vhost, queue);
    }
}

// Then the consumer works through the last round's queued backlog while 16 writers commit at issue 14's 560 commits/s and
// the dispatcher publishes what they commit: its inbox insert and commit per message, beside the writers.
LatencyConsumer.Reset();
double consumeRate;
Result beside;
using (var consumeHost = BuildHost(serviceConnection, rabbitHost, rabbitPort, vhost))
{
    await consumeHost.StartAsync();
    await consumeHost.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(60));
    var consume = Stopwatch.StartNew();
    var consumedAtStart = LatencyConsumer.Received.Count;
    var writing = RunAsync(consumeHost.Services, TimeSpan.FromSeconds(seconds), writers: 16, perSecond: 560, keepReceived: true);
    await Eventually(() => Task.FromResult(LatencyConsumer.Received.Count - consumedAtStart >= drainBacklog), TimeSpan.FromSeconds(120));
    consumeRate = (LatencyConsumer.Received.Count - consumedAtStart) / consume.Elapsed.TotalSeconds;
    beside = await writing;
    await consumeHost.StopAsync();
}
// The writers' own latencies say nothing here (their events queue behind the backlog); what they committed does.
Console.WriteLine($"consume   consumer with inbox, {drainBacklog} queued plus new: {consumeRate:F0}/s while 16 writers offered 560 commits/s and committed {beside.Committed} ({beside.Offered:F0}/s)");
var median = ratios.Count == 0 ? double.NaN : ratios.Order().ElementAt(ratios.Count / 2);
Console.WriteLine($"ratio     dispatcher drain / plain publish into the same queue: median {median:F2} of {rounds} rounds ({string.Join(", ", ratios.Select(r => r.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)))});  end-to-end unpaced / plain publish (unrouted) = {max.Throughput / baseline:F2}");
return 0;

// A host with the dispatcher and without the consumer drains what is unsent; timed from the moment its bus is connected (the
// baseline's clock also starts after its bus started): connecting and declaring the topology is not publishing. Rows the
// dispatcher got out while the bus came up are taken off the count. The end is seen in this process (the dispatcher's own
// count of confirmed and marked rows), not by polling the table: a count over tens of thousands of unsent rows every few
// milliseconds would take PostgreSQL's CPU from the drain.
static async Task<(double Rate, long Rows, string Cpu)> DrainAsync(string connection, string rabbitHost, ushort rabbitPort, string vhost)
{
    var unsent = await UnsentAsync(connection);
    using var drainHost = BuildHost(connection, rabbitHost, rabbitPort, vhost, consumer: false);
    using var published = new MessagingCounters();
    await drainHost.StartAsync();
    await drainHost.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(60));
    var drain = Stopwatch.StartNew();
    var cpu = new CpuMeter();
    using var trace = PhaseTrace.Start("drain");
    var rows = unsent - published.Published;
    await Eventually(() => Task.FromResult(published.Published >= unsent), TimeSpan.FromSeconds(120));
    var rate = rows / drain.Elapsed.TotalSeconds;
    var cpuLine = cpu.PerMessage(rows);
    if (await UnsentAsync(connection) is var left and > 0)
    {
        throw new InvalidOperationException($"{left} rows were still unsent after the drain.");
    }
    await drainHost.StopAsync();
    return (rate, rows, cpuLine);
}

static async Task PurgeAsync(string host, ushort port, string vhost, string queue)
{
    var factory = new RabbitMQ.Client.ConnectionFactory { HostName = host, Port = port, VirtualHost = vhost, UserName = "guest", Password = "guest" };
    await using var connection = await factory.CreateConnectionAsync();
    await using var channel = await connection.CreateChannelAsync();
    await channel.QueuePurgeAsync(queue);
}

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
        await Task.Delay(5);
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
    // As AddServiceDatabase registers the services' contexts: pooled, with messaging's interceptor (a commit with events wakes the dispatcher).
    builder.Services.AddDbContextPool<BenchDb>((sp, o) => o.UseNpgsql(dataSource).AddRegisteredInterceptors(sp));
    builder.AddSipMessaging("bench", "bench", x =>
    {
        if (consumer)
        {
            x.AddConsumer<LatencyConsumer>();
        }
    });
    return builder.Build();
}

// The writers commit as a service's requests do: a pooled context from a scope of the host that runs the dispatcher.
static async Task<Result> RunAsync(IServiceProvider services, TimeSpan duration, int writers, int? perSecond, bool keepReceived = false)
{
    if (!keepReceived)
    {
        LatencyConsumer.Reset();
    }
    var committed = new ConcurrentDictionary<Guid, long>();
    var started = Stopwatch.GetTimestamp();
    var stopwatch = Stopwatch.StartNew();
    var cpu = new CpuMeter();
    var interval = perSecond is { } r ? TimeSpan.FromSeconds((double)writers / r) : TimeSpan.Zero;
    await Task.WhenAll(Enumerable.Range(0, writers).Select(async w =>
    {
        var next = stopwatch.Elapsed;
        while (stopwatch.Elapsed < duration)
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BenchDb>();
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
    // CPU while the writers ran, per committed event: what one event costs the machine from commit to consumed, all told.
    var cpuLine = cpu.PerMessage(committed.Count);
    var deadline = DateTime.UtcNow.AddSeconds(60);
    // Received may also hold messages committed before this phase (keepReceived): wait for this phase's own.
    while (committed.Keys.Count(LatencyConsumer.Received.ContainsKey) < committed.Count && DateTime.UtcNow < deadline)
    {
        await Task.Delay(50);
    }
    var drainedSeconds = stopwatch.Elapsed.TotalSeconds;
    // Latency of each of this phase's events, with the second of the phase it was committed in.
    var arrived = LatencyConsumer.Received.Where(kv => committed.ContainsKey(kv.Key))
        .Select(kv => (Ms: Stopwatch.GetElapsedTime(committed[kv.Key], kv.Value).TotalMilliseconds,
                       Second: (int)Stopwatch.GetElapsedTime(started, committed[kv.Key]).TotalSeconds))
        .ToList();
    var latencies = arrived.Select(a => a.Ms).Order().ToArray();
    // When the tail is long: in which seconds of the phase were the slow ones committed (a stall, or a spread)?
    var slowSeconds = arrived.Where(a => a.Ms > 250).GroupBy(a => a.Second).OrderBy(g => g.Key).Select(g => $"{g.Key}s:{g.Count()}");
    return new Result(committed.Count, latencies.Length, committed.Count / offeredSeconds, latencies.Length / drainedSeconds,
        Percentile(latencies, 0.50), Percentile(latencies, 0.99), string.Join(" ", slowSeconds), cpuLine);
}

static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

static async Task<(double Rate, string Cpu)> PlainPublishRateAsync(string host, ushort port, string vhost, TimeSpan duration)
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
        var cpu = new CpuMeter();
        await Task.WhenAll(Enumerable.Range(0, 100).Select(async _ =>
        {
            while (stopwatch.Elapsed < duration)
            {
                await bus.Publish(new UnitUpdated(Guid.NewGuid(), DateTimeOffset.UtcNow, "bench-baseline", Guid.NewGuid(), "Enhet", "Region", "1481", null));
                Interlocked.Increment(ref sent);
            }
        }));
        return (sent / stopwatch.Elapsed.TotalSeconds, cpu.PerMessage(sent));
    }
    finally
    {
        await bus.StopAsync();
    }
}

/// <summary>
/// The messaging counters of this process (sip.outbox.*, sip.inbox.*), summed as they are recorded: the drain's end is seen from
/// <c>sip.outbox.published</c>, and each phase prints what went wrong in it (failed publishes, consumer faults and retries).
/// </summary>
internal sealed class MessagingCounters : IDisposable
{
    private readonly System.Diagnostics.Metrics.MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _totals = new();

    public MessagingCounters()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MessagingMetrics.MeterName && instrument is System.Diagnostics.Metrics.Counter<long>)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => _totals.AddOrUpdate(instrument.Name, value, (_, v) => v + value));
        _listener.Start();
    }

    public long Published => this["sip.outbox.published"];

    public long this[string name] => _totals.TryGetValue(name, out var v) ? v : 0;

    /// <summary>The counters that tell of trouble, as they moved since <paramref name="since"/>; "none" when none did.</summary>
    public string Trouble(IReadOnlyDictionary<string, long> since)
    {
        string[] trouble = ["sip.outbox.publish_failures", "sip.inbox.faults", "sip.inbox.concurrency_retries", "sip.inbox.redelivered", "sip.inbox.duplicates"];
        var moved = trouble.Select(n => (Name: n, Delta: this[n] - since.GetValueOrDefault(n))).Where(t => t.Delta != 0)
            .Select(t => $"{t.Name.Replace("sip.", "")} {t.Delta}").ToList();
        return moved.Count == 0 ? "trouble: none" : $"trouble: {string.Join(", ", moved)}";
    }

    public IReadOnlyDictionary<string, long> Snapshot() => new Dictionary<string, long>(_totals);

    public void Dispose() => _listener.Dispose();
}

/// <summary>
/// With SIP_BENCH_TRACE set to a dotnet-trace executable, a sampled thread-time profile of this process during the first
/// seconds (SIP_BENCH_TRACE_SECONDS, default 8) of one phase: SIP_BENCH_TRACE_PHASE, "drain" (the default), "steady100" or
/// "steady560". Written to SIP_BENCH_TRACE_OUT (default &lt;phase&gt;.nettrace); the first drain round only.
/// </summary>
internal static class PhaseTrace
{
    private static bool _taken;

    public static Process? Start(string phase)
    {
        var tool = Environment.GetEnvironmentVariable("SIP_BENCH_TRACE");
        if (string.IsNullOrEmpty(tool) || _taken || phase != (Environment.GetEnvironmentVariable("SIP_BENCH_TRACE_PHASE") ?? "drain"))
        {
            return null;
        }
        _taken = true;
        var seconds = int.Parse(Environment.GetEnvironmentVariable("SIP_BENCH_TRACE_SECONDS") ?? "8", System.Globalization.CultureInfo.InvariantCulture);
        var output = Environment.GetEnvironmentVariable("SIP_BENCH_TRACE_OUT") ?? $"{phase}.nettrace";
        return Process.Start(new ProcessStartInfo(tool,
            ["collect", "-p", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--profile", "dotnet-sampled-thread-time", "--duration", TimeSpan.FromSeconds(seconds).ToString(@"dd\:hh\:mm\:ss"), "-o", output])
        { RedirectStandardOutput = true, RedirectStandardError = true });
    }
}

internal sealed record Result(int Committed, int Consumed, double Offered, double Throughput, double P50, double P99, string SlowSeconds, string Cpu)
{
    public override string ToString() =>
        $"{Committed} committed ({Offered:F0}/s), {Consumed} consumed ({Throughput:F0}/s end to end), commit→consumed p50 {P50:F1} ms, p99 {P99:F1} ms" +
        (SlowSeconds.Length > 0 ? $" (over 250 ms, by second of commit: {SlowSeconds})" : "") + $"; {Cpu}";
}

internal sealed class BenchDb(DbContextOptions<BenchDb> options) : DbContext(options)
{
    /// <summary>For setting up and checking only; the writers take the host's pooled contexts.</summary>
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
