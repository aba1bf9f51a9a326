using System.Globalization;
using System.Text.RegularExpressions;
using Sip.ServiceDefaults.Time;

namespace Sip.Notification.Domain;

/// <summary>
/// Swedish texts. They carry the case reference, the event kind, times and a link — nothing about the person, and not
/// even the unit's name (the directory's free text): a message reaches the unit's own addresses, so it says "enheten".
/// </summary>
public static partial class Templates
{
    private static readonly CultureInfo Swedish = CultureInfo.GetCultureInfo("sv-SE");
    private const string NoPersonalDataCase = "Meddelandet innehåller av sekretesskäl inga personuppgifter. Logga in för att se ärendet.";

    /// <summary>A deadline as a Swedish reader expects it: "fredag 3 juli 2026 kl. 10:15", Swedish time.</summary>
    private static string Due(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, SwedishCalendar.Stockholm).ToString("dddd d MMMM yyyy 'kl.' HH:mm", Swedish);

    /// <summary>Short, for SMS: "fre 3 juli kl. 10:15".</summary>
    public static string ShortDue(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, SwedishCalendar.Stockholm).ToString("ddd d MMMM 'kl.' HH:mm", Swedish);

    // The case service's format (SIP-2026-000123). The reference is the one string an event hands a text verbatim,
    // so anything else — a bug upstream, or a name or identity number where the reference should be — is not printed.
    [GeneratedRegex(@"^SIP-\d{4}-\d{6,9}$")]
    private static partial Regex CaseReferenceFormat();

    public static string Ref(string caseReference) => CaseReferenceFormat().IsMatch(caseReference) ? caseReference : "(okänd ärendereferens)";

    public static Message InitiativeReceived(string caseReference, Uri caseLink, DateTimeOffset dueAt)
    {
        caseReference = Ref(caseReference);
        return new Message(
            $"Nytt SIP-initiativ att besvara – {caseReference}",
            $"""
            Hej!

            Enheten har fått ett initiativ till samordnad individuell plan (SIP).

            Ärende: {caseReference}
            Svara (kvittera eller neka) senast {Due(dueAt)}.

            Öppna ärendet: {caseLink}

            {NoPersonalDataCase}
            """);
    }

    /// <summary>The reminder before the deadline, when the initiative is still unanswered.</summary>
    public static Message InitiativeReminder(string caseReference, Uri caseLink, DateTimeOffset dueAt)
    {
        caseReference = Ref(caseReference);
        return new Message(
            $"Påminnelse: SIP-initiativ att besvara senast {Due(dueAt)} – {caseReference}",
            $"""
            Hej!

            Initiativet till samordnad individuell plan (SIP) i ärende {caseReference} är ännu inte besvarat.
            Svara (kvittera eller neka) senast {Due(dueAt)}.

            Öppna ärendet: {caseLink}

            {NoPersonalDataCase}
            """);
    }

    public static Message InitiativeOverdue(string caseReference, Uri caseLink, DateTimeOffset dueAt)
    {
        caseReference = Ref(caseReference);
        return new Message(
            $"Påminnelse: SIP-initiativ obesvarat – {caseReference}",
            $"""
            Hej!

            Initiativet till samordnad individuell plan (SIP) till enheten skulle ha besvarats senast {Due(dueAt)}.

            Ärende: {caseReference}
            Kvittera eller avböj så snart som möjligt.

            Öppna ärendet: {caseLink}

            {NoPersonalDataCase}
            """);
    }

    /// <summary>To the unit's administrators: an initiative or a summons is still unanswered after its deadline.</summary>
    /// <param name="what"><c>initiative</c> or <c>summons</c>.</param>
    public static Message Escalation(string caseReference, string what, DateTimeOffset dueAt, Uri link)
    {
        caseReference = Ref(caseReference);
        var item = what == "summons" ? "En kallelse till SIP-möte" : "Ett initiativ till samordnad individuell plan (SIP)";
        return new Message(
            $"Eskalering: obesvarat efter tidsgränsen – ärende {caseReference}",
            $"""
            Hej!

            {item} till enheten är fortfarande obesvarat. Tidsgränsen var {Due(dueAt)}.

            Ärende: {caseReference}
            Se till att någon på enheten svarar.

            Öppna: {link}

            Du får meddelandet som administratör för enheten. {NoPersonalDataCase}
            """);
    }

