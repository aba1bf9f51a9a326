using System.Text.RegularExpressions;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Sip.ServiceDefaults.Time;

namespace Sip.MeetingScheduling.Documents;

/// <summary>
/// What a calendar may know of a meeting. There is deliberately no field for a name, an identity number, the reason
/// or an address: calendars are synced to phones and shared with colleagues, outside the case's access control.
/// </summary>
public sealed record CalendarItem(Guid MeetingId, string CaseReference, string Kind, DateTimeOffset StartsAt, DateTimeOffset EndsAt,
    string PlaceType, int Sequence, bool Cancelled, Uri Link)
{
    /// <summary>The convening unit's functional mailbox (never a person's), sent as ORGANIZER when given.</summary>
    public string? OrganizerMailbox { get; init; }
}

/// <summary>iCalendar (RFC 5545) text for meetings, built with Ical.Net.</summary>
public static partial class MeetingCalendar
{
    private const string TimeZoneId = "Europe/Stockholm";
    private const string ProductId = "-//SIP-plattformen//Motesplanering//SV";

    /// <summary>
    /// One meeting as an invitation (METHOD:REQUEST) or, when cancelled, a cancellation (METHOD:CANCEL, STATUS:CANCELLED).
    /// The UID is the same for every version of the meeting and SEQUENCE is the meeting's, so a client replaces or removes it.
    /// </summary>
    public static string Event(CalendarItem item) => Event(item, DateTimeOffset.UtcNow);

    public static string Event(CalendarItem item, DateTimeOffset stampedAt)
    {
        var calendar = NewCalendar(item.Cancelled ? "CANCEL" : "REQUEST", [item]);
        calendar.Events.Add(ToEvent(item, stampedAt));
        return Serialize(calendar);
    }

    /// <summary>A subscribable feed (METHOD:PUBLISH) with every item given; cancelled ones stay in it as STATUS:CANCELLED.</summary>
    public static string Feed(string calendarName, IEnumerable<CalendarItem> items) => Feed(calendarName, items, DateTimeOffset.UtcNow);

    public static string Feed(string calendarName, IEnumerable<CalendarItem> items, DateTimeOffset stampedAt)
    {
        var list = items.ToList();
        var calendar = NewCalendar("PUBLISH", list);
        // NAME is RFC 7986; the X- properties are what Outlook and Google read for a subscription's name and refresh.
        calendar.AddProperty("NAME", calendarName);
        calendar.AddProperty("X-WR-CALNAME", calendarName);
        calendar.AddProperty("X-WR-TIMEZONE", TimeZoneId);
        calendar.AddProperty(new CalendarProperty("REFRESH-INTERVAL", "PT1H") { Parameters = { { "VALUE", "DURATION" } } });
        calendar.AddProperty("X-PUBLISHED-TTL", "PT1H");
        foreach (var item in list)
        {
            calendar.Events.Add(ToEvent(item, stampedAt));
        }
        return Serialize(calendar);
    }

    private static Calendar NewCalendar(string method, IReadOnlyCollection<CalendarItem> items)
    {
        var calendar = new Calendar { Method = method, ProductId = ProductId };
        // The time zone's rules from the earliest meeting on, so a client without its own tz database reads times right.
        var earliest = items.Count == 0 ? DateTimeOffset.UtcNow : items.Min(i => i.StartsAt);
        calendar.AddTimeZone(VTimeZone.FromDateTimeZone(TimeZoneId, earliest.UtcDateTime.AddDays(-1), includeHistoricalData: false));
        return calendar;
    }

    private static CalendarEvent ToEvent(CalendarItem item, DateTimeOffset stampedAt)
    {
        if (!CaseReferenceFormat().IsMatch(item.CaseReference))
        {
            // The reference is the one free string here; anything else (a name typed into the wrong field) must not leave.
            throw new ArgumentException("A calendar item's case reference must look like SIP-2026-000123.", nameof(item));
        }
        if (item.EndsAt <= item.StartsAt)
        {
            throw new ArgumentException("A meeting must end after it starts.", nameof(item));
        }
        if (!item.Link.IsAbsoluteUri)
        {
            throw new ArgumentException("A calendar item's link must be absolute.", nameof(item));
        }
        var kind = MeetingTexts.Kind(item.Kind);
        var summary = $"{kind} – ärende {item.CaseReference}";
        var ev = new CalendarEvent
        {
            Uid = Uid(item.MeetingId),
            Sequence = item.Sequence,
            DtStamp = new CalDateTime(stampedAt.UtcDateTime, CalDateTime.UtcTzId),
            DtStart = At(item.StartsAt),
            DtEnd = At(item.EndsAt),
            Summary = item.Cancelled ? $"Inställt: {summary}" : summary,
            Location = MeetingTexts.Place(item.PlaceType),
            Description = item.Link.AbsoluteUri,
            Url = item.Link,
            Status = item.Cancelled ? "CANCELLED" : "CONFIRMED",
            Transparency = item.Cancelled ? "TRANSPARENT" : "OPAQUE",
        };
        if (item.OrganizerMailbox is { } mailbox)
        {
            ev.Organizer = new Organizer($"mailto:{mailbox}");
        }
        return ev;
    }

    public static string Uid(Guid meetingId) => $"{meetingId}@sip-platform";

    private static CalDateTime At(DateTimeOffset instant)
    {
        var local = TimeZoneInfo.ConvertTime(instant, SwedishCalendar.Stockholm).DateTime;
        // The hour repeated when summer time ends names two instants in local time; UTC names exactly one.
        return SwedishCalendar.Stockholm.IsAmbiguousTime(local)
            ? new CalDateTime(instant.UtcDateTime, CalDateTime.UtcTzId)
            : new CalDateTime(local, TimeZoneId);
    }

    private static string Serialize(Calendar calendar) =>
        new CalendarSerializer().SerializeToString(calendar) ?? throw new InvalidOperationException("Ical.Net returned no text.");

    // The case service's format (SIP-2026-000123), as Sip.Notification checks it.
    [GeneratedRegex(@"^SIP-\d{4}-\d{6,9}$")]
    private static partial Regex CaseReferenceFormat();
}
