using Sip.ServiceDefaults;

namespace Sip.MeetingScheduling.Domain;

/// <summary>People and actors without access to the platform, who are invited by a printed letter (SIP-DOMAIN §5.6).</summary>
public enum RecipientKind
{
    Individual,
    Guardian,
    /// <summary>A god man, förvaltare or other representative recorded in consent.</summary>
    Representative,
    Relative,
    School,
    SocialInsuranceAgency,
    EmploymentService,
    Other,
}

/// <summary>
/// One invitation letter of a meeting. What the letter may say about the individual (their home as the meeting place)
/// is decided when it is printed, by consent's disclosure rules, so a later change to the consent is respected.
/// </summary>
public sealed class LetterRecipient
{
    private LetterRecipient()
    {
    }

    public Guid Id { get; private init; }
    public Guid MeetingId { get; private init; }
    public RecipientKind Kind { get; private init; }

    /// <summary>Typed by staff; empty for a representative recorded in consent (consent gives the name at printing).</summary>
    public string? Name { get; private init; }
    public string? Address { get; private init; }
    public Guid? RepresentativeId { get; private init; }
    public Guid AddedByUnitId { get; private init; }
    public string AddedBy { get; private init; } = "";
    public DateTimeOffset AddedAt { get; private init; }

    public static LetterRecipient Add(Meeting meeting, RecipientKind kind, string? name, string? address, Guid? representativeId, Guid unitId, string by,
        DateTimeOffset now)
    {
        if (meeting.Kind == MeetingKind.PreMeeting)
        {
            throw new DomainException("pre-meeting-staff-only", "Aktörsmötet är för personal",
                "Till ett förberedande möte (aktörsmöte) bjuds inga utan behörighet in. Bjud in till planeringsmötet i stället.");
        }
        if (meeting.Status != MeetingStatus.Planned)
        {
            throw new DomainException("meeting-not-planned", "Mötet är inte planerat", "Inbjudningar skrivs till möten som ännu inte har hållits.", StatusCodes.Status409Conflict);
        }
        if (representativeId is null && string.IsNullOrWhiteSpace(name))
        {
            throw new DomainException("recipient-name-missing", "Ange mottagarens namn",
                "Ange namnet på den som bjuds in, eller välj en företrädare som finns registrerad i samtycket.", StatusCodes.Status400BadRequest);
        }
        if (representativeId is not null && kind is not (RecipientKind.Guardian or RecipientKind.Representative or RecipientKind.Relative))
        {
            throw new DomainException("representative-kind", "Fel slags mottagare",
                "En registrerad företrädare är vårdnadshavare, god man, förvaltare eller närstående.", StatusCodes.Status400BadRequest);
        }
        if (name?.Trim().Length > Meeting.MaxNameLength || address?.Trim().Length > Meeting.MaxTextLength)
        {
            throw new DomainException("text-too-long", "Texten är för lång", "Namn högst 200 tecken, adress högst 1000.", StatusCodes.Status400BadRequest);
        }
        return new LetterRecipient
        {
            Id = Guid.CreateVersion7(now),
            MeetingId = meeting.Id,
            Kind = kind,
            Name = string.IsNullOrWhiteSpace(name) ? null : name.Trim(),
            Address = string.IsNullOrWhiteSpace(address) ? null : address.Trim(),
            RepresentativeId = representativeId,
            AddedByUnitId = unitId,
            AddedBy = by,
            AddedAt = now,
        };
    }
}

/// <summary>
/// A unit's subscribable calendar. Calendar clients cannot send tokens, so the feed's address carries a secret;
/// only its hash is stored, and a unit administrator rotates (revokes) it.
/// </summary>
public sealed class CalendarFeed
{
    private CalendarFeed()
    {
    }

    public Guid UnitId { get; private init; }
    public string TenantId { get; private init; } = "";
    public string SecretHash { get; private set; } = "";
    public DateTimeOffset RotatedAt { get; private set; }
    public string RotatedBy { get; private set; } = "";

    public static CalendarFeed For(Guid unitId, string tenantId) => new() { UnitId = unitId, TenantId = tenantId };

    public void Rotate(string secretHash, string by, DateTimeOffset now)
    {
        SecretHash = secretHash;
        RotatedAt = now;
        RotatedBy = by;
    }
}

/// <summary>What meeting-scheduling knows of a case from the case service's <c>CaseOpened</c>: enough to name the case and its opener.</summary>
public sealed class CaseRecord
{
    private CaseRecord()
    {
    }

    public Guid CaseId { get; private init; }
    public string TenantId { get; private init; } = "";
    public string Reference { get; private init; } = "";
    public Guid OpenedByUnitId { get; private init; }
    public string MunicipalityCode { get; private init; } = "";

    public static CaseRecord Of(Guid caseId, string tenantId, string reference, Guid openedByUnitId, string municipalityCode) =>
        new() { CaseId = caseId, TenantId = tenantId, Reference = reference, OpenedByUnitId = openedByUnitId, MunicipalityCode = municipalityCode };
}
