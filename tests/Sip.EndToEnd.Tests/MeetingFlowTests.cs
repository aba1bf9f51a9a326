using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Sip.Testing;
using static Sip.EndToEnd.Tests.Api;

namespace Sip.EndToEnd.Tests;

/// <summary>
/// A whole SIP through the gateway, as a region's and a municipality's systems drive it: initiative → summons → acknowledgement
/// with attendees → meeting held → plan version → evaluation meeting → closure, with the e-mails and calendar items in the SMTP sink.
/// </summary>
public sealed class MeetingFlowTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(60);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly Guid Norrby = ThinSlice.VardcentralenNorrby;
    private static readonly Guid Molndal = ThinSlice.SocialtjanstenMolndal;

    private static object Meeting(string kind, DateTimeOffset startsAt, string reason) => new
    {
        kind,
        startsAt,
        durationMinutes = 60,
        place = new { type = "Clinic", details = "Vårdcentralen Norrby, rum 3" },
        chair = new { name = "Anna Lind", unitId = Norrby },
        coordinator = new { name = "Anna Lind", unitId = Norrby, phone = "031-123 45 67" },
        reason,
        summonedUnitIds = new[] { Molndal },
    };

    [Fact]
    public async Task From_initiative_to_closure_the_meetings_drive_the_plan_and_every_unit_is_summoned_by_email_with_a_calendar_item()
    {
        var personnummer = Platform.NewPersonnummer();
        var individual = await ThinSlice.RecordConsentAsync(personnummer, Norrby, Molndal);
        var opened = await JsonAsync(await ThinSlice.OpenCaseAsync(individual, await Platform.FreshMunicipalityCodeAsync(), Molndal), HttpStatusCode.Created);
        var (caseId, reference) = (opened.GetProperty("caseId").GetGuid(), opened.GetProperty("reference").GetString()!);
        var initiative = opened.GetProperty("initiatives")[0].GetProperty("initiativeId").GetGuid();
        using var anna = Platform.As("anna");
        using var erik = Platform.As("erik");
        await JsonAsync(await erik.PostAsJsonAsync($"api/v1/cases/{caseId}/initiatives/{initiative}/acknowledge", new { unitId = Molndal }, Ct), HttpStatusCode.OK);

        // Summons to the planning meeting: only units taking part may be summoned.
        var outside = await anna.PostAsJsonAsync("api/v1/meetings", new
        {
            caseId, unitId = Norrby, kind = "Planning", startsAt = DateTimeOffset.UtcNow.AddDays(2), durationMinutes = 60,
            place = new { type = "Clinic", details = "Rum 3" }, chair = new { name = "Anna Lind" }, coordinator = new { name = "Anna Lind" },
            reason = "Planera stödet", summonedUnitIds = new[] { ThinSlice.SocialtjanstenPartille },
        }, Ct);
        Assert.Equal("urn:sip:problem:unit-not-in-case", (await JsonAsync(outside, HttpStatusCode.UnprocessableEntity)).GetProperty("type").GetString());
        var booked = await JsonAsync(await anna.PostAsJsonAsync("api/v1/meetings",
            new { caseId, unitId = Norrby, kind = "Planning", startsAt = DateTimeOffset.UtcNow.AddMinutes(5), durationMinutes = 60,
                place = new { type = "Clinic", details = "Vårdcentralen Norrby, rum 3" }, chair = new { name = "Anna Lind", unitId = Norrby },
                coordinator = new { name = "Anna Lind", unitId = Norrby, phone = "031-123 45 67" }, reason = "Planera stödet efter utskrivningen",
                summonedUnitIds = new[] { Molndal } }, Ct), HttpStatusCode.Created);
        var planning = booked.GetProperty("meeting");
        var planningId = planning.GetProperty("meetingId").GetGuid();
        var summonsId = planning.GetProperty("summons")[0].GetProperty("summonsId").GetGuid();

        // Socialtjänsten's mailbox gets the summons with the meeting's calendar item: reference, kind, time and link only.
        var summonsMail = await MailWithCalendarAsync(reference, planningId);
        Assert.Equal(ThinSlice.SocialtjanstenMolndalMailbox, Assert.Single(summonsMail.To).Address);
        Assert.DoesNotMatch(Platform.IdentityNumberLike(), summonsMail.Text + summonsMail.Subject);
        Assert.DoesNotContain("Planera stödet", summonsMail.Text, StringComparison.Ordinal);
        var awaiting = await JsonAsync(await erik.GetAsync($"api/v1/meetings/summons?unitId={Molndal}", Ct), HttpStatusCode.OK);
        Assert.Contains(awaiting.EnumerateArray(), s => s.GetProperty("summonsId").GetGuid() == summonsId);
        var acknowledged = await JsonAsync(await erik.PostAsJsonAsync($"api/v1/meetings/{planningId}/summons/{summonsId}/acknowledge",
            new { unitId = Molndal, attendees = new[] { new { name = "Erik Ek", mode = "Video", role = "Socialsekreterare" } } }, Ct), HttpStatusCode.OK);
        Assert.Equal("Acknowledged", acknowledged.GetProperty("status").GetString());

        // The meeting is held: who took part and how, and the evaluation meeting booked there and then.
        var held = await JsonAsync(await anna.PostAsJsonAsync($"api/v1/meetings/{planningId}/held", new
        {
            unitId = Norrby,
            participants = new object[]
            {
                new { name = "Kim Berg", mode = "InPerson", role = "Den enskilde" },
                new { name = "Anna Lind", mode = "InPerson", unitId = Norrby, role = "Distriktssköterska" },
                new { name = "Erik Ek", mode = "Video", unitId = Molndal, role = "Socialsekreterare" },
            },
            nextMeeting = Meeting("Evaluation", DateTimeOffset.UtcNow.AddMinutes(10), "Utvärdera planen"),
        }, Ct), HttpStatusCode.OK);
        var evaluationId = held.GetProperty("nextMeeting").GetProperty("meetingId").GetGuid();

        // The case service opens the plan's first version from the held meeting.
        var plans = $"api/v1/cases/{caseId}/plans";
        JsonElement versions = default;
        await Eventually.HoldsAsync(async () =>
        {
            versions = await JsonAsync(await anna.GetAsync($"{plans}?unitId={Norrby}", Ct), HttpStatusCode.OK);
            return versions.GetArrayLength() == 1;
        }, Soon, "case opens version 1 when the planning meeting is held");
        Assert.Equal("Draft", versions[0].GetProperty("status").GetString());
        var (boendestod, samtal) = (Guid.NewGuid(), Guid.NewGuid());
        var etag = (await anna.GetAsync($"{plans}/1?unitId={Norrby}", Ct)).Headers.ETag!.ToString();
        await JsonAsync(await PutAsync(anna, $"{plans}/1", new { unitId = Norrby, content = PlanLifeTests.Content(boendestod, samtal, "Stöttande syster") }, etag), HttpStatusCode.OK);
        await JsonAsync(await anna.PostAsJsonAsync($"{plans}/1/sign", new { unitId = Norrby }, Ct), HttpStatusCode.OK);
        await JsonAsync(await PlanLifeTests.LockAsync(anna, plans, (await anna.GetAsync($"{plans}/1?unitId={Norrby}", Ct)).Headers.ETag!.ToString()), HttpStatusCode.OK);
        await JsonAsync(await erik.PostAsJsonAsync($"{plans}/1/activities/{boendestod}/status", new { unitId = Molndal, status = "Done", comment = "Klart." }, Ct), HttpStatusCode.OK);

        // The evaluation meeting: summoned by e-mail too, held, and the case closed with it.
        var evaluationMail = await MailWithCalendarAsync(reference, evaluationId);
        Assert.Contains("utvärdering", evaluationMail.Subject, StringComparison.OrdinalIgnoreCase);
        var evaluationSummons = (await JsonAsync(await erik.GetAsync($"api/v1/meetings/{evaluationId}?unitId={Molndal}", Ct), HttpStatusCode.OK))
            .GetProperty("summons")[0].GetProperty("summonsId").GetGuid();
        await JsonAsync(await erik.PostAsJsonAsync($"api/v1/meetings/{evaluationId}/summons/{evaluationSummons}/acknowledge",
            new { unitId = Molndal, attendees = new[] { new { name = "Erik Ek", mode = "InPerson" } } }, Ct), HttpStatusCode.OK);
        await JsonAsync(await anna.PostAsJsonAsync($"api/v1/meetings/{evaluationId}/held", new
        {
            unitId = Norrby,
            participants = new object[] { new { name = "Kim Berg", mode = "InPerson" }, new { name = "Anna Lind", mode = "InPerson", unitId = Norrby },
                new { name = "Erik Ek", mode = "InPerson", unitId = Molndal } },
        }, Ct), HttpStatusCode.OK);
        var closed = await JsonAsync(await anna.PostAsJsonAsync($"api/v1/cases/{caseId}/close", new
        {
            unitId = Norrby, withEvaluationMeeting = true, decidedBy = new[] { "Kim Berg", "Anna Lind", "Erik Ek" }, comment = "Målen är nådda.",
        }, Ct), HttpStatusCode.OK);
        Assert.Equal("Closed", closed.GetProperty("status").GetString());

        // A closed case leaves no planned meeting behind: a follow-up booked after all is cancelled and everyone told.
        var meetings = await JsonAsync(await erik.GetAsync($"api/v1/meetings?caseId={caseId}&unitId={Molndal}", Ct), HttpStatusCode.OK);
        Assert.Equal(["Held", "Held"], meetings.EnumerateArray().Select(m => m.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Units_of_two_initiatives_sent_at_once_are_both_summoned_and_letters_feeds_and_cancellations_work_through_the_gateway()
    {
        var partille = ThinSlice.SocialtjanstenPartille;
        var individual = await ThinSlice.RecordConsentAsync(Platform.NewPersonnummer(), Norrby, Molndal, partille);
        var opened = await JsonAsync(await ThinSlice.OpenCaseAsync(individual, await Platform.FreshMunicipalityCodeAsync(), Molndal, partille), HttpStatusCode.Created);
        var (caseId, reference) = (opened.GetProperty("caseId").GetGuid(), opened.GetProperty("reference").GetString()!);
        using var anna = Platform.As("anna");

        // Both initiatives went out in one request; neither unit is lost to the meeting service.
        var booked = await JsonAsync(await anna.PostAsJsonAsync("api/v1/meetings", new
        {
            caseId, unitId = Norrby, kind = "Planning", startsAt = DateTimeOffset.Parse("2027-03-28T10:00:00+01:00", System.Globalization.CultureInfo.InvariantCulture),
            durationMinutes = 90, place = new { type = "Home" }, chair = new { name = "Anna Lind" }, coordinator = new { name = "Anna Lind", phone = "031-123 45 67" },
            reason = "Planera stödet i hemmet", summonedUnitIds = new[] { Molndal, partille },
        }, Ct), HttpStatusCode.Created);
        var meeting = booked.GetProperty("meeting");
        var meetingId = meeting.GetProperty("meetingId").GetGuid();
        Assert.Equal(new[] { Molndal, partille }.Order(), meeting.GetProperty("summons").EnumerateArray().Select(s => s.GetProperty("unitId").GetGuid()).Order());
        Assert.Contains("söndag 28 mars 2027", meeting.GetProperty("localTime").GetString(), StringComparison.Ordinal);

        // An invitation letter to the individual, as HTML and as a PDF printed by headless Chromium.
        var letter = await JsonAsync(await anna.PostAsJsonAsync($"api/v1/meetings/{meetingId}/letters", new { unitId = Norrby, kind = "Individual", name = "Kim Berg" }, Ct),
            HttpStatusCode.Created);
        var letterPath = $"api/v1/meetings/{meetingId}/letters/{letter.GetProperty("letterId").GetGuid()}";
        var html = await anna.GetStringAsync($"{letterPath}?unitId={Norrby}", Ct);
        Assert.Contains("Kim Berg", html, StringComparison.Ordinal);
        Assert.Contains("Planera stödet i hemmet", html, StringComparison.Ordinal);
        Assert.DoesNotMatch(Platform.IdentityNumberLike(), html);
        var pdf = await anna.GetAsync($"{letterPath}/pdf?unitId={Norrby}", Ct);
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString((await pdf.Content.ReadAsByteArrayAsync(Ct))[..4]));

        // Mölndal's unit administrator gives the unit a calendar feed; a calendar client reads it without a token.
        using var ulla = Platform.As("ulla");
        var feed = await JsonAsync(await ulla.PostAsync($"api/v1/meetings/calendar-feeds/{Molndal}", null, Ct), HttpStatusCode.OK);
        using var calendarClient = new HttpClient { BaseAddress = Platform.Gateway };
        var ics = await calendarClient.GetStringAsync(feed.GetProperty("path").GetString()!.TrimStart('/'), Ct);
        Assert.Contains($"UID:{meetingId}", ics, StringComparison.Ordinal);
        Assert.DoesNotContain("Kim", ics, StringComparison.Ordinal);
        Assert.DoesNotContain("Planera stödet", ics, StringComparison.Ordinal);

        // Cancelled: every invited unit is told, with the calendar item's cancellation.
        await JsonAsync(await anna.PostAsJsonAsync($"api/v1/meetings/{meetingId}/cancel", new { unitId = Norrby }, Ct), HttpStatusCode.OK);
        await Eventually.HoldsAsync(async () =>
        {
            var mails = (await Platform.MailsAsync()).Where(m => m.Subject.Contains(reference, StringComparison.Ordinal) && m.Subject.Contains("inställt", StringComparison.Ordinal)).ToList();
            return mails.Any(m => m.To.Any(t => t.Address == ThinSlice.SocialtjanstenMolndalMailbox)) && mails.Any(m => m.To.Any(t => t.Address == "barn-unga@partille-demo.example"));
        }, Soon, "both summoned units are told the meeting is cancelled");
    }

    /// <summary>The e-mail about <paramref name="reference"/> that carries the meeting's calendar item (its UID names the meeting).</summary>
    private static async Task<Mail> MailWithCalendarAsync(string reference, Guid meetingId)
    {
        Mail? found = null;
        await Eventually.HoldsAsync(async () =>
        {
            found = (await Platform.MailsAsync()).FirstOrDefault(m => m.Subject.Contains(reference, StringComparison.Ordinal)
                && m.Attachments?.Any(a => a.ContentType.StartsWith("text/calendar", StringComparison.Ordinal)) == true
                && m.Text.Contains(meetingId.ToString(), StringComparison.Ordinal));
            return found is not null;
        }, Soon, $"a summons e-mail for {reference} with a calendar item reaches the SMTP sink");
        var attachment = found!.Attachments!.First(a => a.ContentType.StartsWith("text/calendar", StringComparison.Ordinal));
        using var http = new HttpClient { BaseAddress = Platform.MailApi };
        var ics = await http.GetStringAsync($"email/{found.Id}/attachment/{Uri.EscapeDataString(attachment.GeneratedFileName)}");
        Assert.Contains($"UID:{meetingId}", ics, StringComparison.Ordinal);
        Assert.Contains(reference, ics, StringComparison.Ordinal);
        Assert.DoesNotMatch(Platform.IdentityNumberLike(), ics);
        return found;
    }
}
