using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Sip.Testing;
using static Sip.EndToEnd.Tests.Api;

namespace Sip.EndToEnd.Tests;

/// <summary>The preparation phase of the SIP process through the gateway, as municipal and regional systems call it.</summary>
public sealed class CaseProcessTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(60);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The newest page of a unit's inbox (other tests and earlier runs leave items of their own).</summary>
    private static async Task<JsonElement[]> InboxAsync(HttpClient staff, Guid unit) =>
        (await JsonAsync(await staff.GetAsync($"api/v1/cases/inbox?unitId={unit}&sort=-received&pageSize=50", Ct), HttpStatusCode.OK)).GetProperty("items").EnumerateArray().ToArray();

    [Fact]
    public async Task A_unit_declines_with_a_redirect_the_sender_forwards_in_one_call_and_the_right_unit_acknowledges_with_times()
    {
        var molndal = ThinSlice.SocialtjanstenMolndal;
        var partille = ThinSlice.SocialtjanstenPartille;
        var individual = await ThinSlice.RecordConsentAsync(Platform.NewPersonnummer(), ThinSlice.VardcentralenNorrby, molndal, partille);
        var opened = await JsonAsync(await ThinSlice.OpenCaseAsync(individual, "1481", molndal), HttpStatusCode.Created);
        var (caseId, reference) = (opened.GetProperty("caseId").GetGuid(), opened.GetProperty("reference").GetString()!);
        var first = opened.GetProperty("initiatives")[0].GetProperty("initiativeId").GetGuid();
        using var erik = Platform.As("erik");
        using var anna = Platform.As("anna");
        using var sara = Platform.As("sara");

        var waiting = Assert.Single(await InboxAsync(erik, molndal), i => i.GetProperty("itemId").GetGuid() == first);
        Assert.Equal((reference, "InitiativeToAnswer", false), (waiting.GetProperty("caseReference").GetString(), waiting.GetProperty("kind").GetString(), waiting.GetProperty("overdue").GetBoolean()));
        var noComment = await JsonAsync(await erik.PostAsJsonAsync($"api/v1/cases/{caseId}/initiatives/{first}/decline", new { unitId = molndal, comment = "", redirectToUnitId = partille }, Ct), HttpStatusCode.BadRequest);
        Assert.Equal("urn:sip:problem:decline-without-comment", noComment.GetProperty("type").GetString());
        var declined = await JsonAsync(await erik.PostAsJsonAsync($"api/v1/cases/{caseId}/initiatives/{first}/decline",
            new { unitId = molndal, comment = "Personen är folkbokförd i Partille.", redirectToUnitId = partille }, Ct), HttpStatusCode.OK);
        Assert.Equal("Declined", declined.GetProperty("status").GetString());
        Assert.DoesNotContain(await InboxAsync(erik, molndal), i => i.GetProperty("itemId").GetGuid() == first);

        // The unit that declined no longer takes part: the case is not there for it, and it cannot forward.
        Assert.Equal(HttpStatusCode.NotFound, (await erik.PostAsJsonAsync($"api/v1/cases/{caseId}/initiatives/{first}/forward", new { unitId = molndal }, Ct)).StatusCode);
        var forwarded = await JsonAsync(await anna.PostAsJsonAsync($"api/v1/cases/{caseId}/initiatives/{first}/forward", new { unitId = ThinSlice.VardcentralenNorrby }, Ct), HttpStatusCode.Created);
        var second = forwarded.GetProperty("initiativeId").GetGuid();
        Assert.Equal((partille, first), (forwarded.GetProperty("toUnitId").GetGuid(), forwarded.GetProperty("forwardedFromId").GetGuid()));
        var again = await JsonAsync(await anna.PostAsJsonAsync($"api/v1/cases/{caseId}/initiatives/{first}/forward", new { unitId = ThinSlice.VardcentralenNorrby }, Ct), HttpStatusCode.Conflict);
        Assert.Equal("urn:sip:problem:already-forwarded", again.GetProperty("type").GetString());

        Assert.Contains(await InboxAsync(sara, partille), i => i.GetProperty("itemId").GetGuid() == second);
        await Eventually.HoldsAsync(async () => (await Platform.MailsAsync()).Any(m => m.Subject.Contains(reference) && m.To.Any(t => t.Address == "barn-unga@partille-demo.example")),
            Soon, "the forwarded initiative reaches Partille's mailbox");
        var times = new[] { DateTimeOffset.UtcNow.AddDays(9), DateTimeOffset.UtcNow.AddDays(7) };
        var acknowledged = await JsonAsync(await sara.PostAsJsonAsync($"api/v1/cases/{caseId}/initiatives/{second}/acknowledge", new { unitId = partille, suggestedTimes = times }, Ct), HttpStatusCode.OK);
        Assert.Equal("Acknowledged", acknowledged.GetProperty("status").GetString());
        Assert.Equal(2, acknowledged.GetProperty("suggestedTimes").GetArrayLength());
        Assert.DoesNotContain(await InboxAsync(sara, partille), i => i.GetProperty("itemId").GetGuid() == second);
        var twice = await JsonAsync(await sara.PostAsJsonAsync($"api/v1/cases/{caseId}/initiatives/{second}/acknowledge", new { unitId = partille }, Ct), HttpStatusCode.Conflict);
        Assert.Equal("urn:sip:problem:initiative-already-answered", twice.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Withdrawing_consent_in_the_middle_cancels_the_case_and_its_open_initiatives_and_tells_every_unit()
    {
        var molndal = ThinSlice.SocialtjanstenMolndal;
        var individual = await ThinSlice.RecordConsentAsync(Platform.NewPersonnummer(), ThinSlice.VardcentralenNorrby, molndal);
        var opened = await JsonAsync(await ThinSlice.OpenCaseAsync(individual, "1481", molndal), HttpStatusCode.Created);
        var (caseId, reference) = (opened.GetProperty("caseId").GetGuid(), opened.GetProperty("reference").GetString()!);
        using var anna = Platform.As("anna");
        using var erik = Platform.As("erik");
        Assert.Contains(await InboxAsync(erik, molndal), i => i.GetProperty("caseId").GetGuid() == caseId);
        var consents = await JsonAsync(await anna.GetAsync($"api/v1/consent/individuals/{individual}/consents", Ct), HttpStatusCode.OK);
        var consentId = consents[0].GetProperty("consentId").GetGuid();

        await JsonAsync(await anna.PostAsJsonAsync($"api/v1/consent/consents/{consentId}/withdrawal",
            new { form = "Oral", comment = "Vill inte längre ha samordning.", unitId = ThinSlice.VardcentralenNorrby }, Ct), HttpStatusCode.OK);

        await Eventually.HoldsAsync(async () => await Platform.CountAsync("SELECT count(*) FROM cases.cases WHERE id = @p0 AND status = 'Cancelled' AND cancelled_because = 'ConsentWithdrawn'", caseId) == 1,
            Soon, "the case is cancelled");
        Assert.Equal(1, await Platform.CountAsync("SELECT count(*) FROM cases.initiatives WHERE case_id = @p0 AND status = 'Cancelled'", caseId));
        await Eventually.HoldsAsync(async () =>
        {
            var told = (await Platform.MailsAsync()).Where(m => m.Subject == $"SIP-ärende avbrutet – {reference}").SelectMany(m => m.To.Select(t => t.Address)).ToHashSet();
            return told.SetEquals(["vc-norrby@region-demo.example", ThinSlice.SocialtjanstenMolndalMailbox]);
        }, Soon, "every participating unit is told");
        Assert.DoesNotContain(await InboxAsync(erik, molndal), i => i.GetProperty("caseId").GetGuid() == caseId);
        // The units that took part still see that it was cancelled, why and when, so their case systems can close their
        // own records (issue 13: it was a 404 even to the coordinator); not the reason or who was asked. Others see nothing.
        foreach (var unit in new[] { anna, erik })
        {
            var cancelled = await JsonAsync(await unit.GetAsync($"api/v1/cases/{caseId}", Ct), HttpStatusCode.OK);
            Assert.Equal(("Cancelled", "ConsentWithdrawn", reference), (cancelled.GetProperty("status").GetString(),
                cancelled.GetProperty("cancelledBecause").GetString(), cancelled.GetProperty("reference").GetString()));
            Assert.True(cancelled.GetProperty("cancelledAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
            Assert.Equal((JsonValueKind.Null, 0), (cancelled.GetProperty("reason").ValueKind, cancelled.GetProperty("initiatives").GetArrayLength()));
        }
        using var sara = Platform.As("sara");
        Assert.Equal(HttpStatusCode.NotFound, (await sara.GetAsync($"api/v1/cases/{caseId}", Ct)).StatusCode);
    }

    [Fact]
    public async Task The_inbox_refuses_other_units_and_bad_paging_in_swedish()
    {
        using var erik = Platform.As("erik");

        var other = await JsonAsync(await erik.GetAsync($"api/v1/cases/inbox?unitId={ThinSlice.SocialtjanstenPartille}", Ct), HttpStatusCode.Forbidden);
        var paging = await JsonAsync(await erik.GetAsync($"api/v1/cases/inbox?unitId={ThinSlice.SocialtjanstenMolndal}&pageSize=1000", Ct), HttpStatusCode.BadRequest);
        var sort = await JsonAsync(await erik.GetAsync($"api/v1/cases/inbox?unitId={ThinSlice.SocialtjanstenMolndal}&sort=name", Ct), HttpStatusCode.BadRequest);

        Assert.Equal("Åtkomst nekad", other.GetProperty("title").GetString());
        Assert.Equal(("urn:sip:problem:validation", "Ogiltig begäran"), (paging.GetProperty("type").GetString(), paging.GetProperty("title").GetString()));
        Assert.Contains("due", sort.GetProperty("detail").GetString());
    }

    private static async Task<JsonElement[]> DischargeInboxAsync(HttpClient staff, Guid caseId) =>
        (await JsonAsync(await staff.GetAsync($"api/v1/cases/inbox?unitId={ThinSlice.VardcentralenNorrby}&kind=DischargeObligationDue&sort=-received&pageSize=100", Ct), HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray().Where(i => i.GetProperty("caseId").GetGuid() == caseId).ToArray();

    [Fact]
    public async Task A_discharge_recorded_in_swedish_local_time_gets_its_lus_deadlines_timed_in_meeting_scheduling()
    {
        var molndal = ThinSlice.SocialtjanstenMolndal;
        var individual = await ThinSlice.RecordConsentAsync(Platform.NewPersonnummer(), ThinSlice.VardcentralenNorrby, molndal);
        var caseId = (await JsonAsync(await ThinSlice.OpenCaseAsync(individual, "1481", molndal), HttpStatusCode.Created)).GetProperty("caseId").GetGuid();
        using var anna = Platform.As("anna");
        var swedish = TimeSpan.FromHours(1);
        var admitted = DateTimeOffset.UtcNow.AddDays(-1).ToOffset(swedish);

        // Case systems send local time (issue 13): before, meeting-scheduling's consumer failed on the +01:00 offset
        // and the LUS deadlines were never timed.
        await JsonAsync(await PutAsync(anna, $"api/v1/cases/{caseId}/discharge", new
        {
            unitId = ThinSlice.VardcentralenNorrby,
            discharge = new
            {
                admittedAt = admitted, inpatientUnitId = Platform.Unit("Psykiatrisk"), track = "Green", fixedCareContact = "Anna Lind",
                fixedCareContactUnitId = ThinSlice.VardcentralenNorrby, readyForDischargeAt = DateTimeOffset.UtcNow.AddHours(-2).ToOffset(swedish),
            },
        }, etag: null), HttpStatusCode.OK);

        await Eventually.HoldsAsync(async () => await Platform.CountAsync(
            "SELECT count(*) FROM meeting_scheduling.scheduled_events WHERE key LIKE 'lus/' || @p0 || '/Summons/%'", caseId.ToString()) == 2,
            Soon, "the summons deadline's warning and breach are timed");
    }

    [Fact]
    public async Task A_discharge_case_on_the_red_track_shows_its_obligations_and_refuses_impossible_dates()
    {
        var molndal = ThinSlice.SocialtjanstenMolndal;
        var ward = Platform.Unit("Psykiatrisk");
        var individual = await ThinSlice.RecordConsentAsync(Platform.NewPersonnummer(), ThinSlice.VardcentralenNorrby, molndal);
        var opened = await JsonAsync(await ThinSlice.OpenCaseAsync(individual, "1481", molndal), HttpStatusCode.Created);
        var caseId = opened.GetProperty("caseId").GetGuid();
        using var anna = Platform.As("anna");
        var admitted = DateTimeOffset.UtcNow.AddDays(-6);

        var discharge = $"api/v1/cases/{caseId}/discharge";
        var first = new
        {
            unitId = ThinSlice.VardcentralenNorrby,
            discharge = new { admittedAt = admitted, inpatientUnitId = ward, track = "Red", fixedCareContact = "Anna Lind", fixedCareContactUnitId = ThinSlice.VardcentralenNorrby, readyForDischargeAt = DateTimeOffset.UtcNow.AddDays(-4) },
        };
        // The first record needs no If-Match.
        using var firstResponse = await PutAsync(anna, discharge, first, etag: null);
        var firstETag = firstResponse.Headers.ETag?.Tag;
        Assert.NotNull(firstETag);
        var recorded = await JsonAsync(firstResponse, HttpStatusCode.OK);

        var obligations = recorded.GetProperty("obligations").EnumerateArray().ToDictionary(o => o.GetProperty("code").GetString()!);
        Assert.Equal(["AdmissionNotice", "Summons", "MeetingBeforeDischarge"], obligations.Keys);
        // Nothing sent yet: the ward's notice was due within 24 hours of admission, the summons within 3 days of ready-for-discharge.
        Assert.True(obligations["AdmissionNotice"].GetProperty("late").GetBoolean());
        Assert.True(obligations["Summons"].GetProperty("late").GetBoolean());
        // The fixed care contact's unit sees the late summons in its inbox (the admission notice is the ward's).
        var due = await DischargeInboxAsync(anna, caseId);
        Assert.Equal(["MeetingBeforeDischarge", "Summons"], due.Select(i => i.GetProperty("obligation").GetString()).Order());
        Assert.True(due.Single(i => i.GetProperty("obligation").GetString() == "Summons").GetProperty("overdue").GetBoolean());

        // A change does: the ward and the fixed care contact's unit both write this record.
        Assert.Equal("urn:sip:problem:precondition-required",
            (await JsonAsync(await PutAsync(anna, discharge, first, etag: null), HttpStatusCode.PreconditionRequired)).GetProperty("type").GetString());
        // The ward records its admission notice; the ready-for-discharge date is corrected to yesterday.
        using var sentResponse = await PutAsync(anna, discharge, new
        {
            unitId = ThinSlice.VardcentralenNorrby,
            discharge = new
            {
                admittedAt = admitted, inpatientUnitId = ward, track = "Red", fixedCareContact = "Anna Lind", fixedCareContactUnitId = ThinSlice.VardcentralenNorrby,
                readyForDischargeAt = DateTimeOffset.UtcNow.AddDays(-1), admissionNoticeSentAt = admitted.AddHours(3),
            },
        }, firstETag);
        var currentETag = sentResponse.Headers.ETag?.Tag;
        Assert.NotEqual(firstETag, currentETag);
        await JsonAsync(sentResponse, HttpStatusCode.OK);
        // A unit writing from the record it read before that change gets 412, and the record stays as it was.
        var stale = await JsonAsync(await PutAsync(anna, discharge, new
        {
            unitId = ThinSlice.VardcentralenNorrby,
            discharge = new { admittedAt = admitted, inpatientUnitId = ward, track = "Red", fixedCareContact = "Sara Ek", fixedCareContactUnitId = ThinSlice.VardcentralenNorrby },
        }, firstETag), HttpStatusCode.PreconditionFailed);
        Assert.Equal(("urn:sip:problem:discharge-changed", currentETag), (stale.GetProperty("type").GetString(), stale.GetProperty("currentETag").GetString()));
        using var reread = await anna.GetAsync($"{discharge}?unitId={ThinSlice.VardcentralenNorrby}", Ct);
        Assert.Equal(currentETag, reread.Headers.ETag?.Tag);
        // The summons is what meeting-scheduling sent, not a date typed into the record: the fixed care contact summons Mölndal.
        await JsonAsync(await anna.PostAsJsonAsync("api/v1/meetings", new
        {
            caseId, unitId = ThinSlice.VardcentralenNorrby, kind = "Planning", startsAt = DateTimeOffset.UtcNow.AddDays(1), durationMinutes = 60,
            place = new { type = "HospitalWard", details = "Psykiatrisk avdelning, dagrummet" }, chair = new { name = "Anna Lind" },
            coordinator = new { name = "Anna Lind", unitId = ThinSlice.VardcentralenNorrby }, reason = "Planera utskrivningen", summonedUnitIds = new[] { molndal },
        }, Ct), HttpStatusCode.Created);
        Dictionary<string, JsonElement> nowSent = [];
        await Eventually.HoldsAsync(async () =>
        {
            var read = await JsonAsync(await anna.GetAsync($"{discharge}?unitId={ThinSlice.VardcentralenNorrby}", Ct), HttpStatusCode.OK);
            nowSent = read.GetProperty("obligations").EnumerateArray().ToDictionary(o => o.GetProperty("code").GetString()!);
            return nowSent["Summons"].GetProperty("met").GetBoolean();
        }, Soon, "the case records the summons meeting-scheduling sent");
        Assert.Equal((true, false), (nowSent["AdmissionNotice"].GetProperty("met").GetBoolean(), nowSent["AdmissionNotice"].GetProperty("late").GetBoolean()));
        Assert.Equal((true, false), (nowSent["Summons"].GetProperty("met").GetBoolean(), nowSent["Summons"].GetProperty("late").GetBoolean()));
        // Red track: the meeting is still to be held before the person leaves hospital, and is not late while they are there.
        Assert.Equal((false, false), (nowSent["MeetingBeforeDischarge"].GetProperty("met").GetBoolean(), nowSent["MeetingBeforeDischarge"].GetProperty("late").GetBoolean()));
        Assert.Equal(["MeetingBeforeDischarge"], (await DischargeInboxAsync(anna, caseId)).Select(i => i.GetProperty("obligation").GetString()));
        Assert.Equal("Red", (await JsonAsync(await anna.GetAsync($"api/v1/cases/{caseId}", Ct), HttpStatusCode.OK)).GetProperty("discharge").GetProperty("track").GetString());
        currentETag = (await anna.GetAsync($"{discharge}?unitId={ThinSlice.VardcentralenNorrby}", Ct)).Headers.ETag?.Tag;
        var backwards = await JsonAsync(await PutAsync(anna, discharge, new
        {
            unitId = ThinSlice.VardcentralenNorrby,
            discharge = new { admittedAt = admitted, inpatientUnitId = ward, track = "Red", readyForDischargeAt = admitted.AddDays(-1) },
        }, currentETag), HttpStatusCode.BadRequest);
        Assert.Equal(("urn:sip:problem:discharge-dates-out-of-order", "Datumen är i fel ordning"), (backwards.GetProperty("type").GetString(), backwards.GetProperty("title").GetString()));
    }

    [Fact]
    public async Task A_unit_taken_out_of_the_consent_loses_the_initiative_from_its_inbox()
    {
        var molndal = ThinSlice.SocialtjanstenMolndal;
        var individual = await ThinSlice.RecordConsentAsync(Platform.NewPersonnummer(), ThinSlice.VardcentralenNorrby, molndal);
        var opened = await JsonAsync(await ThinSlice.OpenCaseAsync(individual, "1481", molndal), HttpStatusCode.Created);
        var caseId = opened.GetProperty("caseId").GetGuid();
        using var anna = Platform.As("anna");
        using var erik = Platform.As("erik");
        Assert.Contains(await InboxAsync(erik, molndal), i => i.GetProperty("caseId").GetGuid() == caseId);
        var consentId = (await JsonAsync(await anna.GetAsync($"api/v1/consent/individuals/{individual}/consents", Ct), HttpStatusCode.OK))[0].GetProperty("consentId").GetGuid();

        await JsonAsync(await anna.PutAsJsonAsync($"api/v1/consent/consents/{consentId}/scope", new
        {
            unitIds = new[] { ThinSlice.VardcentralenNorrby },
            validUntil = DateOnly.FromDateTime(DateTime.UtcNow.AddMonths(3)),
            form = "Oral",
            unitId = ThinSlice.VardcentralenNorrby,
        }, Ct), HttpStatusCode.OK);

        await Eventually.HoldsAsync(async () => !(await InboxAsync(erik, molndal)).Any(i => i.GetProperty("caseId").GetGuid() == caseId), Soon,
            "the initiative leaves Mölndal's inbox");
        Assert.Equal(1, await Platform.CountAsync("SELECT count(*) FROM cases.cases WHERE id = @p0 AND status = 'Open'", caseId));
    }
}
