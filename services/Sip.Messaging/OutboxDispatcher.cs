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
                var (lag, unsent, failing, parked) = await _store.BacklogAsync(stoppingToken);
                _metrics.Backlog(lag, unsent, failing, parked);
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
        var culprits = new ConcurrentBag<(Guid Id, string Error, bool OwnFault)>();
        var heldBack = new ConcurrentBag<Guid>();
        var unpublished = new ConcurrentBag<Guid>();
        var groups = batch.GroupBy(m => m.AggregateId).Select(g => g.ToList());
        IReadOnlyList<Guid> parked = [];
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
                    catch (Exception) when (token.IsCancellationRequested)
                    {
                        group.Skip(i).ToList().ForEach(m => unpublished.Add(m.Id));
                        return;
                    }
                    catch (Exception e)
                    {
                        culprits.Add((group[i].Id, $"{e.GetType().Name}: {e.Message}", e is UnpublishableMessageException));
                        // Later events of the same aggregate must not overtake the one that failed.
                        group.Skip(i + 1).ToList().ForEach(m => heldBack.Add(m.Id));
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
            // A failure counts towards parking when the row itself is at fault, or when the broker took other rows in this
            // round and not this one. When nothing got through, the broker is away: that is no row's fault.
            var brokerTookOthers = !sent.IsEmpty;
            var failures = culprits.Select(c => new FailedPublish(c.Id, c.Error, c.OwnFault || brokerTookOthers))
                .Concat(heldBack.Select(id => new FailedPublish(id, "Held back behind an earlier event of the same aggregate that failed", false)))
                .ToList();
            parked = await _store.ReleaseFailedAsync(failures, _options.MaxPublishFailures, CancellationToken.None);
            await _store.ReleaseAsync(unpublished.ToArray(), CancellationToken.None);
        }
        _metrics.Published(sent.Count);
        var failed = culprits.Count + heldBack.Count;
        if (failed > 0)
        {
            _metrics.PublishFailed(failed);
            _log.LogWarning("{Failed} outbox messages could not be published and will be retried", failed);
        }
        if (parked.Count > 0)
        {
            _metrics.Parked(parked.Count);
            _log.LogError("{Parked} outbox messages failed {Max} times and are parked until an operator replays them: {Ids}",
                parked.Count, _options.MaxPublishFailures, string.Join(", ", parked));
        }
        return (batch.Count, failed);
    }

    public void Wake() => _wake.Set();

    /// <summary>Parked rows in sequence order, at most <paramref name="limit"/>.</summary>
    public Task<IReadOnlyList<ParkedOutboxMessage>> ParkedAsync(int limit, CancellationToken ct) => _store.ParkedAsync(limit, ct);

    /// <summary>
    /// Puts parked rows back in line (all when <paramref name="ids"/> is null) with their failures reset; they are published
    /// in the next round. They leave after later events of their aggregate did: consumers' version guards keep the newest.
    /// </summary>
    public async Task<int> ReplayParkedAsync(IReadOnlyCollection<Guid>? ids, CancellationToken ct)
    {
        var replayed = await _store.UnparkAsync(ids, _channel, ct);
        _log.LogWarning("{Replayed} parked outbox messages were put back in line by an operator", replayed);
        return replayed;
    }

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
