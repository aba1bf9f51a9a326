using Sip.ServiceDefaults.Time;

namespace Sip.Notification.Domain;

// Meeting texts carry the case reference, the meeting's kind, its time in Swedish time, the place type, a deadline
// where there is one and a link: nothing else. They do not even name the unit: it is the unit's own mailbox. Every
// code from an event (kind, place type, cause, obligation) is looked up in a fixed Swedish table, so an unexpected
// value can never reach the text as it came.
public static partial class Templates
{
    private const string NoPersonalData = "Meddelandet innehåller av sekretesskäl inga personuppgifter. Logga in för att se mötet.";

    public static Message SummonsReceived(string caseReference, string kind, DateTimeOffset startsAt, DateTimeOffset dueAt, Uri meetingLink, string? calendar)
    {
        caseReference = Ref(caseReference);
        return new Message(
            $"Kallelse till {Meeting(kind)} – ärende {caseReference}",
            $"""
            Hej!

            Enheten är kallad till {Meeting(kind)} i ärende {caseReference}.

            Tid: {Due(startsAt)}
            Svara (kvittera och ange vem som kommer, eller avböj) senast {Due(dueAt)}.

            Plats och övriga uppgifter finns i mötet.

            Öppna mötet: {meetingLink}

            {NoPersonalData}
            """,
            Invitation(calendar, meetingLink, kind, caseReference, "REQUEST"));
    }

    public static Message MeetingRescheduled(string caseReference, string kind, DateTimeOffset startsAt, DateTimeOffset endsAt, string placeType,
        Uri meetingLink, string? calendar)
    {
        caseReference = Ref(caseReference);
        return new Message(
            $"Mötet har flyttats: {Meeting(kind)} – ärende {caseReference}",
            $"""
            Hej!

            {Meeting(kind)} i ärende {caseReference}, som enheten är kallad till, har flyttats.

            Ny tid: {Span(startsAt, endsAt)}
            Plats: {Place(placeType)}

                        Öppna mötet: {meetingLink}

            {NoPersonalData}
            """,
            Invitation(calendar, meetingLink, kind, caseReference, "REQUEST"));
    }

    /// <param name="cause"><c>Cancelled</c>, <c>CaseCancelled</c> or <c>CaseClosed</c>.</param>
    public static Message MeetingCancelled(string caseReference, string kind, DateTimeOffset startsAt, string cause, Uri meetingLink, string? calendar)
    {
        caseReference = Ref(caseReference);
        var why = cause switch
        {
            "Cancelled" => "Mötet är inställt av den som kallade.",
            "CaseCancelled" => "Mötet är inställt eftersom samtycket har återkallats eller upphört.",
            "CaseClosed" => "Mötet är inställt eftersom ärendet är avslutat.",
            _ => "Mötet är inställt.",
        };
        return new Message(
            $"Mötet är inställt: {Meeting(kind)} – ärende {caseReference}",
            $"""
            Hej!

            {Meeting(kind)} i ärende {caseReference}, {Due(startsAt)}, blir inte av. {why}

            Obesvarade kallelser till mötet är makulerade.

            Öppna mötet: {meetingLink}

            {NoPersonalData}
            """,
            Invitation(calendar, meetingLink, kind, caseReference, "CANCEL"));
    }

    public static Message SummonsOverdue(string caseReference, string kind, DateTimeOffset dueAt, Uri meetingLink)
    {
        caseReference = Ref(caseReference);
        return new Message(
            $"Påminnelse: obesvarad kallelse till {Meeting(kind)} – ärende {caseReference}",
            $"""
            Hej!

            Kallelsen till {Meeting(kind)} i ärende {caseReference} skulle ha besvarats senast {Due(dueAt)}.

            Kvittera och ange vem som kommer, eller avböj, så snart som möjligt.

            Öppna mötet: {meetingLink}

            {NoPersonalData}
            """);
    }

