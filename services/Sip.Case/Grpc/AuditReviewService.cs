using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Sip.Case.Infrastructure;
using Sip.Contracts.Grpc.Audit.V1;
using Sip.ServiceDefaults.Data;

namespace Sip.Case.Grpc;

/// <summary>The case service's part of the audit review: its own log, and the unit directory's names.</summary>
public sealed class AuditReviewService(CaseDbContext db, IHttpContextAccessor http) : AuditLogReviewService<CaseDbContext>(db, http)
{
    public override async Task<DescribeUnitsReply> DescribeUnits(DescribeUnitsRequest request, ServerCallContext context)
    {
        Authorize(request.TenantId);
        var ids = request.UnitIds.Select(id => Guid.TryParse(id, out var g) ? g : Guid.Empty).Where(g => g != Guid.Empty).Distinct().Take(1000).ToList();
        var units = await Db.Units.AsNoTracking().Where(u => u.TenantId == request.TenantId && ids.Contains(u.Id))
            .Select(u => new { u.Id, u.Name, u.Principal }).ToListAsync(context.CancellationToken);
        var reply = new DescribeUnitsReply();
        reply.Units.AddRange(units.Select(u => new DescribedUnit { UnitId = u.Id.ToString(), Name = u.Name, Principal = u.Principal.ToString() }));
        return reply;
    }
}
