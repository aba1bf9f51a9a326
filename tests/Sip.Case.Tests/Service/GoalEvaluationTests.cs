using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Sip.Contracts.Statistics;
using Sip.Messaging;
using Sip.Testing;

namespace Sip.Case.Tests.Service;

/// <summary>
/// Goals met at evaluation (issue 16, SIP-DOMAIN §5 step 11 and §10): the coordinator judges the locked plan's short-term
/// goals when closing, the closure keeps the judgement, and statistics is told once per goal judged — through the case
/// service's API on its real database and broker. And the follow-up before it: a later version's fact names when the plan
/// was established.
/// </summary>
public sealed class GoalEvaluationTests(CaseServiceHost host) : IClassFixture<CaseServiceHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Scene(Guid CaseId, Guid Bvc, HttpClient Nurse, Guid SafeDays, Guid School, Guid Sleep) : IDisposable
    {
        public string Plans => $"api/v1/cases/{CaseId}/plans";

        public string Close => $"api/v1/cases/{CaseId}/close";

        public void Dispose() => Nurse.Dispose();
    }

    /// <summary>
    /// A case of the test's own (its own unit, so facts of other tests are not counted) with a locked plan of three
    /// short-term goals, followed up once: ready to be evaluated and closed.
    /// </summary>
    private async Task<Scene> LockedAndFollowedUpAsync()
    {
        host.Clock.Now = new DateTimeOffset(2027, 5, 3, 9, 0, 0, TimeSpan.FromHours(2));
        var bvc = Guid.NewGuid();
        var subject = $"nurse-{Guid.NewGuid():N}";
        using var admin = host.As("directory-admin");
        await (await admin.PutAsJsonAsync($"api/v1/cases/units/{bvc}", new { name = "BVC Öster", principal = "Region", municipalityCode = "1481" }, Ct))
            .JsonAsync(HttpStatusCode.OK);
        await (await admin.PutAsJsonAsync("api/v1/cases/staff", new { subject, name = "Test Testsson", memberships = new[] { new { unitId = bvc, roles = new[] { "staff" } } } }, Ct))
            .JsonAsync(HttpStatusCode.OK);
        var nurse = host.As(subject, bvc);
        var opened = await (await nurse.PostAsJsonAsync("api/v1/cases", new
        {
            individualId = Guid.NewGuid(), actingUnitId = bvc, municipalityCode = "1481", reason = "Barnet behöver samordnat stöd.", urgency = "Normal",
            initiativeUnitIds = Array.Empty<Guid>(),
        }, Ct)).JsonAsync(HttpStatusCode.Created);
        var s = new Scene(opened.GetProperty("caseId").GetGuid(), bvc, nurse, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var homeVisit = Guid.NewGuid();
        object Relative(string what) => new { id = Guid.NewGuid(), what, responsibleKind = "Relative", responsiblePerson = "Pappa" };
        var content = new
        {
            participants = Array.Empty<object>(), fixedCareContacts = Array.Empty<string>(), longTermGoals = new[] { "Må bra hemma och i skolan" },
            disagreements = Array.Empty<string>(), coordinator = "Anna Test", coordinatorUnitId = bvc, overallResponsibility = "Region",
            shortTermGoals = new object[]
            {
                new { id = s.SafeDays, text = "Trygg vardag", activities = new[] { new { id = homeVisit, what = "Hembesök", responsibleKind = "Unit", responsibleUnitId = (Guid?)bvc, principal = (string?)"Region", responsiblePerson = (string?)null } } },
                new { id = s.School, text = "Går till skolan varje dag", activities = new[] { Relative("Följer med till skolan") } },
                new { id = s.Sleep, text = "Sover hela nätter", activities = new[] { Relative("Läser godnattsaga") } },
            },
        };
        await (await nurse.PostAsJsonAsync(s.Plans, new { unitId = bvc, meetingAt = host.Clock.Now.AddHours(-2), content }, Ct)).JsonAsync(HttpStatusCode.Created);
        await (await nurse.PostAsJsonAsync($"{s.Plans}/1/sign", new { unitId = bvc }, Ct)).JsonAsync(HttpStatusCode.OK);
        using var read = await nurse.GetAsync($"{s.Plans}/1?unitId={bvc}", Ct);
        await read.JsonAsync(HttpStatusCode.OK);
        var signature = new { signedBy = "Lena Berg", how = "Underskrift på papper", signedOn = "2027-05-03" };
        using var lockRequest = new HttpRequestMessage(HttpMethod.Post, $"{s.Plans}/1/lock")
        {
            Content = JsonContent.Create(new { unitId = bvc, individualSignature = signature, coordinatorSignature = signature with { signedBy = "Anna Test" } }),
        };
        lockRequest.Headers.TryAddWithoutValidation("If-Match", read.Headers.ETag!.Tag);
        await (await nurse.SendAsync(lockRequest, Ct)).JsonAsync(HttpStatusCode.OK);
        await (await nurse.PostAsJsonAsync($"{s.Plans}/1/activities/{homeVisit}/status", new { unitId = bvc, status = "Done", comment = "Klart." }, Ct))
            .JsonAsync(HttpStatusCode.OK);
        host.Clock.Now = new DateTimeOffset(2027, 9, 14, 13, 30, 0, TimeSpan.FromHours(2));
        return s;
    }

    private static object Closing(Scene s, object[]? goalEvaluations) => new
    {
        unitId = s.Bvc, withEvaluationMeeting = true, decidedBy = new[] { "Lena Berg", "Anna Test" }, comment = "Samordningen behövs inte längre.", goalEvaluations,
    };

    /// <summary>The goal-evaluated facts in the outbox counted for the test's own unit: written in the closing transaction, or not at all.</summary>
    private Task<List<JsonElement>> FactsInOutboxAsync(Guid unit) => host.QueryAsync(async db =>
        (await db.Set<OutboxMessage>().AsNoTracking().Where(m => m.MessageType.Contains(nameof(GoalEvaluatedFact))).Select(m => m.Body).ToListAsync(Ct))
        .Select(b => JsonDocument.Parse(b).RootElement.Clone())
        .Where(f => f.GetProperty("dimensions").GetProperty("unitId").GetGuid() == unit)
        .ToList());

    private static List<(Guid, string?, bool)> Evaluations(JsonElement closure) => closure.GetProperty("goalEvaluations").EnumerateArray()
        .Select(g => (g.GetProperty("goalId").GetGuid(), g.GetProperty("goal").GetString(), g.GetProperty("met").GetBoolean())).ToList();

    [Fact]
    public async Task Goals_judged_at_evaluation_are_kept_in_the_closure_and_each_one_judged_is_counted_once_for_the_coordinators_unit()
    {
        using var s = await LockedAndFollowedUpAsync();
        await using var facts = await host.ListenAsync<GoalEvaluatedFact>();

        // The third goal is not judged ("Inte bedömt"): it is left out. Sent out of the plan's order.
        var closed = await (await s.Nurse.PostAsJsonAsync(s.Close, Closing(s,
        [
            new { goalId = s.School, met = false },
            new { goalId = s.SafeDays, met = true },
        ]), Ct)).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("Closed", closed.GetProperty("status").GetString());
        (Guid, string?, bool)[] expected = [(s.SafeDays, "Trygg vardag", true), (s.School, "Går till skolan varje dag", false)];
        Assert.Equal(expected, Evaluations(closed.GetProperty("closure")));
        var read = await (await s.Nurse.GetAsync($"api/v1/cases/{s.CaseId}", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(expected, Evaluations(read.GetProperty("closure")));

        var published = new[]
        {
            await facts.WaitForAsync(f => f.GetProperty("dimensions").GetProperty("unitId").GetGuid() == s.Bvc && f.GetProperty("met").GetBoolean()),
            await facts.WaitForAsync(f => f.GetProperty("dimensions").GetProperty("unitId").GetGuid() == s.Bvc && !f.GetProperty("met").GetBoolean()),
        };
        var closedAt = closed.GetProperty("closure").GetProperty("at").GetDateTimeOffset();
        Assert.Equal(host.Clock.Now, closedAt);
        Assert.All(published, f =>
        {
            Assert.Equal(closedAt, f.GetProperty("evaluatedAt").GetDateTimeOffset());
            Assert.Equal(("Region", "1481"), (f.GetProperty("dimensions").GetProperty("principal").GetString(), f.GetProperty("dimensions").GetProperty("municipalityCode").GetString()));
        });
        // Exactly one per goal judged, none for the goal not judged, and nothing naming the case or the goal.
        var stored = await FactsInOutboxAsync(s.Bvc);
        Assert.Equal([false, true], stored.Select(f => f.GetProperty("met").GetBoolean()).Order());
        Assert.All(stored, f => Assert.DoesNotContain(s.CaseId.ToString(), f.GetRawText(), StringComparison.OrdinalIgnoreCase));
        Assert.All(stored, f => Assert.DoesNotContain("Trygg vardag", f.GetRawText(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_follow_up_version_tells_statistics_when_its_plan_was_established_so_the_follow_up_counts_with_that_month()
    {
        using var s = await LockedAndFollowedUpAsync();
        await using var facts = await host.ListenAsync<PlanEstablishedFact>();

        // The follow-up meeting in September makes version 2 (copied forward), signed the same day.
        await (await s.Nurse.PostAsJsonAsync(s.Plans, new { unitId = s.Bvc, meetingAt = host.Clock.Now.AddHours(-2) }, Ct)).JsonAsync(HttpStatusCode.Created);
        await (await s.Nurse.PostAsJsonAsync($"{s.Plans}/2/sign", new { unitId = s.Bvc }, Ct)).JsonAsync(HttpStatusCode.OK);

        var fact = await facts.WaitForAsync(f => f.GetProperty("dimensions").GetProperty("unitId").GetGuid() == s.Bvc && f.GetProperty("version").GetInt32() == 2);
        Assert.Equal(host.Clock.Now, fact.GetProperty("signedAt").GetDateTimeOffset());
        Assert.Equal(new DateTimeOffset(2027, 5, 3, 9, 0, 0, TimeSpan.FromHours(2)), fact.GetProperty("establishedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_goal_not_in_the_plan_or_judged_twice_is_a_400_in_Swedish_and_the_case_stays_open_until_closed_without_judging()
    {
        using var s = await LockedAndFollowedUpAsync();

        var unknown = await (await s.Nurse.PostAsJsonAsync(s.Close, Closing(s, [new { goalId = s.SafeDays, met = true }, new { goalId = Guid.NewGuid(), met = true }]), Ct))
            .JsonAsync(HttpStatusCode.BadRequest);
        var twice = await (await s.Nurse.PostAsJsonAsync(s.Close, Closing(s, [new { goalId = s.School, met = true }, new { goalId = s.School, met = false }]), Ct))
            .JsonAsync(HttpStatusCode.BadRequest);

        Assert.Equal(("urn:sip:problem:unknown-goal", "Okänt mål"), (unknown.GetProperty("type").GetString(), unknown.GetProperty("title").GetString()));
        Assert.Equal(("urn:sip:problem:goal-evaluated-twice", "Ett mål är bedömt två gånger"), (twice.GetProperty("type").GetString(), twice.GetProperty("title").GetString()));
        var open = await (await s.Nurse.GetAsync($"api/v1/cases/{s.CaseId}", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(("Open", JsonValueKind.Null), (open.GetProperty("status").GetString(), open.GetProperty("closure").ValueKind));
        Assert.Empty(await FactsInOutboxAsync(s.Bvc));

        // Without goalEvaluations the case closes as before, with no goal judged and nothing for statistics' goals.
        var closed = await (await s.Nurse.PostAsJsonAsync(s.Close, Closing(s, null), Ct)).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("Closed", closed.GetProperty("status").GetString());
        Assert.Empty(Evaluations(closed.GetProperty("closure")));
        Assert.Empty(await FactsInOutboxAsync(s.Bvc));
    }
}
