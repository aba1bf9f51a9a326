using System.Text.RegularExpressions;
using Sip.Notification.Domain;

namespace Sip.Notification.Tests;

public sealed partial class MeetingNoticeTextTests
{
    private const string Reference = "SIP-2026-000123";
    private const string MeetingUid = "0195a7c4-0000-7000-8000-000000000001@sip-platform";
    private const string Calendar = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//SV\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:" + MeetingUid
        + "\r\nDTSTAMP:20260701T080000Z\r\nDTSTART:20260703T081500Z\r\nDTEND:20260703T094500Z\r\nSUMMARY:SIP-möte\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    private static readonly Uri MeetingLink = new("https://sip.example.se/moten/0195a7c4-0000-7000-8000-000000000001");
    private static readonly Uri CaseLink = new("https://sip.example.se/cases/0195a7c4-0000-7000-8000-000000000002");

    // A summer meeting, 10:15–11:45 Swedish time, to be answered the day before at 14:00.
    private static readonly DateTimeOffset StartsAt = new(2026, 7, 3, 8, 15, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset EndsAt = new(2026, 7, 3, 9, 45, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset DueAt = new(2026, 7, 2, 12, 0, 0, TimeSpan.Zero);
    private const string StartsText = "fredag 3 juli 2026 kl. 10:15";
    private const string SpanText = "fredag 3 juli 2026 kl. 10:15–11:45";
    private const string DueText = "torsdag 2 juli 2026 kl. 14:00";

    // What someone might put where a code or a reference belongs: a name, an identity number, an address, markup.
    private const string Hostile = "Anna Andersson 19121212-1212 anna.andersson@example.se Storgatan 1 <script>";

    [GeneratedRegex(@"(?<![0-9A-Fa-f-])(\d{6}|\d{8})[-+]?\d{4}(?![0-9A-Fa-f]|-[0-9A-Fa-f])")]
    private static partial Regex IdentityNumberLike();

    /// <summary>Every meeting text, given <paramref name="code"/> for every coded field and <paramref name="reference"/> as the case reference.</summary>
    private static IEnumerable<Message> AllTexts(string code, string reference) =>
    [
        Templates.SummonsReceived(reference, code, StartsAt, DueAt, MeetingLink, Calendar),
        Templates.MeetingRescheduled(reference, code, StartsAt, EndsAt, code, MeetingLink, Calendar),
        Templates.MeetingCancelled(reference, code, StartsAt, code, MeetingLink, Calendar),
        Templates.SummonsOverdue(reference, code, DueAt, MeetingLink),
        Templates.LusDeadline(reference, code, DueAt, passed: false, CaseLink),
        Templates.LusDeadline(reference, code, DueAt, passed: true, CaseLink),
    ];

    public static TheoryData<string> Codes =>
    [
        "Planning", "FollowUp", "Evaluation", "PreMeeting",
        "Home", "Clinic", "MunicipalOffice", "HospitalWard", "Remote",
        "Cancelled", "CaseCancelled", "CaseClosed",
        "Summons", "MeetingBeforeDischarge", "MeetingAfterDischarge",
    ];

    [Theory]
    [InlineData("Planning", "Kallelse till SIP-möte (planering) – ärende SIP-2026-000123")]
    [InlineData("FollowUp", "Kallelse till SIP-möte (uppföljning) – ärende SIP-2026-000123")]
    [InlineData("Evaluation", "Kallelse till SIP-möte (utvärdering) – ärende SIP-2026-000123")]
    [InlineData("PreMeeting", "Kallelse till SIP-möte (aktörsmöte) – ärende SIP-2026-000123")]
    public void A_summons_subject_names_the_meeting_kind_in_swedish_and_the_case_reference(string kind, string subject)
    {
        var message = Templates.SummonsReceived(Reference, kind, StartsAt, DueAt, MeetingLink, Calendar);

        Assert.Equal(subject, message.Subject);
    }

    [Fact]
    public void A_summons_gives_the_meeting_time_and_the_answer_deadline_in_swedish_time_and_links_to_the_meeting()
    {
        var message = Templates.SummonsReceived(Reference, "Planning", StartsAt, DueAt, MeetingLink, Calendar);

        Assert.Contains($"Tid: {StartsText}", message.Body, StringComparison.Ordinal);
        Assert.Contains($"senast {DueText}", message.Body, StringComparison.Ordinal);
        Assert.Contains(MeetingLink.ToString(), message.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void A_winter_meeting_time_is_shown_in_swedish_standard_time()
    {
        var message = Templates.MeetingRescheduled(Reference, "FollowUp", new DateTimeOffset(2026, 1, 15, 8, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(2026, 1, 15, 9, 30, 0, TimeSpan.Zero), "Clinic", MeetingLink, Calendar);

        Assert.Contains("Ny tid: torsdag 15 januari 2026 kl. 09:00–10:30", message.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Home", "Plats: hemma hos den enskilde")]
    [InlineData("Clinic", "Plats: mottagning")]
    [InlineData("MunicipalOffice", "Plats: kommunens lokaler")]
    [InlineData("HospitalWard", "Plats: vårdavdelning")]
    [InlineData("Remote", "Plats: på distans (telefon eller video)")]
    public void A_moved_meeting_names_its_place_type_in_swedish(string placeType, string line)
    {
        var message = Templates.MeetingRescheduled(Reference, "Planning", StartsAt, EndsAt, placeType, MeetingLink, Calendar);

        Assert.Equal("Mötet har flyttats: SIP-möte (planering) – ärende SIP-2026-000123", message.Subject);
        Assert.Contains(line, message.Body, StringComparison.Ordinal);
        Assert.Contains($"Ny tid: {SpanText}", message.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Cancelled", "Mötet är inställt av den som kallade.")]
    [InlineData("CaseCancelled", "Mötet är inställt eftersom samtycket har återkallats eller upphört.")]
    [InlineData("CaseClosed", "Mötet är inställt eftersom ärendet är avslutat.")]
    public void A_cancellation_gives_its_cause_in_swedish(string cause, string sentence)
    {
        var message = Templates.MeetingCancelled(Reference, "Evaluation", StartsAt, cause, MeetingLink, Calendar);

        Assert.Equal("Mötet är inställt: SIP-möte (utvärdering) – ärende SIP-2026-000123", message.Subject);
        Assert.Contains(sentence, message.Body, StringComparison.Ordinal);
        Assert.Contains(StartsText, message.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void An_overdue_summons_reminds_with_the_deadline_that_passed()
    {
        var message = Templates.SummonsOverdue(Reference, "Planning", DueAt, MeetingLink);

        Assert.Equal("Påminnelse: obesvarad kallelse till SIP-möte (planering) – ärende SIP-2026-000123", message.Subject);
        Assert.Contains($"senast {DueText}", message.Body, StringComparison.Ordinal);
        Assert.Contains(MeetingLink.ToString(), message.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Summons", "kallelse senast tre dagar efter utskrivningsklar")]
    [InlineData("MeetingBeforeDischarge", "rött spår: SIP-mötet hålls före utskrivning")]
    [InlineData("MeetingAfterDischarge", "SIP-möte inom fyra veckor efter utskrivning")]
    public void A_lus_deadline_names_the_obligation_and_whether_it_is_near_or_passed(string obligation, string what)
    {
        var approaching = Templates.LusDeadline(Reference, obligation, DueAt, passed: false, CaseLink);
        var breached = Templates.LusDeadline(Reference, obligation, DueAt, passed: true, CaseLink);

        Assert.Equal("LUS-tidsgräns närmar sig – ärende SIP-2026-000123", approaching.Subject);
        Assert.Equal("LUS-tidsgräns passerad – ärende SIP-2026-000123", breached.Subject);
        Assert.All([approaching, breached], m =>
        {
            Assert.Contains(what, m.Body, StringComparison.Ordinal);
            Assert.Contains($"Tidsgräns: {DueText}", m.Body, StringComparison.Ordinal);
            Assert.Contains(CaseLink.ToString(), m.Body, StringComparison.Ordinal);
        });
        Assert.Contains("närmar sig", approaching.Body, StringComparison.Ordinal);
        Assert.Contains("har passerats", breached.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Invitations_carry_the_calendar_item_as_a_request_and_a_cancellation_as_a_cancel()
    {
        var summons = Templates.SummonsReceived(Reference, "Planning", StartsAt, DueAt, MeetingLink, Calendar).Attachment;
        var moved = Templates.MeetingRescheduled(Reference, "Planning", StartsAt, EndsAt, "Clinic", MeetingLink, Calendar).Attachment;
        var cancelled = Templates.MeetingCancelled(Reference, "Planning", StartsAt, "Cancelled", MeetingLink, Calendar).Attachment;

        Assert.NotNull(summons);
        Assert.NotNull(moved);
        Assert.NotNull(cancelled);
        Assert.Equal(("sip-mote.ics", "text/calendar; method=REQUEST; charset=utf-8"), (summons.FileName, summons.ContentType));
        Assert.Contains("UID:" + MeetingUid, summons.Content, StringComparison.Ordinal);
        Assert.Contains("METHOD:CANCEL", cancelled.Content, StringComparison.Ordinal);
        Assert.Equal("text/calendar; method=REQUEST; charset=utf-8", moved.ContentType);
        Assert.Equal("text/calendar; method=CANCEL; charset=utf-8", cancelled.ContentType);
        Assert.Null(Templates.SummonsOverdue(Reference, "Planning", DueAt, MeetingLink).Attachment);
        Assert.Null(Templates.LusDeadline(Reference, "Summons", DueAt, passed: true, CaseLink).Attachment);
    }

    [Theory]
    [MemberData(nameof(Codes))]
    public void A_meeting_text_contains_nothing_but_the_reference_kind_times_place_type_and_link(string code)
    {
        foreach (var message in AllTexts(code, Reference))
        {
            // Take away what the template was given; the fixed Swedish text that remains has no digits, addresses or links.
            var rest = (message.Subject + "\n" + message.Body)
                .Replace(MeetingLink.ToString(), "", StringComparison.Ordinal)
                .Replace(CaseLink.ToString(), "", StringComparison.Ordinal)
                .Replace(Reference, "", StringComparison.Ordinal)
                .Replace(SpanText, "", StringComparison.Ordinal)
                .Replace(StartsText, "", StringComparison.Ordinal)
                .Replace(DueText, "", StringComparison.Ordinal);

            Assert.DoesNotMatch(@"\d", rest);
            Assert.DoesNotContain("http", rest, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("@", rest, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_name_or_identity_number_where_a_code_or_the_reference_belongs_never_reaches_the_text()
    {
        foreach (var message in AllTexts(Hostile, Hostile))
        {
            var text = (message.Subject + "\n" + message.Body)
                .Replace(MeetingLink.ToString(), "", StringComparison.Ordinal)
                .Replace(CaseLink.ToString(), "", StringComparison.Ordinal);

            Assert.DoesNotContain("Anna", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Storgatan", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<script>", text, StringComparison.Ordinal);
            Assert.DoesNotContain("@", text, StringComparison.Ordinal);
            Assert.DoesNotMatch(IdentityNumberLike(), text);
            Assert.Contains("(okänd ärendereferens)", message.Subject, StringComparison.Ordinal);
        }
    }
}
