using Microsoft.EntityFrameworkCore;

namespace Sip.ServiceDefaults.Data;

/// <summary>
/// One page of a tenant's audit rows for some individuals or one actor in [From, To), newest first by (at, id), strictly
/// before (BeforeAt, BeforeId) when BeforeAt is set. Served by <c>ix_audit_individual</c> / <c>ix_audit_actor</c>, and
/// only the partitions of the period are read.
/// </summary>
public sealed record AuditReviewQuery(string TenantId, IReadOnlyCollection<Guid> IndividualIds, string? Actor, DateTimeOffset From, DateTimeOffset To,
    DateTimeOffset? BeforeAt, long BeforeId, int Limit)
{
    public const int MaxLimit = 500;

    public Task<List<AuditEntry>> RunAsync(DbContext db, CancellationToken ct)
    {
        var rows = db.Set<AuditEntry>().AsNoTracking().Where(a => a.TenantId == TenantId && a.At >= From && a.At < To);
        rows = Actor is { Length: > 0 } actor
            ? rows.Where(a => a.Actor == actor)
            : rows.Where(a => a.IndividualId != null && IndividualIds.Contains(a.IndividualId.Value));
        if (BeforeAt is { } before)
        {
            var id = BeforeId;
            rows = rows.Where(a => a.At < before || (a.At == before && a.Id < id));
        }
        return rows.OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Take(Math.Clamp(Limit, 1, MaxLimit)).ToListAsync(ct);
    }
}
