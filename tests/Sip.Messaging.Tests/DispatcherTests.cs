using Npgsql;
using Sip.Testing;

namespace Sip.Messaging.Tests;

public sealed class DispatcherTests(PostgresFixture postgres, RabbitMqFixture rabbit)
{
    private readonly MessagingTestBase _t = new(postgres, rabbit);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_row_is_marked_sent_only_after_the_broker_confirmed_it()
    {
        var cs = await _t.CleanSchemaAsync();
        var e = MessagingTestBase.NewEvent();
        await MessagingTestBase.CommitAsync(cs, e);
        var publisher = new RecordingPublisher { FailWhen = _ => true };
        var dispatcher = MessagingTestBase.Dispatcher(cs, publisher);

        var (claimed, failed) = await dispatcher.DispatchOnceAsync(Ct);

        Assert.Equal((1, 1), (claimed, failed));
        Assert.Equal(1, await _t.CountAsync("SELECT count(*) FROM msgtest.outbox_messages WHERE sent_at IS NULL AND last_error LIKE '%broker said no%'"));
        // The failed row backs off: not claimable again at once.
        Assert.Equal((0, 0), await dispatcher.DispatchOnceAsync(Ct));

        await _t.CountAsync("UPDATE msgtest.outbox_messages SET claimed_until = now() - interval '1 second' RETURNING 1");
        publisher.FailWhen = _ => false;
        Assert.Equal((1, 0), await dispatcher.DispatchOnceAsync(Ct));
        Assert.Equal(1, await _t.CountAsync("SELECT count(*) FROM msgtest.outbox_messages WHERE sent_at IS NOT NULL"));
        Assert.Equal(e.EventId, Assert.Single(publisher.Published).Message.Id);
    }

    [Fact]
    public async Task Two_dispatchers_on_one_table_never_publish_the_same_row()
    {
        var cs = await _t.CleanSchemaAsync();
        var aggregates = Enumerable.Range(0, 40).Select(_ => Guid.NewGuid()).ToArray();
        var events = Enumerable.Range(0, 2000).Select(i => MessagingTestBase.NewEvent(aggregates[i % aggregates.Length])).ToArray();
        foreach (var chunk in events.Chunk(100))
        {
            await MessagingTestBase.CommitAsync(cs, chunk);
        }
        var publisher = new RecordingPublisher { Delay = TimeSpan.FromMilliseconds(1) };
        var first = MessagingTestBase.Dispatcher(cs, publisher, o => o.BatchSize = 100);
        var second = MessagingTestBase.Dispatcher(cs, publisher, o => o.BatchSize = 100);

        async Task Drain(OutboxDispatcher d)
        {
            var idleRounds = 0;
            while (idleRounds < 3)
            {
                var (claimed, _) = await d.DispatchOnceAsync(Ct);
                idleRounds = claimed == 0 ? idleRounds + 1 : 0;
                if (claimed == 0)
                {
                    await Task.Delay(20, Ct);
                }
            }
        }
        await Task.WhenAll(Drain(first), Drain(second));

        var ids = publisher.Published.Select(p => p.Message.Id).ToList();
        Assert.Equal(events.Length, ids.Count);
        Assert.Equal(events.Length, ids.Distinct().Count());
        Assert.Equal(0, await _t.CountAsync("SELECT count(*) FROM msgtest.outbox_messages WHERE sent_at IS NULL"));
    }

    [Fact]
    public async Task Events_of_one_aggregate_leave_in_commit_order_across_dispatchers()
    {
        var cs = await _t.CleanSchemaAsync();
        var ordered = Guid.NewGuid();
        var expected = new List<Guid>();
        for (var i = 0; i < 150; i++)
        {
            var mine = MessagingTestBase.NewEvent(ordered, $"step {i}");
            expected.Add(mine.EventId);
            await MessagingTestBase.CommitAsync(cs, mine, MessagingTestBase.NewEvent(), MessagingTestBase.NewEvent());
        }
        var random = new Random(7);
        var publisher = new RecordingPublisher { Delay = TimeSpan.FromMilliseconds(random.Next(0, 2)) };
        var dispatchers = Enumerable.Range(0, 3).Select(_ => MessagingTestBase.Dispatcher(cs, publisher, o => o.BatchSize = 37)).ToArray();

        await Task.WhenAll(dispatchers.Select(async d =>
        {
            for (var round = 0; round < 200 && await _t.CountAsync("SELECT count(*) FROM msgtest.outbox_messages WHERE sent_at IS NULL") > 0; round++)
            {
                await d.DispatchOnceAsync(Ct);
            }
        }));

        var published = publisher.Published.OrderBy(p => p.Order).Where(p => p.Message.AggregateId == ordered.ToString()).Select(p => p.Message.Id).ToList();
        Assert.Equal(expected, published);
    }

