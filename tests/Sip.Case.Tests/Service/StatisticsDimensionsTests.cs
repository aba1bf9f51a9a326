using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Sip.Contracts.Grpc.Case.V1;
using Sip.Contracts.Grpc.Consent.V1;
using Sip.Contracts.Statistics;
using Sip.ServiceDefaults.Data;
using Sip.Testing;

namespace Sip.Case.Tests.Service;

/// <summary>
/// Statistics facts carry the individual's age band, sex and the case's target group (issue 16): birth year and month
/// and sex from consent when the case is opened (case never sees the identity number), the band computed on each
/// fact's own date, the target group chosen and changed by staff.
/// </summary>
public sealed class StatisticsDimensionsTests(CaseServiceHost host) : IClassFixture<CaseServiceHost>
{
    private static readonly TimeSpan Stockholm = TimeSpan.FromHours(1);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<UnitsScene> SceneAsync() => host.UnitsSceneAsync(Ct);

    private static object Open(Guid individual, Guid acting, Guid[] initiatives, string? targetGroup) => new
    {
        individualId = individual, actingUnitId = acting, municipalityCode = "1481", reason = "Behöver samordnade insatser från skola, BUP och socialtjänst.",
        urgency = "Normal", initiativeUnitIds = initiatives, targetGroup,
    };

    private static Guid InitiativeTo(JsonElement sipCase, Guid unit) =>
        sipCase.GetProperty("initiatives").EnumerateArray().Single(i => i.GetProperty("toUnitId").GetGuid() == unit).GetProperty("initiativeId").GetGuid();

    private static (string AgeBand, string Sex, string TargetGroup, string Principal) Dimensions(JsonElement fact)
    {
        var d = fact.GetProperty("dimensions");
        return (d.GetProperty("ageBand").GetString()!, d.GetProperty("sex").GetString()!, d.GetProperty("targetGroup").GetString()!, d.GetProperty("principal").GetString()!);
    }

    [Fact]
    public async Task Facts_count_the_age_band_on_their_own_date_so_a_seventeen_year_old_counts_as_an_adult_after_the_birthday()
    {
        var s = await SceneAsync();
        var individual = Guid.NewGuid();
        // Born in March 2009: 17 in February 2027, 18 from March (the birthday counts from the first of the month).
        host.Profiles[individual] = new StatisticsProfileReply { BirthYear = 2009, BirthMonth = 3, Sex = "Female" };
        host.Clock.Now = new DateTimeOffset(2027, 2, 15, 10, 0, 0, Stockholm);
        using var nurse = host.As(s.Nurse, s.Opener);
        await using var facts = await host.ListenAsync<InitiativeAnsweredFact>();
        var opened = await (await nurse.PostAsJsonAsync("api/v1/cases", Open(individual, s.Opener, [s.Municipality], "ChildrenYoung"), Ct)).JsonAsync(HttpStatusCode.Created);
        var caseId = opened.GetProperty("caseId").GetGuid();
        Assert.Equal("ChildrenYoung", opened.GetProperty("targetGroup").GetString());

        using var social = host.As(s.Social, s.Municipality);
        await (await social.PostAsJsonAsync($"api/v1/cases/{caseId}/initiatives/{InitiativeTo(opened, s.Municipality)}/acknowledge", new { unitId = s.Municipality }, Ct))
            .JsonAsync(HttpStatusCode.OK);
        var before = await facts.WaitForAsync(f => f.GetProperty("dimensions").GetProperty("unitId").GetGuid() == s.Municipality);

        // Staff correct the target group; on 1 March another unit answers.
        var changed = await (await nurse.PutAsJsonAsync($"api/v1/cases/{caseId}/target-group", new { unitId = s.Opener, targetGroup = "PsychiatryAddiction" }, Ct))
            .JsonAsync(HttpStatusCode.OK);
        host.Clock.Now = new DateTimeOffset(2027, 3, 1, 9, 0, 0, Stockholm);
        var sent = await (await nurse.PostAsJsonAsync($"api/v1/cases/{caseId}/initiatives", new { unitId = s.Other }, Ct)).JsonAsync(HttpStatusCode.Created);
        using var other = host.As(s.OtherStaff, s.Other);
        await (await other.PostAsJsonAsync($"api/v1/cases/{caseId}/initiatives/{sent.GetProperty("initiativeId").GetGuid()}/decline",
            new { unitId = s.Other, comment = "Inte aktuellt hos oss." }, Ct)).JsonAsync(HttpStatusCode.OK);
        var after = await facts.WaitForAsync(f => f.GetProperty("dimensions").GetProperty("unitId").GetGuid() == s.Other);

        Assert.Equal(("0-17", "Female", "ChildrenYoung", "Municipality"), Dimensions(before));
        Assert.Equal("PsychiatryAddiction", changed.GetProperty("targetGroup").GetString());
        Assert.Equal(("18-64", "Female", "PsychiatryAddiction", "Region"), Dimensions(after));
        // Case keeps only year, month and sex; the change is in the audit log.
        var stored = await host.QueryAsync(db => db.Cases.AsNoTracking().Where(c => c.Id == caseId).Select(c => new { c.BirthYear, c.BirthMonth, c.Sex }).SingleAsync(Ct));
        Assert.Equal((2009, 3, "Female"), (stored.BirthYear!.Value, stored.BirthMonth!.Value, stored.Sex));
        var audit = await host.QueryAsync(db => db.Set<AuditEntry>().AsNoTracking().Where(a => a.CaseId == caseId && a.Action == "case.target-group-changed").ToListAsync(Ct));
        Assert.Equal((s.Nurse, s.Opener), (audit.Single().Actor, audit.Single().ActorUnitId));
    }

