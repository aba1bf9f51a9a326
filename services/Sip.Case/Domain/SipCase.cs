using Sip.Contracts.Statistics;
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
    /// <summary>Consent withdrawn or expired: the SIP work ended without being closed.</summary>
    Cancelled,
    /// <summary>Evaluated and closed: goals met, or coordination no longer needed.</summary>
    Closed,
}

/// <summary>
/// The target groups SIP statistics are counted by (SIP-DOMAIN §10), chosen by staff: what the coordination is about,
/// not an age band (<see cref="Elderly65"/> is a group of its own, beside the age band consent's birth date gives).
/// </summary>
public enum TargetGroup
{
    NotStated,
    ChildrenYoung,
    Adults,
    Elderly65,
    PsychiatryAddiction,
    Dementia,
    MultimorbidElderly,
}

public static class TargetGroups
{
    public static readonly IReadOnlyDictionary<TargetGroup, string> Swedish = new Dictionary<TargetGroup, string>
    {
        [TargetGroup.NotStated] = "Ej angiven",
        [TargetGroup.ChildrenYoung] = "Barn och unga",
        [TargetGroup.Adults] = "Vuxna",
        [TargetGroup.Elderly65] = "Äldre 65+",
        [TargetGroup.PsychiatryAddiction] = "Psykisk ohälsa och missbruk",
        [TargetGroup.Dementia] = "Demens/kognitiv sjukdom",
        [TargetGroup.MultimorbidElderly] = "Multisjuka äldre",
    };

    /// <summary>A value as a client sends it: a name of <see cref="TargetGroup"/> (exact case); null or empty is not stated.</summary>
    public static TargetGroup Parse(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return TargetGroup.NotStated;
        }
        // Names only, exactly: Enum.TryParse would also take numbers, spaces and "A,B" combinations.
        if (Enum.GetNames<TargetGroup>().Contains(value, StringComparer.Ordinal))
        {
            return Enum.Parse<TargetGroup>(value);
        }
        throw new DomainException("invalid-target-group", "Okänd målgrupp",
            "Målgruppen ska vara en av: " + string.Join(", ", Swedish.Select(g => $"{g.Key} ({g.Value})")) + ".",
            StatusCodes.Status400BadRequest);
    }
}

/// <summary>The evaluation that closes a case: with or without an evaluation meeting, who took part in the decision, and why.</summary>
public sealed record Closure(bool WithEvaluationMeeting, IReadOnlyList<string> DecidedBy, string Comment, string RecordedBy, DateTimeOffset At)
{
    /// <summary>
    /// The short-term goals of the locked plan the coordinator judged at evaluation; a goal not judged is not listed.
    /// Empty for closures recorded before goals were evaluated.
    /// </summary>
    public IReadOnlyList<GoalEvaluation> GoalEvaluations { get; init; } = [];
}

/// <summary>
/// One short-term goal judged at evaluation (SIP-DOMAIN §5 step 11): met or not met. The goal's text is kept as it
/// stood in the plan that was evaluated, so the closure reads on its own.
/// </summary>
public sealed record GoalEvaluation(Guid GoalId, string Goal, bool Met);

/// <summary>Sent and Overdue await the unit's answer; the others are final.</summary>
public enum InitiativeStatus
{
    Sent,
    /// <summary>Not answered within one working day: still answerable, and visible as late.</summary>
    Overdue,
    Acknowledged,
    Declined,
    Cancelled,
}

public enum CancellationCause
{
    ConsentWithdrawn,
    ConsentExpired,
}

/// <summary>
/// The SIP work for one individual. Holds the reason for the initiative — never medical history or
/// social investigations (SIP-DOMAIN §5).
/// </summary>
public sealed partial class SipCase
{
    public const int InitiativeAnswerWorkingDays = 1;
    public const int MaxReasonLength = 1000;

    /// <summary>Ten or twelve digits, with or without a separator (any dash, plus, space): a personnummer, samordningsnummer or the like.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"(?<!\d)(\d{6}|\d{8})[-+\s\u2010-\u2015\u2212]?\d{4}(?!\d)")]
    private static partial System.Text.RegularExpressions.Regex IdentityNumberLike();

    private SipCase()
    {
    }

