using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Sip.Messaging;

/// <summary>
/// Publishes committed outbox rows. Woken in-process when a transaction of this process with outbox rows commits
/// (<see cref="OutboxWake"/>), and by NOTIFY when an operator puts parked rows back in line; a slow fallback poll finds rows
/// that other processes committed. Safe with any number of replicas: rows are
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
    private readonly OutboxWake _wake;
    private readonly SemaphoreSlim _window;
    private readonly SentMarker _marker;

    /// <summary>Claim rounds under way (only the <see cref="ExecuteAsync"/> loop touches the list).</summary>
    private readonly List<Task<(int Claimed, int Failed)>> _rounds = [];
    private readonly string _channel;

    public OutboxDispatcher(NpgsqlDataSource dataSource, IOutboxPublisher publisher, OutboxWake wake, IOptions<MessagingOptions> options,
        MessagingMetrics metrics, TimeProvider clock, ILogger<OutboxDispatcher> log)
    {
        _wake = wake;
        _options = options.Value;
        _dataSource = dataSource;
        _store = new OutboxStore(dataSource, _options.Schema);
        _publisher = publisher;
        _metrics = metrics;
        _clock = clock;
        _log = log;
        _channel = MessagingModel.NotifyChannel(_options.Schema);
        _window = new SemaphoreSlim(Math.Max(1, _options.MaxInFlight));
        _marker = new SentMarker(_store);
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
        try
        {
            await _publisher.WhenReadyAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        var listener = ListenAsync(stoppingToken);
        var nextCleanup = _clock.GetUtcNow().AddMinutes(1);
        var lastBacklog = DateTimeOffset.MinValue;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref _wakeups);
                try
                {
                    await DrainAsync(stoppingToken);
                    // The backlog gauges cost a query; under a steady stream of commits (a wake-up per commit) once a second is
                    // enough. They are always refreshed before the dispatcher goes to sleep, so an idle service shows the truth.
                    if (!_wake.IsSet || _clock.GetUtcNow() - lastBacklog >= TimeSpan.FromSeconds(1))
                    {
                        var (lag, unsent, failing, parked) = await _store.BacklogAsync(stoppingToken);
                        _metrics.Backlog(lag, unsent, failing, parked);
                        lastBacklog = _clock.GetUtcNow();
                    }
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
        }
        finally
        {
            // Every round records its own outcome (marks, back-offs, releases) even while shutting down.
            try
            {
                await Task.WhenAll(_rounds);
            }
            catch (Exception e)
            {
                _log.LogWarning("Outbox dispatch failed while stopping ({Error})", e.GetType().Name);
            }
        }
        await listener;
    }

    /// <summary>
    /// Claims and publishes until a claim comes back short. Up to <see cref="MessagingOptions.PipelinedRounds"/> rounds run at
    /// once: the next batch is claimed, and its publishes start, while the previous round still waits for its last confirms,
    /// so the window of <see cref="MessagingOptions.MaxInFlight"/> unconfirmed publishes (shared by all rounds) stays full
    /// instead of draining to zero at the end of every round. Order is safe across overlapping rounds for the same reason it is
    /// safe across replicas: a claim never takes a row while an earlier row of its aggregate is unsent outside that claim.
    /// </summary>
    private async Task DrainAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var failed = false;
            foreach (var done in _rounds.Where(r => r.IsCompleted).ToList())
            {
                _rounds.Remove(done);
                failed |= (await done).Failed > 0;
            }
            if (failed)
            {
                return; // back off until the next wake-up, as a failed single round does
            }
            if (_rounds.Count >= Math.Max(1, _options.PipelinedRounds))
            {
                await Task.WhenAny(_rounds);
                continue;
            }
            var batch = await _store.ClaimAsync(Owner, _options.BatchSize, _options.ClaimLease, ct);
            if (batch.Count == 0)
            {
                return;
            }
            _rounds.Add(RoundThenWakeAsync(batch, ct));
            if (batch.Count < _options.BatchSize)
            {
                // Rounds still under way are not waited for: each wakes the dispatcher when it ends (its marks may have made
                // later rows of its aggregates claimable), so one slow confirm never stalls the rows of other aggregates.
                return;
            }
        }
    }

    private async Task<(int Claimed, int Failed)> RoundThenWakeAsync(IReadOnlyList<ClaimedOutboxMessage> batch, CancellationToken ct)
    {
        try
        {
            return await PublishRoundAsync(batch, ct);
        }
        finally
        {
            Wake();
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
        return batch.Count == 0 ? (0, 0) : await PublishRoundAsync(batch, ct);
    }

    private async Task<(int Claimed, int Failed)> PublishRoundAsync(IReadOnlyList<ClaimedOutboxMessage> batch, CancellationToken ct)
    {
        var round = new Round(_clock.GetUtcNow() + _options.ClaimLease - _options.PublishTimeout);
        var groups = new Dictionary<string, List<ClaimedOutboxMessage>>();
        foreach (var message in batch)
        {
            if (!groups.TryGetValue(message.AggregateId, out var group))
            {
                groups[message.AggregateId] = group = [];
            }
            group.Add(message);
        }
        IReadOnlyList<Guid> parked = [];
        try
        {
            var publishing = new Task[groups.Count];
            var g = 0;
            foreach (var group in groups.Values)
            {
                publishing[g++] = PublishGroupAsync(group, round, ct);
            }
            await Task.WhenAll(publishing);
        }
        finally
        {
            // Confirmed rows were handed to the marker as their confirms came in; the round ends when their marks committed.
            // Not cancellable: what the broker confirmed is recorded even while shutting down.
            await Task.WhenAll(round.Marks);
            // A failure counts towards parking when the row itself is at fault, or when the broker took other rows in this
            // round and not this one. When nothing got through, the broker is away: that is no row's fault.
            var brokerTookOthers = !round.Sent.IsEmpty;
            var failures = round.Culprits.Select(c => new FailedPublish(c.Id, c.Error, c.OwnFault || brokerTookOthers))
                .Concat(round.HeldBack.Select(id => new FailedPublish(id, "Held back behind an earlier event of the same aggregate that failed", false)))
                .ToList();
            parked = await _store.ReleaseFailedAsync(failures, _options.MaxPublishFailures, CancellationToken.None);
            await _store.ReleaseAsync(round.Unpublished.ToArray(), CancellationToken.None);
        }
        _metrics.Published(round.Sent.Count);
        var failed = round.Culprits.Count + round.HeldBack.Count;
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

    /// <summary>One aggregate's rows of a round, one after another, each taking a slot of the shared window. Never throws.</summary>
    private async Task PublishGroupAsync(List<ClaimedOutboxMessage> group, Round round, CancellationToken ct)
    {
        for (var i = 0; i < group.Count; i++)
        {
            if (ct.IsCancellationRequested || _clock.GetUtcNow() >= round.LeaseEnds)
            {
                round.GiveBack(group, i);
                return;
            }
            try
            {
                await _window.WaitAsync(ct);
            }
            catch (OperationCanceledException)
            {
                round.GiveBack(group, i);
                return;
            }
            try
            {
                await _publisher.PublishAsync(group[i], ct);
                round.Sent.Add(group[i].Id);
                // Marked as soon as confirmed (with whatever else was confirmed meanwhile), not at the end of the round: a slow
                // confirm must not keep the other aggregates of its round unmarked, which would keep their later rows unclaimable.
                round.Marks.Add(_marker.MarkAsync(group[i].Id));
            }
            catch (Exception) when (ct.IsCancellationRequested)
            {
                round.GiveBack(group, i);
                return;
            }
            catch (Exception e)
            {
                round.Culprits.Add((group[i].Id, $"{e.GetType().Name}: {e.Message}", e is UnpublishableMessageException));
                // Later events of the same aggregate must not overtake the one that failed.
                for (var j = i + 1; j < group.Count; j++)
                {
                    round.HeldBack.Add(group[j].Id);
                }
                return;
            }
            finally
            {
                _window.Release();
            }
        }
    }

    /// <summary>What became of a round's rows; filled concurrently by its aggregates' publishing tasks.</summary>
    private sealed class Round(DateTimeOffset leaseEnds)
    {
        public DateTimeOffset LeaseEnds { get; } = leaseEnds;
        public ConcurrentBag<Guid> Sent { get; } = [];
        public ConcurrentBag<(Guid Id, string Error, bool OwnFault)> Culprits { get; } = [];
        public ConcurrentBag<Guid> HeldBack { get; } = [];
        public ConcurrentBag<Guid> Unpublished { get; } = [];
        public ConcurrentBag<Task> Marks { get; } = [];

        public void GiveBack(List<ClaimedOutboxMessage> group, int from)
        {
            for (var j = from; j < group.Count; j++)
            {
                Unpublished.Add(group[j].Id);
            }
        }
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

    /// <summary>
    /// Group commit for marks: confirmed ids collect while one UPDATE is under way and go together in the next, so under load a
    /// mark costs a fraction of a round trip, and at low rates a row is marked right after its confirm.
    /// </summary>
    private sealed class SentMarker(OutboxStore store)
    {
        private readonly Lock _lock = new();
        private List<Guid> _pending = [];
        private TaskCompletionSource? _pendingDone;
        private bool _running;

        /// <summary>Completes when the row's mark has committed (or fails with the UPDATE's error).</summary>
        public Task MarkAsync(Guid id)
        {
            lock (_lock)
            {
                _pending.Add(id);
                _pendingDone ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var done = _pendingDone.Task;
                if (!_running)
                {
                    _running = true;
                    _ = Task.Run(FlushAsync);
                }
                return done;
            }
        }

        private async Task FlushAsync()
        {
            while (true)
            {
                List<Guid> ids;
                TaskCompletionSource done;
                lock (_lock)
                {
                    if (_pending.Count == 0)
                    {
                        _running = false;
                        return;
                    }
                    (ids, done) = (_pending, _pendingDone!);
                    (_pending, _pendingDone) = ([], null);
                }
                try
                {
                    await store.MarkSentAsync(ids, CancellationToken.None);
                    done.TrySetResult();
                }
                catch (Exception e)
                {
                    done.TrySetException(e);
                }
            }
        }
    }

    public override void Dispose()
    {
        _window.Dispose();
        base.Dispose();
    }
}
