using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Sip.Case.Domain;
using Sip.Contracts.Grpc.Consent.V1;
using Sip.ServiceDefaults;

namespace Sip.Case.Consent;

/// <summary>Asks the consent service before information about an individual crosses to a unit.</summary>
public sealed class ConsentGate(ConsentChecks.ConsentChecksClient client, TimeProvider clock, ILogger<ConsentGate> logger)
{
    /// <summary>Throws a <see cref="DomainException"/> naming the first unit that the consent does not cover.</summary>
    public async Task RequireAsync(string tenantId, Guid individualId, IEnumerable<Guid> unitIds, CancellationToken ct)
    {
        // Asked at once, not one after the other: a case opened with an initiative asks for two units, and each answer
        // takes a round trip to consent (3–4 ms on two cores, docs/benchmarks.md run AC).
        var units = unitIds.Distinct().ToList();
        var replies = await Task.WhenAll(units.Select(unitId => CheckAsync(tenantId, individualId, unitId, ct)));
        foreach (var (unitId, reply) in units.Zip(replies))
        {
            if (!reply.Allowed)
            {
                throw new DomainException("consent-missing", "Giltigt samtycke saknas",
                    $"Samtycket omfattar inte enheten {unitId} ({Describe(reply.Reason)}). Inget har sparats eller skickats.",
                    StatusCodes.Status422UnprocessableEntity);
            }
        }
    }

    /// <summary>Why the consent does not cover <paramref name="unitId"/>, in Swedish; null when it does.</summary>
    public async Task<string?> WhyNotCoveredAsync(string tenantId, Guid individualId, Guid unitId, CancellationToken ct)
    {
        var reply = await CheckAsync(tenantId, individualId, unitId, ct);
        return reply.Allowed ? null : Describe(reply.Reason);
    }

    public async Task<bool> AllowsAsync(string tenantId, Guid individualId, Guid unitId, CancellationToken ct) =>
        (await CheckAsync(tenantId, individualId, unitId, ct)).Allowed;

    /// <summary>The consent reference a plan keeps (SIP-DOMAIN §6), read from consent's answer.</summary>
    public static ConsentReference ReferenceOf(PlanParticularsReply particulars) =>
        new(Guid.TryParse(particulars.ConsentId, out var id) ? id : Guid.Empty, particulars.ConsentSummary,
            particulars.ConsentUnitIds.Select(u => Guid.TryParse(u, out var unit) ? unit : Guid.Empty).Where(u => u != Guid.Empty).ToList(),
            particulars.ExcludedCategories.ToList());

    /// <summary>The individual's identifier (for the printed plan only: never stored or logged here) and the copy recipients the individual approved.</summary>
    public Task<PlanParticularsReply> PlanParticularsAsync(string tenantId, Guid individualId, Guid unitId, Guid caseId, CancellationToken ct) =>
        CallAsync(() => client.GetPlanParticularsAsync(new PlanParticularsRequest
        {
            TenantId = tenantId,
            IndividualId = individualId.ToString(),
            UnitId = unitId.ToString(),
            CaseId = caseId.ToString(),
        }, cancellationToken: ct).ResponseAsync);

    /// <summary>Birth year and month and sex for statistics (never the identity number), asked with the caller's token for its unit.</summary>
    public Task<StatisticsProfileReply> StatisticsProfileAsync(string tenantId, Guid individualId, Guid unitId, Guid caseId, CancellationToken ct) =>
        CallAsync(() => client.GetStatisticsProfileAsync(new StatisticsProfileRequest
        {
            TenantId = tenantId,
            IndividualId = individualId.ToString(),
            UnitId = unitId.ToString(),
            CaseId = caseId.ToString(),
        }, cancellationToken: ct).ResponseAsync);

    private Task<CheckConsentReply> CheckAsync(string tenantId, Guid individualId, Guid unitId, CancellationToken ct) =>
        CallAsync(() => client.CheckConsentAsync(new CheckConsentRequest
        {
            TenantId = tenantId,
            IndividualId = individualId.ToString(),
            UnitId = unitId.ToString(),
            At = Timestamp.FromDateTimeOffset(clock.GetUtcNow()),
        }, cancellationToken: ct).ResponseAsync);

    private async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.PermissionDenied or StatusCode.Unauthenticated)
        {
            throw new DomainException("consent-check-refused", "Samtyckestjänsten nekade kontrollen",
                "Din behörighet räcker inte för att kontrollera samtycket.", StatusCodes.Status403Forbidden);
        }
        catch (RpcException e)
        {
            // A handled problem is not logged by ASP.NET Core 10, so the SRE's trace of an outage starts here.
            logger.LogWarning("The consent service did not answer ({StatusCode}); the request gets 503", e.StatusCode);
            throw new DomainException("consent-service-unavailable", "Samtycket kan inte kontrolleras just nu",
                "Samtyckestjänsten svarar inte. Inget har sparats; försök igen om en stund.", StatusCodes.Status503ServiceUnavailable, e);
        }
    }

    private static string Describe(DenialReason reason) => reason switch
    {
        DenialReason.UnitNotCovered => "enheten ingår inte i samtycket",
        DenialReason.Expired => "samtycket har gått ut",
        DenialReason.Withdrawn => "samtycket har återkallats",
        DenialReason.Refused => "den enskilde har avböjt",
        DenialReason.CategoryExcluded => "informationskategorin är undantagen",
        _ => "inget samtycke finns registrerat",
    };
}
