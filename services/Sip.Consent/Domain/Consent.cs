using Sip.Contracts.Grpc.Consent.V1;
using Sip.ServiceDefaults;

namespace Sip.Consent.Domain;

public enum ConsentForm
{
    Written,
    Oral,
    Presumed,
}

public enum ConsentStatus
{
    Given,
    Refused,
    Withdrawn,
}

/// <summary>An individual's consent to SIP work, scoped to the units that may exchange information.</summary>
public sealed class Consent
{
    private Consent()
    {
    }

    public Guid Id { get; private init; }
    public string TenantId { get; private init; } = "";
    public Guid IndividualId { get; private init; }
    public ConsentForm Form { get; private init; }
    public ConsentStatus Status { get; private set; }
    public List<Guid> UnitIds { get; private init; } = [];
    public DateOnly ValidFrom { get; private init; }
    public DateOnly? ValidUntil { get; private init; }
    public string RecordedBy { get; private init; } = "";
    public Guid RecordedByUnitId { get; private init; }
    public DateTimeOffset RecordedAt { get; private init; }

    public static Consent Give(string tenantId, Guid individualId, ConsentForm form, IReadOnlyCollection<Guid> unitIds,
        DateOnly? validUntil, string recordedBy, Guid recordedByUnitId, DateTimeOffset now, DateOnly today)
    {
        if (unitIds.Count == 0)
        {
            throw new DomainException("consent-without-units", "Samtycket måste omfatta minst en enhet",
                "Ange vilka enheter som får utbyta information.");
        }
        if (validUntil is { } end && end < today)
        {
            throw new DomainException("consent-end-date-in-past", "Slutdatumet har redan passerat",
                "Ett samtycke kan inte registreras med ett slutdatum som har passerat.");
        }
        return new Consent
        {
            Id = Guid.CreateVersion7(now),
            TenantId = tenantId,
            IndividualId = individualId,
            Form = form,
            Status = ConsentStatus.Given,
            UnitIds = unitIds.Distinct().ToList(),
            ValidFrom = today,
            ValidUntil = validUntil,
            RecordedBy = recordedBy,
            RecordedByUnitId = recordedByUnitId,
            RecordedAt = now,
        };
    }

    /// <summary>Why this consent does not allow <paramref name="unitId"/> to share on <paramref name="day"/>, or null if it does.</summary>
    public DenialReason? DenialFor(Guid unitId, DateOnly day) => this switch
    {
        { Status: ConsentStatus.Withdrawn } => DenialReason.Withdrawn,
        { Status: ConsentStatus.Refused } => DenialReason.Refused,
        _ when day < ValidFrom => DenialReason.NoConsent,
        { ValidUntil: { } end } when day > end => DenialReason.Expired,
        _ when !UnitIds.Contains(unitId) => DenialReason.UnitNotCovered,
        _ => null,
    };
}
