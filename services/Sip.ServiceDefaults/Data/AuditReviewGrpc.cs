using System.Security.Claims;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Sip.Contracts.Grpc.Audit.V1;
using Sip.ServiceDefaults.Auth;

namespace Sip.ServiceDefaults.Data;

/// <summary>What every service's <c>AuditReview</c> server shares: the auditor check and the mapping to and from the messages.</summary>
public static class AuditReviewGrpc
{
    /// <summary>Only an auditor of the tenant asked about: anyone else gets PERMISSION_DENIED.</summary>
    public static SipUser Authorize(ClaimsPrincipal principal, string tenantId)
    {
        var user = SipUser.From(principal);
        if (!user.HasRole(SipRoles.Auditor) || string.IsNullOrEmpty(tenantId) || user.TenantId != tenantId)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "audit review is for the tenant's auditors only"));
        }
        return user;
    }

    public static AuditReviewQuery ToQuery(AuditQueryRequest request)
    {
        if (request.From is null || request.To is null)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "from and to are required"));
        }
        var individuals = request.IndividualIds.Select(id => Guid.TryParse(id, out var g) ? g : Guid.Empty).Where(g => g != Guid.Empty).Distinct().ToList();
        if (string.IsNullOrEmpty(request.Actor) == (individuals.Count == 0))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "either individual ids or an actor"));
        }
        return new AuditReviewQuery(request.TenantId, individuals, string.IsNullOrEmpty(request.Actor) ? null : request.Actor,
            request.From.ToDateTimeOffset(), request.To.ToDateTimeOffset(), request.BeforeAt?.ToDateTimeOffset(), request.BeforeId, request.Limit);
    }

    public static AuditQueryRequest ToRequest(AuditReviewQuery query)
    {
        var request = new AuditQueryRequest
        {
            TenantId = query.TenantId,
            Actor = query.Actor ?? "",
            From = Timestamp.FromDateTimeOffset(query.From),
            To = Timestamp.FromDateTimeOffset(query.To),
            BeforeAt = query.BeforeAt is { } b ? Timestamp.FromDateTimeOffset(b) : null,
            BeforeId = query.BeforeId,
            Limit = query.Limit,
        };
        request.IndividualIds.AddRange(query.IndividualIds.Select(i => i.ToString()));
        return request;
    }

    public static IEnumerable<AuditRow> ToRows(IEnumerable<AuditEntry> entries) => entries.Select(e => new AuditRow
    {
        Id = e.Id,
        At = Timestamp.FromDateTimeOffset(e.At),
        Actor = e.Actor,
        ActorUnitId = e.ActorUnitId?.ToString() ?? "",
        ActorRoles = e.ActorRoles,
        Action = e.Action,
        IndividualId = e.IndividualId?.ToString() ?? "",
        CaseId = e.CaseId?.ToString() ?? "",
        Purpose = e.Purpose,
    });

    public static AuditEntry FromRow(AuditRow row, string tenantId) => new AuditEntry()
    {
        TenantId = tenantId,
        Actor = row.Actor,
        ActorUnitId = Guid.TryParse(row.ActorUnitId, out var u) ? u : null,
        ActorRoles = row.ActorRoles,
        Action = row.Action,
        IndividualId = Guid.TryParse(row.IndividualId, out var i) ? i : null,
        CaseId = Guid.TryParse(row.CaseId, out var c) ? c : null,
        Purpose = row.Purpose,
        At = row.At.ToDateTimeOffset(),
    }.WithId(row.Id);
}
