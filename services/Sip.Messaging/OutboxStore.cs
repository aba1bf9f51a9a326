using Npgsql;
using NpgsqlTypes;

namespace Sip.Messaging;

/// <summary>A parked outbox row as an operator sees it: no body (it may hold ids of people), only what says what and why.</summary>
public sealed record ParkedOutboxMessage(Guid Id, long Sequence, string AggregateId, string MessageType, DateTimeOffset CreatedAt,
    DateTimeOffset ParkedAt, int Attempts, int Failures, string? LastError);

/// <summary>The outbox's SQL. Claims are short transactions that set a lease, so no lock is held while publishing.</summary>
internal sealed class OutboxStore(NpgsqlDataSource dataSource, string schema)
{
    private readonly string _table = $"\"{schema}\".{MessagingModel.OutboxTable}";
    private readonly string _inbox = $"\"{schema}\".{MessagingModel.InboxTable}";

    /// <summary>
    /// Claims and marks do not wait for their WAL to reach the disk (PostgreSQL flushes it within a few hundred
    /// milliseconds). Losing one in a database crash is safe: a lost claim leaves its rows claimable, and a lost mark has its
    /// row published again with the same MessageId, which every consumer's inbox drops. The writers' own commits (the events
    /// themselves) keep waiting for the flush; only the dispatcher's bookkeeping stops paying for it on every round.
    /// </summary>
    private const string LazyCommit = "SET LOCAL synchronous_commit = off";

