using Microsoft.EntityFrameworkCore;
using Sip.ServiceDefaults.Auth;

namespace Sip.Case.Infrastructure;

/// <summary>The staff directory's own tables: where the case service, which keeps the directory, reads memberships.</summary>
public sealed class StaffDirectoryDatabase(CaseDbContext db) : IStaffDirectory
{
    public async Task<IReadOnlyList<UnitMembership>> MembershipsAsync(SipUser user, CancellationToken ct)
    {
        var memberships = await db.Staff.AsNoTracking().Where(s => s.TenantId == user.TenantId && s.Subject == user.Subject)
            .Select(s => s.Memberships).SingleOrDefaultAsync(ct) ?? [];
        return [.. memberships.Select(m => new UnitMembership(m.UnitId, m.Roles))];
    }
}