    [Fact]
    public async Task A_case_without_a_known_birth_or_target_group_counts_as_unknown_and_case_access_tells_meeting_scheduling_what_it_holds()
    {
        var s = await SceneAsync();
        host.Clock.Now = new DateTimeOffset(2027, 4, 6, 10, 0, 0, Stockholm);
        using var nurse = host.As(s.Nurse, s.Opener);
        await using var facts = await host.ListenAsync<InitiativeAnsweredFact>();
        var unknown = Guid.NewGuid();
        var opened = await (await nurse.PostAsJsonAsync("api/v1/cases", Open(unknown, s.Opener, [s.Municipality], null), Ct)).JsonAsync(HttpStatusCode.Created);
        var known = Guid.NewGuid();
        host.Profiles[known] = new StatisticsProfileReply { BirthYear = 1940, BirthMonth = 11, Sex = "Male" };
        var elder = await (await nurse.PostAsJsonAsync("api/v1/cases", Open(known, s.Opener, [s.Other], "MultimorbidElderly"), Ct)).JsonAsync(HttpStatusCode.Created);

        using var social = host.As(s.Social, s.Municipality);
        await (await social.PostAsJsonAsync($"api/v1/cases/{opened.GetProperty("caseId").GetGuid()}/initiatives/{InitiativeTo(opened, s.Municipality)}/acknowledge",
            new { unitId = s.Municipality }, Ct)).JsonAsync(HttpStatusCode.OK);
        var fact = await facts.WaitForAsync(f => f.GetProperty("dimensions").GetProperty("unitId").GetGuid() == s.Municipality);
        var reply = await host.CaseAccessAs(s.OtherStaff, s.Other).GetCaseForUnitAsync(
            new GetCaseForUnitRequest { CaseId = elder.GetProperty("caseId").GetString(), UnitId = s.Other.ToString() }, cancellationToken: Ct);

        Assert.Equal(("Unknown", "Unknown", "Unknown", "Municipality"), Dimensions(fact));
        Assert.Equal("NotStated", opened.GetProperty("targetGroup").GetString());
        Assert.Equal((1940, 11, "Male", "MultimorbidElderly"), (reply.BirthYear, reply.BirthMonth, reply.Sex, reply.TargetGroup));
    }

    [Theory]
    [InlineData("Seniors")]
    [InlineData("dementia")]
    [InlineData("3")]
    [InlineData("ChildrenYoung,NotStated")]
    public async Task A_target_group_that_is_not_one_of_the_six_is_refused_with_a_Swedish_problem_and_nothing_changes(string bad)
    {
        var s = await SceneAsync();
        host.Clock.Now = new DateTimeOffset(2027, 4, 7, 10, 0, 0, Stockholm);
        using var nurse = host.As(s.Nurse, s.Opener);
        var opened = await (await nurse.PostAsJsonAsync("api/v1/cases", Open(Guid.NewGuid(), s.Opener, [s.Municipality], "Adults"), Ct)).JsonAsync(HttpStatusCode.Created);
        var caseId = opened.GetProperty("caseId").GetGuid();
        var casesBefore = await host.QueryAsync(db => db.Cases.CountAsync(c => c.OpenedByUnitId == s.Opener, Ct));

        var onOpen = await (await nurse.PostAsJsonAsync("api/v1/cases", Open(Guid.NewGuid(), s.Opener, [s.Municipality], bad), Ct)).JsonAsync(HttpStatusCode.BadRequest);
        var onChange = await (await nurse.PutAsJsonAsync($"api/v1/cases/{caseId}/target-group", new { unitId = s.Opener, targetGroup = bad }, Ct))
            .JsonAsync(HttpStatusCode.BadRequest);

        foreach (var problem in new[] { onOpen, onChange })
        {
            Assert.Equal(("urn:sip:problem:invalid-target-group", "Okänd målgrupp"), (problem.GetProperty("type").GetString(), problem.GetProperty("title").GetString()));
            Assert.Contains("Dementia (Demens/kognitiv sjukdom)", problem.GetProperty("detail").GetString());
        }
        Assert.Equal(casesBefore, await host.QueryAsync(db => db.Cases.CountAsync(c => c.OpenedByUnitId == s.Opener, Ct)));
        var read = await (await nurse.GetAsync($"api/v1/cases/{caseId}", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Adults", read.GetProperty("targetGroup").GetString());
        Assert.False(await host.QueryAsync(db => db.Set<AuditEntry>().AnyAsync(a => a.CaseId == caseId && a.Action == "case.target-group-changed", Ct)));
    }
}
