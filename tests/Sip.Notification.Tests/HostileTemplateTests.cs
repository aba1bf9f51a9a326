using System.Reflection;
using Sip.Notification.Domain;

namespace Sip.Notification.Tests;

/// <summary>
/// Every template, found by reflection so a new one cannot be missed, rendered with a name, an identity number and an
/// address in every string it takes: none of it reaches the subject, body, attachment or SMS text.
/// </summary>
public sealed class HostileTemplateTests
{
    private static readonly Uri Link = new("https://sip.example.se/cases/0195a7c4-0000-7000-8000-000000000002");
    private static readonly DateTimeOffset At = new(2026, 7, 3, 8, 15, 0, TimeSpan.Zero);

    public static TheoryData<string> Templates() =>
        new(typeof(Templates).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.ReturnType == typeof(Message) || m.ReturnType == typeof(string))
            .Select(m => m.Name + "(" + string.Join(",", m.GetParameters().Select(p => p.ParameterType.Name)) + ")")
            .Distinct());

    [Theory]
    [MemberData(nameof(Templates))]
    public void A_template_given_hostile_input_in_every_string_prints_none_of_it(string signature)
    {
        var method = typeof(Templates).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Single(m => m.Name + "(" + string.Join(",", m.GetParameters().Select(p => p.ParameterType.Name)) + ")" == signature);
        var arguments = method.GetParameters().Select(p => Argument(p.ParameterType, p.Name!)).ToArray();

        var result = method.Invoke(null, arguments);

        var text = result switch
        {
            Message m => m.Subject + "\n" + m.Body + "\n" + m.Attachment?.Content,
            string s => s,
            _ => throw new InvalidOperationException($"{signature} returned {result}"),
        };
        HostileInput.AssertAbsent([text.Replace(Link.ToString(), "", StringComparison.Ordinal)]);
    }

    [Fact]
    public void The_meeting_calendar_keeps_its_times_and_uid_but_none_of_its_text()
    {
        var meeting = Guid.NewGuid();
        var hostile = $"""
            BEGIN:VCALENDAR
            VERSION:2.0
            PRODID:-//x//y//SV
            METHOD:REQUEST
            BEGIN:VEVENT
            UID:{meeting}@sip-platform
            SEQUENCE:4
            DTSTAMP:20260701T080000Z
            DTSTART:20260703T081500Z
            DTEND:20260703T091500Z
            SUMMARY:{HostileInput.Text}
            DESCRIPTION:{HostileInput.Text}
            LOCATION:{HostileInput.Text}
            ORGANIZER;CN=Anna Andersson:mailto:anna.andersson@example.se
            ATTENDEE;CN=Anna Andersson:mailto:anna.andersson@example.se
            X-PERSONNUMMER:19121212-1212
            END:VEVENT
            END:VCALENDAR
            """.Replace("\n", "\r\n", StringComparison.Ordinal);

        var clean = MeetingCalendarText.Clean(hostile, Link, "SIP-möte (planering) – ärende SIP-2026-000123", "REQUEST");

        Assert.NotNull(clean);
        HostileInput.AssertAbsent([clean.Replace(Link.ToString(), "", StringComparison.Ordinal)]);
        var calendar = Ical.Net.Calendar.Load(clean)!;
        var ev = Assert.Single(calendar.Events);
        Assert.Equal(($"{meeting}@sip-platform", 4, "REQUEST"), (ev.Uid, ev.Sequence, calendar.Method));
        Assert.Equal(new DateTime(2026, 7, 3, 8, 15, 0, DateTimeKind.Utc), ev.DtStart!.AsUtc);
        Assert.Equal("SIP-möte (planering) – ärende SIP-2026-000123", ev.Summary);
    }

    [Theory]
    [InlineData("not a calendar")]
    [InlineData("BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:Anna Andersson 19121212-1212\r\nDTSTART:20260703T081500Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")]
    public void A_calendar_that_cannot_be_read_or_has_no_meeting_uid_is_left_out(string calendar)
    {
        Assert.Null(MeetingCalendarText.Clean(calendar, Link, "SIP-möte", "REQUEST"));
    }

    private static object? Argument(Type type, string name) => type switch
    {
        _ when type == typeof(string) => HostileInput.Text,
        _ when type == typeof(Uri) => Link,
        _ when type == typeof(DateTimeOffset) || type == typeof(DateTimeOffset?) => At,
        _ when type == typeof(bool) => true,
        _ when type == typeof(int) => 2,
        _ when type == typeof(DateOnly) => new DateOnly(2026, 7, 3),
        _ when type == typeof(IReadOnlyList<(string, string, DateTimeOffset?, string)>) =>
            new List<(string, string, DateTimeOffset?, string)> { (HostileInput.Text, HostileInput.Text, At, HostileInput.Text), (EventKinds.PlanLocked, HostileInput.Text, null, Link.ToString()) },
        _ => throw new InvalidOperationException($"No hostile value for a {type.Name} ({name}): teach the test the new parameter."),
    };
}
