using Sip.Contracts.Statistics;
using Sip.Statistics.Domain;

namespace Sip.Statistics.Tests.Domain;

/// <summary>What a held meeting counts towards in the cube: KVÅ AU124 and AU125 and the wait to a case's first meeting, by Swedish calendar month and day.</summary>
public sealed class MeetingFactTests
{
    // Tue 13 October 2026, 10:00 in Sweden (CEST).
    private static readonly DateTimeOffset October = new(2026, 10, 13, 8, 0, 0, TimeSpan.Zero);

    private static MeetingHeldFact Held(string kind, DateTimeOffset heldAt, bool physical = true, int regionUnitsInPerson = 1, bool discharge = false,
        bool first = false, DateTimeOffset? firstInitiativeAt = null) =>
        new(Guid.CreateVersion7(), heldAt, "t", new StatisticsDimensions("14", "1481", Guid.NewGuid(), "Region", StatisticsDimensions.Unknown,
            StatisticsDimensions.Unknown, StatisticsDimensions.Unknown, discharge), kind, heldAt, physical, regionUnitsInPerson, first, firstInitiativeAt);

    private static string[] Series(MeetingHeldFact f) => [.. FactCube.Entries(f).Select(e => $"{e.Series}:{e.Month:yyyy-MM}")];

    [Fact]
    public void Physical_meetings_with_a_region_unit_in_the_room_count_as_au124_but_a_pre_meeting_a_remote_or_a_municipal_only_meeting_does_not()
    {
        Assert.Equal(["au124:2026-10"], Series(Held("Planning", October)));
        Assert.Equal(["au124:2026-10"], Series(Held("FollowUp", October, regionUnitsInPerson: 2)));
        Assert.Equal(["au124:2026-10"], Series(Held("Evaluation", October)));
        Assert.Empty(Series(Held("PreMeeting", October)));
        Assert.Empty(Series(Held("FollowUp", October, physical: false)));
        Assert.Empty(Series(Held("Planning", October, regionUnitsInPerson: 0)));
        // Sat 31 October 23:30 UTC is 00:30 on 1 November in Sweden (CET): a November meeting.
        Assert.Equal(["au124:2026-11"], Series(Held("Planning", new DateTimeOffset(2026, 10, 31, 23, 30, 0, TimeSpan.Zero))));
    }

    [Fact]
    public void The_planning_meeting_of_a_discharge_counts_as_au125_and_its_follow_up_does_not()
    {
        Assert.Equal(["au124:2026-10", "au125:2026-10"], Series(Held("Planning", October, discharge: true)));
        Assert.Equal(["au125:2026-10"], Series(Held("Planning", October, discharge: true, physical: false, regionUnitsInPerson: 0)));
        Assert.Empty(Series(Held("FollowUp", October, discharge: true, physical: false, regionUnitsInPerson: 0)));
    }

    [Fact]
    public void The_wait_to_the_first_meeting_is_in_swedish_calendar_days_and_only_for_a_first_meeting_after_an_initiative()
    {
        static int? Wait(MeetingHeldFact f) => FactCube.Entries(f).SingleOrDefault(e => e.Series == "first_meeting")?.Value;

        Assert.Equal(9, Wait(Held("Planning", October, regionUnitsInPerson: 0, first: true, firstInitiativeAt: October.AddDays(-9))));
        // Thu 1 October 23:30 UTC is already Friday 2 October in Sweden: Friday → Sunday 4 October is 2 days, though 3 UTC dates apart.
        Assert.Equal(2, Wait(Held("Planning", new DateTimeOffset(2026, 10, 4, 8, 0, 0, TimeSpan.Zero), first: true,
            firstInitiativeAt: new DateTimeOffset(2026, 10, 1, 23, 30, 0, TimeSpan.Zero))));
        // An initiative stamped after the meeting (two services' clocks) is the same day, not a negative wait.
        Assert.Equal(0, Wait(Held("Planning", October, first: true, firstInitiativeAt: October.AddMinutes(5))));
        Assert.Null(Wait(Held("FollowUp", October, firstInitiativeAt: October.AddDays(-60))));
        Assert.Null(Wait(Held("Planning", October, first: true)));
    }

    [Fact]
    public void The_median_of_buckets_is_the_middle_value_or_the_mean_of_the_two_middle_values()
    {
        Assert.Equal(7.0, MeetingMeasures.Median([(2, 1), (5, 1), (9, 1), (30, 1)]));
        Assert.Equal(5.0, MeetingMeasures.Median([(2, 1), (5, 2), (30, 1), (9, 0)]));
        Assert.Equal(9.0, MeetingMeasures.Median([(9, 3)]));
        Assert.Null(MeetingMeasures.Median([]));
    }
}