    public Guid Id { get; private init; }
    public string TenantId { get; private init; } = "";
    public string Reference { get; private init; } = "";
    public Guid IndividualId { get; private set; }
    public string MunicipalityCode { get; private init; } = "";
    public string Reason { get; private init; } = "";
    public Urgency Urgency { get; private init; }
    public CaseStatus Status { get; private set; }
    public CancellationCause? CancelledBecause { get; private set; }
    public DateTimeOffset? CancelledAt { get; private set; }
    public Closure? Closure { get; private set; }
    public Discharge? Discharge { get; private set; }
    public Guid OpenedByUnitId { get; private init; }
    public string OpenedBy { get; private init; } = "";
    public DateTimeOffset OpenedAt { get; private init; }

    public TargetGroup TargetGroup { get; private set; }

    /// <summary>
    /// For statistics only (SIP-DOMAIN §10), from consent when the case was opened: the individual's birth year and month
    /// and sex, never the identity number or the day of birth. Year and month rather than an age band, because a band
    /// must be computed on each fact's date. Null and Unknown for cases opened before these were asked for.
    /// </summary>
    public int? BirthYear { get; private set; }
    public int? BirthMonth { get; private set; }
    public string Sex { get; private set; } = StatisticsDimensions.Unknown;

    /// <summary>When the first summons to a planning meeting went out, as meeting-scheduling reported it (LUS, SIP-DOMAIN §7).</summary>
    public DateTimeOffset? FirstPlanningSummonsAt { get; private set; }

    /// <summary>When the first meeting of the case (a pre-meeting aside) was held, as meeting-scheduling reported it (LUS).</summary>
    public DateTimeOffset? FirstMeetingHeldAt { get; private set; }

    /// <summary>
    /// Touched by every change that emits an event, so writes to one case serialise on its row
    /// (row-version check): the case's events then get outbox sequence numbers in commit order.
    /// </summary>
    public DateTimeOffset ChangedAt { get; private set; }

    public List<Initiative> Initiatives { get; private init; } = [];

