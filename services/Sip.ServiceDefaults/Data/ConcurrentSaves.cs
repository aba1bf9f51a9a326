using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Sip.ServiceDefaults.Data;

/// <summary>Two writers at once: a row version that moved, or a unique key someone else just took.</summary>
public static class ConcurrentSaves
{
    public static bool IsConcurrentChange(this Exception e) =>
        e is DbUpdateConcurrencyException or DbUpdateException { InnerException: PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } };

    /// <summary>Saves, or — when someone else changed the same thing meanwhile — saves nothing and answers 409 <c>concurrent-change</c> in Swedish.</summary>
    public static async Task SaveOrConflictAsync(this DbContext db, string title, string detail, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (Exception e) when (e.IsConcurrentChange())
        {
            throw Conflict(title, detail);
        }
    }

    /// <summary>
    /// Does <paramref name="work"/> and saves; when a concurrent change got in first, forgets everything tracked and does it again
    /// on what is there now, up to <see cref="RedoAttempts"/> times, then answers as <see cref="SaveOrConflictAsync"/>. Only for work
    /// that reads afresh what it changes, and only for conflicts no one else's change can make wrong (<paramref name="redoIf"/>; all
    /// when null): a new meeting beside the case's LUS watch, which a consumer may be changing at the same moment.
    /// </summary>
    public static async Task<T> SaveRedoingOnConflictAsync<T>(this DbContext db, Func<Task<T>> work, string title, string detail, CancellationToken ct,
        Func<DbUpdateException, bool>? redoIf = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var result = await work();
            try
            {
                await db.SaveChangesAsync(ct);
                return result;
            }
            catch (DbUpdateException e) when (e.IsConcurrentChange())
            {
                if (attempt == RedoAttempts || redoIf?.Invoke(e) == false)
                {
                    throw Conflict(title, detail);
                }
                db.ChangeTracker.Clear();
            }
        }
    }

    public const int RedoAttempts = 3;

    private static DomainException Conflict(string title, string detail) => new("concurrent-change", title, detail, StatusCodes.Status409Conflict);
}
