using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Sip.Contracts.Grpc.Audit.V1;

namespace Sip.ServiceDefaults.Data;

/// <summary>
/// A service's part of the audit review (the consent service asks it with the auditor's own token): one page of its own
/// audit log. Services that keep no unit directory leave <c>DescribeUnits</c> UNIMPLEMENTED.
/// </summary>
public class AuditLogReviewService<TDbContext>(TDbContext db, IHttpContextAccessor http) : AuditReview.AuditReviewBase where TDbContext : DbContext
{
    protected TDbContext Db => db;

    /// <summary>The auditor of <paramref name="tenantId"/> making the call; PERMISSION_DENIED for anyone else.</summary>
    protected void Authorize(string tenantId) =>
        AuditReviewGrpc.Authorize(http.HttpContext?.User ?? new System.Security.Claims.ClaimsPrincipal(), tenantId);

    public override async Task<AuditQueryReply> Query(AuditQueryRequest request, ServerCallContext context)
    {
        Authorize(request.TenantId);
        var reply = new AuditQueryReply();
        reply.Rows.AddRange(AuditReviewGrpc.ToRows(await AuditReviewGrpc.ToQuery(request).RunAsync(db, context.CancellationToken)));
        return reply;
    }
}
