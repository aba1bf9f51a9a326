using System.Globalization;
using Sip.ServiceDefaults.Time;

namespace Sip.Notification.Domain;

/// <summary>Swedish texts. They name the unit and the case reference and link to the case — nothing about the person.</summary>
public static class Templates
{
    private static readonly CultureInfo Swedish = CultureInfo.GetCultureInfo("sv-SE");

    public static Message InitiativeReceived(string unitName, string caseReference, Uri caseLink, DateTimeOffset dueAt)
    {
        var due = TimeZoneInfo.ConvertTime(dueAt, SwedishCalendar.Stockholm).ToString("dddd d MMMM yyyy 'kl.' HH:mm", Swedish);
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
}