    /// <summary>
    /// Claims up to <paramref name="batchSize"/> unsent rows in sequence order, skipping rows another
    /// dispatcher holds. A row is taken only if every earlier unsent row of its aggregate is taken with
    /// it, so one aggregate's events never overtake each other across dispatchers. A parked row is out of that order:
    /// the aggregate's later rows go on without it (it would hold them back until an operator acted).
    /// <para>
    /// <c>OFFSET 0</c> keeps the earlier-row check a probe of <c>ix_outbox_unsent_aggregate</c> per claimed row. Without it
    /// PostgreSQL turns the check into a hash anti-join and reads every unsent row of the outbox on every claim: a backlog of
    /// 50,000 rows made each claim of 500 take ~68 ms instead of ~26 ms (docs/benchmarks.md, issue 14).
    /// </para>
    /// </summary>
    public async Task<IReadOnlyList<ClaimedOutboxMessage>> ClaimAsync(string owner, int batchSize, TimeSpan lease, CancellationToken ct)
    {
        var sql = $"""
            WITH locked AS (
                SELECT id, sequence, aggregate_id FROM {_table}
                WHERE sent_at IS NULL AND parked_at IS NULL AND (claimed_until IS NULL OR claimed_until < now())
                ORDER BY sequence
                LIMIT @batch
                FOR UPDATE SKIP LOCKED
            ), eligible AS (
                SELECT l.id FROM locked l
                WHERE NOT EXISTS (
                    SELECT 1 FROM {_table} p
                    WHERE p.aggregate_id = l.aggregate_id AND p.sequence < l.sequence AND p.sent_at IS NULL AND p.parked_at IS NULL
                      AND NOT EXISTS (SELECT 1 FROM locked x WHERE x.id = p.id)
                    OFFSET 0)
            )
            UPDATE {_table} o SET claimed_until = now() + @lease, claimed_by = @owner, attempts = o.attempts + 1
            FROM eligible e WHERE o.id = e.id
            RETURNING o.id, o.sequence, o.aggregate_id, o.message_type, o.body::text, o.attempts
            """;
        // One round trip. Sorting is off for the claim: the rows must come from ix_outbox_unsent in sequence order, stopping at
        // the batch size. With statistics taken while the outbox was empty or all sent (a new table, or the last ANALYZE
        // before an outage built a backlog), PostgreSQL expects one unsent row and would rather read and sort the whole backlog
        // on every claim: ~73 ms instead of ~16 ms per claim of 500 from 45,000, and half the drain rate (docs/benchmarks.md).
        // The claim does not wait for its WAL flush (see LazyCommit).
        await using var command = dataSource.CreateCommand($"BEGIN; {LazyCommit}; SET LOCAL enable_sort = off; {sql}; COMMIT");
        command.Parameters.AddWithValue("batch", batchSize);
        command.Parameters.AddWithValue("lease", lease);
        command.Parameters.AddWithValue("owner", owner);
        var claimed = new List<ClaimedOutboxMessage>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                claimed.Add(new ClaimedOutboxMessage(reader.GetGuid(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetInt32(5)));
            }
            while (await reader.NextResultAsync(ct))
            {
                // COMMIT: read to the end, so an error in it surfaces here.
            }
        }
        claimed.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        return claimed;
    }

    /// <summary>
    /// Marks rows the broker confirmed. No NOTIFY: later rows of their aggregates are claimed by the dispatcher that marked
    /// them, which wakes itself when its round ends (a NOTIFY would serialise the mark's commit with every other NOTIFY).
    /// </summary>
    public async Task MarkSentAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return;
        }
        await using var command = dataSource.CreateCommand(
            $"BEGIN; {LazyCommit}; UPDATE {_table} SET sent_at = now(), claimed_until = NULL, last_error = NULL WHERE id = ANY(@ids); COMMIT");
        command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = ids.ToArray() });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Keeps the claim as a back-off: the rows become claimable again after a delay that grows with attempts. A failure that
    /// counts adds to the row's failures; at <paramref name="maxFailures"/> the row is parked. Returns the rows parked now.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> ReleaseFailedAsync(IReadOnlyList<FailedPublish> failed, int maxFailures, CancellationToken ct)
    {
        if (failed.Count == 0)
        {
            return [];
        }
        await using var command = dataSource.CreateCommand($"""
            UPDATE {_table} o SET
                claimed_until = now() + make_interval(secs => LEAST(60, power(2, LEAST(o.attempts, 6)))),
                last_error = left(f.error, 512),
                failures = o.failures + CASE WHEN f.counts THEN 1 ELSE 0 END,
                parked_at = CASE WHEN f.counts AND o.failures + 1 >= @max THEN now() END
            FROM unnest(@ids, @errors, @counts) AS f(id, error, counts)
            WHERE o.id = f.id AND o.sent_at IS NULL
            RETURNING o.id, o.parked_at IS NOT NULL
            """);
        command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = failed.Select(f => f.Id).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("errors", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = failed.Select(f => f.Error).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("counts", NpgsqlDbType.Array | NpgsqlDbType.Boolean) { Value = failed.Select(f => f.Counts).ToArray() });
        command.Parameters.AddWithValue("max", maxFailures);
        var parked = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            if (reader.GetBoolean(1))
            {
                parked.Add(reader.GetGuid(0));
            }
        }
        return parked;
    }

    public async Task<IReadOnlyList<ParkedOutboxMessage>> ParkedAsync(int limit, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT id, sequence, aggregate_id, message_type, created_at, parked_at, attempts, failures, last_error FROM {_table} WHERE parked_at IS NOT NULL AND sent_at IS NULL ORDER BY sequence LIMIT @limit");
        command.Parameters.AddWithValue("limit", limit);
        var parked = new List<ParkedOutboxMessage>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            parked.Add(new ParkedOutboxMessage(reader.GetGuid(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.GetFieldValue<DateTimeOffset>(5), reader.GetInt32(6), reader.GetInt32(7),
                reader.IsDBNull(8) ? null : reader.GetString(8)));
        }
        return parked;
    }

    /// <summary>Puts parked rows (all of them when <paramref name="ids"/> is null) back in line with a clean slate of failures, and wakes the dispatchers.</summary>
    public async Task<int> UnparkAsync(IReadOnlyCollection<Guid>? ids, string channel, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"""
            WITH replayed AS (
                UPDATE {_table} SET parked_at = NULL, failures = 0, claimed_until = NULL
                WHERE parked_at IS NOT NULL AND sent_at IS NULL AND (@all OR id = ANY(@ids))
                RETURNING 1)
            SELECT count(*)::int, pg_notify(@channel, '') FROM replayed
            """);
        command.Parameters.AddWithValue("all", ids is null);
        command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = (ids ?? []).ToArray() });
        command.Parameters.AddWithValue("channel", channel);
        return (int)(await command.ExecuteScalarAsync(ct))!;
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

    /// <summary>Lag, unsent and failing leave parked rows out (they have their own count): one parked row must not look like a stuck outbox.</summary>
    public async Task<(double LagSeconds, long Unsent, long Failing, long Parked)> BacklogAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT COALESCE(EXTRACT(EPOCH FROM now() - min(created_at) FILTER (WHERE parked_at IS NULL)), 0)::float8,
                   count(*) FILTER (WHERE parked_at IS NULL),
                   count(*) FILTER (WHERE last_error IS NOT NULL AND parked_at IS NULL),
                   count(*) FILTER (WHERE parked_at IS NOT NULL)
            FROM {_table} WHERE sent_at IS NULL
            """);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetDouble(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
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

/// <summary>A publish that failed; <see cref="Counts"/> when it was the row's own fault (towards parking it).</summary>
internal sealed record FailedPublish(Guid Id, string Error, bool Counts);