    [Fact]
    public async Task A_failed_event_holds_back_later_events_of_its_aggregate_but_not_others()
    {
        var cs = await _t.CleanSchemaAsync();
        var aggregate = Guid.NewGuid();
        var (a1, a2, a3) = (MessagingTestBase.NewEvent(aggregate), MessagingTestBase.NewEvent(aggregate), MessagingTestBase.NewEvent(aggregate));
        var other = MessagingTestBase.NewEvent();
        await MessagingTestBase.CommitAsync(cs, a1, a2, other, a3);
        var publisher = new RecordingPublisher { FailWhen = m => m.Id == a2.EventId };

        await MessagingTestBase.Dispatcher(cs, publisher).DispatchOnceAsync(Ct);

        Assert.Equal(new[] { a1.EventId, other.EventId }.Order(), publisher.Published.Select(p => p.Message.Id).Order());
        Assert.Equal(2, await _t.CountAsync("SELECT count(*) FROM msgtest.outbox_messages WHERE sent_at IS NULL"));
    }

    [Fact]
    public async Task A_dead_dispatchers_claim_expires_and_another_publishes_the_rows()
    {
        var cs = await _t.CleanSchemaAsync();
        await MessagingTestBase.CommitAsync(cs, MessagingTestBase.NewEvent(), MessagingTestBase.NewEvent());
        // Crash point: committed, claimed, never published (the process died before publishing).
        var store = new OutboxStore(ServiceDatabaseRegistrationFor(cs), TestDb.Schema);
        Assert.Equal(2, (await store.ClaimAsync("dead-dispatcher", 100, TimeSpan.FromSeconds(1), Ct)).Count);
        var publisher = new RecordingPublisher();
        var survivor = MessagingTestBase.Dispatcher(cs, publisher);

        Assert.Equal((0, 0), await survivor.DispatchOnceAsync(Ct));
        await Task.Delay(TimeSpan.FromSeconds(1.3), Ct);
        Assert.Equal((2, 0), await survivor.DispatchOnceAsync(Ct));
        Assert.Equal(2, publisher.Published.Count);
    }

    [Fact]
    public async Task A_commit_with_events_wakes_the_dispatcher_and_an_idle_one_does_not_spin()
    {
        var cs = await _t.CleanSchemaAsync();
        var publisher = new RecordingPublisher();
        var wake = new OutboxWake();
        using var dispatcher = MessagingTestBase.Dispatcher(cs, publisher, o => o.FallbackPollInterval = TimeSpan.FromMinutes(5), wake);
        await dispatcher.StartAsync(Ct);
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(1.5), Ct);
            var idleWakeups = dispatcher.Wakeups;
            await Task.Delay(TimeSpan.FromSeconds(2), Ct);
            Assert.Equal(idleWakeups, dispatcher.Wakeups);