    /// <summary>The reminder before the summons' deadline, when it is still unanswered.</summary>
    public static Message SummonsReminder(string caseReference, string kind, DateTimeOffset dueAt, Uri meetingLink)
    {
        caseReference = Ref(caseReference);
        return new Message(
            $"Påminnelse: kallelse till {Meeting(kind)} att besvara senast {Due(dueAt)} – ärende {caseReference}",
            $"""
            Hej!

            Kallelsen till {Meeting(kind)} i ärende {caseReference} är ännu inte besvarad.
            Kvittera och ange vem som kommer, eller avböj, senast {Due(dueAt)}.

            Öppna mötet: {meetingLink}

            {NoPersonalData}
            """);
    }

    /// <summary>The summary of the attached calendar item: "SIP-möte (planering) – ärende SIP-2026-000123".</summary>
    public static string CalendarSummary(string kind, string caseReference) => $"{Meeting(kind)} – ärende {Ref(caseReference)}";

    // The event's calendar item is rebuilt (MeetingCalendarText.Clean) and attached only when it could be read.
    private static Attachment? Invitation(string? calendar, Uri link, string kind, string caseReference, string method) =>
        MeetingCalendarText.Clean(calendar, link, CalendarSummary(kind, caseReference), method) is { } clean ? Attachment.Calendar(clean, method) : null;

    /// <summary>A LUS deadline (SIP-DOMAIN §7) owed by the unit: near (<paramref name="passed"/> false) or passed unmet.</summary>
    /// <param name="obligation"><c>Summons</c>, <c>MeetingBeforeDischarge</c> or <c>MeetingAfterDischarge</c>.</param>
    public static Message LusDeadline(string caseReference, string obligation, DateTimeOffset dueAt, bool passed, Uri caseLink)
    {
        caseReference = Ref(caseReference);
        var what = obligation switch
        {
            "Summons" => "kallelse senast tre dagar efter utskrivningsklar",
            "MeetingBeforeDischarge" => "rött spår: SIP-mötet hålls före utskrivning",
            "MeetingAfterDischarge" => "SIP-möte inom fyra veckor efter utskrivning",
            _ => "en tidsgräns i rutinen för utskrivning",
        };
        return passed
            ? new Message(
                $"LUS-tidsgräns passerad – ärende {caseReference}",
                $"""
                Hej!

                En tidsgräns vid utskrivning från sluten vård (LUS) i ärende {caseReference} har passerats utan att vara uppfylld:
                {what}.

                Tidsgräns: {Due(dueAt)}

                Öppna ärendet: {caseLink}

                Meddelandet innehåller av sekretesskäl inga personuppgifter. Logga in för att se ärendet.
                """)
            : new Message(
                $"LUS-tidsgräns närmar sig – ärende {caseReference}",
                $"""
                Hej!

                En tidsgräns vid utskrivning från sluten vård (LUS) i ärende {caseReference} närmar sig:
                {what}.

                Tidsgräns: {Due(dueAt)}

                Öppna ärendet: {caseLink}

                Meddelandet innehåller av sekretesskäl inga personuppgifter. Logga in för att se ärendet.
                """);
    }

    /// <summary>"SIP-möte (planering)"; an unknown kind is left out rather than printed.</summary>
    private static string Meeting(string kind) => kind switch
    {
        "Planning" => "SIP-möte (planering)",
        "FollowUp" => "SIP-möte (uppföljning)",
        "Evaluation" => "SIP-möte (utvärdering)",
        "PreMeeting" => "SIP-möte (aktörsmöte)",
        _ => "SIP-möte",
    };

    private static string Place(string placeType) => placeType switch
    {
        "Home" => "hemma hos den enskilde",
        "Clinic" => "mottagning",
        "MunicipalOffice" => "kommunens lokaler",
        "HospitalWard" => "vårdavdelning",
        "Remote" => "på distans (telefon eller video)",
        _ => "se mötet",
    };

    /// <summary>"tisdag 3 mars 2026 kl. 10:00–11:30"; both ends in full when the meeting runs past midnight.</summary>
    private static string Span(DateTimeOffset startsAt, DateTimeOffset endsAt)
    {
        var start = TimeZoneInfo.ConvertTime(startsAt, SwedishCalendar.Stockholm);
        var end = TimeZoneInfo.ConvertTime(endsAt, SwedishCalendar.Stockholm);
        return start.Date == end.Date ? $"{Due(startsAt)}–{end.ToString("HH:mm", Swedish)}" : $"{Due(startsAt)} – {Due(endsAt)}";
    }
}
