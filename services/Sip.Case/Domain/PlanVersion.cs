using Sip.ServiceDefaults;
using Sip.ServiceDefaults.Time;

namespace Sip.Case.Domain;

/// <summary>Draft → Signed (coordinator; visible to participating staff) → Locked (frozen, printable) → Superseded by the next meeting's version; or Cancelled.</summary>
public enum PlanStatus
{
    Draft,
    Signed,
    Locked,
    Superseded,
    Cancelled,
}

public sealed record ActivityStatusChange(Guid ActivityId, ActivityStatus Status, string? Comment, Guid UnitId, string By, DateTimeOffset At);

public sealed record PlanSignature(string SignedBy, string How, DateOnly SignedOn);

/// <summary>How a copy of the locked plan reached its recipient. Never e-mail: the plan holds personal data.</summary>
public enum CopyChannel
{
    /// <summary>Handed over in person, usually at the meeting where the plan was signed.</summary>
    HandedOver,
    /// <summary>Sent by post (the printed plan).</summary>
    Post,
    /// <summary>Sent to the recipient's digital mailbox (e.g. Kivra, Min myndighetspost).</summary>
    DigitalMailbox,
}

/// <summary>
/// The consent the plan rests on as it read when the plan was locked (SIP-DOMAIN §6: who consented, how, scope,
/// end date), from consent's <c>GetPlanParticulars</c>. Printed with the plan, so a later renewal does not change it.
/// </summary>
public sealed record ConsentReference(Guid ConsentId, string Summary, IReadOnlyList<Guid> UnitIds, IReadOnlyList<string> ExcludedCategories);

/// <summary>What the responsible unit fills in on its own activity after signing.</summary>
public sealed record ActivityDetails(string What, string? ResponsiblePerson = null, string? Timing = null, DateOnly? Start = null, DateOnly? End = null,
    string? Place = null);

/// <summary>A copy of a locked plan recorded as given to one of those the individual approved.</summary>
public sealed record PlanCopy(string Recipient, CopyChannel Channel, DateOnly SentOn, Guid UnitId, string RecordedBy, DateTimeOffset RecordedAt);

/// <summary>One saved state of a version's content: what If-Match names, and what a 412 compares against.</summary>
public sealed class PlanRevision
{
    private PlanRevision()
    {
    }

    public Guid PlanVersionId { get; private init; }
    public int Revision { get; private init; }
    public PlanContent Content { get; private init; } = PlanContent.Empty;
    public string By { get; private init; } = "";
    public DateTimeOffset At { get; private init; }

    public static PlanRevision Of(PlanVersion plan) =>
        new() { PlanVersionId = plan.Id, Revision = plan.Revision, Content = plan.Content, By = plan.ChangedBy, At = plan.ChangedAt };
}

/// <summary>One version of a case's plan (SIP-DOMAIN §5.9 and §6).</summary>
public sealed class PlanVersion
{
    public const int DueWorkingDays = 2;

    private PlanVersion()
    {
    }

    public Guid Id { get; private init; }
    public Guid CaseId { get; private init; }
    public string TenantId { get; private init; } = "";
    public int Version { get; private init; }
    public PlanStatus Status { get; private set; }
    public PlanContent Content { get; private set; } = PlanContent.Empty;
    public int Revision { get; private set; }
    public DateTimeOffset MeetingAt { get; private init; }
    public DateTimeOffset DueAt { get; private init; }
    public DateTimeOffset CreatedAt { get; private init; }
    public string ChangedBy { get; private set; } = "";
    public DateTimeOffset ChangedAt { get; private set; }
    public DateTimeOffset? SignedAt { get; private set; }
    public string? SignedBy { get; private set; }
    public DateTimeOffset? LockedAt { get; private set; }
    public PlanSignature? IndividualSignature { get; private set; }
    public PlanSignature? CoordinatorSignature { get; private set; }
    public List<string> CopyRecipients { get; private set; } = [];
    public List<PlanCopy> Copies { get; private set; } = [];
    public ConsentReference? Consent { get; private set; }
    public DateTimeOffset? LateAt { get; private set; }
    public List<ActivityStatusChange> ActivityLog { get; private init; } = [];

    /// <summary>Kept in step with <see cref="Content"/> so a unit's inbox can find its plans without reading them.</summary>
    public Guid? CoordinatorUnitId { get; private set; }
    public List<Guid> ResponsibleUnitIds { get; private set; } = [];

    private void SetContent(PlanContent content)
    {
        Content = content;
        CoordinatorUnitId = content.CoordinatorUnitId;
        ResponsibleUnitIds = content.Activities.Select(a => a.ResponsibleUnitId).OfType<Guid>().Distinct().ToList();
    }

    /// <summary>Not signed within two working days of the meeting.</summary>
    public bool IsLate(DateTimeOffset now) => Status == PlanStatus.Draft && now > DueAt;

