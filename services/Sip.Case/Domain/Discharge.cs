using Sip.ServiceDefaults;

namespace Sip.Case.Domain;

/// <summary>The regional routine's tracks: green and yellow meet within four weeks after discharge, red before the person leaves hospital.</summary>
public enum DischargeTrack
{
    Green,
    Yellow,
    Red,
}

/// <summary>
/// A discharge case under LUS (SIP-DOMAIN §7): admission, ready-for-discharge and discharge, the track,
/// the fixed care contact who convenes the SIP, and when the admission notice went out.
/// </summary>
/// <remarks>
/// There is deliberately no typed "summons sent" date any more (issue 11): the summons and the meeting are the ones
/// meeting-scheduling reports (<see cref="SipCase.FirstPlanningSummonsAt"/>, <see cref="SipCase.FirstMeetingHeldAt"/>).
/// An obligation is then met by what was sent and held, not by a date someone typed, and the case says the same as
/// meeting-scheduling's LUS deadline timer, which knows only its own summons and meetings: a typed fallback would show
/// "met" here while that timer reports a breach. A <c>summonsSentAt</c> in a request is an unknown field and is
/// ignored; dates typed before the change were carried into the case by the migration <c>MeetingFacts</c>.
/// </remarks>
public sealed record Discharge(
    DateTimeOffset AdmittedAt,
    Guid InpatientUnitId,
    DischargeTrack Track,
    string? FixedCareContact = null,
    Guid? FixedCareContactUnitId = null,
    DateTimeOffset? ReadyForDischargeAt = null,
    DateTimeOffset? DischargedAt = null,
    DateTimeOffset? AdmissionNoticeSentAt = null)
{
    public static readonly TimeSpan AdmissionNoticeWithin = TimeSpan.FromHours(24);
    public static readonly TimeSpan SummonsWithin = TimeSpan.FromDays(3);
    public static readonly TimeSpan MeetingAfterDischargeWithin = TimeSpan.FromDays(28);

    public void Validate(DateTimeOffset now)
    {
        if (AdmittedAt > now || ReadyForDischargeAt > now || DischargedAt > now || AdmissionNoticeSentAt > now)
        {
            throw new DomainException("date-in-future", "Datumet ligger i framtiden",
                "Inskrivning, utskrivningsklar, utskrivning och inskrivningsmeddelande registreras när de har skett.", StatusCodes.Status400BadRequest);
        }
        if (ReadyForDischargeAt < AdmittedAt || DischargedAt < AdmittedAt || (DischargedAt is { } out_ && ReadyForDischargeAt is { } ready && out_ < ready)
            || AdmissionNoticeSentAt < AdmittedAt)
        {
            throw new DomainException("discharge-dates-out-of-order", "Datumen är i fel ordning",
                "Ordningen är inskrivning, utskrivningsklar, utskrivning; inskrivningsmeddelandet skickas efter inskrivningen.", StatusCodes.Status400BadRequest);
        }
    }

    /// <summary>
    /// The obligations of §7 as they stand: due time, whether done, whether met in time, and whether late. The
    /// admission notice is the recorded one, or else the inpatient unit's first initiative in the case. The summons is
    /// the case's first summons to a planning meeting; without one, a held meeting shows that the units were called
    /// (a meeting of another kind, or one from before the platform sent summons), though not when, so it counts as met.
    /// </summary>
    public IReadOnlyList<DischargeObligation> Obligations(SipCase sipCase, DateTimeOffset now)
    {
        var list = new List<DischargeObligation>();
        var noticeDue = AdmittedAt + AdmissionNoticeWithin;
        var noticed = AdmissionNoticeSentAt
            ?? sipCase.Initiatives.Where(i => i.FromUnitId == InpatientUnitId).Select(i => (DateTimeOffset?)i.SentAt).Min();
        list.Add(Obligation(AdmissionNoticeCode, "Inskrivningsmeddelande till öppenvården och socialtjänsten inom 24 timmar", noticeDue, noticed, now));
        var summonsSentAt = sipCase.FirstPlanningSummonsAt;
        var firstMeetingAt = sipCase.FirstMeetingHeldAt;
        if (ReadyForDischargeAt is { } ready)
        {
            const string summons = "Kallelse till SIP-möte senast tre dagar efter utskrivningsklar";
            list.Add(summonsSentAt is null && firstMeetingAt is not null
                ? new DischargeObligation("Summons", summons, ready + SummonsWithin, Met: true, Late: false, Done: true)
                : Obligation("Summons", summons, ready + SummonsWithin, summonsSentAt, now));
        }
        if (Track == DischargeTrack.Red)
        {
            var met = firstMeetingAt is { } m && (DischargedAt is null || m <= DischargedAt);
            list.Add(new DischargeObligation("MeetingBeforeDischarge", "Rött spår: SIP-mötet hålls innan personen lämnar sjukhuset", DischargedAt, met,
                DischargedAt is not null && !met, firstMeetingAt is not null));
        }
        else if (DischargedAt is { } discharged)
        {
            var meetingDue = discharged + MeetingAfterDischargeWithin;
            var met = firstMeetingAt is { } m && m <= meetingDue;
            list.Add(new DischargeObligation("MeetingAfterDischarge", "Grönt eller gult spår: SIP-möte inom fyra veckor efter utskrivning", meetingDue, met,
                !met && now > meetingDue, firstMeetingAt is not null));
        }
        return list;
    }

    /// <summary>
    /// The unit that owes <paramref name="obligation"/>: the admission notice is the inpatient unit's; the summons
    /// and the meeting are the fixed care contact's unit's (else the unit that opened the case).
    /// </summary>
    public Guid OwedBy(DischargeObligation obligation, SipCase sipCase) =>
        obligation.Code == AdmissionNoticeCode ? InpatientUnitId : FixedCareContactUnitId ?? sipCase.OpenedByUnitId;

    /// <summary>
    /// How long after a missed due time the miss is counted for statistics. Summons and meetings reach the case as
    /// meeting-scheduling's events, which the broker may deliver late or out of order, and wards record dates afterwards:
    /// a fact once published is never taken back, so a miss waits a day for what was done in time but not yet told.
    /// Statistics count the month of the due time, so the wait moves nothing.
    /// </summary>
    public static readonly TimeSpan MissCountedAfter = TimeSpan.FromDays(1);

    /// <summary>
    /// How each obligation with a due time settles for statistics (SIP-DOMAIN §10, LUS compliance per track): met when
    /// done in time, counted at once; missed when done late or not done, counted <see cref="MissCountedAfter"/> after the
    /// due time (or at once if that is past). An obligation not done whose due time falls after the case was closed or
    /// cancelled is void and counts neither way; so is the red track's meeting until the discharge date is known.
    /// </summary>
    public IReadOnlyList<DeadlineOutcome> Outcomes(SipCase sipCase, DateTimeOffset now)
    {
        var endedAt = sipCase.Status == CaseStatus.Open ? (DateTimeOffset?)null : sipCase.Closure?.At ?? sipCase.CancelledAt ?? now;
        var outcomes = new List<DeadlineOutcome>();
        foreach (var o in Obligations(sipCase, now))
        {
            if (o.DueAt is not { } due || (!o.Done && due > endedAt))
            {
                continue;
            }
            var missCountedAt = due + MissCountedAfter;
            outcomes.Add(new DeadlineOutcome(o.Code, due, o.Met, o.Met || missCountedAt < now ? now : missCountedAt, OwedBy(o, sipCase)));
        }
        return outcomes;
    }

    private const string AdmissionNoticeCode = "AdmissionNotice";

    private static DischargeObligation Obligation(string code, string description, DateTimeOffset due, DateTimeOffset? doneAt, DateTimeOffset now) =>
        new(code, description, due, doneAt <= due, doneAt is { } done ? done > due : now > due, doneAt is not null);
}

/// <param name="Code">Stable: AdmissionNotice, Summons, MeetingBeforeDischarge, MeetingAfterDischarge.</param>
/// <param name="Met">Done in time.</param>
/// <param name="Late">Done after its due time, or not done and past it.</param>
/// <param name="Done">Done at all, in time or not: nothing is left to do.</param>
public sealed record DischargeObligation(string Code, string Description, DateTimeOffset? DueAt, bool Met, bool Late, bool Done);

/// <summary>An obligation as statistics counts it: met or not, for the unit that owed it, counted at <paramref name="CountAt"/>.</summary>
public sealed record DeadlineOutcome(string Obligation, DateTimeOffset DueAt, bool Met, DateTimeOffset CountAt, Guid OwedByUnitId);
