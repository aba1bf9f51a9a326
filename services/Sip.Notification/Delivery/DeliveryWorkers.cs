using Microsoft.Extensions.Options;
using Npgsql;
using Polly;
using Polly.Retry;
using Sip.Messaging;
using Sip.Notification.Domain;

namespace Sip.Notification.Delivery;

/// <summary>
/// Sends due deliveries, each channel on its own loops (<see cref="ChannelOptions.Concurrency"/> of them), so a slow or
/// failing SMTP relay never holds up SMS or webhooks. A loop claims one delivery by locking its row
/// (<c>FOR UPDATE SKIP LOCKED</c>) in a transaction that stays open while it sends and commits the outcome with the
/// attempt's log row: the claim lasts exactly as long as the sender lives — no lease runs out under a slow send and lets
/// another replica send the same message again. Should the process die mid-send, the transaction rolls back and the
/// delivery is sent again (at least once; webhooks carry a stable <c>webhook-id</c>, e-mails a stable Message-Id).
/// Within an attempt Polly retries quickly with back-off and bounds each try with a timeout; a failed attempt waits
/// 15 s, 30 s … up to 30 min for the next, so a provider down for minutes (or hours) loses nothing.
/// </summary>
public sealed class DeliveryWorkers : BackgroundService
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly IReadOnlyDictionary<string, IChannelSender> _senders;
    private readonly IOptions<NotificationOptions> _options;
    private readonly DeliveryMetrics _metrics;
    private readonly TimeProvider _clock;
    private readonly ILogger<DeliveryWorkers> _log;
    private readonly Dictionary<string, WakeSignal[]> _wake;
    private readonly Dictionary<string, ResiliencePipeline> _pipelines;
    private int _nextLoop;

    public DeliveryWorkers(NpgsqlDataSource dataSource, IEnumerable<IChannelSender> senders, IOptions<NotificationOptions> options, DeliveryMetrics metrics,
        TimeProvider clock, ILogger<DeliveryWorkers> log)
    {
        _dataSource = dataSource;
        _senders = senders.ToDictionary(s => s.Channel);
        _options = options;
        _metrics = metrics;
        _clock = clock;
        _log = log;
        _wake = Channels.All.ToDictionary(c => c, c => Enumerable.Range(0, Math.Max(1, options.Value.Channel(c).Concurrency)).Select(_ => new WakeSignal()).ToArray());
        _pipelines = Channels.All.ToDictionary(c => c, c => Pipeline(options.Value.Channel(c)));
    }

    public void WakeAll()
    {
        foreach (var signal in _wake.Values.SelectMany(s => s))
        {
            signal.Set();
        }
    }

    /// <summary>
    /// Wakes one loop of its channel for each of <paramref name="deliveries"/> that is due now, up to the channel's loops. A
    /// loop that sent one claims again until none is due, so more loops would only find nothing: waking every loop of every
    /// channel for each event cost ~5 empty claims (a transaction each) per delivery sent (docs/benchmarks.md, run AD).
    /// Held, skipped and later deliveries wake nothing; the idle poll finds those.
    /// </summary>
    public void WakeFor(IEnumerable<Domain.Delivery> deliveries)
    {
        foreach (var (channel, due) in DueNow(deliveries, _clock.GetUtcNow()))
        {
            if (!_wake.TryGetValue(channel, out var loops))
            {
                continue;
            }
            for (var i = 0; i < Math.Min(due, loops.Length); i++)
            {
                // Round robin, so that a loop busy sending does not hold the next delivery while another sleeps.
                loops[(int)((uint)Interlocked.Increment(ref _nextLoop) % loops.Length)].Set();
            }
        }
    }

    /// <summary>How many of <paramref name="deliveries"/> each channel has to send now (channels with none are left out).</summary>
    public static Dictionary<string, int> DueNow(IEnumerable<Domain.Delivery> deliveries, DateTimeOffset now) =>
        deliveries.Where(d => d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now).CountBy(d => d.Channel).ToDictionary();

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_wake.SelectMany(c => c.Value.Select(signal => Task.Run(() => LoopAsync(c.Key, signal, stoppingToken), stoppingToken))));

    private async Task LoopAsync(string channel, WakeSignal wake, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var sent = false;
            try
            {
                sent = await SendOneAsync(channel, stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                _log.LogWarning("Delivery round for {Channel} failed ({Error})", channel, e.GetType().Name);
            }
            if (!sent)
            {
                try
                {
                    await wake.WaitAsync(_options.Value.IdlePoll, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Claims, sends and records one due delivery of <paramref name="channel"/>; false when none was due.</summary>
    public async Task<bool> SendOneAsync(string channel, CancellationToken ct)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        Outbound message;
        int attempt, giveUpAfter;
        await using (var claim = new NpgsqlCommand("""
            SELECT d.id, d.recipient, d.subject, d.body, d.attachment_file_name, d.attachment_content_type, d.attachment_content, d.attempts, d.give_up_after,
                   s.secret
            FROM notification.deliveries d LEFT JOIN notification.subscriptions s ON s.id = d.subscription_id
            WHERE d.status = 'Pending' AND d.channel = @channel AND d.next_attempt_at <= now()
            ORDER BY d.next_attempt_at
            LIMIT 1
            FOR UPDATE OF d SKIP LOCKED
            """, connection, tx))
        {
            claim.Parameters.AddWithValue("channel", channel);
            await using var reader = await claim.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                return false;
            }
            var attachment = reader.IsDBNull(6) ? null : new Attachment(reader.GetString(4), reader.GetString(5), reader.GetString(6));
            message = new Outbound(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), attachment,
                reader.IsDBNull(9) ? null : reader.GetString(9));
            attempt = reader.GetInt32(7) + 1;
            giveUpAfter = reader.GetInt32(8);
        }

        var started = _clock.GetUtcNow();
        string? error = null;
        try
        {
            if (!_senders.TryGetValue(channel, out var sender))
            {
                throw new InvalidOperationException($"No sender for channel {channel}.");
            }
            await _pipelines[channel].ExecuteAsync(async token => await sender.SendAsync(message, token), ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            error = e is ProviderRefusedException refused ? $"{e.GetType().Name} {refused.Status}" : e.GetType().Name;
            _log.LogWarning("Delivery by {Channel} failed ({Error}); attempt {Attempt} of {Max}", channel, error, attempt, giveUpAfter);
        }
        var outcome = error is null ? "sent" : attempt >= giveUpAfter ? "given_up" : "failed";
        await using (var record = new NpgsqlCommand("""
            UPDATE notification.deliveries
            SET attempts = @attempt, last_error = @error,
                status = CASE @outcome WHEN 'sent' THEN 'Sent' WHEN 'given_up' THEN 'Failed' ELSE 'Pending' END,
                sent_at = CASE @outcome WHEN 'sent' THEN now() ELSE sent_at END,
                next_attempt_at = CASE @outcome WHEN 'failed' THEN now() + make_interval(secs => LEAST(1800, 15 * power(2, LEAST(@attempt - 1, 7))))
                                  ELSE next_attempt_at END
            WHERE id = @id;
            INSERT INTO notification.delivery_attempts (delivery_id, attempt, started_at, finished_at, outcome, error)
            VALUES (@id, @attempt, @started, now(), @outcome, @error);
            """, connection, tx))
        {
            record.Parameters.AddWithValue("id", message.DeliveryId);
            record.Parameters.AddWithValue("attempt", attempt);
            record.Parameters.AddWithValue("error", (object?)error ?? DBNull.Value);
            record.Parameters.AddWithValue("outcome", outcome);
            record.Parameters.AddWithValue("started", started);
            await record.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        _metrics.Attempted(channel, outcome);
        return true;
    }

    private static ResiliencePipeline Pipeline(ChannelOptions channel)
    {
        var builder = new ResiliencePipelineBuilder();
        if (channel.QuickRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = channel.QuickRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = channel.QuickRetryDelay,
                // A try that timed out (TimeoutRejectedException) is retried; the host stopping (OperationCanceledException) is not.
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException),
            });
        }
        return builder.AddTimeout(channel.AttemptTimeout).Build();
    }

    public override void Dispose()
    {
        foreach (var signal in _wake.Values.SelectMany(s => s))
        {
            signal.Dispose();
        }
        base.Dispose();
    }
}
