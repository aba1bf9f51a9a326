using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Sip.Contracts.Case;
using Sip.Contracts.Grpc.Consent.V1;
using Sip.Contracts.Meetings;
using Sip.Messaging;
using Sip.Testing;

namespace Sip.MeetingScheduling.Tests.Service;

/// <summary>The meeting service through its HTTP API, on a real PostgreSQL and RabbitMQ, with the case and consent services stood in.</summary>
public sealed class MeetingServiceTests(MeetingServiceHost host) : IClassFixture<MeetingServiceHost>
{
    private static readonly Guid Vardcentral = Guid.NewGuid();
    private static readonly Guid Socialtjanst = Guid.NewGuid();
    private static readonly Guid Bup = Guid.NewGuid();
    private static readonly Guid Outsider = Guid.NewGuid();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private TestCase NewCase(bool discharge = false) => host.Cases.Add(new TestCase(Guid.NewGuid(), $"SIP-2026-{Random.Shared.Next(100000, 999999)}",
        [(Vardcentral, "Vårdcentralen Norrby", "Region"), (Socialtjanst, "Socialtjänsten Mölndal", "Municipality"), (Bup, "BUP Mölndal", "Region")],
        discharge, host.Clock.Now.AddDays(-3)));

    private static object Booking(TestCase c, DateTimeOffset startsAt, string kind = "Planning", Guid[]? summoned = null, string placeType = "Clinic",
        string? details = "Vårdcentralen Norrby, rum 3") => new
    {
        caseId = c.CaseId,
        unitId = Vardcentral,
        kind,
        startsAt,
        durationMinutes = 90,
        place = new { type = placeType, details },
        chair = new { name = "Anna Andersson", unitId = Vardcentral },
        coordinator = new { name = "Anna Andersson", unitId = Vardcentral, phone = "031-123 45 67" },
        reason = "Planera stödet efter utskrivningen",
        summonedUnitIds = summoned ?? [Socialtjanst, Bup],
    };

    private async Task<JsonElement> BookAsync(TestCase c, DateTimeOffset startsAt, string kind = "Planning", Guid[]? summoned = null, string placeType = "Clinic",
        string? details = "Vårdcentralen Norrby, rum 3") =>
        await (await host.Staff(Vardcentral).PostAsJsonAsync("/api/v1/meetings", Booking(c, startsAt, kind, summoned, placeType, details), Ct)).JsonAsync(HttpStatusCode.Created);

    private static Guid SummonsOf(JsonElement booked, Guid unit) =>
        booked.GetProperty("meeting").GetProperty("summons").EnumerateArray().Single(s => s.GetProperty("unitId").GetGuid() == unit).GetProperty("summonsId").GetGuid();

    private static Guid MeetingId(JsonElement booked) => booked.GetProperty("meeting").GetProperty("meetingId").GetGuid();

