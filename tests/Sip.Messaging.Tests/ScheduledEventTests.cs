using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Sip.Contracts.Directory;
using Sip.ServiceDefaults.Data;
using Sip.Testing;

namespace Sip.Messaging.Tests;

/// <summary>The timer: due rows move to the outbox once, on any number of replicas; cancelled and future ones stay.</summary>
public sealed class ScheduledEventTests(PostgresFixture postgres, RabbitMqFixture rabbit)
{
    private readonly MessagingTestBase _t = new(postgres, rabbit);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_due_timer_reaches_the_consumer_once_with_its_id_as_message_id()
    {
        var cs = await _t.CleanSchemaAsync();
        var e = Due(DateTimeOffset.UtcNow.AddMinutes(-1));
        await ScheduleAsync(cs, ("unit/overdue", e));
        // The poll is far away: the timer's first round, with nobody using the service, must do it.
        using var host = _t.ServiceHost(cs, $"svc-{Guid.NewGuid():N}"[..12], o => o.ScheduledEventsPollInterval = TimeSpan.FromMinutes(5), scheduledEvents: true);
        await MessagingTestBase.StartAsync(host);
        try
        {
            await Eventually.HoldsAsync(async () => await _t.CountAsync($"SELECT count(*) FROM msgtest.received WHERE message_id = '{e.EventId}'") == 1,
                TimeSpan.FromSeconds(30), "the consumer processed the scheduled event");
            await Task.Delay(TimeSpan.FromSeconds(1), Ct); // room for a second delivery, were there one
            Assert.Equal(1, UnitUpdatedTestConsumer.Deliveries.Count(id => id == e.EventId));
            Assert.Equal(1, await _t.CountAsync($"SELECT count(*) FROM msgtest.outbox_messages WHERE id = '{e.EventId}' AND sent_at IS NOT NULL"));
            Assert.Equal(1, await _t.CountAsync($"SELECT count(*) FROM msgtest.scheduled_events WHERE id = '{e.EventId}' AND fired_at IS NOT NULL"));
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_timer_not_yet_due_stays_and_fires_once_when_its_time_comes()
    {
        var cs = await _t.CleanSchemaAsync();
        var now = DateTimeOffset.UtcNow;
        var e = Due(now.AddHours(1));
        await ScheduleAsync(cs, ("unit/later", e));
        var timer = Timer(cs);

        Assert.Equal(0, await timer.FireDueAsync(now, Ct));
        Assert.Equal(0, await _t.CountAsync("SELECT count(*) FROM msgtest.outbox_messages"));

        Assert.Equal(1, await timer.FireDueAsync(now.AddHours(2), Ct));
        Assert.Equal(0, await timer.FireDueAsync(now.AddHours(3), Ct));
        Assert.Equal(1, await _t.CountAsync($"SELECT count(*) FROM msgtest.outbox_messages WHERE id = '{e.EventId}'"));
    }

    [Fact]
    public async Task Cancelling_by_key_prefix_cancels_only_matching_timers_and_those_never_fire()
    {
        var cs = await _t.CleanSchemaAsync();
        var past = DateTimeOffset.UtcNow.AddMinutes(-1);
        var (overdue, reminder, wildcardLookalike, elsewhere) = (Due(past), Due(past), Due(past), Due(past));
        // "_" is a LIKE wildcard: a prefix match written as a bare LIKE would also take "ab1".
        await ScheduleAsync(cs, ("summons/a_1/overdue", overdue), ("summons/a_1/reminder", reminder),
            ("summons/ab1/overdue", wildcardLookalike), ("other/summons/a_1/overdue", elsewhere));

        await using (var db = MessagingTestBase.NewDb(cs))
        {
            Assert.Equal(2, await db.CancelScheduledAsync("summons/a_1/", DateTimeOffset.UtcNow, Ct));
            await db.SaveChangesAsync(Ct);
        }
        var timer = Timer(cs);
        Assert.Equal(2, await timer.FireDueAsync(DateTimeOffset.UtcNow.AddDays(1), Ct));

        await using var check = MessagingTestBase.NewDb(cs);
        var published = await check.Set<OutboxMessage>().Select(m => m.Id).ToListAsync(Ct);
        Assert.Equal(new[] { wildcardLookalike.EventId, elsewhere.EventId }.Order(), published.Order());
        var cancelled = await check.Set<ScheduledEvent>().Where(s => s.CancelledAt != null).ToListAsync(Ct);
        Assert.Equal(new[] { overdue.EventId, reminder.EventId }.Order(), cancelled.Select(s => s.Id).Order());
        Assert.All(cancelled, s => Assert.Null(s.FiredAt));
        // Fired timers are no longer pending: nothing left to cancel.
        Assert.Equal(0, await check.CancelScheduledAsync("summons/", DateTimeOffset.UtcNow, Ct));
    }

    [Fact]
    public async Task A_cancel_saved_after_the_timer_fired_fails_and_leaves_the_timer_fired()
    {
        var cs = await _t.CleanSchemaAsync();
        var e = Due(DateTimeOffset.UtcNow.AddMinutes(-1));
        await ScheduleAsync(cs, ("summons/x/overdue", e));

        await using var db = MessagingTestBase.NewDb(cs);
        Assert.Equal(1, await db.CancelScheduledAsync("summons/x/", DateTimeOffset.UtcNow, Ct));
        Assert.Equal(1, await Timer(cs).FireDueAsync(DateTimeOffset.UtcNow, Ct));

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => db.SaveChangesAsync(Ct));
        Assert.Equal(1, await _t.CountAsync($"SELECT count(*) FROM msgtest.scheduled_events WHERE id = '{e.EventId}' AND fired_at IS NOT NULL AND cancelled_at IS NULL"));
    }

    [Fact]
    public async Task Two_timers_of_one_aggregate_land_in_the_outbox_in_due_order()
    {
        var cs = await _t.CleanSchemaAsync();
        var unit = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        // Written first and with the lower id, but due later.
        var later = Due(now.AddMinutes(-1), unit);
        var earlier = Due(now.AddMinutes(-2), unit);
        await ScheduleAsync(cs, ("unit/later", later));
        await ScheduleAsync(cs, ("unit/earlier", earlier));

        Assert.Equal(2, await Timer(cs).FireDueAsync(now, Ct));

        await using var check = MessagingTestBase.NewDb(cs);
        var order = await check.Set<OutboxMessage>().OrderBy(m => m.Sequence).Select(m => m.Id).ToListAsync(Ct);
        Assert.Equal(new[] { earlier.EventId, later.EventId }, order);
    }

    [Fact]
    public async Task Two_replicas_racing_over_500_due_timers_fire_each_exactly_once_in_due_order_per_aggregate()
    {
        var cs = await _t.CleanSchemaAsync();
        var now = DateTimeOffset.UtcNow;
        var random = new Random(11);
        var aggregates = Enumerable.Range(0, 25).Select(_ => Guid.NewGuid()).ToArray();
        // Distinct due times, written in an order unrelated to them.
        var timers = Enumerable.Range(1, 500).OrderBy(_ => random.Next())
            .Select(i => ($"unit/{i}", Due(now.AddSeconds(-i), aggregates[i % aggregates.Length])))
            .ToArray();
        foreach (var chunk in timers.Chunk(100))
        {
            await ScheduleAsync(cs, chunk);
        }
        var replicas = Enumerable.Range(0, 2).Select(_ => Timer(cs, o => o.BatchSize = 20)).ToArray();

        var fired = await Task.WhenAll(replicas.Select(timer => Task.Run(async () =>
        {
            var total = 0;
            for (var round = 0; round < 1000 && await _t.CountAsync("SELECT count(*) FROM msgtest.scheduled_events WHERE fired_at IS NULL") > 0; round++)
            {
                total += await timer.FireDueAsync(now, Ct);
            }
            return total;
        }, Ct)));

        Assert.Equal(500, fired.Sum());
        await using var check = MessagingTestBase.NewDb(cs);
        var outbox = await check.Set<OutboxMessage>().OrderBy(m => m.Sequence).ToListAsync(Ct);
        Assert.Equal(timers.Select(t => t.Item2.EventId).Order(), outbox.Select(m => m.Id).Order());
        Assert.Equal(0, await _t.CountAsync("SELECT count(*) FROM msgtest.scheduled_events WHERE fired_at IS NULL"));
        foreach (var aggregate in aggregates)
        {
            var dueOrder = timers.Select(t => t.Item2).Where(e => e.UnitId == aggregate)
                .OrderBy(e => e.OccurredAt).Select(e => e.EventId);
            var outboxOrder = outbox.Where(m => m.AggregateId == aggregate.ToString()).Select(m => m.Id);
            Assert.Equal(dueOrder, outboxOrder);
        }
    }

    [Fact]
    public async Task A_timer_due_before_the_next_poll_fires_by_itself_when_due()
    {
        var cs = await _t.CleanSchemaAsync();
        var e = Due(DateTimeOffset.UtcNow.AddSeconds(3));
        await ScheduleAsync(cs, ("unit/soon", e));
        using var timer = Timer(cs, o => o.ScheduledEventsPollInterval = TimeSpan.FromMinutes(5));
        await timer.StartAsync(Ct);
        try
        {
            // Far below the 5-minute poll: only sleeping until the due time can have fired it.
            await Eventually.HoldsAsync(async () => await _t.CountAsync($"SELECT count(*) FROM msgtest.outbox_messages WHERE id = '{e.EventId}'") == 1,
                TimeSpan.FromSeconds(60), "the timer fired when due");
            Assert.InRange(timer.Rounds, 1, 4);
        }
        finally
        {
            await timer.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task An_idle_timer_sleeps_and_does_not_wake_the_outbox_dispatcher()
    {
        var cs = await _t.CleanSchemaAsync();
        var now = DateTimeOffset.UtcNow;
        await ScheduleAsync(cs, ("unit/next-week", Due(now.AddDays(7))));
        var wake = new OutboxWake();
        using var timer = Timer(cs, o => o.ScheduledEventsPollInterval = TimeSpan.FromMinutes(5), wake);
        await timer.StartAsync(Ct);
        try
        {
            await Eventually.HoldsAsync(() => Task.FromResult(timer.Rounds >= 1), TimeSpan.FromSeconds(10), "the timer ran its first round");
            await Task.Delay(1500, Ct);
            Assert.False(wake.IsSet, "an idle round woke the outbox dispatcher");
            Assert.Equal(1, timer.Rounds);

            // A real move to the outbox does wake it.
            Assert.Equal(1, await timer.FireDueAsync(now.AddDays(8), Ct));
            Assert.True(wake.IsSet, "the move to the outbox did not wake the outbox dispatcher");
        }
        finally
        {
            await timer.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task The_timer_survives_a_database_error_and_fires_once_the_table_is_back()
    {
        var cs = await _t.CleanSchemaAsync();
        var e = Due(DateTimeOffset.UtcNow.AddMinutes(-1));
        await ScheduleAsync(cs, ("unit/overdue", e));
        await _t.CountAsync("ALTER TABLE msgtest.scheduled_events RENAME TO scheduled_events_away; SELECT 1");
        using var timer = Timer(cs, o => o.ScheduledEventsPollInterval = TimeSpan.FromMinutes(5));
        try
        {
            await timer.StartAsync(Ct);
            // A second round after a failing first one: the loop backed off and went on.
            await Eventually.HoldsAsync(() => Task.FromResult(timer.Rounds >= 2), TimeSpan.FromSeconds(30), "the timer retried after the error");
            Assert.Equal(0, await _t.CountAsync("SELECT count(*) FROM msgtest.outbox_messages"));
        }
        finally
        {
            await _t.CountAsync("ALTER TABLE msgtest.scheduled_events_away RENAME TO scheduled_events; SELECT 1");
        }
        try
        {
            await Eventually.HoldsAsync(async () => await _t.CountAsync($"SELECT count(*) FROM msgtest.outbox_messages WHERE id = '{e.EventId}'") == 1,
                TimeSpan.FromSeconds(30), "the timer fired once the table was back");
        }
        finally
        {
            await timer.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_disabled_timer_does_not_run()
    {
        var cs = await _t.CleanSchemaAsync();
        await ScheduleAsync(cs, ("unit/overdue", Due(DateTimeOffset.UtcNow.AddMinutes(-1))));
        using var timer = Timer(cs, o => o.ScheduledEventsEnabled = false);

        await timer.StartAsync(Ct);

        // An enabled timer's loop runs until stopped, so this would time out.
        await timer.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(0, timer.Rounds);
        Assert.Equal(0, await _t.CountAsync("SELECT count(*) FROM msgtest.scheduled_events WHERE fired_at IS NOT NULL"));
        await timer.StopAsync(CancellationToken.None);
    }

    /// <summary>An event describing the moment its deadline passes, as <see cref="ScheduledEvents.ScheduleEvent"/> asks.</summary>
    private static UnitUpdated Due(DateTimeOffset dueAt, Guid? unitId = null) =>
        MessagingTestBase.NewEvent(unitId) with { OccurredAt = dueAt };

    private static async Task ScheduleAsync(string cs, params (string Key, UnitUpdated Event)[] timers)
    {
        await using var db = MessagingTestBase.NewDb(cs);
        foreach (var (key, e) in timers)
        {
            db.ScheduleEvent(key, e.OccurredAt, e);
        }
        await db.SaveChangesAsync(Ct);
    }

    private static ScheduledEventDispatcher Timer(string cs, Action<MessagingOptions>? configure = null, OutboxWake? wake = null)
    {
        var options = new MessagingOptions { ServiceName = "msgtest", Schema = TestDb.Schema };
        configure?.Invoke(options);
        var dataSource = ServiceDatabaseRegistration.CreateDataSource(cs, "msgtest");
        var metrics = new MessagingMetrics(new TestMeterFactory(), Options.Create(options));
        return new ScheduledEventDispatcher(dataSource, wake ?? new OutboxWake(), Options.Create(options), metrics, TimeProvider.System, NullLogger<ScheduledEventDispatcher>.Instance);
    }
}
