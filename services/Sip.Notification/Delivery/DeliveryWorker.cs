using Microsoft.Extensions.Options;
using Npgsql;
using Sip.Messaging;
using Sip.Notification.Domain;

namespace Sip.Notification.Delivery;

public sealed class NotificationOptions
{
    /// <summary>The staff web app's address; links in messages point there.</summary>
    public string LinkBaseUrl { get; set; } = "http://127.0.0.1:5080/";

    public Uri LinkBaseUri => new(LinkBaseUrl.EndsWith('/') ? LinkBaseUrl : LinkBaseUrl + "/");

    public Uri CaseLink(Guid caseId) => new(LinkBaseUri, $"cases/{caseId}");

    /// <summary>A meeting's page: the address meeting scheduling also puts in the meeting's calendar item.</summary>
    public Uri MeetingLink(Guid meetingId) => new(LinkBaseUri, $"moten/{meetingId}");

    public TimeSpan IdlePoll { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// Sends pending deliveries. Rows are claimed with SKIP LOCKED under a lease, so several replicas
/// never send the same message at once; a failed send is retried with growing back-off.
/// </summary>
public sealed class DeliveryWorker(NpgsqlDataSource dataSource, IEmailSender sender, IOptions<NotificationOptions> options, DeliveryMetrics metrics,
    ILogger<DeliveryWorker> log)
    : BackgroundService
{
    private const int BatchSize = 20;
    private readonly WakeSignal _wake = new();

    public void Wake() => _wake.Set();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var sent = 0;
            try
            {
                sent = await SendDueAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                log.LogWarning("Delivery round failed ({Error})", e.GetType().Name);
            }
            if (sent < BatchSize)
            {
                try
                {
                    await _wake.WaitAsync(options.Value.IdlePoll, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        var claimed = new List<(Guid Id, string Channel, string Recipient, Message Message)>();
        await using (var claim = dataSource.CreateCommand("""
            UPDATE notification.deliveries d SET next_attempt_at = now() + interval '2 minutes', attempts = d.attempts + 1
            WHERE d.id IN (SELECT id FROM notification.deliveries
                           WHERE status = 'Pending' AND next_attempt_at <= now()
                           ORDER BY next_attempt_at LIMIT @batch FOR UPDATE SKIP LOCKED)
            RETURNING d.id, d.recipient, d.subject, d.body, d.attachment_file_name, d.attachment_content_type, d.attachment_content, d.channel
            """))
        {
            claim.Parameters.AddWithValue("batch", BatchSize);
            await using var reader = await claim.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var attachment = reader.IsDBNull(6) ? null : new Attachment(reader.GetString(4), reader.GetString(5), reader.GetString(6));
                claimed.Add((reader.GetGuid(0), reader.GetString(7), reader.GetString(1), new Message(reader.GetString(2), reader.GetString(3), attachment)));
            }
        }
        foreach (var (id, channel, recipient, message) in claimed)
        {
            try
            {
                await sender.SendAsync(recipient, message, ct);
                await UpdateAsync("UPDATE notification.deliveries SET status = 'Sent', sent_at = now(), last_error = NULL WHERE id = @id RETURNING status", id, null, ct);
                metrics.Attempted(channel, "sent");
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                log.LogWarning("E-mail delivery failed ({Error}); will retry", e.GetType().Name);
                var status = await UpdateAsync("""
                    UPDATE notification.deliveries
                    SET next_attempt_at = now() + make_interval(secs => LEAST(1800, 15 * power(2, LEAST(attempts, 7)))), last_error = @error,
                        status = CASE WHEN attempts >= @max THEN 'Failed' ELSE status END
                    WHERE id = @id
                    RETURNING status
                    """, id, e.GetType().Name, ct);
                metrics.Attempted(channel, status == nameof(DeliveryStatus.Failed) ? "given_up" : "failed");
            }
        }
        return claimed.Count;
    }

    /// <summary>Runs an UPDATE … RETURNING status of one delivery; returns the status it left.</summary>
    private async Task<string?> UpdateAsync(string sql, Guid id, string? error, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("id", id);
        if (error is not null)
        {
            command.Parameters.AddWithValue("error", error);
            command.Parameters.AddWithValue("max", Domain.Delivery.MaxAttempts);
        }
        return await command.ExecuteScalarAsync(ct) as string;
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }
}
