using Sip.ServiceDefaults;
using Sip.ServiceDefaults.Time;

namespace Sip.MeetingScheduling.Domain;

public enum MeetingKind
{
    Planning,
    FollowUp,
    Evaluation,
    /// <summary>Aktörsmöte: staff only, to prepare; no letters to people without access, no plan version.</summary>
    PreMeeting,
}

public enum PlaceType
{
    /// <summary>The individual's home: its address appears only where the consent allows (invitation letters).</summary>
    Home,
    Clinic,
    MunicipalOffice,
    HospitalWard,
    /// <summary>Phone or video link.</summary>
    Remote,
}

public enum MeetingStatus
{
    Planned,
    Held,
    Cancelled,
}

public enum CancellationCause
{
    /// <summary>Cancelled by the convening or coordinating unit.</summary>
    Cancelled,
    /// <summary>Consent withdrawn or expired: the case service cancelled the case.</summary>
    CaseCancelled,
    CaseClosed,
}

/// <summary>How someone takes part in a meeting; <see cref="NotPresent"/> only when recording a held meeting.</summary>
public enum ParticipationMode
{
    InPerson,
    Phone,
    Video,
    WrittenInput,
    /// <summary>Not present: <see cref="Participation.HowInformed"/> says how they are informed or heard (SIP-DOMAIN §3).</summary>
    NotPresent,
}

/// <summary>Where the meeting is: the type always, details (address, room, link) where the type needs them.</summary>
public sealed record Place(PlaceType Type, string? Details = null);

/// <summary>A named person with a role in the meeting (chair, coordinator): name, unit, how to reach them.</summary>
public sealed record NamedPerson(string Name, Guid? UnitId = null, string? Phone = null);

/// <summary>Who will attend for a summoned unit, and how.</summary>
public sealed record Attendee(string Name, ParticipationMode Mode, string? Role = null);

/// <summary>Someone who took part (or did not, and how they are informed) in a held meeting.</summary>
public sealed record Participation(string Name, ParticipationMode Mode, string? Role = null, Guid? UnitId = null, string? HowInformed = null);

/// <summary>
/// A SIP meeting of one case (SIP-DOMAIN §5, steps 6–8 and 11). Times are instants (UTC); Europe/Stockholm is for
/// showing them. <see cref="Sequence"/> is the iCalendar SEQUENCE: every move or cancellation raises it, so a
/// calendar replaces the earlier item.
/// </summary>
public sealed class Meeting
{
    public const int MaxDurationMinutes = 8 * 60;
    public const int MaxTextLength = 1000;
    public const int MaxNameLength = 200;

    private Meeting()
    {
    }

    public Guid Id { get; private init; }
    public string TenantId { get; private init; } = "";
    public Guid CaseId { get; private init; }
    public string CaseReference { get; private init; } = "";
    public MeetingKind Kind { get; private init; }
    public DateTimeOffset StartsAt { get; private set; }
    public int DurationMinutes { get; private set; }
    public Place Place { get; private set; } = new(PlaceType.Clinic);
    public NamedPerson Chair { get; private set; } = new("");
    public NamedPerson Coordinator { get; private set; } = new("");
    public Guid ConvenedByUnitId { get; private init; }
    public string Reason { get; private init; } = "";
    public MeetingStatus Status { get; private set; }
    public int Sequence { get; private set; }
    public CancellationCause? CancelledBecause { get; private set; }
    public DateTimeOffset? CancelledAt { get; private set; }
    public DateTimeOffset? HeldAt { get; private set; }
    public List<Participation> Participants { get; private set; } = [];
    public Guid? NextMeetingId { get; private set; }
    public Guid? PreviousMeetingId { get; private init; }
    public string CreatedBy { get; private init; } = "";
    public DateTimeOffset CreatedAt { get; private init; }

    /// <summary>Raised by every change: two writers of one meeting cannot both win (concurrency token).</summary>
    public int Revision { get; private set; }

    public List<Summons> Summons { get; private init; } = [];

    public DateTimeOffset EndsAt => StartsAt.AddMinutes(DurationMinutes);

