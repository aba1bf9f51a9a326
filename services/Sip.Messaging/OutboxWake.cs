using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Sip.Messaging;

/// <summary>
/// Wakes this process's <see cref="OutboxDispatcher"/>: set when a commit of this process wrote outbox rows
/// (<see cref="OutboxWakeInterceptor"/>) and when the timer moved due events into the outbox. Any number of sets while the
/// dispatcher works collapse into one pending wake-up.
/// </summary>
/// <remarks>
/// In-process on purpose, not a NOTIFY from the outbox: PostgreSQL serialises every committing transaction that sent a
/// NOTIFY on one database-wide lock, held through the commit's WAL flush, so a NOTIFY per commit capped the whole
/// platform's commits with events at one per flush (~550/s here; docs/benchmarks.md, run X). Rows another process commits
/// are found by that process's own dispatcher, or by the fallback poll.
/// </remarks>
public sealed class OutboxWake : IDisposable
{
    private readonly WakeSignal _signal = new();

    public void Set() => _signal.Set();

    /// <summary>A wake-up is pending.</summary>
    public bool IsSet => _signal.IsSet;

    internal Task WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);

    public void Dispose() => _signal.Dispose();
}

/// <summary>
/// Sets <see cref="OutboxWake"/> once a SaveChanges that added outbox rows (<see cref="MessagingModel.AddEvent"/>) has
/// committed: at the end of the SaveChanges when it ran in its own transaction, or when the surrounding transaction commits
/// (an inbox row and a handler's events). Registered by <c>AddSipMessaging</c>; the service's DbContext takes it from DI
/// (<c>AddServiceDatabase</c> adds every registered <see cref="IInterceptor"/>).
/// </summary>
public sealed class OutboxWakeInterceptor(OutboxWake wake) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    /// <summary>Contexts whose open transaction holds outbox rows not yet committed.</summary>
    private readonly ConditionalWeakTable<DbContext, object> _pending = [];

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Note(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Note(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(eventData.Context);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    /// <summary>Before the save: does it add outbox rows? Read without DetectChanges (added rows are tracked as such at once).</summary>
    private void Note(DbContext? context)
    {
        if (context is null)
        {
            return;
        }
        var tracker = context.ChangeTracker;
        var detect = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            if (tracker.Entries<OutboxMessage>().Any(e => e.State == EntityState.Added))
            {
                _pending.AddOrUpdate(context, context.Database.CurrentTransaction is null ? Own : Surrounding);
            }
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = detect;
        }
    }

    private void Saved(DbContext? context)
    {
        // In its own transaction, SaveChanges has committed by now; in a surrounding one, the commit is still to come.
        if (context is not null && _pending.TryGetValue(context, out var kind) && kind == Own)
        {
            _pending.Remove(context);
            wake.Set();
        }
    }

    private void Committed(DbContext? context)
    {
        if (context is not null && _pending.TryGetValue(context, out var kind) && kind == Surrounding)
        {
            _pending.Remove(context);
            wake.Set();
        }
    }

    private void Forget(DbContext? context)
    {
        if (context is not null)
        {
            _pending.Remove(context);
        }
    }

    private static readonly object Own = new();
    private static readonly object Surrounding = new();
}
