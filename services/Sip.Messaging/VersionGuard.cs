using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Sip.Messaging;

/// <summary>
/// A row a consumer keeps from another service's events (a projection): it remembers the version of the newest change
/// applied to it. The broker does not order concurrent deliveries of one aggregate, so a consumer must never let an older
/// change overwrite a newer one.
/// </summary>
public interface IVersionedRow
{
    /// <summary>The aggregate's version (from the event) of the last change applied; 0 before any versioned change.</summary>
    long AppliedVersion { get; set; }
}

/// <summary>
/// The one way a consumer does read–check–write in this platform:
/// <list type="number">
/// <item>read the row (or the aggregate) it changes;</item>
/// <item>check: <see cref="Advance"/> the row to the event's version, and return without a change when the event is not newer;</item>
/// <item>write through EF Core, with the version column mapped as a concurrency token (<see cref="IsAppliedVersion"/>), so the
/// write is <c>UPDATE … WHERE applied_version = @read</c>: a concurrent writer that got there first makes it fail.</item>
/// </list>
/// <see cref="IdempotentConsumer{TMessage,TDbContext}"/> then runs the whole handler again on fresh state, in a new
/// transaction (a concurrency-token conflict or a unique key someone else just took, e.g. two first inserts of one row).
/// Rows with a database row version (<c>xmin</c>, <c>IsRowVersion()</c>) take part the same way: their conflicts are retried too.
/// </summary>
public static class VersionGuard
{
    /// <summary>Moves the row to <paramref name="version"/> if that is newer than what it holds; false: the change is older (or the same), skip it.</summary>
    public static bool Advance(this IVersionedRow row, long version)
    {
        if (version <= row.AppliedVersion)
        {
            return false;
        }
        row.AppliedVersion = version;
        return true;
    }

    /// <summary>Maps <see cref="IVersionedRow.AppliedVersion"/> as column <c>applied_version</c>, a concurrency token.</summary>
    public static PropertyBuilder<long> IsAppliedVersion(this PropertyBuilder<long> property) =>
        property.HasColumnName("applied_version").HasDefaultValue(0L).IsConcurrencyToken();
}
