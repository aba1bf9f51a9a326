using System.Collections.Concurrent;
using Sip.Testing;

namespace Sip.Messaging.Tests;

/// <summary>
/// The running dispatcher overlaps claim rounds (<see cref="MessagingOptions.PipelinedRounds"/>) that share one window of
/// unconfirmed publishes. These tests make rounds overlap on purpose (small batches, many of them) and check that the
/// guarantees of one round at a time still hold: order per aggregate, marked only after a confirm, held back behind a failure.
/// </summary>
public sealed class PipelineTests(PostgresFixture postgres, RabbitMqFixture rabbit)
{
    private readonly MessagingTestBase _t = new(postgres, rabbit);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    /// <summary>Commits <paramref name="perAggregate"/> events for each of <paramref name="aggregates"/> aggregates, interleaved, in chunks of 50; returns each aggregate's ids in commit order.</summary>
    private static async Task<Dictionary<string, List<Guid>>> CommitInterleavedAsync(string cs, int aggregates, int perAggregate)
    {
        var ids = Enumerable.Range(0, aggregates).Select(_ => Guid.NewGuid()).ToArray();
        var expected = ids.ToDictionary(a => a.ToString(), _ => new List<Guid>());
        var events = new List<Sip.Contracts.Directory.UnitUpdated>();
        for (var step = 0; step < perAggregate; step++)
        {
            foreach (var aggregate in ids)
            {
                var e = MessagingTestBase.NewEvent(aggregate, $"step {step}");
                expected[aggregate.ToString()].Add(e.EventId);
                events.Add(e);
            }
        }
        foreach (var chunk in events.Chunk(50))
        {
            await MessagingTestBase.CommitAsync(cs, chunk);
        }
        return expected;
    }

    private static void AssertOrderPerAggregate(IEnumerable<(long Order, ClaimedOutboxMessage Message)> published, Dictionary<string, List<Guid>> expected)
    {
        foreach (var (aggregate, ids) in expected)
        {
            var seen = published.Where(p => p.Message.AggregateId == aggregate).OrderBy(p => p.Order).Select(p => p.Message.Id).ToList();
            Assert.Equal(ids.Take(seen.Count), seen);
        }
    }

    [Fact]
    public async Task A_nack_in_the_middle_of_the_window_leaves_that_row_and_its_aggregates_later_rows_unmarked()
    {
        var cs = await _t.CleanSchemaAsync();
        var expected = await CommitInterleavedAsync(cs, aggregates: 20, perAggregate: 10);
        var victimAggregate = expected.Keys.ElementAt(7);
        var victim = expected[victimAggregate][2];
        var behindVictim = expected[victimAggregate].Skip(3).ToHashSet();
        var publisher = new RecordingPublisher { FailWhen = m => m.Id == victim, Delay = TimeSpan.FromMilliseconds(1) };
        using var dispatcher = MessagingTestBase.Dispatcher(cs, publisher, o =>
        {
            o.BatchSize = 15;
            o.MaxInFlight = 8;
            o.PipelinedRounds = 3;
            o.MaxPublishFailures = 1000; // never parked here: parking would let the later rows go (by design)
            o.FallbackPollInterval = TimeSpan.FromSeconds(1);
        });
        await dispatcher.StartAsync(Ct);
        try
        {
            // Everything but the refused row and the seven behind it gets out and is marked.
            await Eventually.HoldsAsync(async () => await _t.CountAsync("SELECT count(*) FROM msgtest.outbox_messages WHERE sent_at IS NOT NULL") == 200 - 8,
                Patience, "all other rows are marked sent");
        }
        finally
        {
            await dispatcher.StopAsync(CancellationToken.None);
        }

        var unsent = await _t.CountAsync($"SELECT count(*) FROM msgtest.outbox_messages WHERE sent_at IS NULL AND aggregate_id = '{victimAggregate}'");
        Assert.Equal(8, unsent);
        Assert.Equal(1, await _t.CountAsync($"SELECT count(*) FROM msgtest.outbox_messages WHERE sent_at IS NULL AND id = '{victim}' AND last_error LIKE '%broker said no%'"));
        Assert.DoesNotContain(publisher.Published, p => p.Message.Id == victim || behindVictim.Contains(p.Message.Id));
        Assert.Equal(200 - 8, publisher.Published.Select(p => p.Message.Id).Distinct().Count());
        AssertOrderPerAggregate(publisher.Published, expected);
    }

