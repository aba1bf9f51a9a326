using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Sip.Testing;
using static Sip.EndToEnd.Tests.Api;

namespace Sip.EndToEnd.Tests;

/// <summary>A case's plan from the first meeting to a superseding one, through the gateway.</summary>
public sealed class PlanLifeTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(60);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly Guid Norrby = ThinSlice.VardcentralenNorrby;
    private static readonly Guid Molndal = ThinSlice.SocialtjanstenMolndal;

    /// <summary>Locks version 1 with Kim's and Anna's signatures on paper, naming the revision they signed.</summary>
    internal static Task<HttpResponseMessage> LockAsync(HttpClient coordinator, string plans, string etag)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd");
        var request = new HttpRequestMessage(HttpMethod.Post, $"{plans}/1/lock")
        {
            Content = JsonContent.Create(new
            {
                unitId = Norrby,
                individualSignature = new { signedBy = "Kim Berg", how = "Underskrift på papper", signedOn = today },
                coordinatorSignature = new { signedBy = "Anna Lind", how = "Underskrift på papper", signedOn = today },
            }),
        };
        request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(etag));
        return coordinator.SendAsync(request, Ct);
    }

    internal static object Content(Guid boendestod, Guid samtal, string strengths) => new
    {
        participants = new object[]
        {
            new { name = "Kim Berg", role = "Den enskilde", participation = "InPerson" },
            new { name = "Anna Lind", role = "Distriktssköterska", unitId = Norrby, principal = "Region", participation = "InPerson" },
            new { name = "Erik Ek", role = "Socialsekreterare", unitId = Molndal, principal = "Municipality", participation = "Video" },
        },
        fixedCareContacts = new[] { "Anna Lind" },
        coordinator = "Anna Lind",
        coordinatorUnitId = Norrby,
        chair = "Anna Lind",
        reason = "Behöver samordnade insatser efter utskrivning.",
        currentSituation = "Bor ensam, har svårt att klara vardagen.",
        strengths,
        longTermGoals = new[] { "Att bo kvar hemma och må bra" },
        shortTermGoals = new object[]
        {
            new
            {
                id = Guid.NewGuid(), text = "Stabil vardag",
                activities = new object[]
                {
                    new { id = boendestod, what = "Boendestöd <hemma>", responsibleKind = "Unit", responsibleUnitId = Molndal, responsiblePerson = "Erik Ek", principal = "Municipality", timing = "2 gånger per vecka", start = "2026-12-01" },
                    new { id = samtal, what = "Stödsamtal", responsibleKind = "Unit", responsibleUnitId = Norrby, principal = "Region", timing = "vid behov" },
                    new { id = Guid.NewGuid(), what = "Handla tillsammans med systern", responsibleKind = "Relative", responsiblePerson = "Systern", principal = "Other", timing = "varje lördag" },
                },
            },
        },
        noMeasuresByOthers = false,
        overallResponsibility = "Municipality",
        individualView = "Vill klara mig själv så mycket som möjligt.",
        disagreements = new[] { "Kim vill inte ha hemtjänst; socialtjänsten föreslår det." },
        nextFollowUp = new { date = "2027-01-15", convenedBy = "Anna Lind" },
    };

    [Fact]
    public async Task A_plan_is_written_guarded_against_concurrent_edits_signed_followed_up_locked_printed_and_superseded()
    {
        var personnummer = Platform.NewPersonnummer();
        var individual = await ThinSlice.RecordConsentAsync(personnummer, Norrby, Molndal);
        var municipality = await Platform.FreshMunicipalityCodeAsync();
        var opened = await JsonAsync(await ThinSlice.OpenCaseAsync(individual, municipality, Molndal), HttpStatusCode.Created);
        var caseId = opened.GetProperty("caseId").GetGuid();
        var plans = $"api/v1/cases/{caseId}/plans";
        using var anna = Platform.As("anna");
        using var erik = Platform.As("erik");
        var (boendestod, samtal) = (Guid.NewGuid(), Guid.NewGuid());

        var v1 = await JsonAsync(await anna.PostAsJsonAsync(plans, new { unitId = Norrby, meetingAt = DateTimeOffset.UtcNow.AddHours(-2) }, Ct), HttpStatusCode.Created);
        Assert.Equal((1, "Draft"), (v1.GetProperty("version").GetInt32(), v1.GetProperty("status").GetString()));
        // The draft is the coordinator's until signed.
        Assert.Equal(HttpStatusCode.NotFound, (await erik.GetAsync($"{plans}/1?unitId={Molndal}", Ct)).StatusCode);

        var read = await anna.GetAsync($"{plans}/1?unitId={Norrby}", Ct);
        var etag = read.Headers.ETag!.ToString();
        var unsigned = await JsonAsync(await anna.PostAsJsonAsync($"{plans}/1/sign", new { unitId = Norrby }, Ct), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("urn:sip:problem:plan-incomplete", unsigned.GetProperty("type").GetString());
        Assert.Contains("1. Vilka insatser som behövs", unsigned.GetProperty("detail").GetString());
        Assert.Contains("4. Vilken huvudman", unsigned.GetProperty("detail").GetString());

        var noPrecondition = await JsonAsync(await PutAsync(anna, $"{plans}/1", new { unitId = Norrby, content = Content(boendestod, samtal, "Stöttande syster") }, null), HttpStatusCode.PreconditionRequired);
        Assert.Equal("urn:sip:problem:precondition-required", noPrecondition.GetProperty("type").GetString());
        var saved = await PutAsync(anna, $"{plans}/1", new { unitId = Norrby, content = Content(boendestod, samtal, "Stöttande syster") }, etag);
        await JsonAsync(saved, HttpStatusCode.OK);
        // A colleague who read the plan before that save tries to save their own change: 412 with what changed.
        var stale = await JsonAsync(await PutAsync(anna, $"{plans}/1", new { unitId = Norrby, content = Content(boendestod, samtal, "Tycker om musik") }, etag), HttpStatusCode.PreconditionFailed);
        Assert.Equal("urn:sip:problem:plan-changed", stale.GetProperty("type").GetString());
        var changed = stale.GetProperty("changedFields").EnumerateArray().Select(f => f.GetString()).ToList();
        Assert.Contains("strengths", changed);
        Assert.Contains("shortTermGoals[0]", changed); // added whole: the draft had no goals
        Assert.Equal(saved.Headers.ETag!.ToString(), stale.GetProperty("currentETag").GetString());

        var signed = await JsonAsync(await anna.PostAsJsonAsync($"{plans}/1/sign", new { unitId = Norrby }, Ct), HttpStatusCode.OK);
        Assert.Equal("Signed", signed.GetProperty("status").GetString());
        Assert.Equal("Signed", (await JsonAsync(await erik.GetAsync($"{plans}/1?unitId={Molndal}", Ct), HttpStatusCode.OK)).GetProperty("status").GetString());
        // Statistics counts the SIP established, signed within 2 working days of the meeting (its cube; the API suppresses a count of 1).
        const string established = "SELECT coalesce(sum(count), 0) FROM statistics.rollups WHERE series = 'established' AND dimension = 'geo' AND municipality_code = @p0";
        await Eventually.HoldsAsync(async () => await Platform.CountAsync(established, municipality) == 1, Soon, "statistics counts the signed plan");
        Assert.Equal(1, await Platform.CountAsync(established + " AND outcome", municipality));
        using var statistician = Platform.As("statistiker");
        var table = await JsonAsync(await statistician.GetAsync("api/v1/statistics/measures/sips-established?by=municipality", Ct), HttpStatusCode.OK);
        Assert.True(table.GetProperty("cells").EnumerateArray().Single(c => c.GetProperty("group").GetString() == municipality).GetProperty("suppressed").GetBoolean());
        // Between signing and locking each unit fills in its own activities, under the same If-Match rule.
        var signedEtag = (await erik.GetAsync($"{plans}/1?unitId={Molndal}", Ct)).Headers.ETag!.ToString();
        object Filled(string person) => new { unitId = Molndal, activity = new { what = "Boendestöd <hemma>", responsiblePerson = person, timing = "2 gånger per vecka", start = "2026-12-01", place = "I hemmet" } };
        var filledIn = await PutAsync(erik, $"{plans}/1/activities/{boendestod}", Filled("Erik Ek, boendestödjare Maja Holm"), signedEtag);
        var filled = await JsonAsync(filledIn, HttpStatusCode.OK);
        var activity = filled.GetProperty("content").GetProperty("shortTermGoals")[0].GetProperty("activities")[0];
        Assert.Equal(("Erik Ek, boendestödjare Maja Holm", "I hemmet", "Municipality"),
            (activity.GetProperty("responsiblePerson").GetString(), activity.GetProperty("place").GetString(), activity.GetProperty("principal").GetString()));
        var staleFill = await JsonAsync(await PutAsync(erik, $"{plans}/1/activities/{boendestod}", Filled("Erik Ek"), signedEtag), HttpStatusCode.PreconditionFailed);
        Assert.Contains("shortTermGoals[0].activities[0].responsiblePerson", staleFill.GetProperty("changedFields").EnumerateArray().Select(f => f.GetString()));
        var notTheirs = await JsonAsync(await PutAsync(erik, $"{plans}/1/activities/{samtal}", Filled("Erik Ek"), filledIn.Headers.ETag!.ToString()), HttpStatusCode.Forbidden);
        Assert.Equal("Bara den ansvariga enheten fyller i aktiviteten.", notTheirs.GetProperty("detail").GetString());
        var followedUp = await JsonAsync(await erik.PostAsJsonAsync($"{plans}/1/activities/{boendestod}/status", new { unitId = Molndal, status = "Ongoing", comment = "Startade måndag." }, Ct), HttpStatusCode.OK);
        Assert.Contains(followedUp.GetProperty("activities").EnumerateArray(), a => a.GetProperty("activityId").GetGuid() == boendestod && a.GetProperty("status").GetString() == "Ongoing");
        Assert.Equal(HttpStatusCode.Forbidden, (await erik.PostAsJsonAsync($"{plans}/1/activities/{samtal}/status", new { unitId = Molndal, status = "Done" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await anna.GetAsync($"{plans}/1/print?unitId={Norrby}", Ct)).StatusCode);

        // The lock names the revision Kim signed: one read before Erik filled in his activity is refused.
        var lockedStale = await JsonAsync(await LockAsync(anna, plans, signedEtag), HttpStatusCode.PreconditionFailed);
        Assert.Contains("shortTermGoals[0].activities[0].place", lockedStale.GetProperty("changedFields").EnumerateArray().Select(f => f.GetString()));
        await JsonAsync(await LockAsync(anna, plans, (await anna.GetAsync($"{plans}/1?unitId={Norrby}", Ct)).Headers.ETag!.ToString()), HttpStatusCode.OK);
        await JsonAsync(await anna.PutAsJsonAsync($"api/v1/consent/individuals/{individual}/contact", new { unitId = Norrby, contact = new { name = "Kim Berg" } }, Ct), HttpStatusCode.OK);
        var print = await anna.GetAsync($"{plans}/1/print?unitId={Norrby}", Ct);
        var html = await print.Content.ReadAsStringAsync(Ct);
        Assert.Equal("text/html", print.Content.Headers.ContentType!.MediaType);
        Assert.Contains("<h1>Samordnad individuell plan (SIP)</h1>", html);
        Assert.Contains("Boendestöd &lt;hemma&gt;", html);
        Assert.Contains("Det vi inte är överens om", html);
        Assert.Contains("Pågår", html);
        // Who the plan is for comes from consent, for the printout only; copies go to whom the individual approved there.
        Assert.Contains(personnummer, html);
        Assert.Contains("Namn: Kim Berg", html);
        Assert.Contains("Den enskildes samtycke: den enskilde muntligt; lämnat ", html);
        Assert.Contains("Omfattar: Vårdcentralen Norrby, Socialtjänsten Mölndal, mottagning vuxen.", html);
        Assert.Contains("Kopia till (godkänt av den enskilde): Den enskilde", html);

        // The plan itself never travels by e-mail: the participating units are told it applies, without personal data ...
        var reference = opened.GetProperty("reference").GetString()!;
        Mail? locked = null;
        await Eventually.HoldsAsync(async () =>
        {
            locked = (await Platform.MailsAsync()).FirstOrDefault(m => m.Subject == $"SIP låst – {reference}" && m.To.Any(t => t.Address == ThinSlice.SocialtjanstenMolndalMailbox));
            return locked is not null;
        }, Soon, "the participating units are told that the plan is locked");
        Assert.Contains($"cases/{caseId}/plans/1", locked!.Text);
        Assert.DoesNotMatch(Platform.IdentityNumberLike(), locked.Text + locked.Subject);
        Assert.DoesNotContain("Kim", locked.Text);
        // ... and the coordinator's unit gives each recipient the individual approved a copy, and records how.
        Assert.Contains(await InboxAsync(anna, Norrby, "PlanCopiesToSend"), i => i.GetProperty("caseId").GetGuid() == caseId);
        var notApproved = await JsonAsync(await anna.PostAsJsonAsync($"{plans}/1/copies", new { unitId = Norrby, recipient = "Grannen", channel = "Post" }, Ct), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("Den enskilde har godkänt kopia till: Den enskilde.", notApproved.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await erik.PostAsJsonAsync($"{plans}/1/copies", new { unitId = Molndal, recipient = "Den enskilde", channel = "Post" }, Ct)).StatusCode);
        var given = await JsonAsync(await anna.PostAsJsonAsync($"{plans}/1/copies", new { unitId = Norrby, recipient = "Den enskilde", channel = "HandedOver" }, Ct), HttpStatusCode.OK);
        Assert.Empty(given.GetProperty("copiesToSend").EnumerateArray());
        Assert.Equal(("Den enskilde", "HandedOver"), (given.GetProperty("copies")[0].GetProperty("recipient").GetString(), given.GetProperty("copies")[0].GetProperty("channel").GetString()));
        Assert.DoesNotContain(await InboxAsync(anna, Norrby, "PlanCopiesToSend"), i => i.GetProperty("caseId").GetGuid() == caseId);

        // Only the coordinator's unit starts the next version.
        Assert.Equal(HttpStatusCode.Forbidden, (await erik.PostAsJsonAsync(plans, new { unitId = Molndal, meetingAt = DateTimeOffset.UtcNow.AddMinutes(-30) }, Ct)).StatusCode);
        // The follow-up meeting copies the plan forward into a new draft; version 1 is superseded.
        var v2 = await JsonAsync(await anna.PostAsJsonAsync(plans, new { unitId = Norrby, meetingAt = DateTimeOffset.UtcNow.AddMinutes(-30) }, Ct), HttpStatusCode.Created);
        Assert.Equal(("Draft", "Stöttande syster"), (v2.GetProperty("status").GetString(), v2.GetProperty("content").GetProperty("strengths").GetString()));
        var v2etag = (await anna.GetAsync($"{plans}/2?unitId={Norrby}", Ct)).Headers.ETag!.ToString();
        await JsonAsync(await PutAsync(anna, $"{plans}/2", new { unitId = Norrby, content = Content(boendestod, samtal, "Har börjat arbetsträna") }, v2etag), HttpStatusCode.OK);
        var versions = await JsonAsync(await anna.GetAsync($"{plans}?unitId={Norrby}", Ct), HttpStatusCode.OK);
        Assert.Equal(["Superseded", "Draft"], versions.EnumerateArray().Select(v => v.GetProperty("status").GetString()));
        var comparison = await JsonAsync(await anna.GetAsync($"{plans}/compare?from=1&to=2&unitId={Norrby}", Ct), HttpStatusCode.OK);
        Assert.Contains(comparison.GetProperty("changes").EnumerateArray(), c => c.GetProperty("path").GetString() == "strengths" && c.GetProperty("after").GetString() == "Har börjat arbetsträna");

        // Consent withdrawn in the middle of the plan: the plan is cancelled, not closed.
        var consentId = (await JsonAsync(await anna.GetAsync($"api/v1/consent/individuals/{individual}/consents", Ct), HttpStatusCode.OK))[0].GetProperty("consentId").GetGuid();
        await JsonAsync(await anna.PostAsJsonAsync($"api/v1/consent/consents/{consentId}/withdrawal", new { form = "Written", unitId = Norrby }, Ct), HttpStatusCode.OK);
        await Eventually.HoldsAsync(async () => await Platform.CountAsync("SELECT count(*) FROM cases.plan_versions WHERE case_id = @p0 AND status = 'Cancelled'", caseId) == 1,
            Soon, "the current plan is cancelled");
        Assert.Equal(1, await Platform.CountAsync("SELECT count(*) FROM cases.plan_versions WHERE case_id = @p0 AND status = 'Superseded'", caseId));
    }

    private static async Task<JsonElement[]> InboxAsync(HttpClient staff, Guid unit, string kind) =>
        (await JsonAsync(await staff.GetAsync($"api/v1/cases/inbox?unitId={unit}&kind={kind}&sort=-received&pageSize=100", Ct), HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray().ToArray();

    [Fact]
    public async Task A_case_runs_from_messages_to_a_followed_up_plan_and_is_closed_with_everyone_told()
    {
        var individual = await ThinSlice.RecordConsentAsync(Platform.NewPersonnummer(), Norrby, Molndal);
        var opened = await JsonAsync(await ThinSlice.OpenCaseAsync(individual, "1481", Molndal), HttpStatusCode.Created);
        var (caseId, reference) = (opened.GetProperty("caseId").GetGuid(), opened.GetProperty("reference").GetString()!);
        var plans = $"api/v1/cases/{caseId}/plans";
        using var anna = Platform.As("anna");
        using var erik = Platform.As("erik");
        var (boendestod, samtal) = (Guid.NewGuid(), Guid.NewGuid());

        // A message for acknowledgement sits in the recipient's inbox until acknowledged; one for information does not.
        var message = await JsonAsync(await anna.PostAsJsonAsync($"api/v1/cases/{caseId}/messages",
            new { unitId = Norrby, text = "Passar tisdag 10.00 för SIP-mötet?", requiresAcknowledgement = true }, Ct), HttpStatusCode.Created);
        await JsonAsync(await anna.PostAsJsonAsync($"api/v1/cases/{caseId}/messages", new { unitId = Norrby, text = "Kim har fått kallelsen per brev." }, Ct), HttpStatusCode.Created);
        var messageId = message.GetProperty("messageId").GetGuid();
        Assert.Equal([messageId], (await InboxAsync(erik, Molndal, "MessageToAcknowledge")).Where(i => i.GetProperty("caseId").GetGuid() == caseId).Select(i => i.GetProperty("itemId").GetGuid()));
        await JsonAsync(await erik.PostAsJsonAsync($"api/v1/cases/{caseId}/messages/{messageId}/acknowledge", new { unitId = Molndal }, Ct), HttpStatusCode.OK);
        Assert.DoesNotContain(await InboxAsync(erik, Molndal, "MessageToAcknowledge"), i => i.GetProperty("caseId").GetGuid() == caseId);
        var toOthers = await JsonAsync(await anna.PostAsJsonAsync($"api/v1/cases/{caseId}/messages",
            new { unitId = Norrby, text = "Hej", toUnitIds = new[] { ThinSlice.SocialtjanstenPartille } }, Ct), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("urn:sip:problem:recipient-not-participant", toOthers.GetProperty("type").GetString());

        await JsonAsync(await anna.PostAsJsonAsync(plans, new { unitId = Norrby, meetingAt = DateTimeOffset.UtcNow.AddHours(-1), content = Content(boendestod, samtal, "Stöttande syster") }, Ct), HttpStatusCode.Created);
        Assert.Contains(await InboxAsync(anna, Norrby, "PlanToSign"), i => i.GetProperty("caseId").GetGuid() == caseId && !i.GetProperty("overdue").GetBoolean());
        await JsonAsync(await anna.PostAsJsonAsync($"{plans}/1/sign", new { unitId = Norrby }, Ct), HttpStatusCode.OK);
        Assert.Contains(await InboxAsync(anna, Norrby, "PlanToLock"), i => i.GetProperty("caseId").GetGuid() == caseId);
        Assert.Contains(await InboxAsync(erik, Molndal, "ActivityToFollowUp"), i => i.GetProperty("itemId").GetGuid() == boendestod);
        await JsonAsync(await LockAsync(anna, plans, (await anna.GetAsync($"{plans}/1?unitId={Norrby}", Ct)).Headers.ETag!.ToString()), HttpStatusCode.OK);

        var close = new { unitId = Norrby, withEvaluationMeeting = false, decidedBy = new[] { "Kim Berg", "Anna Lind", "Erik Ek" }, comment = "Målen är uppnådda; Kim vill avsluta." };
        var early = await JsonAsync(await anna.PostAsJsonAsync($"api/v1/cases/{caseId}/close", close, Ct), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("urn:sip:problem:not-followed-up", early.GetProperty("type").GetString());
        await JsonAsync(await erik.PostAsJsonAsync($"{plans}/1/activities/{boendestod}/status", new { unitId = Molndal, status = "Done", comment = "Klart." }, Ct), HttpStatusCode.OK);
        Assert.DoesNotContain(await InboxAsync(erik, Molndal, "ActivityToFollowUp"), i => i.GetProperty("itemId").GetGuid() == boendestod);
        Assert.Equal(HttpStatusCode.Forbidden, (await erik.PostAsJsonAsync($"api/v1/cases/{caseId}/close", close with { unitId = Molndal }, Ct)).StatusCode);

        var closed = await JsonAsync(await anna.PostAsJsonAsync($"api/v1/cases/{caseId}/close", close, Ct), HttpStatusCode.OK);

        Assert.Equal("Closed", closed.GetProperty("status").GetString());
        Assert.Equal(3, closed.GetProperty("closure").GetProperty("decidedBy").GetArrayLength());
        await Eventually.HoldsAsync(async () =>
        {
            var told = (await Platform.MailsAsync()).Where(m => m.Subject == $"SIP avslutad efter utvärdering – {reference}").SelectMany(m => m.To.Select(t => t.Address)).ToHashSet();
            return told.SetEquals(["vc-norrby@region-demo.example", ThinSlice.SocialtjanstenMolndalMailbox]);
        }, Soon, "every participating unit is told of the closure");
        Assert.Equal(HttpStatusCode.Conflict, (await anna.PostAsJsonAsync($"api/v1/cases/{caseId}/messages", new { unitId = Norrby, text = "Hej igen" }, Ct)).StatusCode);
    }
}
