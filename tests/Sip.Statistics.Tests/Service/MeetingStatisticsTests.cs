using System.Net;
using System.Text.Json;
using Sip.Contracts.Meetings;
using Sip.ServiceDefaults.Auth;
using Sip.Testing;

namespace Sip.Statistics.Tests.Service;

/// <summary>
/// KVÅ AU124 and AU125 and the wait from initiative to first meeting, from <see cref="MeetingHeld"/> events on the real
/// broker to the statistics API, per tenant, municipality and Swedish calendar month.
/// </summary>
public sealed class MeetingStatisticsTests(StatisticsServiceHost host) : IClassFixture<StatisticsServiceHost>
{
    private const string Consumer = "MeetingHeldConsumer";
    private const string Molndal = "1481";
    private const string Boras = "1490";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Tue 13 October 2026, 10:00 in Sweden (CEST).
    private static readonly DateTimeOffset October = new(2026, 10, 13, 8, 0, 0, TimeSpan.Zero);

    private static string NewTenant() => $"stat-{Guid.NewGuid():N}"[..20];

    private static MeetingHeld Held(string tenant, string kind, DateTimeOffset heldAt, bool physical = true, int regionUnitsInPerson = 1, bool discharge = false,
        bool first = false, DateTimeOffset? firstInitiativeAt = null, string municipality = Molndal) =>
        new(Guid.CreateVersion7(), heldAt, tenant, Guid.NewGuid(), Guid.NewGuid(), $"SIP-2026-{Random.Shared.Next(100000, 999999)}", municipality, kind, heldAt,
            Guid.NewGuid(), [Guid.NewGuid(), Guid.NewGuid()], physical, regionUnitsInPerson, discharge, first, firstInitiativeAt, null);

    /// <summary>Publishes the events and waits until the consumer's inbox has recorded each of them as processed.</summary>
    private async Task PublishAndWaitAsync(params MeetingHeld[] events)
    {
        foreach (var e in events)
        {
            await host.PublishAsync(e, e.EventId);
        }
        await Eventually.HoldsAsync(async () => await host.ProcessedAsync(Consumer, events.Select(e => e.EventId)) == events.Length, Patience,
            $"{events.Length} meetings processed");
    }

    private static async Task<JsonElement[]> GetAsync(HttpClient client, string path) =>
        [.. (await (await client.GetAsync(path, Ct)).JsonAsync(HttpStatusCode.OK)).EnumerateArray()];

    private static (string, string, long, long) Meetings(JsonElement row) =>
        (row.GetProperty("municipalityCode").GetString()!, row.GetProperty("month").GetString()!, row.GetProperty("au124").GetInt64(), row.GetProperty("au125").GetInt64());

    private static (string, string, long, double) FirstMeetings(JsonElement row) =>
        (row.GetProperty("municipalityCode").GetString()!, row.GetProperty("month").GetString()!, row.GetProperty("firstMeetings").GetInt64(),
            row.GetProperty("medianDaysFromInitiative").GetDouble());

    [Fact]
    public async Task Physical_meetings_with_a_region_unit_in_the_room_count_as_au124_but_a_pre_meeting_a_remote_or_a_municipal_only_meeting_does_not()
    {
        var tenant = NewTenant();
        using var statistician = host.Statistician(tenant);

        await PublishAndWaitAsync(
            Held(tenant, "Planning", October),
            Held(tenant, "FollowUp", October.AddDays(1), regionUnitsInPerson: 2),
            Held(tenant, "Evaluation", October.AddDays(2)),
            Held(tenant, "PreMeeting", October.AddDays(3)),
            Held(tenant, "FollowUp", October.AddDays(4), physical: false),
            Held(tenant, "Planning", October.AddDays(5), regionUnitsInPerson: 0),
            // Sat 31 October 23:30 UTC is 00:30 on 1 November in Sweden (CET): a November meeting.
            Held(tenant, "Planning", new DateTimeOffset(2026, 10, 31, 23, 30, 0, TimeSpan.Zero)));

        Assert.Equal([(Molndal, "2026-10-01", 3L, 0L), (Molndal, "2026-11-01", 1L, 0L)], (await GetAsync(statistician, "/api/v1/statistics/meetings")).Select(Meetings));
    }

    [Fact]
    public async Task The_planning_meeting_of_a_discharge_counts_as_au125_and_its_follow_up_does_not()
    {
        var tenant = NewTenant();
        using var statistician = host.Statistician(tenant);

        await PublishAndWaitAsync(
            Held(tenant, "Planning", October, discharge: true),
            Held(tenant, "Planning", October.AddDays(1), discharge: true, physical: false, regionUnitsInPerson: 0),
            Held(tenant, "FollowUp", October.AddDays(20), discharge: true, physical: false, regionUnitsInPerson: 0));

        Assert.Equal([(Molndal, "2026-10-01", 1L, 2L)], (await GetAsync(statistician, "/api/v1/statistics/meetings")).Select(Meetings));
    }