    public static SipCase Open(string tenantId, string reference, Guid individualId, string municipalityCode, string reason,
        Urgency urgency, Guid openedByUnitId, string openedBy, DateTimeOffset now, TargetGroup targetGroup = TargetGroup.NotStated)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainException("case-reason-missing", "Anledning saknas", "Ange anledningen till initiativet.", StatusCodes.Status400BadRequest);
        }
        // The reason says why coordination is needed; the history stays in each principal's own record.
        if (reason.Trim().Length > MaxReasonLength)
        {
            throw new DomainException("case-reason-too-long", "Anledningen är för lång",
                $"Skriv kort (högst {MaxReasonLength} tecken) varför samordning behövs – inte sjukdomshistorik eller utredningar, som stannar i respektive journal.",
                StatusCodes.Status400BadRequest);
        }
        if (IdentityNumberLike().IsMatch(reason))
        {
            throw new DomainException("case-reason-identity-number", "Anledningen innehåller ett identitetsnummer",
                "Vem ärendet gäller framgår av samtycket. Skriv inte personnummer eller andra nummer på tio eller tolv siffror i anledningen.",
                StatusCodes.Status400BadRequest);
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
            TargetGroup = targetGroup,
        };
    }

    /// <summary>Consent's answer, as it is: values outside what a statistic counts are kept as unknown.</summary>
    public void RecordBirthAndSex(int? birthYear, int? birthMonth, string? sex)
    {
        var known = birthYear is >= 1800 and <= 9999 && birthMonth is >= 1 and <= 12;
        BirthYear = known ? birthYear : null;
        BirthMonth = known ? birthMonth : null;
        Sex = sex is StatisticsPerson.Female or StatisticsPerson.Male ? sex : StatisticsDimensions.Unknown;
    }

    /// <summary>Staff may correct the target group while the case is open; facts from then on count the new one.</summary>
    public void ChangeTargetGroup(TargetGroup targetGroup)
    {
        EnsureOpen();
        TargetGroup = targetGroup;
    }

    /// <summary>What a statistics fact may know of the individual: <see cref="StatisticsPerson"/> turns it into dimensions.</summary>
    public StatisticsPerson ForStatistics() =>
        new(BirthYear, BirthMonth, Sex, TargetGroup == TargetGroup.NotStated ? StatisticsDimensions.Unknown : TargetGroup.ToString());

    public Initiative SendInitiative(Guid toUnitId, DateTimeOffset now, Guid? forwardedFrom = null)
    {
        EnsureOpen();
        if (toUnitId == OpenedByUnitId || Initiatives.Any(i => i.ToUnitId == toUnitId && i.Status != InitiativeStatus.Cancelled))
        {
            throw new DomainException("initiative-duplicate", "Enheten har redan fått initiativet",
                "Ett initiativ skickas en gång per enhet.", StatusCodes.Status409Conflict);
        }
        var initiative = Initiative.Send(Id, OpenedByUnitId, toUnitId, now, SwedishCalendar.AddWorkingDays(now, InitiativeAnswerWorkingDays), forwardedFrom);
        Initiatives.Add(initiative);
        ChangedAt = now;
        return initiative;
    }

    /// <summary>
    /// A unit the plan names responsible for a measure must see the plan and follow its measure up, so it must take part:
    /// one that does not yet gets an initiative now (units are often added at the meeting), also one that declined an
    /// earlier initiative, since the meeting has since agreed its measure. Null when the unit takes part already.
    /// Whether the consent covers the unit is the caller's to check first.
    /// </summary>
    public Initiative? BringIn(Guid unitId, DateTimeOffset now)
    {
        EnsureOpen();
        if (IsParticipant(unitId))
        {
            return null;
        }
        var initiative = Initiative.Send(Id, OpenedByUnitId, unitId, now, SwedishCalendar.AddWorkingDays(now, InitiativeAnswerWorkingDays), null);
        Initiatives.Add(initiative);
        ChangedAt = now;
        return initiative;
    }

    public Initiative Acknowledge(Guid initiativeId, Guid unitId, string answeredBy, IReadOnlyList<DateTimeOffset> suggestedTimes, string? comment, DateTimeOffset now)
    {
        EnsureOpen();
        var initiative = AwaitingAnswerFrom(initiativeId, unitId);
        if (suggestedTimes.Any(t => t <= now))
        {
            throw new DomainException("suggested-time-in-past", "Föreslagen tid har redan passerat", "Föreslå tider framåt i tiden.", StatusCodes.Status400BadRequest);
        }
        initiative.Answer(InitiativeStatus.Acknowledged, answeredBy, comment, suggestedTimes, null, now);
        ChangedAt = now;
        return initiative;
    }

    /// <summary>A unit that declines says why, and may name the unit that should receive the initiative instead.</summary>
    public Initiative Decline(Guid initiativeId, Guid unitId, string answeredBy, string comment, Guid? redirectToUnitId, DateTimeOffset now)
    {
        EnsureOpen();
        var initiative = AwaitingAnswerFrom(initiativeId, unitId);
        if (string.IsNullOrWhiteSpace(comment))
        {
            throw new DomainException("decline-without-comment", "Ange varför enheten avböjer",
                "En enhet som avböjer ett initiativ ska ange varför, och gärna vilken enhet som bör få det i stället.", StatusCodes.Status400BadRequest);
        }
        if (redirectToUnitId == unitId || redirectToUnitId == OpenedByUnitId)
        {
            throw new DomainException("redirect-to-self", "Hänvisa till en annan enhet", "Enheten kan inte hänvisa initiativet till sig själv eller till den som skickade det.", StatusCodes.Status400BadRequest);
        }
        initiative.Answer(InitiativeStatus.Declined, answeredBy, comment.Trim(), [], redirectToUnitId, now);
        ChangedAt = now;
        return initiative;
    }

    /// <summary>Sends the declined initiative on to the unit its recipient named: one call for the sender.</summary>
    public Initiative Forward(Guid initiativeId, DateTimeOffset now)
    {
        EnsureOpen();
        var declined = Initiatives.SingleOrDefault(i => i.Id == initiativeId)
            ?? throw new DomainException("not-found", "Hittades inte", status: StatusCodes.Status404NotFound);
        if (declined.Status != InitiativeStatus.Declined || declined.RedirectToUnitId is not { } target)
        {
            throw new DomainException("nothing-to-forward", "Initiativet kan inte vidarebefordras",
                "Bara ett avböjt initiativ där enheten har hänvisat till en annan enhet kan vidarebefordras dit.", StatusCodes.Status409Conflict);
        }
        if (Initiatives.Any(i => i.ForwardedFromId == declined.Id))
        {
            throw new DomainException("already-forwarded", "Initiativet är redan vidarebefordrat", status: StatusCodes.Status409Conflict);
        }
        return SendInitiative(target, now, declined.Id);
    }

    /// <summary>Marks initiatives past their deadline; returns those that just became overdue.</summary>
    public IReadOnlyList<Initiative> MarkOverdue(DateTimeOffset now)
    {
        if (Status != CaseStatus.Open)
        {
            return [];
        }
        var late = Initiatives.Where(i => i.Status == InitiativeStatus.Sent && i.DueAt <= now).ToList();
        foreach (var initiative in late)
        {
            initiative.MarkOverdue(now);
        }
        if (late.Count > 0)
        {
            ChangedAt = now;
        }
        return late;
    }

    /// <summary>Consent withdrawn or expired: the SIP work ends. Initiatives still awaiting an answer are cancelled.</summary>
    public IReadOnlyList<Initiative> Cancel(CancellationCause cause, DateTimeOffset now)
    {
        if (Status == CaseStatus.Cancelled)
        {
            return [];
        }
        var open = Initiatives.Where(i => i.IsAwaitingAnswer).ToList();
        foreach (var initiative in open)
        {
            initiative.Cancel(now);
        }
        Status = CaseStatus.Cancelled;
        CancelledBecause = cause;
        CancelledAt = now;
        ChangedAt = now;
        return open;
    }

    /// <summary>The consent no longer covers these units: their initiatives still awaiting an answer are cancelled.</summary>
    public IReadOnlyList<Initiative> WithdrawFrom(IReadOnlyCollection<Guid> unitIds, DateTimeOffset now)
    {
        if (Status != CaseStatus.Open)
        {
            return [];
        }
        var affected = Initiatives.Where(i => i.IsAwaitingAnswer && unitIds.Contains(i.ToUnitId)).ToList();
        foreach (var initiative in affected)
        {
            initiative.Cancel(now);
        }
        if (affected.Count > 0)
        {
            ChangedAt = now;
        }
        return affected;
    }

    /// <summary>
    /// Records (or updates) the discharge facts of a case under LUS: the whole record, except that an admission
    /// notice already recorded is kept when the new record leaves it out, since the ward and the fixed care
    /// contact's unit each record their own.
    /// </summary>
    public void RecordDischarge(Discharge discharge, DateTimeOffset now)
    {
        EnsureOpen();
        discharge = discharge with { AdmissionNoticeSentAt = discharge.AdmissionNoticeSentAt ?? Discharge?.AdmissionNoticeSentAt };
        discharge.Validate(now);
        if (Discharge is { } earlier && earlier.AdmittedAt != discharge.AdmittedAt && earlier.DischargedAt is not null)
        {
            throw new DomainException("discharge-closed", "Utskrivningen är redan registrerad", "En ny inskrivning blir ett nytt ärende.", StatusCodes.Status409Conflict);
        }
        Discharge = discharge;
        ChangedAt = now;
    }

    /// <summary>
    /// A summons to a planning meeting went out. Only the earliest counts, whatever order the reports arrive in; a
    /// closed or cancelled case records it too, as a fact of what was done. True when it changed.
    /// </summary>
    public bool RecordPlanningSummons(DateTimeOffset sentAt)
    {
        if (FirstPlanningSummonsAt <= sentAt)
        {
            return false;
        }
        FirstPlanningSummonsAt = sentAt;
        return true;
    }

    /// <summary>A meeting of the case was held: only the earliest counts, as for <see cref="RecordPlanningSummons"/>. True when it changed.</summary>
    public bool RecordMeetingHeld(DateTimeOffset heldAt)
    {
        if (FirstMeetingHeldAt <= heldAt)
        {
            return false;
        }
        FirstMeetingHeldAt = heldAt;
        return true;
    }

    /// <summary>A plan of this case changed: writes to one case (and its events) serialise on the case's row.</summary>
    public void Touch(DateTimeOffset now)
    {
        EnsureOpen();
        ChangedAt = now;
    }

    /// <summary>The person's record in consent was merged into another: the case follows the person.</summary>
    public void ReattributeTo(Guid survivorIndividualId, DateTimeOffset now)
    {
        IndividualId = survivorIndividualId;
        ChangedAt = now;
    }

    /// <summary>
    /// Evaluation and closure. Every SIP gets at least one follow-up first: the current plan must be locked
    /// and followed up (an activity's status reported, or a follow-up meeting's version).
    /// </summary>
    /// <param name="goalEvaluations">The coordinator's judgement of short-term goals of the current plan, met or not; a goal left out is not judged.</param>
    public IReadOnlyList<Initiative> Close(PlanVersion? currentPlan, bool followedUp, bool withEvaluationMeeting, IReadOnlyList<string> decidedBy, string comment,
        string by, DateTimeOffset now, IReadOnlyList<(Guid GoalId, bool Met)>? goalEvaluations = null)
    {
        EnsureOpen();
        if (currentPlan is not { Status: PlanStatus.Locked } || !followedUp)
        {
            throw new DomainException("not-followed-up", "Planen har inte följts upp",
                "Varje SIP följs upp minst en gång innan den avslutas: lås planen och rapportera insatsernas status, eller håll ett uppföljningsmöte.");
        }
        if (decidedBy.Count(d => !string.IsNullOrWhiteSpace(d)) == 0 || string.IsNullOrWhiteSpace(comment))
        {
            throw new DomainException("closure-incomplete", "Ange vilka som beslutade och varför",
                "Skriv vilka som deltog i beslutet att avsluta och en kommentar.", StatusCodes.Status400BadRequest);
        }
        var goals = Evaluate(currentPlan, goalEvaluations ?? []);
        var open = Initiatives.Where(i => i.IsAwaitingAnswer).ToList();
        foreach (var initiative in open)
        {
            initiative.Cancel(now);
        }
        Closure = new Closure(withEvaluationMeeting, decidedBy.Where(d => !string.IsNullOrWhiteSpace(d)).Select(d => d.Trim()).ToList(), comment.Trim(), by, now)
        {
            GoalEvaluations = goals,
        };
        Status = CaseStatus.Closed;
        ChangedAt = now;
        return open;
    }

    /// <summary>Each judgement names a short-term goal of the evaluated plan, once; in the plan's order of goals.</summary>
    private static List<GoalEvaluation> Evaluate(PlanVersion plan, IReadOnlyList<(Guid GoalId, bool Met)> judged)
    {
        var goals = plan.Content.ShortTermGoals;
        if (judged.Any(j => goals.All(g => g.Id != j.GoalId)))
        {
            throw new DomainException("unknown-goal", "Okänt mål",
                "Utvärderingen anger ett mål som inte är ett delmål i den plan som utvärderas. Läs in planen igen och bedöm dess delmål.", StatusCodes.Status400BadRequest)
            {
                Field = "goalEvaluations",
            };
        }
        if (judged.GroupBy(j => j.GoalId).Any(g => g.Count() > 1))
        {
            throw new DomainException("goal-evaluated-twice", "Ett mål är bedömt två gånger",
                "Bedöm varje delmål en gång: uppnått eller inte uppnått. Ett mål som inte har bedömts utelämnas.", StatusCodes.Status400BadRequest)
            {
                Field = "goalEvaluations",
            };
        }
        return goals.Where(g => judged.Any(j => j.GoalId == g.Id)).Select(g => new GoalEvaluation(g.Id, g.Text, judged.Single(j => j.GoalId == g.Id).Met)).ToList();
    }

    /// <summary>The units taking part: the opener and every unit with an initiative it has not declined (and that was not cancelled).</summary>
    public IReadOnlyList<Guid> ParticipantUnitIds => Initiatives.Where(TakesPart).Select(i => i.ToUnitId).Prepend(OpenedByUnitId).Distinct().ToList();

    public bool IsParticipant(Guid unitId) => unitId == OpenedByUnitId || Initiatives.Any(i => i.ToUnitId == unitId && TakesPart(i));

    /// <summary>
    /// A unit that took part when the SIP was cancelled (SIP-DOMAIN §4): the coordinator, a unit that had acknowledged, or
    /// one whose initiative was still awaiting its answer and was cancelled with the case. It still sees that the case
    /// was cancelled, why and when, so its own records can be closed; never the content.
    /// </summary>
    public bool TookPartUntilCancelled(Guid unitId) => Status == CaseStatus.Cancelled && (unitId == OpenedByUnitId
        || Initiatives.Any(i => i.ToUnitId == unitId && (i.Status == InitiativeStatus.Acknowledged || i.Status == InitiativeStatus.Cancelled && i.AnsweredAt == CancelledAt)));

    private static bool TakesPart(Initiative i) => i.Status is InitiativeStatus.Sent or InitiativeStatus.Overdue or InitiativeStatus.Acknowledged;

    private Initiative AwaitingAnswerFrom(Guid initiativeId, Guid unitId)
    {
        var initiative = Initiatives.SingleOrDefault(i => i.Id == initiativeId && i.ToUnitId == unitId)
            ?? throw new DomainException("not-found", "Hittades inte", status: StatusCodes.Status404NotFound);
        if (!initiative.IsAwaitingAnswer)
        {
            throw new DomainException("initiative-already-answered", "Initiativet är redan besvarat",
                $"Initiativet är redan {Swedish(initiative.Status)}.", StatusCodes.Status409Conflict);
        }
        return initiative;
    }

    public static string Swedish(InitiativeStatus status) => status switch
    {
        InitiativeStatus.Sent => "skickat",
        InitiativeStatus.Overdue => "försenat",
        InitiativeStatus.Acknowledged => "kvitterat",
        InitiativeStatus.Declined => "avböjt",
        InitiativeStatus.Cancelled => "makulerat",
        _ => status.ToString(),
    };

    private void EnsureOpen()
    {
        if (Status != CaseStatus.Open)
        {
            throw new DomainException(Status == CaseStatus.Closed ? "case-closed" : "case-cancelled", Status == CaseStatus.Closed ? "Ärendet är avslutat" : "Ärendet är avbrutet",
                Status == CaseStatus.Closed ? "SIP-arbetet har utvärderats och avslutats."
                : CancelledBecause == CancellationCause.ConsentExpired ? "Samtycket har upphört att gälla." : "Samtycket har återkallats.", StatusCodes.Status409Conflict);
        }
    }
}