    public static PlanVersion Create(SipCase sipCase, int version, DateTimeOffset meetingAt, PlanContent content, string by, DateTimeOffset now)
    {
        if (meetingAt > now)
        {
            throw new DomainException("meeting-in-future", "Mötet har inte hållits än", "En plan upprättas efter SIP-mötet.", StatusCodes.Status400BadRequest);
        }
        var plan = new PlanVersion
        {
            Id = Guid.CreateVersion7(now),
            CaseId = sipCase.Id,
            TenantId = sipCase.TenantId,
            Version = version,
            Status = PlanStatus.Draft,
            Revision = 1,
            // A client may send its local offset; PostgreSQL's timestamptz takes UTC only (else a 500).
            MeetingAt = meetingAt.ToUniversalTime(),
            DueAt = SwedishCalendar.AddWorkingDays(meetingAt, DueWorkingDays),
            CreatedAt = now,
            ChangedBy = by,
            ChangedAt = now,
        };
        plan.SetContent(content);
        return plan;
    }

    /// <summary>Only the draft is written freely, and only by the coordinator's unit.</summary>
    public void Edit(PlanContent content, Guid unitId, string by, DateTimeOffset now)
    {
        RequireStatus(PlanStatus.Draft, "Bara ett utkast kan skrivas om. I en signerad plan fyller de ansvariga enheterna i sina aktiviteter; en låst plan ändras genom ett nytt möte.");
        RequireCoordinator(unitId);
        content.RequireWellFormed();
        SetContent(content);
        Revision++;
        ChangedBy = by;
        ChangedAt = now;
    }

    /// <summary>
    /// Between signing and locking each participating unit fills in its own activities: what exactly, who, when,
    /// where. Which unit is responsible, the principal and the goal stay as the meeting decided.
    /// </summary>
    public PlanActivity EditActivity(Guid activityId, ActivityDetails details, Guid unitId, string by, DateTimeOffset now)
    {
        RequireStatus(PlanStatus.Signed, "De ansvariga enheterna fyller i sina aktiviteter i en signerad plan. Ett utkast skriver samordningsansvarig; en låst plan är fryst.");
        var activity = Content.Activities.SingleOrDefault(a => a.Id == activityId)
            ?? throw new DomainException("not-found", "Hittades inte", "Aktiviteten finns inte i planen.", StatusCodes.Status404NotFound);
        if (activity.ResponsibleUnitId != unitId)
        {
            throw new DomainException("not-responsible", "Åtkomst nekad", "Bara den ansvariga enheten fyller i aktiviteten.", StatusCodes.Status403Forbidden);
        }
        if (string.IsNullOrWhiteSpace(details.What))
        {
            throw new DomainException("validation", "Ogiltig begäran", "Beskriv aktiviteten (what).", StatusCodes.Status400BadRequest);
        }
        if (details.Start > details.End)
        {
            throw new DomainException("validation", "Ogiltig begäran", "Aktivitetens start ligger efter dess slut.", StatusCodes.Status400BadRequest);
        }
        var edited = activity with
        {
            What = details.What.Trim(),
            ResponsiblePerson = Blank(details.ResponsiblePerson),
            Timing = Blank(details.Timing),
            Start = details.Start,
            End = details.End,
            Place = Blank(details.Place),
        };
        SetContent(Content with
        {
            ShortTermGoals = Content.ShortTermGoals
                .Select(g => g with { Activities = g.Activities.Select(a => a.Id == activityId ? edited : a).ToList() }).ToList(),
        });
        Revision++;
        ChangedBy = by;
        ChangedAt = now;
        return edited;
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    public void Sign(Guid unitId, string by, DateTimeOffset now)
    {
        RequireStatus(PlanStatus.Draft, "Bara ett utkast kan signeras.");
        RequireCoordinator(unitId);
        if (Content.CoordinatorUnitId is null)
        {
            throw new DomainException("plan-incomplete", "Planen kan inte signeras ännu", "Ange samordningsansvarig och dennes enhet.");
        }
        var missing = Content.MissingLegalPoints();
        if (missing.Count > 0)
        {
            throw new PlanIncompleteException(missing);
        }
        Status = PlanStatus.Signed;
        SignedAt = now;
        SignedBy = by;
        ChangedAt = now;
    }

    /// <summary>Frozen and printable: signed by the individual and the coordinator; copies to those the individual approved.</summary>
    public void Lock(Guid unitId, PlanSignature individual, PlanSignature coordinator, IReadOnlyList<string> copyRecipients, ConsentReference? consent,
        DateTimeOffset now)
    {
        RequireStatus(PlanStatus.Signed, "Planen låses efter att samordningsansvarig har signerat den.");
        RequireCoordinator(unitId);
        if (string.IsNullOrWhiteSpace(individual.SignedBy) || string.IsNullOrWhiteSpace(coordinator.SignedBy))
        {
            throw new DomainException("signature-missing", "Underskrift saknas", "En låst plan är undertecknad av den enskilde (eller företrädaren) och av samordningsansvarig.", StatusCodes.Status400BadRequest);
        }
        Status = PlanStatus.Locked;
        LockedAt = now;
        IndividualSignature = individual;
        CoordinatorSignature = coordinator;
        CopyRecipients = copyRecipients.Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => r.Trim()).ToList();
        Consent = consent;
        ChangedAt = now;
    }