    /// <summary>The units invited: the convener and every unit summoned (summons not cancelled).</summary>
    public IReadOnlyList<Guid> InvitedUnitIds =>
        Summons.Where(s => s.Status != SummonsStatus.Cancelled).Select(s => s.UnitId).Prepend(ConvenedByUnitId).Distinct().ToList();

    public static Meeting Book(string tenantId, Guid caseId, string caseReference, MeetingKind kind, DateTimeOffset startsAt, int durationMinutes,
        Place place, NamedPerson chair, NamedPerson coordinator, Guid convenedByUnitId, string reason, string createdBy, DateTimeOffset now,
        Guid? previousMeetingId = null)
    {
        ValidateTime(startsAt, durationMinutes, now);
        ValidatePlace(place);
        Required(chair.Name, "chair-missing", "Ordförande saknas", "Ordförande utses före mötet: ange namnet.");
        Required(coordinator.Name, "coordinator-missing", "Samordningsansvarig saknas", "Ange vem som är samordningsansvarig och hur hen nås.");
        Required(reason, "reason-missing", "Anledning saknas", "Kallelsen anger anledningen till mötet, så att alla kan förbereda sig.");
        return new Meeting
        {
            Id = Guid.CreateVersion7(now),
            TenantId = tenantId,
            CaseId = caseId,
            CaseReference = caseReference,
            Kind = kind,
            StartsAt = startsAt.ToUniversalTime(),
            DurationMinutes = durationMinutes,
            Place = Trimmed(place),
            Chair = Trimmed(chair),
            Coordinator = Trimmed(coordinator),
            ConvenedByUnitId = convenedByUnitId,
            Reason = reason.Trim(),
            Status = MeetingStatus.Planned,
            Sequence = 0,
            PreviousMeetingId = previousMeetingId,
            CreatedBy = createdBy,
            CreatedAt = now,
        };
    }

    /// <summary>Summons a unit taking part in the case; it answers within one working day.</summary>
    public Summons Summon(Guid unitId, DateTimeOffset now)
    {
        EnsurePlanned();
        if (unitId == ConvenedByUnitId || Summons.Any(s => s.UnitId == unitId && s.Status != SummonsStatus.Cancelled))
        {
            throw new DomainException("summons-duplicate", "Enheten är redan kallad", "En enhet kallas en gång till samma möte.", StatusCodes.Status409Conflict);
        }
        var summons = Domain.Summons.Send(Id, unitId, now);
        Summons.Add(summons);
        Revision++;
        return summons;
    }

    /// <summary>A new time, length or place: everyone invited is told, and calendars replace the item.</summary>
    public void Reschedule(DateTimeOffset startsAt, int durationMinutes, Place place, DateTimeOffset now)
    {
        EnsurePlanned();
        ValidateTime(startsAt, durationMinutes, now);
        ValidatePlace(place);
        StartsAt = startsAt.ToUniversalTime();
        DurationMinutes = durationMinutes;
        Place = Trimmed(place);
        Sequence++;
        Revision++;
    }

    /// <summary>Cancels the meeting and every summons still open; returns those summons.</summary>
    public IReadOnlyList<Summons> Cancel(CancellationCause cause, DateTimeOffset now)
    {
        EnsurePlanned();
        var open = Summons.Where(s => s.Status is SummonsStatus.Sent or SummonsStatus.Acknowledged).ToList();
        foreach (var s in open)
        {
            s.Cancel(now);
        }
        Status = MeetingStatus.Cancelled;
        CancelledBecause = cause;
        CancelledAt = now;
        Sequence++;
        Revision++;
        return open;
    }

