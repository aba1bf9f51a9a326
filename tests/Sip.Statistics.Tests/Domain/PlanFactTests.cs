using Sip.Contracts.Statistics;
using Sip.Statistics.Domain;

namespace Sip.Statistics.Tests.Domain;

/// <summary>What a signed plan version counts towards: a SIP established, or a follow-up counted with the month its plan was established.</summary>
public sealed class PlanFactTests
{
    // Tue 13 October 2026, 10:00 in Sweden (CEST).
    private static readonly DateTimeOffset October = new(2026, 10, 13, 8, 0, 0, TimeSpan.Zero);

    private static PlanEstablishedFact Signed(int version, DateTimeOffset signedAt, DateTimeOffset? establishedAt = null) =>
        new(Guid.CreateVersion7(), signedAt, "t", new StatisticsDimensions("14", "1481", Guid.NewGuid(), "Region", StatisticsDimensions.Unknown,
            StatisticsDimensions.Unknown, StatisticsDimensions.Unknown, false), version, signedAt.AddDays(-1), signedAt, establishedAt);

    private static string[] Series(PlanEstablishedFact f) => [.. FactCube.Entries(f).Select(e => $"{e.Series}:{e.Month:yyyy-MM}")];

    [Fact]
    public void A_follow_up_counts_in_the_month_its_plan_was_established_so_a_month_shows_how_many_of_its_plans_were_followed_up()
    {
        Assert.Equal(["established:2026-10"], Series(Signed(1, October)));
        Assert.Equal(["follow_up:2026-10"], Series(Signed(2, October.AddMonths(3), establishedAt: October)));
        // 31 October 23:30 UTC is 1 November in Sweden: the plan was established in November.
        Assert.Equal(["follow_up:2026-11"], Series(Signed(2, October.AddMonths(3), establishedAt: new DateTimeOffset(2026, 10, 31, 23, 30, 0, TimeSpan.Zero))));
        // A fact sent before the establishment time was carried counts in its own month; later versions count neither.
        Assert.Equal(["follow_up:2027-01"], Series(Signed(2, October.AddMonths(3))));
        Assert.Empty(Series(Signed(3, October.AddMonths(6), establishedAt: October)));
    }
}