    [Fact]
    public async Task A_row_waiting_for_its_confirm_stays_unmarked_while_later_rounds_go_out_and_are_marked()
    {
        var cs = await _t.CleanSchemaAsync();
        var expected = await CommitInterleavedAsync(cs, aggregates: 20, perAggregate: 10);
        var slowAggregate = expected.Keys.ElementAt(3);
        var slow = expected[slowAggregate][0];
        var publisher = new GatedPublisher(slow);
        using var dispatcher = MessagingTestBase.Dispatcher(cs, publisher, o =>
        {
            o.BatchSize = 15;
            o.MaxInFlight = 8;
            o.PipelinedRounds = 3;
            o.FallbackPollInterval = TimeSpan.FromSeconds(1);
        });
        await dispatcher.StartAsync(Ct);
        try
        {
            // The other aggregates all get out (later rounds overtake the round that waits for the confirm) ...
            await Eventually.HoldsAsync(() => Task.FromResult(publisher.Inner.Published.Count == 200 - 10), Patience, "every other aggregate is published");
            await Eventually.HoldsAsync(async () => await _t.CountAsync(
                    $"SELECT count(*) FROM msgtest.outbox_messages WHERE sent_at IS NOT NULL AND claimed_by IS NOT NULL AND aggregate_id <> '{slowAggregate}'") > 0,
                Patience, "later rounds are marked while the first waits");
            // ... but the unconfirmed row is not marked, and nothing of its aggregate went out behind it.
            Assert.Equal(10, await _t.CountAsync($"SELECT count(*) FROM msgtest.outbox_messages WHERE sent_at IS NULL AND aggregate_id = '{slowAggregate}'"));
            Assert.DoesNotContain(publisher.Inner.Published, p => p.Message.AggregateId == slowAggregate);

            publisher.Confirm();
            await Eventually.HoldsAsync(async () => await _t.CountAsync("SELECT count(*) FROM msgtest.outbox_messages WHERE sent_at IS NULL") == 0,
                Patience, "the confirmed row and its aggregate's later rows follow");
        }
        finally
        {
            publisher.Confirm();
            await dispatcher.StopAsync(CancellationToken.None);
        }
        Assert.Equal(200, publisher.Inner.Published.Select(p => p.Message.Id).Distinct().Count());
        AssertOrderPerAggregate(publisher.Inner.Published, expected);
    }

    [Fact]
    public async Task Two_running_dispatchers_with_overlapping_rounds_keep_each_aggregates_order_and_publish_each_row_once()
    {
        var cs = await _t.CleanSchemaAsync();
        var expected = await CommitInterleavedAsync(cs, aggregates: 40, perAggregate: 25);
        var publisher = new RecordingPublisher { Delay = TimeSpan.FromMilliseconds(1) };
        var dispatchers = Enumerable.Range(0, 2).Select(_ => MessagingTestBase.Dispatcher(cs, publisher, o =>
        {
            o.BatchSize = 30;
            o.MaxInFlight = 16;
            o.PipelinedRounds = 3;
            o.FallbackPollInterval = TimeSpan.FromSeconds(1);
        })).ToArray();
        foreach (var d in dispatchers)
        {
            await d.StartAsync(Ct);
        }
        try
        {
            await Eventually.HoldsAsync(async () => await _t.CountAsync("SELECT count(*) FROM msgtest.outbox_messages WHERE sent_at IS NULL") == 0,
                Patience, "everything is published");
        }
        finally
        {
            foreach (var d in dispatchers)
            {
                await d.StopAsync(CancellationToken.None);
                d.Dispose();
            }
        }
        Assert.Equal(1000, publisher.Published.Count);
        Assert.Equal(1000, publisher.Published.Select(p => p.Message.Id).Distinct().Count());
        AssertOrderPerAggregate(publisher.Published, expected);
    }

    /// <summary>Holds one row's publish (its broker confirm) until <see cref="Confirm"/>; the rest go through a <see cref="RecordingPublisher"/>.</summary>
    private sealed class GatedPublisher(Guid held) : IOutboxPublisher
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public RecordingPublisher Inner { get; } = new() { Delay = TimeSpan.FromMilliseconds(1) };

        public void Confirm() => _gate.TrySetResult();

        public async Task PublishAsync(ClaimedOutboxMessage message, CancellationToken ct)
        {
            if (message.Id == held)
            {
                await _gate.Task.WaitAsync(ct);
            }
            await Inner.PublishAsync(message, ct);
        }
    }
}