    /// <summary>Records who took part and how. Summons still unanswered are closed (the meeting took place without them).</summary>
    public IReadOnlyList<Summons> Hold(DateTimeOffset heldAt, IReadOnlyList<Participation> participants, DateTimeOffset now)
    {
        EnsurePlanned();
        if (heldAt > now)
        {
            throw new DomainException("meeting-in-future", "Mötet har inte hållits än", "Registrera mötet när det har hållits.", StatusCodes.Status400BadRequest);
        }
        if (participants.Count == 0)
        {
            throw new DomainException("participants-missing", "Deltagare saknas", "Ange vilka som deltog och hur.", StatusCodes.Status400BadRequest);
        }
        foreach (var p in participants)
        {
            Required(p.Name, "participant-name-missing", "Namn saknas", "Ange namnet på varje deltagare.");
            if (p.Mode == ParticipationMode.NotPresent && string.IsNullOrWhiteSpace(p.HowInformed))
            {
                throw new DomainException("how-informed-missing", "Ange hur personen informeras",
                    "För den som inte är närvarande anges hur hen informeras eller hörs: genom vårdnadshavare, brev, telefon eller stödperson.",
                    StatusCodes.Status400BadRequest);
            }
            Length(p.Name, MaxNameLength);
            Length(p.Role, MaxNameLength);
            Length(p.HowInformed, MaxTextLength);
        }
        var unanswered = Summons.Where(s => s.Status == SummonsStatus.Sent).ToList();
        foreach (var s in unanswered)
        {
            s.Close(now);
        }
        Status = MeetingStatus.Held;
        HeldAt = heldAt.ToUniversalTime();
        Participants = participants.Select(p => p with { Name = p.Name.Trim(), Role = p.Role?.Trim(), HowInformed = p.HowInformed?.Trim() }).ToList();
        Revision++;
        return unanswered;
    }

    public void BookedNext(Guid nextMeetingId)
    {
        NextMeetingId = nextMeetingId;
        Revision++;
    }

    /// <summary>Physical: people meet in a room (KVÅ AU124 counts physical meetings only).</summary>
    public bool IsPhysical => Place.Type != PlaceType.Remote;

    public bool Overlaps(DateTimeOffset startsAt, DateTimeOffset endsAt) => StartsAt < endsAt && startsAt < EndsAt;

    private void EnsurePlanned()
    {
        if (Status != MeetingStatus.Planned)
        {
            throw new DomainException(Status == MeetingStatus.Held ? "meeting-held" : "meeting-cancelled",
                Status == MeetingStatus.Held ? "Mötet är redan hållet" : "Mötet är inställt",
                Status == MeetingStatus.Held ? "Ett hållet möte kan inte ändras. Boka nästa möte i stället." : "Ett inställt möte kan inte ändras. Boka ett nytt.",
                StatusCodes.Status409Conflict);
        }
    }

    private static void ValidateTime(DateTimeOffset startsAt, int durationMinutes, DateTimeOffset now)
    {
        if (startsAt <= now)
        {
            throw new DomainException("meeting-in-past", "Tiden har redan passerat", "Boka mötet framåt i tiden.", StatusCodes.Status400BadRequest);
        }
        if (durationMinutes is < 15 or > MaxDurationMinutes)
        {
            throw new DomainException("duration-invalid", "Ogiltig längd", $"Ett möte är mellan 15 och {MaxDurationMinutes} minuter långt.", StatusCodes.Status400BadRequest);
        }
    }

    private static void ValidatePlace(Place place)
    {
        if (place.Type is not PlaceType.Home && string.IsNullOrWhiteSpace(place.Details))
        {
            throw new DomainException("place-details-missing", "Ange platsen",
                place.Type == PlaceType.Remote ? "Ange hur man ansluter: telefonnummer eller länk till videomötet." : "Ange adress eller lokal.",
                StatusCodes.Status400BadRequest);
        }
        Length(place.Details, MaxTextLength);
    }

    private static void Required(string? value, string slug, string title, string detail)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new DomainException(slug, title, detail, StatusCodes.Status400BadRequest);
        }
        Length(value, MaxTextLength);
    }

    private static void Length(string? value, int max)
    {
        if (value is not null && value.Trim().Length > max)
        {
            throw new DomainException("text-too-long", "Texten är för lång", $"Högst {max} tecken.", StatusCodes.Status400BadRequest);
        }
    }

    private static Place Trimmed(Place p) => p with { Details = string.IsNullOrWhiteSpace(p.Details) ? null : p.Details.Trim() };

    private static NamedPerson Trimmed(NamedPerson p)
    {
        Length(p.Name, MaxNameLength);
        Length(p.Phone, MaxNameLength);
        return p with { Name = p.Name.Trim(), Phone = string.IsNullOrWhiteSpace(p.Phone) ? null : p.Phone.Trim() };
    }
}

public enum SummonsStatus
{
    Sent,
    Acknowledged,
    Declined,
    /// <summary>The meeting was held before the unit answered.</summary>
    Closed,
    Cancelled,
}

