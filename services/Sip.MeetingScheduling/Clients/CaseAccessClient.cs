using Grpc.Core;
using Sip.Contracts.Grpc.Case.V1;
using Sip.Contracts.Grpc.Consent.V1;
using Sip.Contracts.Statistics;
using Sip.ServiceDefaults;

namespace Sip.MeetingScheduling.Clients;

/// <summary>A unit taking part in a case, as the case service's unit directory describes it (organisational data only).</summary>
public sealed record CaseUnit(Guid UnitId, string Name, string Principal, string? FunctionalMailbox);

/// <summary>The case as the acting unit may see it, from the case service (which decides who may see a case).</summary>
public sealed record CaseView(Guid CaseId, string Reference, string MunicipalityCode, string Status, Guid OpenedByUnitId, Guid CoordinatorUnitId,
    IReadOnlyList<CaseUnit> Participants, Guid IndividualId, DateTimeOffset? FirstInitiativeAt, bool Discharge, StatisticsPerson ForStatistics)
{
    public bool IsOpen => Status == "Open";

    public bool TakesPart(Guid unitId) => Participants.Any(p => p.UnitId == unitId);

    public CaseUnit? Unit(Guid unitId) => Participants.FirstOrDefault(p => p.UnitId == unitId);
}

/// <summary>What an invitation letter may say, from consent's disclosure rules.</summary>
public sealed record LetterDisclosure(bool ProtectedIdentity, bool HomeAddressVisible, string? RecipientName, string? RecipientAddress, string? IndividualAddress);

public interface ICaseAccess
{
    /// <summary>The case as <paramref name="unitId"/> sees it, asked with the caller's own token; 404 when the unit may not see it.</summary>
    Task<CaseView> GetAsync(Guid caseId, Guid unitId, CancellationToken ct);
}

public interface ILetterDisclosures
{
    Task<LetterDisclosure> GetAsync(string tenantId, Guid individualId, Guid unitId, Guid caseId, string recipientKind, Guid? representativeId, CancellationToken ct);
}

public sealed class CaseAccessClient(CaseAccess.CaseAccessClient grpc, ILogger<CaseAccessClient> logger) : ICaseAccess
{
    public async Task<CaseView> GetAsync(Guid caseId, Guid unitId, CancellationToken ct)
    {
        var reply = await Remote.CallAsync(logger, "case", () => grpc.GetCaseForUnitAsync(
            new GetCaseForUnitRequest { CaseId = caseId.ToString(), UnitId = unitId.ToString() }, cancellationToken: ct).ResponseAsync);
        return new CaseView(Guid.Parse(reply.CaseId), reply.Reference, reply.MunicipalityCode, reply.Status, Guid.Parse(reply.OpenedByUnitId),
            Guid.Parse(reply.CoordinatorUnitId),
            [.. reply.Participants.Select(p => new CaseUnit(Guid.Parse(p.UnitId), p.Name, p.Principal, string.IsNullOrEmpty(p.FunctionalMailbox) ? null : p.FunctionalMailbox))],
            Guid.Parse(reply.IndividualId), reply.FirstInitiativeAt?.ToDateTimeOffset(), reply.Discharge,
            new StatisticsPerson(reply.BirthYear == 0 ? null : reply.BirthYear, reply.BirthMonth == 0 ? null : reply.BirthMonth,
                string.IsNullOrEmpty(reply.Sex) ? StatisticsDimensions.Unknown : reply.Sex,
                string.IsNullOrEmpty(reply.TargetGroup) ? StatisticsDimensions.Unknown : reply.TargetGroup));
    }
}

public sealed class LetterDisclosureClient(ConsentChecks.ConsentChecksClient grpc, ILogger<LetterDisclosureClient> logger) : ILetterDisclosures
{
    public async Task<LetterDisclosure> GetAsync(string tenantId, Guid individualId, Guid unitId, Guid caseId, string recipientKind, Guid? representativeId,
        CancellationToken ct)
    {
        var reply = await Remote.CallAsync(logger, "consent", () => grpc.GetLetterDisclosureAsync(new LetterDisclosureRequest
        {
            TenantId = tenantId,
            IndividualId = individualId.ToString(),
            UnitId = unitId.ToString(),
            CaseId = caseId.ToString(),
            RecipientKind = recipientKind,
            RepresentativeId = representativeId?.ToString() ?? "",
        }, cancellationToken: ct).ResponseAsync);
        return new LetterDisclosure(reply.ProtectedIdentity, reply.HomeAddressVisible, NullIfEmpty(reply.RecipientName), NullIfEmpty(reply.RecipientAddress),
            NullIfEmpty(reply.IndividualAddress));
    }

    private static string? NullIfEmpty(string s) => string.IsNullOrEmpty(s) ? null : s;
}

internal static class Remote
{
    /// <summary>gRPC failures as the caller's problem: not visible → 404 (learn nothing), refused → 403, down → 503 (logged: a handled problem is not).</summary>
    public static async Task<T> CallAsync<T>(ILogger logger, string service, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            throw new DomainException("not-found", "Hittades inte", status: StatusCodes.Status404NotFound);
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.PermissionDenied or StatusCode.Unauthenticated or StatusCode.FailedPrecondition)
        {
            throw new DomainException("forbidden", "Åtkomst nekad", "Enheten får inte se ärendet eller samtycket omfattar den inte.", StatusCodes.Status403Forbidden, e);
        }
        catch (RpcException e)
        {
            logger.LogWarning("The {Service} service did not answer ({StatusCode}); the request gets 503", service, e.StatusCode);
            throw new DomainException($"{service}-service-unavailable", "Tjänsten svarar inte just nu",
                "Ärendet eller samtycket kan inte kontrolleras just nu. Inget har sparats; försök igen om en stund.", StatusCodes.Status503ServiceUnavailable, e);
        }
    }
}
