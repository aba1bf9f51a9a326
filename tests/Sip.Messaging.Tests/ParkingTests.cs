using Sip.Testing;

namespace Sip.Messaging.Tests;

/// <summary>
/// An outbox row that can never be published is parked after <see cref="MessagingOptions.MaxPublishFailures"/> failures of its
/// own, with its reason, instead of being retried for ever and holding back its aggregate's later events; an operator replays it.
/// A broker that is down is nobody's fault: it never parks a row.
/// </summary>
public sealed class ParkingTests(PostgresFixture postgres, RabbitMqFixture rabbit)
{
    private const int MaxFailures = 3;
    private readonly MessagingTestBase _t = new(postgres, rabbit);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>One dispatch round after every back-off has run out.</summary>
    private async Task<(int Claimed, int Failed)> RoundAsync(OutboxDispatcher dispatcher)
    {
        await _t.CountAsync("UPDATE msgtest.outbox_messages SET claimed_until = now() - interval '1 second' WHERE sent_at IS NULL RETURNING 1");
        return await dispatcher.DispatchOnceAsync(Ct);
    }

    [Fact]
    public async Task A_row_that_can_never_be_published_is_parked_with_its_reason_and_its_aggregates_later_events_go_on()
    {
        var cs = await _t.CleanSchemaAsync();
        var aggregate = Guid.NewGuid();
        var (poison, later, other) = (MessagingTestBase.NewEvent(aggregate, "poison"), MessagingTestBase.NewEvent(aggregate, "later"), MessagingTestBase.NewEvent());
        await MessagingTestBase.CommitAsync(cs, poison, later, other);
        var publisher = new RecordingPublisher
        {
            FailWhen = m => m.Id == poison.EventId,
            FailWith = () => new UnpublishableMessageException("Unknown message type 'Sip.Contracts.Gone'."),
        };
        var dispatcher = MessagingTestBase.Dispatcher(cs, publisher, o => o.MaxPublishFailures = MaxFailures);

        for (var round = 1; round < MaxFailures; round++)
        {
            await RoundAsync(dispatcher);
            Assert.Equal(0, await _t.CountAsync("SELECT count(*) FROM msgtest.outbox_messages WHERE parked_at IS NOT NULL"));
        }
        Assert.DoesNotContain(publisher.Published, p => p.Message.Id == later.EventId); // held back behind the failing one so far
        await RoundAsync(dispatcher);

        Assert.Equal(1, await _t.CountAsync($"""
            SELECT count(*) FROM msgtest.outbox_messages
            WHERE id = '{poison.EventId}' AND parked_at IS NOT NULL AND failures = {MaxFailures} AND last_error LIKE '%Unknown message type%'
            """));
        await RoundAsync(dispatcher);
        Assert.Contains(publisher.Published, p => p.Message.Id == later.EventId);
        Assert.Contains(publisher.Published, p => p.Message.Id == other.EventId);
        Assert.Equal(1, await _t.CountAsync("SELECT count(*) FROM msgtest.outbox_messages WHERE sent_at IS NULL"));

        // Parked, it is retried no more, and it does not count as lag or as failing: it has a gauge of its own.
        var attempts = await _t.CountAsync($"SELECT attempts FROM msgtest.outbox_messages WHERE id = '{poison.EventId}'");
        Assert.Equal((0, 0), await RoundAsync(dispatcher));
        Assert.Equal(attempts, await _t.CountAsync($"SELECT attempts FROM msgtest.outbox_messages WHERE id = '{poison.EventId}'"));
    }

    [Fact]
    public async Task A_broker_that_refuses_everything_parks_nothing_however_long_it_lasts()
    {
        var cs = await _t.CleanSchemaAsync();
        await MessagingTestBase.CommitAsync(cs, MessagingTestBase.NewEvent(), MessagingTestBase.NewEvent(), MessagingTestBase.NewEvent());
        var publisher = new RecordingPublisher { FailWhen = _ => true };
        var dispatcher = MessagingTestBase.Dispatcher(cs, publisher, o => o.MaxPublishFailures = MaxFailures);

        for (var round = 0; round < MaxFailures * 3; round++)
        {
            Assert.Equal((3, 3), await RoundAsync(dispatcher));
        }

        Assert.Equal(0, await _t.CountAsync("SELECT count(*) FROM msgtest.outbox_messages WHERE parked_at IS NOT NULL OR failures > 0"));
        publisher.FailWhen = _ => false;
        Assert.Equal((3, 0), await RoundAsync(dispatcher));
    }

    [Fact]
    public async Task A_row_the_broker_refuses_while_it_takes_the_others_is_parked()
    {
        var cs = await _t.CleanSchemaAsync();
        var refused = MessagingTestBase.NewEvent();
        await MessagingTestBase.CommitAsync(cs, refused);
        var publisher = new RecordingPublisher { FailWhen = m => m.Id == refused.EventId };
        var dispatcher = MessagingTestBase.Dispatcher(cs, publisher, o => o.MaxPublishFailures = MaxFailures);

        for (var round = 0; round < MaxFailures; round++)
        {
            await MessagingTestBase.CommitAsync(cs, MessagingTestBase.NewEvent()); // traffic the broker does take
            await RoundAsync(dispatcher);
        }

        Assert.Equal(1, await _t.CountAsync($"SELECT count(*) FROM msgtest.outbox_messages WHERE id = '{refused.EventId}' AND parked_at IS NOT NULL AND last_error LIKE '%broker said no%'"));
    }

    [Fact]
    public async Task A_parked_row_replayed_by_an_operator_is_published_with_its_own_id()
    {
        var cs = await _t.CleanSchemaAsync();
        var poison = MessagingTestBase.NewEvent();
        await MessagingTestBase.CommitAsync(cs, poison);
        var publisher = new RecordingPublisher { FailWhen = _ => true, FailWith = () => new UnpublishableMessageException("cannot be read") };
        var dispatcher = MessagingTestBase.Dispatcher(cs, publisher, o => o.MaxPublishFailures = 1);
        await RoundAsync(dispatcher);
        var parked = Assert.Single(await dispatcher.ParkedAsync(10, Ct));
        Assert.Equal((poison.EventId, "cannot be read"), (parked.Id, parked.LastError?[(parked.LastError.IndexOf(": ", StringComparison.Ordinal) + 2)..]));

        publisher.FailWhen = _ => false; // the cause is fixed (say, the code that knows the type is deployed)
        Assert.Equal(1, await dispatcher.ReplayParkedAsync([poison.EventId], Ct));
        Assert.Equal((1, 0), await dispatcher.DispatchOnceAsync(Ct));

        Assert.Equal(poison.EventId, Assert.Single(publisher.Published).Message.Id);
        Assert.Empty(await dispatcher.ParkedAsync(10, Ct));
        Assert.Equal(0, await dispatcher.ReplayParkedAsync(null, Ct));
    }
}
