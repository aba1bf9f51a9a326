using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sip.ServiceDefaults.Data;

namespace Sip.Messaging;

public static class Inbox
{
    /// <summary>
    /// Runs <paramref name="handle"/> and saves its changes in one transaction with the inbox row
    /// (consumer, message id). A second delivery of the same message finds the row and does nothing;
    /// two concurrent deliveries serialise on the row's unique key.
    /// </summary>
    public static async Task<bool> ProcessOnceAsync(this DbContext db, string consumer, Guid messageId,
        Func<CancellationToken, Task> handle, MessagingMetrics? metrics, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var entity = db.Model.FindEntityType(typeof(InboxMessage))
            ?? throw new InvalidOperationException("The context does not map the inbox: call modelBuilder.AddSipMessaging().");
        var sql = $"INSERT INTO \"{entity.GetSchema()}\".\"{entity.GetTableName()}\" (consumer, message_id, processed_at) VALUES ({{0}}, {{1}}, now()) ON CONFLICT DO NOTHING";

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // The table name comes from the model, not from input; the values are parameters.
        var inserted = await db.Database.ExecuteSqlRawAsync(sql, [consumer, messageId], ct);
        if (inserted == 0)
        {
            metrics?.Duplicate(consumer);
            return false;
        }
        await handle(ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        metrics?.Processed(consumer);
        return true;
    }
}

/// <summary>
/// Base for every consumer: the handler's database changes, any events it writes to the outbox and
/// the inbox row commit together, so redeliveries are no-ops. A handler that lost a race with a concurrent
/// writer (a concurrency token that moved, a unique key just taken; see <see cref="VersionGuard"/>) is run again at
/// once on fresh state, up to <see cref="ConcurrencyAttempts"/> times, before MassTransit's own retries take over.
/// </summary>
public abstract class IdempotentConsumer<TMessage, TDbContext>(TDbContext db, MessagingMetrics metrics) : IConsumer<TMessage>
    where TMessage : class
    where TDbContext : DbContext
{
    protected TDbContext Db => db;

    /// <summary>Stable name in the inbox; renaming the class would otherwise reprocess retained ids.</summary>
    protected virtual string ConsumerName => GetType().Name;

    public const int ConcurrencyAttempts = 10;

    public virtual async Task Consume(ConsumeContext<TMessage> context)
    {
        if (context.ReceiveContext.Redelivered)
        {
            metrics.Redelivered(ConsumerName);
        }
        var messageId = context.MessageId ?? throw new InvalidOperationException("A message without MessageId cannot be deduplicated.");
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await db.ProcessOnceAsync(ConsumerName, messageId, ct => HandleAsync(context.Message, ct), metrics, context.CancellationToken);
                    return;
                }
                catch (Exception e) when (e.IsConcurrentChange() && attempt < ConcurrencyAttempts && !context.CancellationToken.IsCancellationRequested)
                {
                    // Rolled back: the handler reads again what the other writer committed and decides anew.
                    metrics.ConcurrencyRetried(ConsumerName);
                }
            }
        }
        catch (Exception) when (!context.CancellationToken.IsCancellationRequested)
        {
            metrics.Faulted(ConsumerName);
            throw;
        }
    }

    protected abstract Task HandleAsync(TMessage message, CancellationToken ct);
}
