using Microsoft.EntityFrameworkCore;
using Sip.Testing;

namespace Sip.Messaging.Tests;

public sealed class OutboxAtomicityTests(PostgresFixture postgres, RabbitMqFixture rabbit)
{
    private readonly MessagingTestBase _t = new(postgres, rabbit);

    [Fact]
    public async Task A_rolled_back_transaction_leaves_no_outbox_row()
    {
        var cs = await _t.CleanSchemaAsync();
        await using (var db = MessagingTestBase.NewDb(cs))
        {
            await using var tx = await db.Database.BeginTransactionAsync(TestContext.Current.CancellationToken);
            db.Received.Add(new Received { MessageId = Guid.NewGuid(), Name = "state change" });
            db.AddEvent(MessagingTestBase.NewEvent());
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            await tx.RollbackAsync(TestContext.Current.CancellationToken);
        }
        Assert.Equal(0, await _t.CountAsync("SELECT count(*) FROM msgtest.outbox_messages"));
        Assert.Equal(0, await _t.CountAsync("SELECT count(*) FROM msgtest.received"));
    }

    [Fact]
    public async Task A_committed_transaction_has_every_row_with_the_event_id_as_row_id()
    {
        var cs = await _t.CleanSchemaAsync();
        var events = new[] { MessagingTestBase.NewEvent(), MessagingTestBase.NewEvent(), MessagingTestBase.NewEvent() };
        await using (var db = MessagingTestBase.NewDb(cs))
        {
            db.Received.Add(new Received { MessageId = Guid.NewGuid(), Name = "state change" });
            foreach (var e in events)
            {
                db.AddEvent(e);
            }
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }
        await using var check = MessagingTestBase.NewDb(cs);
        var rows = await check.Set<OutboxMessage>().OrderBy(m => m.Sequence).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(events.Select(e => e.EventId), rows.Select(r => r.Id));
        Assert.All(rows, r => Assert.Null(r.SentAt));
        Assert.Equal(rows.Select(r => r.Sequence).Order(), rows.Select(r => r.Sequence));
    }
}
