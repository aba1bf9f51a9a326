using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Sip.Messaging;

/// <summary>
/// The platform's one timer: moves due <see cref="ScheduledEvent"/>s into the outbox and wakes this process's
/// <see cref="OutboxDispatcher"/> when a move committed. Due rows are claimed with SKIP LOCKED and moved and
/// marked fired in one statement, so with any number of replicas a timer fires once; and its outbox row carries
/// the timer's id, so not even a second fire could publish it twice.
/// </summary>
public sealed class ScheduledEventDispatcher : BackgroundService
{
    // Still overdue after firing means another replica (or a transaction cancelling them) holds those rows: look again soon, don't spin.
    private static readonly TimeSpan ContendedRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(1);

    private readonly NpgsqlDataSource _dataSource;
    private readonly OutboxWake _outboxWake;
    private readonly MessagingOptions _options;
    private readonly MessagingMetrics _metrics;
    private readonly TimeProvider _clock;
    private readonly ILogger<ScheduledEventDispatcher> _log;
    private readonly string _fireSql;
    private readonly string _pendingSql;

    public ScheduledEventDispatcher(NpgsqlDataSource dataSource, OutboxWake outboxWake, IOptions<MessagingOptions> options, MessagingMetrics metrics,
        TimeProvider clock, ILogger<ScheduledEventDispatcher> log)
    {
        _dataSource = dataSource;
        _outboxWake = outboxWake;
        _options = options.Value;
        _metrics = metrics;
        _clock = clock;
        _log = log;
        var timers = $"\"{_options.Schema}\".{ScheduledEvents.Table}";
        var outbox = $"\"{_options.Schema}\".{MessagingModel.OutboxTable}";
        // A due timer whose aggregate has an earlier due timer locked by another replica waits for the next round:
        // firing it now could give it a lower outbox sequence than the earlier one, and the outbox publishes one
        // aggregate's events in sequence order. The outbox sequence follows the INSERT's ORDER BY.
        // ON CONFLICT: an event already in the outbox under this id (written directly too) must not block every timer behind it.
        _fireSql = $"""
            WITH due AS (
                SELECT id, aggregate_id, due_at FROM {timers}
                WHERE fired_at IS NULL AND cancelled_at IS NULL AND due_at <= @now
                ORDER BY due_at, id
                LIMIT @batch
                FOR UPDATE SKIP LOCKED
            ), ready AS (
                SELECT d.id FROM due d
                WHERE NOT EXISTS (
                    SELECT 1 FROM {timers} p
                    WHERE p.aggregate_id = d.aggregate_id AND p.fired_at IS NULL AND p.cancelled_at IS NULL
                      AND (p.due_at, p.id) < (d.due_at, d.id)
                      AND NOT EXISTS (SELECT 1 FROM due x WHERE x.id = p.id))
            ), fired AS (
                UPDATE {timers} t SET fired_at = @now FROM ready r WHERE t.id = r.id
                RETURNING t.id, t.aggregate_id, t.message_type, t.body, t.tenant_id, t.occurred_at, t.due_at
            ), queued AS (
                INSERT INTO {outbox} (id, aggregate_id, message_type, body, tenant_id, occurred_at, attempts)
                SELECT id, aggregate_id, message_type, body, tenant_id, occurred_at, 0 FROM fired ORDER BY due_at, id
                ON CONFLICT (id) DO NOTHING
            )
            SELECT message_type, count(*)::int FROM fired GROUP BY message_type
            """;
        _pendingSql = $"SELECT min(due_at), count(*) FROM {timers} WHERE fired_at IS NULL AND cancelled_at IS NULL";
    }

    /// <summary>How many rounds the loop has run; lets tests prove that an idle timer sleeps.</summary>
    public long Rounds => Interlocked.Read(ref _rounds);
    private long _rounds;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.ScheduledEventsEnabled)
        {
            return;
        }
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _rounds);
            TimeSpan sleep;
            try
            {
                sleep = await RoundAsync(stoppingToken);
                failures = 0;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                failures++;
                sleep = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, failures), MaxBackoff.TotalSeconds));
                _log.LogWarning("Scheduled events could not be fired ({Error}); retrying in {Delay}", e.GetType().Name, sleep);
            }
            try
            {
                await Task.Delay(sleep, _clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>Fires what is due and returns how long to sleep: until the next due time, at most the poll interval.</summary>
    private async Task<TimeSpan> RoundAsync(CancellationToken ct)
    {
        var now = _clock.GetUtcNow();
        var (next, pending) = await PendingAsync(ct);
        // Checked first: an idle round costs one indexed read, not the move's locking statement.
        if (next <= now)
        {
            await FireDueAsync(now, ct);
            (next, pending) = await PendingAsync(ct);
        }
        _metrics.ScheduledBacklog(pending, next < now ? (now - next.Value).TotalSeconds : 0);
        if (next is null)
        {
            return _options.ScheduledEventsPollInterval;
        }
        if (next <= now)
        {
            return ContendedRetry;
        }
        var untilDue = next.Value - _clock.GetUtcNow();
        return untilDue <= TimeSpan.Zero ? TimeSpan.Zero
            : untilDue < _options.ScheduledEventsPollInterval ? untilDue : _options.ScheduledEventsPollInterval;
    }

    /// <summary>
    /// Moves every pending timer due at <paramref name="now"/> to the outbox, marked fired, in batches of
    /// <see cref="MessagingOptions.BatchSize"/>, earliest first; returns how many fired.
    /// </summary>
    public async Task<int> FireDueAsync(DateTimeOffset now, CancellationToken ct)
    {
        var total = 0;
        while (!ct.IsCancellationRequested)
        {
            await using var command = _dataSource.CreateCommand(_fireSql);
            command.Parameters.AddWithValue("now", now.ToUniversalTime());
            command.Parameters.AddWithValue("batch", _options.BatchSize);
            var fired = 0;
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    var count = reader.GetInt32(1);
                    fired += count;
                    _metrics.ScheduledFired(count, reader.GetString(0));
                }
            }
            total += fired;
            if (fired > 0)
            {
                _outboxWake.Set(); // committed (the statement ran in its own transaction)
            }
            if (fired < _options.BatchSize)
            {
                break;
            }
        }
        return total;
    }

    private async Task<(DateTimeOffset? Next, long Pending)> PendingAsync(CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand(_pendingSql);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.IsDBNull(0) ? null : reader.GetFieldValue<DateTimeOffset>(0), reader.GetInt64(1));
    }
}