    [Fact]
    public async Task A_redelivered_meeting_is_counted_once()
    {
        var tenant = NewTenant();
        using var statistician = host.Statistician(tenant);
        var meeting = Held(tenant, "Planning", October, discharge: true, first: true, firstInitiativeAt: October.AddDays(-4));
        await PublishAndWaitAsync(meeting);
        var duplicates = await host.InboxCountAsync(Consumer, "duplicates");

        await host.PublishAsync(meeting, meeting.EventId);
        await Eventually.HoldsAsync(async () => await host.InboxCountAsync(Consumer, "duplicates") == duplicates + 1, Patience, "the redelivery recognised");

        Assert.Equal([(Molndal, "2026-10-01", 1L, 1L)], (await GetAsync(statistician, "/api/v1/statistics/meetings")).Select(Meetings));
        Assert.Equal([(Molndal, "2026-10-01", 1L, 4.0)], (await GetAsync(statistician, "/api/v1/statistics/first-meetings")).Select(FirstMeetings));
    }

    [Fact]
    public async Task The_wait_from_initiative_to_first_meeting_is_counted_once_per_case_with_the_median_in_swedish_calendar_days()
    {
        var tenant = NewTenant();
        using var statistician = host.Statistician(tenant);
        var events = new[]
        {
            Held(tenant, "Planning", October, first: true, firstInitiativeAt: October.AddDays(-9)),
            Held(tenant, "Planning", October.AddDays(1), first: true, firstInitiativeAt: October.AddDays(1).AddDays(-30)),
            Held(tenant, "Planning", October.AddDays(2), first: true, firstInitiativeAt: October.AddDays(2).AddDays(-5)),
            // Thu 1 October 23:30 UTC is already Friday 2 October in Sweden: Friday → Sunday 4 October is 2 days, though 3 UTC dates apart.
            Held(tenant, "Planning", new DateTimeOffset(2026, 10, 4, 8, 0, 0, TimeSpan.Zero), first: true,
                firstInitiativeAt: new DateTimeOffset(2026, 10, 1, 23, 30, 0, TimeSpan.Zero)),
            // Not a first meeting, or a case opened without an initiative: not in the measure.
            Held(tenant, "FollowUp", October.AddDays(3), firstInitiativeAt: October.AddDays(-60)),
            Held(tenant, "Planning", October.AddDays(4), first: true),
            Held(tenant, "Planning", October.AddDays(5), first: true, firstInitiativeAt: October.AddDays(2), municipality: Boras),
        };
        await PublishAndWaitAsync(events);

        // Waits 2, 5, 9 and 30 days: the median is the mean of 5 and 9.
        Assert.Equal([(Molndal, "2026-10-01", 4L, 7.0), (Boras, "2026-10-01", 1L, 3.0)],
            (await GetAsync(statistician, "/api/v1/statistics/first-meetings")).Select(FirstMeetings).OrderBy(r => r.Item1 == Boras));
        Assert.Equal([(Boras, "2026-10-01", 1L, 3.0)], (await GetAsync(statistician, $"/api/v1/statistics/first-meetings?municipalityCode={Boras}")).Select(FirstMeetings));
        // Nothing kept names a case or a meeting.
        var stored = await host.Postgres.ScalarAsync<string>(
            $"SELECT string_agg(t::text, ' ') FROM (SELECT w::text AS t FROM statistics.first_meeting_waits w UNION ALL SELECT m::text FROM statistics.meeting_counts m) rows");
        Assert.NotNull(stored);
        Assert.All(events, e => Assert.DoesNotContain(e.CaseId.ToString(), stored));
        Assert.All(events, e => Assert.DoesNotContain(e.MeetingId.ToString(), stored));
        Assert.All(events, e => Assert.DoesNotContain(e.CaseReference, stored));
    }

    [Fact]
    public async Task Only_a_statistician_sees_the_meeting_measures_and_only_for_their_own_tenant()
    {
        var tenant = NewTenant();
        await PublishAndWaitAsync(Held(tenant, "Planning", October, first: true, firstInitiativeAt: October.AddDays(-1)));
        using var statistician = host.Statistician(tenant);
        using var otherTenant = host.Statistician(NewTenant());
        using var staff = host.As("staff-1", tenant, SipRoles.Staff);
        using var anonymous = host.Anonymous();

        Assert.Single(await GetAsync(statistician, "/api/v1/statistics/meetings"));
        Assert.Empty(await GetAsync(otherTenant, "/api/v1/statistics/meetings"));
        Assert.Empty(await GetAsync(otherTenant, "/api/v1/statistics/first-meetings"));
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.GetAsync("/api/v1/statistics/first-meetings", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/statistics/meetings", Ct)).StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_describes_both_meeting_measures()
    {
        using var anonymous = host.Anonymous();

        var paths = (await (await anonymous.GetAsync("/openapi/v1.json", Ct)).JsonAsync(HttpStatusCode.OK)).GetProperty("paths");

        Assert.True(paths.TryGetProperty("/api/v1/statistics/meetings", out var meetings));
        Assert.True(paths.TryGetProperty("/api/v1/statistics/first-meetings", out _));
        Assert.Contains("AU124", meetings.GetProperty("get").GetProperty("summary").GetString());
    }
}