            var started = DateTime.UtcNow;
            await using (var db = MessagingTestBase.NewDb(cs, wake))
            {
                await MessagingTestBase.CommitAsync(db, MessagingTestBase.NewEvent());
            }
            await Eventually.HoldsAsync(() => Task.FromResult(publisher.Published.Count == 1), TimeSpan.FromSeconds(5), "the committed event is published");
            // Far below the 5-minute fallback poll: only the commit can have woken it.
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
            Assert.InRange(dispatcher.Wakeups - idleWakeups, 1, 4);
        }
        finally
        {
            await dispatcher.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Events_wake_the_dispatcher_only_once_their_transaction_committed()
    {
        var cs = await _t.CleanSchemaAsync();
        var wake = new OutboxWake();
        await using var db = MessagingTestBase.NewDb(cs, wake);

        // A save without events (the inbox's row, a handler's own changes) wakes nothing.
        db.Set<Received>().Add(new Received { MessageId = Guid.NewGuid(), UnitId = Guid.NewGuid(), Name = "x" });
        await db.SaveChangesAsync(Ct);
        Assert.False(wake.IsSet);

        // Saved inside a transaction (as a consumer's handler is): not before the commit.
        await using (var tx = await db.Database.BeginTransactionAsync(Ct))
        {
            db.AddEvent(MessagingTestBase.NewEvent());
            await db.SaveChangesAsync(Ct);
            Assert.False(wake.IsSet, "woken before the commit: the dispatcher would find nothing and sleep");
            await tx.CommitAsync(Ct);
        }
        Assert.True(wake.IsSet);

        // A rolled-back transaction wakes nothing, and leaves nothing pending for the context's next one.
        var drained = new OutboxWake();
        await using var other = MessagingTestBase.NewDb(cs, drained);
        await using (var tx = await other.Database.BeginTransactionAsync(Ct))
        {
            other.AddEvent(MessagingTestBase.NewEvent());
            await other.SaveChangesAsync(Ct);
            await tx.RollbackAsync(Ct);
        }
        other.ChangeTracker.Clear();
        await using (var tx = await other.Database.BeginTransactionAsync(Ct))
        {
            other.Set<Received>().Add(new Received { MessageId = Guid.NewGuid(), UnitId = Guid.NewGuid(), Name = "y" });
            await other.SaveChangesAsync(Ct);
            await tx.CommitAsync(Ct);
        }
        Assert.False(drained.IsSet);

        // A save in its own transaction wakes at once.
        other.AddEvent(MessagingTestBase.NewEvent());
        await other.SaveChangesAsync(Ct);
        Assert.True(drained.IsSet);
    }

    [Fact]
    public async Task A_row_another_process_committed_is_found_by_the_fallback_poll()
    {
        var cs = await _t.CleanSchemaAsync();
        var publisher = new RecordingPublisher();
        using var dispatcher = MessagingTestBase.Dispatcher(cs, publisher, o => o.FallbackPollInterval = TimeSpan.FromSeconds(1));
        await dispatcher.StartAsync(Ct);
        try
        {
            await Task.Delay(500, Ct);
            // Written by another process: nothing wakes this dispatcher.
            await using (var connection = new NpgsqlConnection(postgres.AdminConnectionString))
            {
                await connection.OpenAsync(Ct);
                await using var command = new NpgsqlCommand("""
                    INSERT INTO msgtest.outbox_messages (id, aggregate_id, message_type, body, tenant_id, occurred_at, attempts)
                    VALUES (gen_random_uuid(), 'x', 'Sip.Contracts.Directory.UnitUpdated', '{}', 't', now(), 0);
                    """, connection);
                await command.ExecuteNonQueryAsync(Ct);
            }
            await Eventually.HoldsAsync(() => Task.FromResult(publisher.Published.Count == 1), TimeSpan.FromSeconds(5), "the poll publishes the silent row");
        }
        finally
        {
            await dispatcher.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Backlog_reports_the_oldest_unsent_age_and_the_failing_rows_and_cleanup_removes_expired_rows()
    {
        var cs = await _t.CleanSchemaAsync();
        await MessagingTestBase.CommitAsync(cs, MessagingTestBase.NewEvent(), MessagingTestBase.NewEvent());
        await _t.CountAsync("UPDATE msgtest.outbox_messages SET created_at = now() - interval '1 hour' RETURNING 1");
        await _t.CountAsync("INSERT INTO msgtest.inbox_messages VALUES ('old', gen_random_uuid(), now() - interval '40 days'), ('new', gen_random_uuid(), now()) RETURNING 1");
        var store = new OutboxStore(ServiceDatabaseRegistrationFor(cs), TestDb.Schema);

        await _t.CountAsync("UPDATE msgtest.outbox_messages SET last_error = 'BrokerUnreachableException' WHERE id = (SELECT max(id::text)::uuid FROM msgtest.outbox_messages) RETURNING 1");
        var (lag, unsent, failing, parked) = await store.BacklogAsync(Ct);
        Assert.InRange(lag, 3600, 3700);
        Assert.Equal(2, unsent);
        Assert.Equal(1, failing);
        Assert.Equal(0, parked);

        await _t.CountAsync("UPDATE msgtest.outbox_messages SET sent_at = now() - interval '8 days' WHERE id = (SELECT min(id::text)::uuid FROM msgtest.outbox_messages) RETURNING 1");
        var (outbox, inbox) = await store.CleanupAsync(TimeSpan.FromDays(7), TimeSpan.FromDays(30), Ct);
        Assert.Equal((1, 1), (outbox, inbox));
        Assert.Equal(1, await _t.CountAsync("SELECT count(*) FROM msgtest.outbox_messages"));
        Assert.Equal(1, await _t.CountAsync("SELECT count(*) FROM msgtest.inbox_messages"));
    }

    private static NpgsqlDataSource ServiceDatabaseRegistrationFor(string cs) =>
        Sip.ServiceDefaults.Data.ServiceDatabaseRegistration.CreateDataSource(cs, "msgtest");
}
