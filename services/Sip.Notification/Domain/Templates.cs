using System.Globalization;
using System.Text.RegularExpressions;
using Sip.ServiceDefaults.Time;

namespace Sip.Notification.Domain;

/// <summary>Swedish texts. They name the unit and the case reference and link to the case — nothing about the person.</summary>
public static partial class Templates
{
    private static readonly CultureInfo Swedish = CultureInfo.GetCultureInfo("sv-SE");

    /// <summary>A deadline as a Swedish reader expects it: "fredag 3 juli 2026 kl. 10:15", Swedish time.</summary>
    private static string Due(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, SwedishCalendar.Stockholm).ToString("dddd d MMMM yyyy 'kl.' HH:mm", Swedish);

    // The case service's format (SIP-2026-000123). The reference is the one string an event hands a text verbatim,
    // so anything else — a bug upstream, or a name or identity number where the reference should be — is not printed.
    [GeneratedRegex(@"^SIP-\d{4}-\d{6,9}$")]
    private static partial Regex CaseReferenceFormat();

    private static string Ref(string caseReference) => CaseReferenceFormat().IsMatch(caseReference) ? caseReference : "(okänd ärendereferens)";

    public static Message InitiativeReceived(string unitName, string caseReference, Uri caseLink, DateTimeOffset dueAt)
    {
        caseReference = Ref(caseReference);
        var due = Due(dueAt);
        return new Message(
            $"Nytt SIP-initiativ att besvara – {caseReference}",
            $"""
            Hej!

            {unitName} har fått ett initiativ till samordnad individuell plan (SIP).

            Ärende: {caseReference}
            Svara (kvittera eller neka) senast {due}.

            Öppna ärendet: {caseLink}

            Meddelandet innehåller av sekretesskäl inga personuppgifter. Logga in för att se ärendet.
            """);
    }

    public static Message InitiativeOverdue(string unitName, string caseReference, Uri caseLink, DateTimeOffset dueAt)
    {
        caseReference = Ref(caseReference);
        var due = Due(dueAt);
        return new Message(
            $"Påminnelse: SIP-initiativ obesvarat – {caseReference}",
            $"""
            Hej!

            Initiativet till samordnad individuell plan (SIP) till {unitName} skulle ha besvarats senast {due}.

            Ärende: {caseReference}
            Kvittera eller avböj så snart som möjligt.

            Öppna ärendet: {caseLink}

            Meddelandet innehåller av sekretesskäl inga personuppgifter. Logga in för att se ärendet.
            """);
    }

    /// <param name="cause"><c>ConsentWithdrawn</c> or <c>ConsentExpired</c>.</param>
    public static Message CaseCancelled(string unitName, string caseReference, string cause)
    {
        caseReference = Ref(caseReference);
        var why = cause == "ConsentExpired" ? "samtycket har upphört att gälla" : "samtycket har återkallats";
        return new Message(
            $"SIP-ärende avbrutet – {caseReference}",
            $"""
            Hej!

            SIP-arbetet i ärende {caseReference}, där {unitName} deltar, har avbrutits eftersom {why}.

            Planen och alla obesvarade initiativ och kallelser är makulerade. Ingen mer information får
            lämnas ut inom ärendet.

            Meddelandet innehåller av sekretesskäl inga personuppgifter.
            """);
    }

    public static Message CaseClosed(string unitName, string caseReference, bool withEvaluationMeeting) => new(
        $"SIP avslutad efter utvärdering – {Ref(caseReference)}",
        $"""
        Hej!

        SIP-arbetet i ärende {Ref(caseReference)}, där {unitName} deltar, har utvärderats{(withEvaluationMeeting ? " vid ett utvärderingsmöte" : "")} och avslutats.

        Planen finns kvar i ärendet i tio år.

        Meddelandet innehåller av sekretesskäl inga personuppgifter.
        """);

    public static Message PlanLocked(string unitName, string caseReference, int version, Uri planLink) => new(
        $"SIP låst – {Ref(caseReference)}",
        $"""
        Hej!

        Version {version} av planen i SIP-ärende {Ref(caseReference)}, där {unitName} deltar, är låst med den enskildes
        och samordningsansvariges underskrifter. Enhetens insatser gäller så som de står i planen.

        Läs planen: {planLink}

        Meddelandet innehåller av sekretesskäl inga personuppgifter.
        """);
}
