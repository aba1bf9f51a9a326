using Sip.ServiceDefaults;
using Sip.ServiceDefaults.Time;

namespace Sip.Case.Domain;

public enum Urgency
{
    Normal,
    Urgent,
}

public enum CaseStatus
{
    Open,
}

public enum InitiativeStatus
{
    Sent,
}

/// <summary>
/// The SIP work for one individual. Holds the reason for the initiative — never medical history or
/// social investigations (SIP-DOMAIN §5).
/// </summary>
public sealed class SipCase
{
    public const int InitiativeAnswerWorkingDays = 1;

    private SipCase()
    {
    }

    public Guid Id { get; private init; }
    public string TenantId { get; private init; } = "";
    public string Reference { get; private init; } = "";
    public Guid IndividualId { get; private init; }
    public string MunicipalityCode { get; private init; } = "";
    public string Reason { get; private init; } = "";
    public Urgency Urgency { get; private init; }
    public CaseStatus Status { get; private init; }
    public Guid OpenedByUnitId { get; private init; }
    public string OpenedBy { get; private init; } = "";
    public DateTimeOffset OpenedAt { get; private init; }

    /// <summary>
    /// Touched by every change that emits an event, so writes to one case serialise on its row
    /// (row-version check): the case's events then get outbox sequence numbers in commit order.
    /// </summary>
    public DateTimeOffset ChangedAt { get; private set; }

    public List<Initiative> Initiatives { get; private init; } = [];

    public static SipCase Open(string tenantId, string reference, Guid individualId, string municipalityCode, string reason,
        Urgency urgency, Guid openedByUnitId, string openedBy, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainException("case-reason-missing", "Anledning saknas", "Ange anledningen till initiativet.", StatusCodes.Status400BadRequest);
        }
        if (municipalityCode.Length != 4 || !municipalityCode.All(char.IsAsciiDigit))
        {
            throw new DomainException("invalid-municipality-code", "Ogiltig kommunkod", "Kommunkoden ska vara fyra siffror (SCB), t.ex. 1480.", StatusCodes.Status400BadRequest);
        }
        return new SipCase
        {
            Id = Guid.CreateVersion7(now),
            TenantId = tenantId,
            Reference = reference,
            IndividualId = individualId,
            MunicipalityCode = municipalityCode,
            Reason = reason.Trim(),
            Urgency = urgency,
            Status = CaseStatus.Open,
            OpenedByUnitId = openedByUnitId,
            OpenedBy = openedBy,
            OpenedAt = now,
            ChangedAt = now,
        };
    }

    public Initiative SendInitiative(Guid toUnitId, DateTimeOffset now)
    {
        if (toUnitId == OpenedByUnitId || Initiatives.Any(i => i.ToUnitId == toUnitId))
        {
            throw new DomainException("initiative-duplicate", "Enheten har redan fått initiativet",
                "Ett initiativ skickas en gång per enhet.", StatusCodes.Status409Conflict);
        }
        var initiative = new Initiative(Guid.CreateVersion7(now), Id, OpenedByUnitId, toUnitId, now,
            SwedishCalendar.AddWorkingDays(now, InitiativeAnswerWorkingDays), InitiativeStatus.Sent);
        Initiatives.Add(initiative);
        ChangedAt = now;
        return initiative;
    }

    public bool IsParticipant(Guid unitId) => unitId == OpenedByUnitId || Initiatives.Any(i => i.ToUnitId == unitId);
}

public sealed record Initiative(Guid Id, Guid CaseId, Guid FromUnitId, Guid ToUnitId, DateTimeOffset SentAt, DateTimeOffset DueAt, InitiativeStatus Status);
