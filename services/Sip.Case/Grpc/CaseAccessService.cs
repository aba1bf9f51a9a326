using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Sip.Case.Apis;
using Sip.Case.Consent;
using Sip.Case.Infrastructure;
using Sip.Contracts.Grpc.Case.V1;
using Sip.ServiceDefaults;
using Sip.ServiceDefaults.Auth;
using Sip.ServiceDefaults.Data;

namespace Sip.Case.Grpc;

/// <summary>
/// Lets a service that keeps records about a case (meeting-scheduling) ask, with the caller's own token, whether the
/// caller's unit may see the case, under the REST API's rule: the directory lists the caller in the unit, the unit takes
/// part and the consent covers it. Anything else is NOT_FOUND, so the caller learns nothing, not even that the case exists.
/// </summary>
public sealed class CaseAccessService(CaseDbContext db, ConsentGate consent, TimeProvider clock) : CaseAccess.CaseAccessBase
{
    public override async Task<CaseForUnitReply> GetCaseForUnit(GetCaseForUnitRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        // The principal's units are already those the directory lists the caller in (DirectoryMembership).
        var user = SipUser.From(context.GetHttpContext().User);
        if (!Guid.TryParse(request.CaseId, out var caseId) || !Guid.TryParse(request.UnitId, out var unitId) || !user.IsMemberOf(unitId))
        {
            throw NotFound();
        }
        var (sipCase, _) = await VisibleAsync(user, caseId, unitId, ct);
        if (sipCase is null)
        {
            throw NotFound();
        }
        var current = await db.Plans.AsNoTracking().CurrentAsync(caseId, ct);
        var participants = sipCase.ParticipantUnitIds;
        var units = await db.Units.AsNoTracking().Where(u => u.TenantId == sipCase.TenantId && participants.Contains(u.Id)).ToDictionaryAsync(u => u.Id, ct);
        var firstInitiative = sipCase.Initiatives.Select(i => (DateTimeOffset?)i.SentAt).Min();
        var reply = new CaseForUnitReply
        {
            CaseId = sipCase.Id.ToString(),
            Reference = sipCase.Reference,
            MunicipalityCode = sipCase.MunicipalityCode,
            Status = sipCase.Status.ToString(),
            OpenedByUnitId = sipCase.OpenedByUnitId.ToString(),
            CoordinatorUnitId = (current?.CoordinatorUnitId ?? sipCase.OpenedByUnitId).ToString(),
            IndividualId = sipCase.IndividualId.ToString(),
            FirstInitiativeAt = firstInitiative is { } first ? Timestamp.FromDateTimeOffset(first) : null,
            Discharge = sipCase.Discharge is not null,
        };
        var person = sipCase.ForStatistics();
        (reply.BirthYear, reply.BirthMonth, reply.Sex, reply.TargetGroup) = (person.BirthYear ?? 0, person.BirthMonth ?? 0, person.Sex, person.TargetGroup);
        // ParticipantUnitIds puts the opener first.
        reply.Participants.AddRange(participants.Select(id => units.TryGetValue(id, out var unit)
            ? new CaseUnit { UnitId = id.ToString(), Name = unit.Name, Principal = unit.Principal.ToString(), FunctionalMailbox = unit.FunctionalMailbox ?? "" }
            : new CaseUnit { UnitId = id.ToString() }));
        db.Audit(user, unitId, "case.read-for-meeting", sipCase.IndividualId, sipCase.Id, CasesApi.Purpose, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return reply;
    }

    /// <summary>The REST API's visibility rule; consent's failures become the gRPC status a caller can act on.</summary>
    private async Task<(Domain.SipCase? Case, Guid Unit)> VisibleAsync(SipUser user, Guid caseId, Guid unitId, CancellationToken ct)
    {
        try
        {
            return await CasesApi.FindVisibleAsync(db, consent, user, caseId, ct, unitId);
        }
        catch (DomainException e) when (e.Status == StatusCodes.Status503ServiceUnavailable)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "The consent service did not answer; the case's visibility cannot be decided.", e));
        }
        catch (DomainException e) when (e.Status == StatusCodes.Status403Forbidden)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "The consent service refused to check the consent for this caller.", e));
        }
    }

    private static RpcException NotFound() => new(new Status(StatusCode.NotFound, "No such case for this unit."));
}
