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
            throw new DomainException("concurrent-change", title, detail, StatusCodes.Status409Conflict);
        }
    }
}