/// <summary>A summons (kallelse) to one unit: acknowledged within one working day, naming who attends and how, or declined with a reason.</summary>
public sealed class Summons
{
    public const int AnswerWorkingDays = 1;

    private Summons()
    {
    }

    public Guid Id { get; private init; }
    public Guid MeetingId { get; private init; }
    public Guid UnitId { get; private init; }
    public DateTimeOffset SentAt { get; private init; }
    public DateTimeOffset DueAt { get; private init; }
    public SummonsStatus Status { get; private set; }
    public DateTimeOffset? AnsweredAt { get; private set; }
    public string? AnsweredBy { get; private set; }
    public List<Attendee> Attendees { get; private set; } = [];
    public string? DeclineReason { get; private set; }

    public bool IsOverdue(DateTimeOffset now) => Status == SummonsStatus.Sent && IsPastDue(DueAt, now);

    /// <summary>A summons still unanswered is overdue once its due time has passed (for lists that read only the due time).</summary>
    public static bool IsPastDue(DateTimeOffset dueAt, DateTimeOffset now) => now > dueAt;

    internal static Summons Send(Guid meetingId, Guid unitId, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        MeetingId = meetingId,
        UnitId = unitId,
        SentAt = now,
        DueAt = SwedishCalendar.AddWorkingDays(now, AnswerWorkingDays),
        Status = SummonsStatus.Sent,
    };

    public void Acknowledge(IReadOnlyList<Attendee> attendees, string by, DateTimeOffset now)
    {
        EnsureAnswerable();
        if (attendees.Count == 0 || attendees.Any(a => string.IsNullOrWhiteSpace(a.Name)))
        {
            throw new DomainException("attendees-missing", "Ange vem som kommer",
                "Kvittera kallelsen med namnet på den eller de som deltar och hur (på plats, telefon, video eller skriftligt).", StatusCodes.Status400BadRequest);
        }
        if (attendees.Any(a => a.Mode == ParticipationMode.NotPresent))
        {
            throw new DomainException("attendee-mode-invalid", "Ogiltigt deltagarsätt",
                "Den som deltar gör det på plats, per telefon, via video eller skriftligt. En enhet som inte kan delta avböjer med en anledning.", StatusCodes.Status400BadRequest);
        }
        if (attendees.Any(a => a.Name.Trim().Length > Meeting.MaxNameLength || a.Role?.Trim().Length > Meeting.MaxNameLength))
        {
            throw new DomainException("text-too-long", "Texten är för lång", $"Högst {Meeting.MaxNameLength} tecken.", StatusCodes.Status400BadRequest);
        }
        Status = SummonsStatus.Acknowledged;
        Attendees = attendees.Select(a => a with { Name = a.Name.Trim(), Role = a.Role?.Trim() }).ToList();
        AnsweredAt = now;
        AnsweredBy = by;
    }

    public void Decline(string reason, string by, DateTimeOffset now)
    {
        EnsureAnswerable();
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainException("decline-without-reason", "Ange varför enheten avböjer", "En enhet som avböjer en kallelse anger varför.", StatusCodes.Status400BadRequest);
        }
        if (reason.Trim().Length > Meeting.MaxTextLength)
        {
            throw new DomainException("text-too-long", "Texten är för lång", $"Högst {Meeting.MaxTextLength} tecken.", StatusCodes.Status400BadRequest);
        }
        Status = SummonsStatus.Declined;
        DeclineReason = reason.Trim();
        AnsweredAt = now;
        AnsweredBy = by;
    }

    internal void Cancel(DateTimeOffset now)
    {
        Status = SummonsStatus.Cancelled;
        AnsweredAt ??= now;
    }

    internal void Close(DateTimeOffset now)
    {
        Status = SummonsStatus.Closed;
        AnsweredAt ??= now;
    }

    private void EnsureAnswerable()
    {
        if (Status != SummonsStatus.Sent)
        {
            throw new DomainException("summons-already-answered", "Kallelsen är redan besvarad",
                Status is SummonsStatus.Cancelled or SummonsStatus.Closed ? "Mötet är inställt eller redan hållet." : "Kallelsen är redan kvitterad eller avböjd.",
                StatusCodes.Status409Conflict);
        }
    }
}
