using Sip.Testing;

namespace Sip.Messaging.Tests;

public sealed class InboxTests(PostgresFixture postgres, RabbitMqFixture rabbit)
{
    private readonly MessagingTestBase _t = new(postgres, rabbit);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<bool> Deliver(string cs, Guid messageId, Func<Task>? before = null)
    {
        await using var db = MessagingTestBase.NewDb(cs);
        return await db.ProcessOnceAsync("test-consumer", messageId, async _ =>
        {
            if (before is not null)
            {
                await before();
            }
            db.Received.Add(new Received { MessageId = messageId, Name = "effect" });
        }, null, Ct);
    }

    [Fact]
    public async Task The_second_delivery_of_a_message_is_a_no_op()
    {
        var cs = await _t.CleanSchemaAsync();
        var id = Guid.NewGuid();

        Assert.True(await Deliver(cs, id));
        Assert.False(await Deliver(cs, id));

        Assert.Equal(1, await _t.CountAsync("SELECT count(*) FROM msgtest.received"));
    }

    [Fact]
    public async Task Concurrent_duplicate_deliveries_change_state_once()
    {
        var cs = await _t.CleanSchemaAsync();
        var id = Guid.NewGuid();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Deliver(cs, id, () => Task.Delay(50, Ct))));

        Assert.Single(results, r => r);
        Assert.Equal(1, await _t.CountAsync("SELECT count(*) FROM msgtest.received"));
    }

    [Fact]
    public async Task A_failed_handler_leaves_no_inbox_row_so_the_retry_processes_it()
    {
        var cs = await _t.CleanSchemaAsync();
        var id = Guid.NewGuid();

        await Assert.ThrowsAsync<InvalidOperationException>(() => Deliver(cs, id, () => throw new InvalidOperationException("boom")));
        Assert.Equal(0, await _t.CountAsync("SELECT count(*) FROM msgtest.inbox_messages"));

        Assert.True(await Deliver(cs, id));
        Assert.Equal(1, await _t.CountAsync("SELECT count(*) FROM msgtest.received"));
    }
}
