using System.Globalization;
using Sip.ServiceDefaults.Time;

namespace Sip.MeetingScheduling.Documents;

/// <summary>
/// The Swedish words for a meeting's kind, place type and time, shared by letters, calendar items and API views.
/// Kind: Planning, FollowUp, Evaluation, PreMeeting. PlaceType: Home, Clinic, MunicipalOffice, HospitalWard, Remote.
/// </summary>
public static class MeetingTexts
{
    private static readonly CultureInfo Swedish = CultureInfo.GetCultureInfo("sv-SE");

    public static IReadOnlyList<string> Kinds { get; } = ["Planning", "FollowUp", "Evaluation", "PreMeeting"];

    public static IReadOnlyList<string> PlaceTypes { get; } = ["Home", "Clinic", "MunicipalOffice", "HospitalWard", "Remote"];

    // An unknown value is a bug upstream: printing the raw string could put anything in a letter or a calendar.
    public static string Kind(string kind) => kind switch
    {
        "Planning" => "SIP-möte (planering)",
        "FollowUp" => "Uppföljningsmöte",
        "Evaluation" => "Utvärderingsmöte",
        "PreMeeting" => "Förberedande möte (aktörsmöte)",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a meeting kind."),
    };

    /// <summary>What the letter is headed with: "Inbjudan till SIP-möte", "Inbjudan till uppföljningsmöte", …</summary>
    public static string InvitationHeading(string kind) => kind switch
    {
        "Planning" => "Inbjudan till SIP-möte",
        "FollowUp" => "Inbjudan till uppföljningsmöte",
        "Evaluation" => "Inbjudan till utvärderingsmöte",
        "PreMeeting" => "Inbjudan till förberedande möte",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a meeting kind."),
    };

    public static string Place(string placeType) => placeType switch
    {
        "Home" => "Hemma hos den enskilde",
        "Clinic" => "Mottagning",
        "MunicipalOffice" => "Kommunens lokaler",
        "HospitalWard" => "Vårdavdelning",
        "Remote" => "Telefon eller video",
        _ => throw new ArgumentOutOfRangeException(nameof(placeType), placeType, "Not a place type."),
    };

    /// <summary>"torsdag 18 juni 2026 kl. 10.00–11.30", Swedish time whatever the offset of the values given.</summary>
    public static string Time(DateTimeOffset startsAt, DateTimeOffset endsAt)
    {
        var start = TimeZoneInfo.ConvertTime(startsAt, SwedishCalendar.Stockholm);
        var end = TimeZoneInfo.ConvertTime(endsAt, SwedishCalendar.Stockholm);
        return start.Date == end.Date
            ? $"{Date(start)} kl. {Clock(start)}–{Clock(end)}"
            : $"{Date(start)} kl. {Clock(start)} – {Date(end)} kl. {Clock(end)}";
    }

    /// <summary>"4 december 2026".</summary>
    public static string Date(DateOnly date) => date.ToString("d MMMM yyyy", Swedish);

    private static string Date(DateTimeOffset local) => local.ToString("dddd d MMMM yyyy", Swedish);

    // Språkrådet's "kl. 10.00", not the culture's "10:00".
    private static string Clock(DateTimeOffset local) => local.ToString("HH'.'mm", CultureInfo.InvariantCulture);
}
