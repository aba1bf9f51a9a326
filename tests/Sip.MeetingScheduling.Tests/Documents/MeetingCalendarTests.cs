using Ical.Net;
using Ical.Net.CalendarComponents;
using Sip.MeetingScheduling.Documents;

namespace Sip.MeetingScheduling.Tests.Documents;

public sealed class MeetingCalendarTests
{
    private static readonly DateTimeOffset Stamp = new(2026, 6, 1, 7, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_update_keeps_the_uid_and_raises_the_sequence_so_it_replaces_the_first_invitation()
    {
        var first = Parse(MeetingCalendar.Event(DocumentSamples.Item(sequence: 0), Stamp));
        var moved = DocumentSamples.Item(sequence: 1) with { StartsAt = DocumentSamples.StartsAt.AddDays(1), EndsAt = DocumentSamples.EndsAt.AddDays(1) };
        var update = Parse(MeetingCalendar.Event(moved, Stamp));

        Assert.Equal("REQUEST", first.Method);
        Assert.Equal("REQUEST", update.Method);
        var (a, b) = (first.Events.Single(), update.Events.Single());
        Assert.Equal($"{DocumentSamples.MeetingId}@sip-platform", a.Uid);
        Assert.Equal(a.Uid, b.Uid);
        Assert.Equal(0, a.Sequence);
        Assert.Equal(1, b.Sequence);
        Assert.Equal("CONFIRMED", b.Status);
        Assert.Equal(moved.StartsAt.UtcDateTime, b.DtStart!.AsUtc);
        Assert.Equal(moved.EndsAt.UtcDateTime, b.DtEnd!.AsUtc);
    }

    [Fact]
    public void A_cancellation_is_method_cancel_with_status_cancelled_for_the_same_uid()
    {
        var invitation = Parse(MeetingCalendar.Event(DocumentSamples.Item(sequence: 1), Stamp)).Events.Single();
        var text = MeetingCalendar.Event(DocumentSamples.Item(sequence: 2, cancelled: true), Stamp);
        var cancellation = Parse(text);

        Assert.Equal("CANCEL", cancellation.Method);
        var ev = cancellation.Events.Single();
        Assert.Equal("CANCELLED", ev.Status);
        Assert.Equal(invitation.Uid, ev.Uid);
        Assert.True(ev.Sequence > invitation.Sequence);
        Assert.Contains("\r\nMETHOD:CANCEL\r\n", text);
        Assert.Contains("\r\nSTATUS:CANCELLED\r\n", text);
    }

    [Theory]
    [InlineData("2026-03-29T08:00:00Z", "20260329T100000")] // the morning summer time starts: 10.00 is UTC+2
    [InlineData("2026-10-25T09:00:00Z", "20261025T100000")] // the morning summer time ends: 10.00 is UTC+1
    public void A_meeting_on_a_daylight_saving_change_day_reads_back_at_the_same_instant(string startsAtUtc, string localStart)
    {
        var start = DateTimeOffset.Parse(startsAtUtc, System.Globalization.CultureInfo.InvariantCulture);
        var item = DocumentSamples.Item() with { StartsAt = start, EndsAt = start.AddHours(1) };
        var text = MeetingCalendar.Event(item, Stamp);

        Assert.Contains($"DTSTART;TZID=Europe/Stockholm:{localStart}", text);
        var calendar = Parse(text);
        // Clients without a time zone database rely on the VTIMEZONE's rules.
        var zone = Assert.Single(calendar.TimeZones);
        Assert.Equal("Europe/Stockholm", zone.TzId);
        Assert.Contains("BEGIN:DAYLIGHT", text);
        Assert.Contains("TZOFFSETTO:+0200", text);
        Assert.Contains("TZOFFSETTO:+0100", text);
        var ev = calendar.Events.Single();
        Assert.Equal(start.UtcDateTime, ev.DtStart!.AsUtc);
        Assert.Equal(start.AddHours(1).UtcDateTime, ev.DtEnd!.AsUtc);
    }

    [Fact]
    public void A_meeting_in_the_repeated_hour_is_written_in_UTC_so_it_names_one_instant()
    {
        // 02.30 happens twice in Stockholm on 25 October 2026; this is the second one (UTC+1).
        var start = new DateTimeOffset(2026, 10, 25, 1, 30, 0, TimeSpan.Zero);
        var item = DocumentSamples.Item() with { StartsAt = start, EndsAt = start.AddHours(2) };
        var text = MeetingCalendar.Event(item, Stamp);

        Assert.Contains("DTSTART:20261025T013000Z", text);
        Assert.Equal(start.UtcDateTime, Parse(text).Events.Single().DtStart!.AsUtc);
    }

    [Fact]
    public void The_calendar_item_holds_only_the_reference_kind_time_place_type_and_link()
    {
        var text = MeetingCalendar.Event(DocumentSamples.Item(placeType: "Home"), Stamp);
        var ev = Parse(text).Events.Single();

        Assert.Equal("SIP-möte (planering) – ärende SIP-2026-000123", ev.Summary);
        Assert.Equal("Hemma hos den enskilde", ev.Location);
        Assert.Equal(DocumentSamples.Link.AbsoluteUri, ev.Description);
        Assert.Equal(DocumentSamples.Link, ev.Url);
        Assert.Empty(ev.Attendees);
        Assert.Null(ev.Organizer);
        // Whatever a future change adds must be added here on purpose.
        Assert.Equal(
            ["DESCRIPTION", "DTEND", "DTSTAMP", "DTSTART", "LOCATION", "SEQUENCE", "STATUS", "SUMMARY", "TRANSP", "UID", "URL"],
            PropertyNames(text, "VEVENT"));
    }

    [Fact]
    public void An_organizer_is_the_units_mailbox_without_a_name()
    {
        var item = DocumentSamples.Item() with { OrganizerMailbox = "sip.norra@region.example.se" };
        var text = MeetingCalendar.Event(item, Stamp);

        Assert.Equal(new Uri("mailto:sip.norra@region.example.se"), Parse(text).Events.Single().Organizer!.Value);
        Assert.DoesNotContain("CN=", text);
    }

    [Theory]
    [InlineData("Anna Andersson")]
    [InlineData("19121212-1212")]
    [InlineData("SIP-2026-000123 Anna Andersson")]
    public void Anything_but_a_case_reference_in_the_reference_field_is_refused(string notAReference)
    {
        var item = DocumentSamples.Item() with { CaseReference = notAReference };
        Assert.Throws<ArgumentException>(() => MeetingCalendar.Event(item, Stamp));
    }

    [Fact]
    public void The_feed_publishes_every_meeting_with_the_cancelled_ones_marked()
    {
        var booked = DocumentSamples.Item(sequence: 0);
        var other = DocumentSamples.Item(sequence: 3, cancelled: true) with { MeetingId = Guid.NewGuid(), Kind = "FollowUp", PlaceType = "Remote" };
        var text = MeetingCalendar.Feed("SIP-möten", [booked, other], Stamp);
        var feed = Parse(text);

        Assert.Equal("PUBLISH", feed.Method);
        Assert.Contains("\r\nX-WR-CALNAME:SIP-möten\r\n", text);
        Assert.Single(feed.TimeZones);
        Assert.Equal(2, feed.Events.Count);
        var cancelled = feed.Events.Single(e => e.Uid == MeetingCalendar.Uid(other.MeetingId));
        Assert.Equal("CANCELLED", cancelled.Status);
        Assert.Equal(3, cancelled.Sequence);
        Assert.Equal("Telefon eller video", cancelled.Location);
        Assert.Equal("CONFIRMED", feed.Events.Single(e => e.Uid == MeetingCalendar.Uid(booked.MeetingId)).Status);
    }

    [Fact]
    public void An_empty_feed_is_still_a_valid_calendar()
    {
        var feed = Parse(MeetingCalendar.Feed("SIP-möten", [], Stamp));
        Assert.Equal("PUBLISH", feed.Method);
        Assert.Empty(feed.Events);
    }

    private static Calendar Parse(string text) => Calendar.Load(text) ?? throw new InvalidOperationException("Not a calendar.");

    private static List<string> PropertyNames(string text, string component)
    {
        // Unfold (RFC 5545 §3.1) and take the names of the component's own properties.
        var lines = text.Replace("\r\n ", "", StringComparison.Ordinal).Split("\r\n");
        var inside = lines.SkipWhile(l => l != $"BEGIN:{component}").Skip(1).TakeWhile(l => l != $"END:{component}");
        return inside.Select(l => l.Split([':', ';'], 2)[0]).Distinct().Order(StringComparer.Ordinal).ToList();
    }
}
