using System.Net;
using Sip.Contracts.Statistics;
using Sip.ServiceDefaults.Auth;
using Sip.Testing;
using static Sip.Statistics.Tests.Service.Facts;

namespace Sip.Statistics.Tests.Service;

/// <summary>The §10 measures from statistics facts on the real broker to the measures API, per month and dimension.</summary>
public sealed class MeasureTests(StatisticsServiceHost host) : IClassFixture<StatisticsServiceHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Cell Only(IEnumerable<Cell> cells, string group, string? series = null) =>
        Assert.Single(cells, c => c.Group == group && (series is null || c.Series == series));

    [Fact]
    public async Task Initiative_to_acknowledgement_gives_the_median_in_hours_and_the_share_within_one_working_day_and_a_decline_is_not_counted()
    {
        var tenant = NewTenant();
        using var statistician = host.Statistician(tenant);
        // Sent Tuesday 10:00: answered 2, 3 and 5 hours later (Tuesday), 30 hours later (Wednesday 16:00, after one working day) and 50.
        await host.PublishFactsAsync(
            Answered(tenant, Dims(), October, TimeSpan.FromHours(2)),
            Answered(tenant, Dims(), October, TimeSpan.FromHours(3)),
            Answered(tenant, Dims(), October, TimeSpan.FromHours(5)),
            Answered(tenant, Dims(), October, TimeSpan.FromHours(30)),
            Answered(tenant, Dims(), October, TimeSpan.FromHours(50)),
            Answered(tenant, Dims(), October, TimeSpan.FromHours(1), acknowledged: false));

        var cells = await statistician.TableAsync("initiative-acknowledgement");

        var molndal = Only(cells, Molndal);
        Assert.Equal(("2026-10", 5L, 3L, 0.6, 5.0, false), (molndal.Month, molndal.Count, molndal.Outcome, molndal.Share, molndal.Median, molndal.Suppressed));
        Assert.Equal(5L, Only(cells, "Totalt").Count);
    }

    [Fact]
    public async Task Sips_established_count_version_one_with_the_share_signed_within_two_working_days_and_follow_ups_beside_them()
    {
        var tenant = NewTenant();
        using var statistician = host.Statistician(tenant);
        // Meeting Friday 16 October: Tuesday 20th is within 2 working days, Wednesday 21st is not.
        var friday = new DateTimeOffset(2026, 10, 16, 8, 0, 0, TimeSpan.Zero);
        var facts = new List<Sip.Contracts.IIntegrationEvent>();
        for (var i = 0; i < 5; i++)
        {
            facts.Add(Established(tenant, Dims(sex: "Male"), friday.AddDays(4), friday));
            facts.Add(Established(tenant, Dims(sex: "Unknown"), friday.AddDays(4), friday));
            facts.Add(Established(tenant, Dims(sex: i % 2 == 0 ? "Male" : "Female"), friday.AddDays(6), friday.AddDays(4), version: 2));
        }
        facts.Add(Established(tenant, Dims(sex: "Male"), friday.AddDays(5), friday));
        facts.Add(Established(tenant, Dims(sex: "Female"), friday.AddDays(5)));
        await host.PublishFactsAsync([.. facts]);

        var established = await statistician.TableAsync("sips-established", "by=sex");
        var followUp = await statistician.TableAsync("follow-up", "by=sex");

        var male = Only(established, "Male");
        Assert.Equal((6L, 5L, 0.833), (male.Count, male.Outcome, male.Share));
        // One woman: suppressed, and the smallest other cell with her, or the total would give her back.
        Assert.True(Only(established, "Female").Suppressed);
        Assert.True(Only(established, "Unknown").Suppressed);
        Assert.Equal(12L, Only(established, "Totalt").Count);
        Assert.Equal(5L, Only(followUp, "Totalt", "follow_up").Count);
        Assert.Equal(12L, Only(followUp, "Totalt", "established").Count);
    }

    [Fact]
    public async Task Kva_au124_and_au125_and_the_wait_to_the_first_meeting_come_from_held_meetings()
    {
        var tenant = NewTenant();
        using var statistician = host.Statistician(tenant);
        var facts = new List<Sip.Contracts.IIntegrationEvent>();
        foreach (var days in new[] { 2, 5, 9, 30, 40 })
        {
            facts.Add(Held(tenant, Dims(discharge: true), "Planning", October, first: true, firstInitiativeAt: October.AddDays(-days)));
        }
        facts.Add(Held(tenant, Dims(), "FollowUp", October, physical: false));
        facts.Add(Held(tenant, Dims(), "PreMeeting", October));
        await host.PublishFactsAsync([.. facts]);

        var kva = await statistician.TableAsync("kva", "by=discharge");
        var wait = await statistician.TableAsync("first-meeting", "by=discharge");

        Assert.Equal(5L, Only(kva, "Totalt", "au124").Count);
        Assert.Equal(5L, Only(kva, "Utskrivning", "au125").Count);
        Assert.Equal((5L, 9.0), (Only(wait, "Utskrivning").Count, Only(wait, "Utskrivning").Median));
    }

    [Fact]
    public async Task Lus_compliance_is_a_series_per_track_and_obligation_and_activities_and_goals_give_shares()
    {
        var tenant = NewTenant();
        using var statistician = host.Statistician(tenant);
        var facts = new List<Sip.Contracts.IIntegrationEvent>();
        for (var i = 0; i < 6; i++)
        {
            facts.Add(new LusDeadlineFact(Guid.CreateVersion7(), October, tenant, Dims(discharge: true), "Red", "MeetingBeforeDischarge", October, i < 3));
            facts.Add(new ActivityOutcomeFact(Guid.CreateVersion7(), October, tenant, Dims(), October, i < 5));
            facts.Add(new GoalEvaluatedFact(Guid.CreateVersion7(), October, tenant, Dims(), October, i < 2));
        }
        await host.PublishFactsAsync([.. facts]);

        Assert.Equal(0.5, Only(await statistician.TableAsync("lus"), Molndal, "lus:Red:MeetingBeforeDischarge").Share);
        Assert.Equal(0.833, Only(await statistician.TableAsync("activities"), Molndal).Share);
        Assert.Equal(0.333, Only(await statistician.TableAsync("goals"), Molndal).Share);
    }

    [Fact]
    public async Task A_redelivered_fact_is_counted_once()
    {
        var tenant = NewTenant();
        using var statistician = host.Statistician(tenant);
        var facts = Enumerable.Range(0, 5).Select(_ => Established(tenant, Dims(), October)).ToArray();
        await host.PublishFactsAsync(facts);
        var duplicates = await host.InboxCountAsync("PlanEstablishedFactConsumer", "duplicates");

        await host.PublishFactAsync(facts[0], facts[0].EventId);
        await Eventually.HoldsAsync(async () => await host.InboxCountAsync("PlanEstablishedFactConsumer", "duplicates") > duplicates,
            TimeSpan.FromSeconds(60), "the redelivery recognised");

        Assert.Equal(5L, Only(await statistician.TableAsync("sips-established"), Molndal).Count);
    }

    [Fact]
    public async Task The_threshold_is_the_tenants_own_and_never_below_three()
    {
        foreach (var tenant in new[] { StatisticsServiceHost.ThresholdThreeTenant, StatisticsServiceHost.ThresholdOneTenant })
        {
            // Mölndal 3, Borås 1 and Alingsås 2: the two small ones hide each other (3 together), Mölndal's 3 is shown at threshold 3.
            await host.PublishFactsAsync([.. Enumerable.Range(0, 3).Select(_ => Established(tenant, Dims(), October)),
                Established(tenant, Dims(Boras, Units.Boras), October),
                .. Enumerable.Range(0, 2).Select(_ => Established(tenant, Dims("1489", Units.Boras), October))]);
        }
        using var three = host.Statistician(StatisticsServiceHost.ThresholdThreeTenant);
        using var one = host.Statistician(StatisticsServiceHost.ThresholdOneTenant);

        var cells = await three.TableAsync("sips-established");
        Assert.Equal(3L, Only(cells, Molndal).Count);
        Assert.True(Only(cells, Boras).Suppressed);
        Assert.Equal(3, (await (await three.GetAsync("/api/v1/statistics/measures/sips-established", Ct)).JsonAsync(HttpStatusCode.OK)).GetProperty("threshold").GetInt32());
        Assert.True(Only(await one.TableAsync("sips-established"), Boras).Suppressed, "a threshold of 1 is raised to 3");
    }

    [Fact]
    public async Task Csv_export_holds_the_same_cells_with_nothing_shown_for_a_suppressed_one()
    {
        var tenant = NewTenant();
        using var statistician = host.Statistician(tenant);
        await host.PublishFactsAsync([.. Enumerable.Range(0, 7).Select(_ => Established(tenant, Dims(), October)),
            .. Enumerable.Range(0, 2).Select(_ => Established(tenant, Dims(Boras, Units.Boras), October))]);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/statistics/measures/sips-established?by=municipality");
        request.Headers.Accept.ParseAdd("text/csv");
        using var response = await statistician.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync(Ct)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("manad,serie,municipality,antal,antal_utfall,andel,median,undertryckt", lines[0]);
        Assert.Equal(["2026-10,established,1481,,,,,ja", "2026-10,established,1490,,,,,ja", "2026-10,established,Totalt,9,0,0,,nej"], lines[1..]);
    }

    [Fact]
    public async Task Bad_input_is_a_problem_in_swedish_and_only_a_statistician_of_the_tenant_sees_figures()
    {
        var tenant = NewTenant();
        await host.PublishFactsAsync([.. Enumerable.Range(0, 5).Select(_ => Established(tenant, Dims(), October))]);
        using var statistician = host.Statistician(tenant);
        using var other = host.Statistician(NewTenant());
        using var staff = host.As("staff-1", tenant, SipRoles.Staff);
        using var anonymous = host.Anonymous();

        foreach (var (path, title) in new[] { ("measures/nope", "Okänt mått"), ("measures/sips-established?by=nope", "Okänd indelning"),
                     ("measures/sips-established?from=2026-13", "Ogiltig månad") })
        {
            using var bad = await statistician.GetAsync($"/api/v1/statistics/{path}", Ct);
            var problem = await bad.JsonAsync(HttpStatusCode.BadRequest);
            Assert.Equal(title, problem.GetProperty("title").GetString());
        }
        Assert.Empty(await other.TableAsync("sips-established"));
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.GetAsync("/api/v1/statistics/measures/sips-established", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/statistics/measures", Ct)).StatusCode);
    }
}