    [Fact]
    public async Task Booking_summons_the_units_taking_part_and_refuses_a_unit_outside_the_case_with_422()
    {
        var c = NewCase();
        var sent = await host.ListenAsync<SummonsSent>();

        var refused = await host.Staff(Vardcentral).PostAsJsonAsync("/api/v1/meetings", Booking(c, host.Clock.Now.AddDays(5), summoned: [Socialtjanst, Outsider]), Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("urn:sip:problem:unit-not-in-case", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(0, await host.QueryAsync(db => db.Meetings.CountAsync(m => m.CaseId == c.CaseId, Ct)));

        var booked = await BookAsync(c, host.Clock.Now.AddDays(5));
        var summons = await sent.WaitForAsync(m => m.GetProperty("summonsId").GetGuid() == SummonsOf(booked, Socialtjanst));
        Assert.Equal(c.Reference, summons.GetProperty("caseReference").GetString());
        Assert.Contains("BEGIN:VCALENDAR", summons.GetProperty("calendar").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Planera stödet", summons.GetRawText(), StringComparison.Ordinal);

        var outsider = await host.Staff(Outsider).GetAsync($"/api/v1/meetings/{MeetingId(booked)}?unitId={Outsider}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, outsider.StatusCode);
    }

    [Fact]
    public async Task A_summons_sent_on_Maundy_Thursday_is_due_the_Tuesday_after_Easter_and_only_the_unanswered_one_becomes_overdue_once()
    {
        host.Clock.Now = new DateTimeOffset(2026, 4, 2, 9, 0, 0, TimeSpan.FromHours(2));
        var c = NewCase();
        var overdue = await host.ListenAsync<SummonsOverdue>();
        var booked = await BookAsync(c, new DateTimeOffset(2026, 4, 14, 10, 0, 0, TimeSpan.FromHours(2)));
        var social = booked.GetProperty("meeting").GetProperty("summons").EnumerateArray().Single(s => s.GetProperty("unitId").GetGuid() == Socialtjanst);
        Assert.Equal(new DateTimeOffset(2026, 4, 7, 9, 0, 0, TimeSpan.FromHours(2)), social.GetProperty("dueAt").GetDateTimeOffset());

        host.Clock.Now = new DateTimeOffset(2026, 4, 7, 8, 30, 0, TimeSpan.FromHours(2));
        var ack = await host.Staff(Socialtjanst).PostAsJsonAsync($"/api/v1/meetings/{MeetingId(booked)}/summons/{SummonsOf(booked, Socialtjanst)}/acknowledge",
            new { unitId = Socialtjanst, attendees = new[] { new { name = "Erik Ek", mode = "InPerson" }, new { name = "Lisa Lund", mode = "Phone" } } }, Ct);
        var answered = await ack.JsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, answered.GetProperty("attendees").GetArrayLength());

        host.Clock.Now = new DateTimeOffset(2026, 4, 7, 9, 1, 0, TimeSpan.FromHours(2));
        var late = await overdue.WaitForAsync(m => m.GetProperty("caseId").GetGuid() == c.CaseId);
        Assert.Equal(SummonsOf(booked, Bup), late.GetProperty("summonsId").GetGuid());

        var inbox = await (await host.Staff(Bup).GetAsync($"/api/v1/meetings/summons?unitId={Bup}", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.True(inbox.EnumerateArray().Single(s => s.GetProperty("caseId").GetGuid() == c.CaseId).GetProperty("overdue").GetBoolean());
        Assert.Equal(1, await OutboxCountAsync(nameof(SummonsOverdue), c.CaseId));
    }

    [Fact]
    public async Task A_meeting_on_the_day_summer_time_starts_is_stored_as_the_instant_and_shown_in_Swedish_time()
    {
        host.Clock.Now = new DateTimeOffset(2026, 3, 20, 9, 0, 0, TimeSpan.FromHours(1));
        var c = NewCase();
        var booked = await BookAsync(c, DateTimeOffset.Parse("2026-03-29T10:00:00+02:00", null));
        var meeting = booked.GetProperty("meeting");
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 8, 0, 0, TimeSpan.Zero), meeting.GetProperty("startsAt").GetDateTimeOffset());
        Assert.Contains("10.00", meeting.GetProperty("localTime").GetString(), StringComparison.Ordinal);

        var calendar = await (await host.Staff(Socialtjanst).GetAsync($"/api/v1/meetings/{MeetingId(booked)}/calendar?unitId={Socialtjanst}", Ct)).Content.ReadAsStringAsync(Ct);
        var parsed = Ical.Net.Calendar.Load(calendar)!;
        Assert.Equal(new DateTime(2026, 3, 29, 8, 0, 0, DateTimeKind.Utc), parsed.Events.Single().Start!.AsUtc);
    }

    [Fact]
    public async Task The_same_unit_booked_twice_at_once_is_a_warning_not_a_refusal()
    {
        host.Clock.Now = DateTimeOffset.UtcNow;
        var first = NewCase();
        var second = NewCase();
        var at = host.Clock.Now.AddDays(10);
        await BookAsync(first, at, summoned: [Socialtjanst]);
        var booked = await BookAsync(second, at.AddMinutes(30), summoned: [Socialtjanst]);
        var warnings = booked.GetProperty("warnings").EnumerateArray().ToList();
        Assert.Contains(warnings, w => w.GetProperty("unitId").GetGuid() == Socialtjanst && w.GetProperty("code").GetString() == "unit-double-booked");
    }

    [Fact]
    public async Task Moving_a_meeting_tells_everyone_invited_and_raises_the_calendar_sequence()
    {
        host.Clock.Now = DateTimeOffset.UtcNow;
        var c = NewCase();
        var moved = await host.ListenAsync<MeetingRescheduled>();
        var booked = await BookAsync(c, host.Clock.Now.AddDays(7));
        var response = await host.Staff(Vardcentral).PutAsJsonAsync($"/api/v1/meetings/{MeetingId(booked)}/schedule",
            new { unitId = Vardcentral, startsAt = host.Clock.Now.AddDays(8), durationMinutes = 60, place = new { type = "Remote", details = "Länk i kallelsen" } }, Ct);
        await response.JsonAsync(HttpStatusCode.OK);
        var message = await moved.WaitForAsync(m => m.GetProperty("meetingId").GetGuid() == MeetingId(booked));
        Assert.Equal(1, message.GetProperty("sequence").GetInt32());
        Assert.Equal(new[] { Vardcentral, Socialtjanst, Bup }.Order(), message.GetProperty("invitedUnitIds").EnumerateArray().Select(u => u.GetGuid()).Order());
        Assert.Contains("SEQUENCE:1", message.GetProperty("calendar").GetString(), StringComparison.Ordinal);

        var notOrganiser = await host.Staff(Socialtjanst).PostAsJsonAsync($"/api/v1/meetings/{MeetingId(booked)}/cancel", new { unitId = Socialtjanst }, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, notOrganiser.StatusCode);
    }

    [Fact]
    public async Task A_cancelled_case_cancels_every_planned_meeting_and_its_summons_and_tells_everyone_invited()
    {
        host.Clock.Now = DateTimeOffset.UtcNow;
        var c = NewCase();
        var cancelled = await host.ListenAsync<MeetingCancelled>();
        var booked = await BookAsync(c, host.Clock.Now.AddDays(7));

        await host.PublishAsync(new CaseCancelled(Guid.NewGuid(), host.Clock.Now, MeetingServiceHost.Tenant, c.CaseId, c.Reference, "ConsentWithdrawn", [Vardcentral, Socialtjanst, Bup], []));

        var message = await cancelled.WaitForAsync(m => m.GetProperty("meetingId").GetGuid() == MeetingId(booked));
        Assert.Equal("CaseCancelled", message.GetProperty("cause").GetString());
        Assert.Contains("METHOD:CANCEL", message.GetProperty("calendar").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, message.GetProperty("invitedUnitIds").GetArrayLength());
        var meeting = await (await host.Staff(Vardcentral).GetAsync($"/api/v1/meetings/{MeetingId(booked)}?unitId={Vardcentral}", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Cancelled", meeting.GetProperty("status").GetString());
        Assert.All(meeting.GetProperty("summons").EnumerateArray(), s => Assert.Equal("Cancelled", s.GetProperty("status").GetString()));
        Assert.Equal(0, await host.QueryAsync(db => db.Set<ScheduledEvent>().CountAsync(t => t.Key.StartsWith("summons/") && t.FiredAt == null && t.CancelledAt == null
            && db.Summons.Any(s => s.MeetingId == MeetingId(booked) && t.Key.StartsWith("summons/" + s.Id)), Ct)));
    }

    [Fact]
    public async Task Holding_a_meeting_records_who_took_part_books_the_next_and_publishes_the_facts_case_and_statistics_need()
    {
        host.Clock.Now = DateTimeOffset.UtcNow;
        var c = NewCase();
        var held = await host.ListenAsync<MeetingHeld>();
        var booked = await BookAsync(c, host.Clock.Now.AddHours(2));
        host.Clock.Now = host.Clock.Now.AddHours(4);

        var noHow = await host.Staff(Vardcentral).PostAsJsonAsync($"/api/v1/meetings/{MeetingId(booked)}/held", new
        {
            unitId = Vardcentral,
            participants = new object[] { new { name = "Anna Andersson", mode = "InPerson", unitId = Vardcentral }, new { name = "Kim (barnet)", mode = "NotPresent" } },
        }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, noHow.StatusCode);

        var response = await host.Staff(Vardcentral).PostAsJsonAsync($"/api/v1/meetings/{MeetingId(booked)}/held", new
        {
            unitId = Vardcentral,
            participants = new object[]
            {
                new { name = "Anna Andersson", mode = "InPerson", unitId = Vardcentral, role = "Distriktssköterska" },
                new { name = "Erik Ek", mode = "Video", unitId = Socialtjanst },
                new { name = "Kim (barnet)", mode = "NotPresent", role = "Den enskilde", howInformed = "Genom vårdnadshavare" },
            },
            nextMeeting = new
            {
                kind = "FollowUp", startsAt = host.Clock.Now.AddDays(90), durationMinutes = 60, place = new { type = "Clinic", details = "Vårdcentralen Norrby" },
                chair = new { name = "Anna Andersson" }, coordinator = new { name = "Anna Andersson", unitId = Vardcentral }, reason = "Följa upp planen",
                summonedUnitIds = new[] { Socialtjanst },
            },
        }, Ct);
        var result = await response.JsonAsync(HttpStatusCode.OK);
        var next = result.GetProperty("nextMeeting");
        Assert.Equal("FollowUp", next.GetProperty("kind").GetString());
        Assert.Equal(MeetingId(booked), next.GetProperty("previousMeetingId").GetGuid());
        Assert.Equal("NotPresent", result.GetProperty("meeting").GetProperty("participants")[2].GetProperty("mode").GetString());

        var message = await held.WaitForAsync(m => m.GetProperty("meetingId").GetGuid() == MeetingId(booked));
        Assert.True(message.GetProperty("physical").GetBoolean());
        Assert.Equal(1, message.GetProperty("regionUnitsInPerson").GetInt32());
        Assert.True(message.GetProperty("firstMeetingOfCase").GetBoolean());
        Assert.Equal(Vardcentral, message.GetProperty("coordinatorUnitId").GetGuid());
        Assert.Equal(next.GetProperty("meetingId").GetGuid(), message.GetProperty("nextMeetingId").GetGuid());
        Assert.DoesNotContain("Kim", message.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invitation_letter_names_the_home_only_where_consent_allows_and_prints_to_pdf()
    {
        host.Clock.Now = DateTimeOffset.UtcNow;
        var c = NewCase();
        host.Cases.Disclosures["Guardian"] = new LetterDisclosureReply { HomeAddressVisible = false, ProtectedIdentity = true, RecipientName = "Lena Berg", RecipientAddress = "Box 1, 431 00 Mölndal" };
        host.Cases.Disclosures["Individual"] = new LetterDisclosureReply { HomeAddressVisible = true, IndividualAddress = "Hemliga gatan 7, 431 30 Mölndal" };
        var booked = await BookAsync(c, host.Clock.Now.AddDays(6), placeType: "Home", details: null);
        var staff = host.Staff(Vardcentral);

        var guardian = await (await staff.PostAsJsonAsync($"/api/v1/meetings/{MeetingId(booked)}/letters",
            new { unitId = Vardcentral, kind = "Guardian", representativeId = Guid.NewGuid() }, Ct)).JsonAsync(HttpStatusCode.Created);
        var individual = await (await staff.PostAsJsonAsync($"/api/v1/meetings/{MeetingId(booked)}/letters",
            new { unitId = Vardcentral, kind = "Individual", name = "Kim <b>Berg</b>" }, Ct)).JsonAsync(HttpStatusCode.Created);

        var toGuardian = await staff.GetStringAsync($"/api/v1/meetings/{MeetingId(booked)}/letters/{guardian.GetProperty("letterId").GetGuid()}?unitId={Vardcentral}", Ct);
        Assert.Contains("Lena Berg", toGuardian, StringComparison.Ordinal);
        Assert.DoesNotContain("Hemliga gatan", toGuardian, StringComparison.Ordinal);
        Assert.Contains("Planera stödet efter utskrivningen", toGuardian, StringComparison.Ordinal);
        var toIndividual = await staff.GetStringAsync($"/api/v1/meetings/{MeetingId(booked)}/letters/{individual.GetProperty("letterId").GetGuid()}?unitId={Vardcentral}", Ct);
        Assert.Contains("Hemliga gatan 7", toIndividual, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>Berg</b>", toIndividual, StringComparison.Ordinal);

        var pdf = await staff.GetAsync($"/api/v1/meetings/{MeetingId(booked)}/letters/{guardian.GetProperty("letterId").GetGuid()}/pdf?unitId={Vardcentral}", Ct);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(await pdf.Content.ReadAsByteArrayAsync(Ct))[..4], StringComparison.Ordinal);

        var preMeeting = await BookAsync(c, host.Clock.Now.AddDays(3), kind: "PreMeeting");
        var refused = await staff.PostAsJsonAsync($"/api/v1/meetings/{MeetingId(preMeeting)}/letters", new { unitId = Vardcentral, kind = "School", name = "Rektor" }, Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
    }

    [Fact]
    public async Task A_units_calendar_feed_opens_with_its_secret_only_until_an_administrator_rotates_it()
    {
        host.Clock.Now = DateTimeOffset.UtcNow;
        var c = NewCase();
        var booked = await BookAsync(c, host.Clock.Now.AddDays(4));
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Staff(Socialtjanst).PostAsync($"/api/v1/meetings/calendar-feeds/{Socialtjanst}", null, Ct)).StatusCode);

        var admin = host.UnitAdministrator(Socialtjanst);
        var first = (await (await admin.PostAsync($"/api/v1/meetings/calendar-feeds/{Socialtjanst}", null, Ct)).JsonAsync(HttpStatusCode.OK)).GetProperty("path").GetString()!;
        var feed = await host.Anonymous().GetStringAsync(first, Ct);
        Assert.Contains($"{MeetingId(booked)}", feed, StringComparison.Ordinal);
        Assert.Contains(c.Reference, feed, StringComparison.Ordinal);
        Assert.DoesNotContain("Anna Andersson", feed, StringComparison.Ordinal);
        Assert.DoesNotContain("Planera stödet", feed, StringComparison.Ordinal);

        var second = (await (await admin.PostAsync($"/api/v1/meetings/calendar-feeds/{Socialtjanst}", null, Ct)).JsonAsync(HttpStatusCode.OK)).GetProperty("path").GetString()!;
        Assert.NotEqual(first, second);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Anonymous().GetAsync(first, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Anonymous().GetAsync(second, Ct)).StatusCode);
    }

    private Task<int> OutboxCountAsync(string type, Guid caseId) =>
        host.QueryAsync(db => db.Set<OutboxMessage>().CountAsync(o => o.MessageType.EndsWith("." + type) && o.AggregateId == caseId.ToString(), Ct));

    [Fact]
    public async Task A_held_meeting_is_counted_with_the_age_band_on_the_day_it_was_held_the_sex_and_the_target_group_case_holds()
    {
        // 3 June 2027: someone born in June 1962 has turned 65 (the birthday counts from the first of the month).
        host.Clock.Now = new DateTimeOffset(2027, 6, 3, 6, Random.Shared.Next(0, 59), Random.Shared.Next(0, 59), TimeSpan.Zero);
        var elder = NewCase();
        (elder.BirthYear, elder.BirthMonth, elder.Sex, elder.TargetGroup) = (1962, 6, "Female", "Dementia");
        var unknown = NewCase();
        await using var facts = await host.ListenAsync<Sip.Contracts.Statistics.MeetingHeldFact>();
        var bookedElder = await BookAsync(elder, host.Clock.Now.AddHours(1));
        var bookedUnknown = await BookAsync(unknown, host.Clock.Now.AddHours(2));
        host.Clock.Now = host.Clock.Now.AddHours(3);
        var heldAt = new Dictionary<string, DateTimeOffset>();
        foreach (var (name, booked, at) in new[] { ("elder", bookedElder, host.Clock.Now.AddMinutes(-100)), ("unknown", bookedUnknown, host.Clock.Now.AddMinutes(-50)) })
        {
            heldAt[name] = at;
            await (await host.Staff(Vardcentral).PostAsJsonAsync($"/api/v1/meetings/{MeetingId(booked)}/held", new
            {
                unitId = Vardcentral, heldAt = at,
                participants = new object[] { new { name = "Anna Andersson", mode = "InPerson", unitId = Vardcentral }, new { name = "Erik Ek", mode = "InPerson", unitId = Socialtjanst } },
            }, Ct)).JsonAsync(HttpStatusCode.OK);
        }

        var ofElder = (await facts.WaitForAsync(f => f.GetProperty("heldAt").GetDateTimeOffset() == heldAt["elder"])).GetProperty("dimensions");
        var ofUnknown = (await facts.WaitForAsync(f => f.GetProperty("heldAt").GetDateTimeOffset() == heldAt["unknown"])).GetProperty("dimensions");

        Assert.Equal(("65-79", "Female", "Dementia", "Region", "14"), (ofElder.GetProperty("ageBand").GetString(), ofElder.GetProperty("sex").GetString(),
            ofElder.GetProperty("targetGroup").GetString(), ofElder.GetProperty("principal").GetString(), ofElder.GetProperty("regionCode").GetString()));
        Assert.Equal(("Unknown", "Unknown", "Unknown"), (ofUnknown.GetProperty("ageBand").GetString(), ofUnknown.GetProperty("sex").GetString(),
            ofUnknown.GetProperty("targetGroup").GetString()));
    }
}
