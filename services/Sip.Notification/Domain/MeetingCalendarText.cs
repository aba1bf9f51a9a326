using System.Text.RegularExpressions;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Sip.ServiceDefaults.Time;

namespace Sip.Notification.Domain;

/// <summary>
/// The meeting's calendar item as attached: rebuilt from the event's calendar text keeping only what is not text — the
/// UID, SEQUENCE and times — and writing method, status, summary, description and URL anew (the method from the message) from the case reference and
/// the link. Meeting scheduling builds the item under the same rule; rebuilding means no upstream field, whatever it
/// holds, reaches a mailbox. A calendar that cannot be read (or has no meeting UID) is left out, not sent as it came.
/// </summary>
public static partial class MeetingCalendarText
{
    private const string TimeZoneId = "Europe/Stockholm";

    public static string? Clean(string? calendarText, Uri link, string summary, string method)
    {
        if (string.IsNullOrEmpty(calendarText))
        {
            return null;
        }
        Calendar? source;
        try
        {
            source = Calendar.Load(calendarText);
        }
        catch (Exception)
        {
            return null;
        }
        var ev = source?.Events.FirstOrDefault();
        if (source is null || ev?.DtStart is null || ev.Uid is null || !MeetingUid().IsMatch(ev.Uid))
        {
            return null;
        }
        var start = ev.DtStart.AsUtc;
        var end = ev.DtEnd?.AsUtc ?? start.AddHours(1);
        var calendar = new Calendar { Method = method, ProductId = "-//SIP-plattformen//Aviseringar//SV" };
        calendar.AddTimeZone(VTimeZone.FromDateTimeZone(TimeZoneId, start.AddDays(-1), includeHistoricalData: false));
        calendar.Events.Add(new CalendarEvent
        {
            Uid = ev.Uid,
            Sequence = ev.Sequence,
            DtStamp = new CalDateTime(DateTime.UtcNow, CalDateTime.UtcTzId),
            DtStart = At(start),
            DtEnd = At(end),
            Summary = method == "CANCEL" ? $"Inställt: {summary}" : summary,
            Description = link.AbsoluteUri,
            Url = link,
            Status = method == "CANCEL" ? "CANCELLED" : "CONFIRMED",
            Transparency = method == "CANCEL" ? "TRANSPARENT" : "OPAQUE",
        });
        return new CalendarSerializer().SerializeToString(calendar);
    }

    private static CalDateTime At(DateTime utc)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), SwedishCalendar.Stockholm);
        return SwedishCalendar.Stockholm.IsAmbiguousTime(local) ? new CalDateTime(utc, CalDateTime.UtcTzId) : new CalDateTime(local, TimeZoneId);
    }

    [GeneratedRegex(@"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(@sip-platform)?$")]
    private static partial Regex MeetingUid();
}
