using Npgsql;
using NpgsqlTypes;

namespace Sip.Messaging;



/// <summary>The outbox's SQL. Claims are short transactions that set a lease, so no lock is held while publishing.</summary>
internal sealed class OutboxStore(NpgsqlDataSource dataSource, string schema)
{
    private readonly string _table = $"\"{schema}\".{MessagingModel.OutboxTable}";
    private readonly string _inbox = $"\"{schema}\".{MessagingModel.InboxTable}";

    /// <summary>
    /// Claims up to <paramref name="batchSize"/> unsent rows in sequence order, skipping rows another
    /// dispatcher holds. A row is taken only if every earlier unsent row of its aggregate is taken with
    /// it, so one aggregate's events never overtake each other across dispatchers.
    /// </summary>
    public async Task<IReadOnlyList<ClaimedOutboxMessage>> ClaimAsync(string owner, int batchSize, TimeSpan lease, CancellationToken ct)
    {
        var sql = $"""
            WITH locked AS (
                SELECT id, sequence, aggregate_id FROM {_table}
                WHERE sent_at IS NULL AND (claimed_until IS NULL OR claimed_until < now())
                ORDER BY sequence
                LIMIT @batch
                FOR UPDATE SKIP LOCKED
            ), eligible AS (
                SELECT l.id FROM locked l
                WHERE NOT EXISTS (
                    SELECT 1 FROM {_table} p
                    WHERE p.aggregate_id = l.aggregate_id AND p.sequence < l.sequence AND p.sent_at IS NULL
                      AND NOT EXISTS (SELECT 1 FROM locked x WHERE x.id = p.id))
            )
            UPDATE {_table} o SET claimed_until = now() + @lease, claimed_by = @owner, attempts = o.attempts + 1
            FROM eligible e WHERE o.id = e.id
            RETURNING o.id, o.sequence, o.aggregate_id, o.message_type, o.body::text, o.attempts
            """;
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("batch", batchSize);
        command.Parameters.AddWithValue("lease", lease);
        command.Parameters.AddWithValue("owner", owner);
        var claimed = new List<ClaimedOutboxMessage>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            claimed.Add(new ClaimedOutboxMessage(reader.GetGuid(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetInt32(5)));
        }
        claimed.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        return claimed;
    }

    /// <summary>Marks rows the broker confirmed, and wakes other dispatchers waiting behind them.</summary>
    public async Task MarkSentAsync(IReadOnlyCollection<Guid> ids, string channel, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return;
        }
        await using var command = dataSource.CreateCommand(
            $"UPDATE {_table} SET sent_at = now(), claimed_until = NULL, last_error = NULL WHERE id = ANY(@ids); SELECT pg_notify(@channel, '')");
        command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = ids.ToArray() });
        command.Parameters.AddWithValue("channel", channel);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Keeps the claim as a back-off: the rows become claimable again after a delay that grows with attempts.</summary>
    public async Task ReleaseFailedAsync(IReadOnlyCollection<Guid> ids, string error, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return;
        }
        await using var command = dataSource.CreateCommand(
            $"UPDATE {_table} SET claimed_until = now() + make_interval(secs => LEAST(60, power(2, LEAST(attempts, 6)))), last_error = left(@error, 512) WHERE id = ANY(@ids) AND sent_at IS NULL");
        command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = ids.ToArray() });
        command.Parameters.AddWithValue("error", error);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Gives rows back unpublished (lease nearly over, or shutting down) for the next round, without back-off.</summary>
    public async Task ReleaseAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return;
        }
        await using var command = dataSource.CreateCommand(
            $"UPDATE {_table} SET claimed_until = NULL, attempts = attempts - 1 WHERE id = ANY(@ids) AND sent_at IS NULL");
        command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = ids.ToArray() });
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<(double LagSeconds, long Unsent, long Failing)> BacklogAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8, count(*), count(*) FILTER (WHERE last_error IS NOT NULL) FROM {_table} WHERE sent_at IS NULL");
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetDouble(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    public async Task<(int Outbox, int Inbox)> CleanupAsync(TimeSpan sentRetention, TimeSpan inboxRetention, CancellationToken ct)
    {
        await using var outbox = dataSource.CreateCommand($"DELETE FROM {_table} WHERE sent_at < now() - @retention");
        outbox.Parameters.AddWithValue("retention", sentRetention);
        var outboxDeleted = await outbox.ExecuteNonQueryAsync(ct);
        await using var inbox = dataSource.CreateCommand($"DELETE FROM {_inbox} WHERE processed_at < now() - @retention");
        inbox.Parameters.AddWithValue("retention", inboxRetention);
        return (outboxDeleted, await inbox.ExecuteNonQueryAsync(ct));
    }
}