    /// <param name="cause"><c>ConsentWithdrawn</c> or <c>ConsentExpired</c>.</param>
    public static Message CaseCancelled(string caseReference, string cause)
    {
        caseReference = Ref(caseReference);
        var why = cause == "ConsentExpired" ? "samtycket har upphört att gälla" : "samtycket har återkallats";
        return new Message(
            $"SIP-ärende avbrutet – {caseReference}",
            $"""
            Hej!

            SIP-arbetet i ärende {caseReference}, där enheten deltar, har avbrutits eftersom {why}.

            Planen och alla obesvarade initiativ och kallelser är makulerade. Ingen mer information får
            lämnas ut inom ärendet.

            Meddelandet innehåller av sekretesskäl inga personuppgifter.
            """);
    }

    public static Message CaseClosed(string caseReference, bool withEvaluationMeeting) => new(
        $"SIP avslutad efter utvärdering – {Ref(caseReference)}",
        $"""
        Hej!

        SIP-arbetet i ärende {Ref(caseReference)}, där enheten deltar, har utvärderats{(withEvaluationMeeting ? " vid ett utvärderingsmöte" : "")} och avslutats.

        Planen finns kvar i ärendet i tio år.

        Meddelandet innehåller av sekretesskäl inga personuppgifter.
        """);

    public static Message PlanLocked(string caseReference, int version, Uri planLink) => new(
        $"SIP låst – {Ref(caseReference)}",
        $"""
        Hej!

        Version {version} av planen i SIP-ärende {Ref(caseReference)}, där enheten deltar, är låst med den enskildes
        och samordningsansvariges underskrifter. Enhetens insatser gäller så som de står i planen.

        Läs planen: {planLink}

        Meddelandet innehåller av sekretesskäl inga personuppgifter.
        """);

    public static Message PlanLate(string caseReference, int version, DateTimeOffset dueAt, Uri planLink) => new(
        $"SIP inte fastställd i tid – {Ref(caseReference)}",
        $"""
        Hej!

        Version {version} av planen i SIP-ärende {Ref(caseReference)}, där enheten deltar, skulle ha fastställts senast {Due(dueAt)}
        (två arbetsdagar efter mötet).

        Öppna planen: {planLink}

        Meddelandet innehåller av sekretesskäl inga personuppgifter.
        """);

    /// <summary>A case message: its text stays in the case; the e-mail only says that there is one, and whether it wants an acknowledgement.</summary>
    public static Message CaseMessage(string caseReference, bool requiresAcknowledgement, Uri caseLink)
    {
        caseReference = Ref(caseReference);
        return requiresAcknowledgement
            ? new Message(
                $"Meddelande att kvittera – ärende {caseReference}",
                $"""
                Hej!

                Enheten har fått ett meddelande i SIP-ärende {caseReference} som ska kvitteras.

                Läs och kvittera: {caseLink}

                {NoPersonalDataCase}
                """)
            : new Message(
                $"Meddelande för kännedom – ärende {caseReference}",
                $"""
                Hej!

                Enheten har fått ett meddelande för kännedom i SIP-ärende {caseReference}.

                Läs meddelandet: {caseLink}

                {NoPersonalDataCase}
                """);
    }

    /// <summary>The SMS of any notice: the kind's name, the case reference, a deadline where there is one, and the link.</summary>
    public static string Sms(string kind, string caseReference, DateTimeOffset? dueAt, Uri link) =>
        $"SIP: {EventKinds.Names.GetValueOrDefault(kind, "Händelse")}, ärende {Ref(caseReference)}.{(dueAt is { } d ? $" Tidsgräns {ShortDue(d)}." : "")} {link}";

    /// <summary>One morning e-mail listing everything that waited for it, one line per event, oldest first.</summary>
    public static Message Digest(DateOnly day, IReadOnlyList<(string Kind, string CaseReference, DateTimeOffset? DueAt, string Link)> items)
    {
        var lines = items.Select(i =>
            $"- {EventKinds.Names.GetValueOrDefault(i.Kind, "Händelse")}, ärende {Ref(i.CaseReference)}{(i.DueAt is { } d ? $", tidsgräns {Due(d)}" : "")}: {SafeLink(i.Link)}");
        return new Message(
            $"SIP: sammanställning {day.ToString("d MMMM yyyy", Swedish)} – {items.Count} {(items.Count == 1 ? "händelse" : "händelser")}",
            $"""
            Hej!

            Det här har hänt i enhetens SIP-ärenden sedan förra sammanställningen:

            {string.Join("\n", lines)}

            Enheten har valt en sammanställning per morgon i stället för ett meddelande per händelse.
            Meddelandet innehåller av sekretesskäl inga personuppgifter. Logga in för att se ärendena.
            """);
    }

    // Links are made by this service from ids; a stored one is printed only if it still is an absolute http(s) address.
    private static string SafeLink(string link) =>
        Uri.TryCreate(link, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) ? uri.ToString() : "";
}