/// <summary>The request to a unit to take part in the SIP work, with its one-working-day deadline.</summary>
public sealed class Initiative
{
    private Initiative()
    {
    }

    public Guid Id { get; private init; }
    public Guid CaseId { get; private init; }
    public Guid FromUnitId { get; private init; }
    public Guid ToUnitId { get; private init; }
    public DateTimeOffset SentAt { get; private init; }
    public DateTimeOffset DueAt { get; private init; }
    public InitiativeStatus Status { get; private set; }
    public DateTimeOffset? OverdueAt { get; private set; }
    public DateTimeOffset? AnsweredAt { get; private set; }
    public string? AnsweredBy { get; private set; }
    public string? Comment { get; private set; }
    public List<DateTimeOffset> SuggestedTimes { get; private set; } = [];
    public Guid? RedirectToUnitId { get; private set; }
    public Guid? ForwardedFromId { get; private init; }

    public bool IsAwaitingAnswer => Status is InitiativeStatus.Sent or InitiativeStatus.Overdue;

    public static Initiative Send(Guid caseId, Guid fromUnitId, Guid toUnitId, DateTimeOffset now, DateTimeOffset dueAt, Guid? forwardedFrom) => new()
    {
        Id = Guid.CreateVersion7(now),
        CaseId = caseId,
        FromUnitId = fromUnitId,
        ToUnitId = toUnitId,
        SentAt = now,
        DueAt = dueAt,
        Status = InitiativeStatus.Sent,
        ForwardedFromId = forwardedFrom,
    };

    internal void Answer(InitiativeStatus answer, string answeredBy, string? comment, IReadOnlyList<DateTimeOffset> suggestedTimes, Guid? redirectTo, DateTimeOffset now)
    {
        Status = answer;
        AnsweredBy = answeredBy;
        AnsweredAt = now;
        Comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        SuggestedTimes = suggestedTimes.Select(t => t.ToUniversalTime()).Order().ToList(); // timestamptz[] takes UTC only
        RedirectToUnitId = redirectTo;
    }

    internal void MarkOverdue(DateTimeOffset now)
    {
        Status = InitiativeStatus.Overdue;
        OverdueAt = now;
    }

    internal void Cancel(DateTimeOffset now)
    {
        Status = InitiativeStatus.Cancelled;
        AnsweredAt ??= now;
    }
}