    /// <summary>Approved recipients whose copy of this version is not yet recorded as given.</summary>
    public IReadOnlyList<string> CopiesToSend => CopyRecipients.Where(r => Copies.All(c => c.Recipient != r)).ToList();

    /// <summary>The coordinator's unit records that one approved recipient got their copy, and how.</summary>
    public PlanCopy RecordCopy(Guid unitId, string recipient, CopyChannel channel, DateOnly sentOn, string by, DateTimeOffset now)
    {
        RequireStatus(PlanStatus.Locked, "Kopior lämnas av den låsta planen.");
        RequireCoordinator(unitId);
        if (!CopyRecipients.Contains(recipient, StringComparer.Ordinal))
        {
            throw new DomainException("copy-recipient-not-approved", "Mottagaren är inte godkänd",
                CopyRecipients.Count == 0
                    ? "Den enskilde har inte godkänt att någon får en kopia av planen."
                    : $"Den enskilde har godkänt kopia till: {string.Join(", ", CopyRecipients)}.",
                StatusCodes.Status422UnprocessableEntity);
        }
        if (sentOn > SwedishCalendar.Today(now) || LockedAt is { } locked && sentOn < SwedishCalendar.Today(locked))
        {
            throw new DomainException("validation", "Ogiltig begäran", "Datumet då kopian lämnades kan inte vara före låsningen eller i framtiden.", StatusCodes.Status400BadRequest);
        }
        var copy = new PlanCopy(recipient, channel, sentOn, unitId, by, now);
        Copies.Add(copy);
        return copy;
    }

    /// <summary>Follow-up: the responsible unit (or the coordinator) records an activity's status, with a comment.</summary>
    public ActivityStatusChange SetActivityStatus(Guid activityId, ActivityStatus status, string? comment, Guid unitId, string by, DateTimeOffset now)
    {
        if (Status is not (PlanStatus.Signed or PlanStatus.Locked))
        {
            throw new DomainException("plan-not-in-force", "Planen gäller inte", "Aktiviteters status följs upp i en signerad eller låst plan.", StatusCodes.Status409Conflict);
        }
        var activity = Content.Activities.SingleOrDefault(a => a.Id == activityId)
            ?? throw new DomainException("not-found", "Hittades inte", "Aktiviteten finns inte i planen.", StatusCodes.Status404NotFound);
        if (activity.ResponsibleUnitId != unitId && Content.CoordinatorUnitId != unitId)
        {
            throw new DomainException("not-responsible", "Åtkomst nekad", "Bara den ansvariga enheten och samordningsansvarig följer upp aktiviteten.", StatusCodes.Status403Forbidden);
        }
        var change = new ActivityStatusChange(activityId, status, Blank(comment), unitId, by, now);
        ActivityLog.Add(change);
        ChangedAt = now;
        return change;
    }

    public ActivityStatus CurrentStatus(PlanActivity activity) =>
        ActivityLog.LastOrDefault(c => c.ActivityId == activity.Id)?.Status ?? activity.Status;

    public void Supersede(DateTimeOffset now)
    {
        Status = PlanStatus.Superseded;
        ChangedAt = now;
    }

    public bool Cancel(DateTimeOffset now)
    {
        if (Status is PlanStatus.Superseded or PlanStatus.Cancelled)
        {
            return false;
        }
        Status = PlanStatus.Cancelled;
        ChangedAt = now;
        return true;
    }

    /// <summary>Marks the draft late once; true when it just became late.</summary>
    public bool MarkLateIfDue(DateTimeOffset now)
    {
        if (!IsLate(now) || LateAt is not null)
        {
            return false;
        }
        LateAt = now;
        return true;
    }

    public static string Swedish(PlanStatus status) => status switch
    {
        PlanStatus.Draft => "ett utkast",
        PlanStatus.Signed => "signerad",
        PlanStatus.Locked => "låst",
        PlanStatus.Superseded => "ersatt av en nyare version",
        PlanStatus.Cancelled => "makulerad",
        _ => status.ToString(),
    };

    private void RequireStatus(PlanStatus status, string detail)
    {
        if (Status != status)
        {
            throw new DomainException("plan-status", $"Planen är {Swedish(Status)}", detail, StatusCodes.Status409Conflict);
        }
    }

    private void RequireCoordinator(Guid unitId)
    {
        if (Content.CoordinatorUnitId is { } coordinator && coordinator != unitId)
        {
            throw new DomainException("not-coordinator", "Åtkomst nekad", "Bara samordningsansvarigs enhet skriver, signerar och låser planen.", StatusCodes.Status403Forbidden);
        }
    }
}

/// <summary>The plan does not answer the law's four points yet; <see cref="Missing"/> says which, in Swedish.</summary>
public sealed class PlanIncompleteException(IReadOnlyList<string> missing)
    : DomainException("plan-incomplete", "Planen kan inte signeras ännu", string.Join(" ", missing), StatusCodes.Status422UnprocessableEntity)
{
    public IReadOnlyList<string> Missing { get; } = missing;
}
