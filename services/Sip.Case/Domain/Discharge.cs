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
/// and the fixed care contact who convenes the SIP.
/// </summary>
public sealed record Discharge(
    DateTimeOffset AdmittedAt,
    Guid InpatientUnitId,
    DischargeTrack Track,
    string? FixedCareContact = null,
    Guid? FixedCareContactUnitId = null,
    DateTimeOffset? ReadyForDischargeAt = null,
    DateTimeOffset? DischargedAt = null)
{
    public static readonly TimeSpan AdmissionNoticeWithin = TimeSpan.FromHours(24);
    public static readonly TimeSpan SummonsWithin = TimeSpan.FromDays(3);
    public static readonly TimeSpan MeetingAfterDischargeWithin = TimeSpan.FromDays(28);

    public void Validate(DateTimeOffset now)
    {
        if (AdmittedAt > now || ReadyForDischargeAt > now || DischargedAt > now)
        {
            throw new DomainException("date-in-future", "Datumet ligger i framtiden", "Inskrivning, utskrivningsklar och utskrivning registreras när de har skett.", StatusCodes.Status400BadRequest);
        }
        if (ReadyForDischargeAt < AdmittedAt || DischargedAt < AdmittedAt || (DischargedAt is { } out_ && ReadyForDischargeAt is { } ready && out_ < ready))
        {
            throw new DomainException("discharge-dates-out-of-order", "Datumen är i fel ordning",
                "Ordningen är inskrivning, utskrivningsklar, utskrivning.", StatusCodes.Status400BadRequest);
        }
    }

    /// <summary>
    /// The obligations of §7 as they stand: due time, and whether met. The summons obligation is met by the first
    /// SIP meeting's plan until summons are tracked on their own.
    /// </summary>
    public IReadOnlyList<DischargeObligation> Obligations(SipCase sipCase, DateTimeOffset? firstMeetingAt, DateTimeOffset now)
    {
        var list = new List<DischargeObligation>();
        var noticeDue = AdmittedAt + AdmissionNoticeWithin;
        var noticed = sipCase.Initiatives.Select(i => i.SentAt).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
        list.Add(new DischargeObligation("AdmissionNotice", "Inskrivningsmeddelande till öppenvården och socialtjänsten inom 24 timmar", noticeDue,
            noticed <= noticeDue, noticed > noticeDue && now > noticeDue));
        if (ReadyForDischargeAt is { } ready)
        {
            var summonsDue = ready + SummonsWithin;
            list.Add(new DischargeObligation("Summons", "Kallelse till SIP-möte senast tre dagar efter utskrivningsklar", summonsDue,
                firstMeetingAt is not null, firstMeetingAt is null && now > summonsDue));
        }
        if (Track == DischargeTrack.Red)
        {
            var met = firstMeetingAt is { } m && (DischargedAt is null || m <= DischargedAt);
            list.Add(new DischargeObligation("MeetingBeforeDischarge", "Rött spår: SIP-mötet hålls innan personen lämnar sjukhuset", DischargedAt, met, DischargedAt is not null && !met));
        }
        else if (DischargedAt is { } discharged)
        {
            var meetingDue = discharged + MeetingAfterDischargeWithin;
            var met = firstMeetingAt is { } m && m <= meetingDue;
            list.Add(new DischargeObligation("MeetingAfterDischarge", "Grönt eller gult spår: SIP-möte inom fyra veckor efter utskrivning", meetingDue, met, !met && now > meetingDue));
        }
        return list;
    }
}

/// <param name="Code">Stable: AdmissionNotice, Summons, MeetingBeforeDischarge, MeetingAfterDischarge.</param>
public sealed record DischargeObligation(string Code, string Description, DateTimeOffset? DueAt, bool Met, bool Late);
