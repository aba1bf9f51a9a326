using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Sip.Consent.Infrastructure;
using Sip.Contracts.Grpc.Consent.V1;
using Sip.ServiceDefaults.Auth;
using Sip.ServiceDefaults.Time;

namespace Sip.Consent.Grpc;

/// <summary>Answers whether a unit may share information about an individual, at a time. Any valid consent that covers the unit allows it.</summary>
public sealed class ConsentChecksService(ConsentDbContext db, TimeProvider clock) : ConsentChecks.ConsentChecksBase
{
    public override async Task<CheckConsentReply> CheckConsent(CheckConsentRequest request, ServerCallContext context)
    {
        var user = SipUser.From(context.GetHttpContext().User);
        if (request.TenantId != user.TenantId)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "tenant mismatch"));
        }
        if (!Guid.TryParse(request.IndividualId, out var individualId) || !Guid.TryParse(request.UnitId, out var unitId))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "individual_id and unit_id must be UUIDs"));
        }
        var day = SwedishCalendar.Today(request.At is null ? clock.GetUtcNow() : request.At.ToDateTimeOffset());
        var consents = await db.Consents.AsNoTracking()
            .Where(c => c.TenantId == request.TenantId && c.IndividualId == individualId)
            .ToListAsync(context.CancellationToken);
        var allowing = consents.FirstOrDefault(c => c.DenialFor(unitId, day) is null);
        if (allowing is not null)
        {
            return new CheckConsentReply { Allowed = true, ConsentId = allowing.Id.ToString() };
        }
        var latest = consents.MaxBy(c => c.RecordedAt);
        return new CheckConsentReply { Allowed = false, Reason = latest?.DenialFor(unitId, day) ?? DenialReason.NoConsent };
    }
}
