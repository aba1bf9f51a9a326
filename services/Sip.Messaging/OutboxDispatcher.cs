using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Sip.Messaging;

/// <summary>
/// Publishes committed outbox rows. Woken by NOTIFY when a transaction with outbox rows commits;
/// a slow fallback poll covers a lost notification. Safe with any number of replicas: rows are
/// claimed with SKIP LOCKED under a lease, and marked sent only after the broker confirmed them.
/// A crash between publish and mark means a duplicate (same MessageId, dropped by the inbox), never a loss.
/// </summary>
public sealed class OutboxDispatcher : BackgroundService
{
    private readonly OutboxStore _store;
    private readonly NpgsqlDataSource _dataSource;
    private readonly IOutboxPublisher _publisher;
    private readonly MessagingOptions _options;
    private readonly MessagingMetrics _metrics;
    private readonly TimeProvider _clock;
    private readonly ILogger<OutboxDispatcher> _log;
    private readonly WakeSignal _wake = new();
    private readonly string _channel;

    public OutboxDispatcher(NpgsqlDataSource dataSource, IOutboxPublisher publisher, IOptions<MessagingOptions> options,
        MessagingMetrics metrics, TimeProvider clock, ILogger<OutboxDispatcher> log)
    {
        _options = options.Value;
        _dataSource = dataSource;
        _store = new OutboxStore(dataSource, _options.Schema);
        _publisher = publisher;
        _metrics = metrics;
        _clock = clock;
        _log = log;
        _channel = MessagingModel.NotifyChannel(_options.Schema);
        Owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
    }

    public string Owner { get; }

    /// <summary>How many times the dispatcher woke up; lets tests prove that an idle system does not spin.</summary>
    public long Wakeups => Interlocked.Read(ref _wakeups);
    private long _wakeups;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.DispatcherEnabled)
        {
            return;
        }
        var listener = ListenAsync(stoppingToken);
        var nextCleanup = _clock.GetUtcNow().AddMinutes(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _wakeups);
            try
            {
                await DrainAsync(stoppingToken);
                var (lag, unsent, failing) = await _store.BacklogAsync(stoppingToken);
                _metrics.Backlog(lag, unsent, failing);
                if (_clock.GetUtcNow() >= nextCleanup)
                {
                    var (outbox, inbox) = await _store.CleanupAsync(_options.SentRetention, _options.InboxRetention, stoppingToken);
                    _log.LogInformation("Outbox cleanup removed {Outbox} sent rows and {Inbox} inbox ids", outbox, inbox);
                    nextCleanup = _clock.GetUtcNow().Add(_options.CleanupInterval);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                _log.LogWarning("Outbox dispatch failed ({Error}); retrying after the next wake-up", e.GetType().Name);
            }
            try
            {
                await _wake.WaitAsync(_options.FallbackPollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        await listener;
    }

    private async Task DrainAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var (claimed, failed) = await DispatchOnceAsync(ct);
            if (claimed < _options.BatchSize || failed > 0)
            {
                return;
            }
        }
    }

    /// <summary>
    /// One claim–publish–mark round. Aggregates are published concurrently, one aggregate's rows one
    /// after another. Publishing stops before the claim's lease runs out, so another dispatcher never
    /// takes over rows this one is still publishing; what is left is released for the next round.
    /// </summary>
    public async Task<(int Claimed, int Failed)> DispatchOnceAsync(CancellationToken ct)
    {
        var batch = await _store.ClaimAsync(Owner, _options.BatchSize, _options.ClaimLease, ct);
        if (batch.Count == 0)
        {
            return (0, 0);
        }
        var leaseEnds = _clock.GetUtcNow() + _options.ClaimLease - _options.PublishTimeout;
        var sent = new ConcurrentBag<Guid>();
        var failed = new ConcurrentBag<Guid>();
        var unpublished = new ConcurrentBag<Guid>();
        string? lastError = null;
        var groups = batch.GroupBy(m => m.AggregateId).Select(g => g.ToList());
        try
        {
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxInFlight, CancellationToken = ct };
            await Parallel.ForEachAsync(groups, parallel, async (group, token) =>
            {
                for (var i = 0; i < group.Count; i++)
                {
                    if (token.IsCancellationRequested || _clock.GetUtcNow() >= leaseEnds)
                    {
                        group.Skip(i).ToList().ForEach(m => unpublished.Add(m.Id));
                        return;
                    }
                    try
                    {
                        await _publisher.PublishAsync(group[i], token);
                        sent.Add(group[i].Id);
                    }
                    catch (Exception e)
                    {
                        lastError = $"{e.GetType().Name}: {e.Message}";
                        // Later events of the same aggregate must not overtake the one that failed.
                        group.Skip(i).ToList().ForEach(m => failed.Add(m.Id));
                        return;
                    }
                }
            });
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: record below what the broker already confirmed.
        }
        finally
        {
            // Not cancellable: what the broker confirmed is recorded even while shutting down.
            await _store.MarkSentAsync(sent.ToArray(), _channel, CancellationToken.None);
            await _store.ReleaseFailedAsync(failed.ToArray(), lastError ?? "", CancellationToken.None);
            await _store.ReleaseAsync(unpublished.ToArray(), CancellationToken.None);
        }
        _metrics.Published(sent.Count);
        if (!failed.IsEmpty)
        {
            _metrics.PublishFailed(failed.Count);
            _log.LogWarning("{Failed} outbox messages could not be published and will be retried", failed.Count);
        }
        return (batch.Count, failed.Count);
    }

    public void Wake() => _wake.Set();

    private async Task ListenAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(ct);
                connection.Notification += (_, _) => Wake();
                await using (var listen = new NpgsqlCommand($"LISTEN {_channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(ct);
                }
                Wake(); // rows committed while nobody listened
                while (!ct.IsCancellationRequested)
                {
                    await connection.WaitAsync(ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _log.LogWarning("Outbox LISTEN connection lost ({Error}); the fallback poll covers until it is back", e.GetType().Name);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(2), _clock, ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }
}
