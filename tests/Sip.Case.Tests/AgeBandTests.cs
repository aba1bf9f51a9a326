using Sip.Contracts.Statistics;

namespace Sip.Case.Tests;

/// <summary>
/// The age band of a statistics fact (SIP-DOMAIN §10) from the birth year and month on the fact's date: the one helper
/// case and meeting-scheduling both use. The birthday counts from the first of the birth month.
/// </summary>
public sealed class AgeBandTests
{
    [Theory]
    [InlineData(2009, 3, "2027-02-28", "0-17")]
    [InlineData(2009, 3, "2027-03-01", "18-64")]
    [InlineData(1962, 7, "2027-06-30", "18-64")]
    [InlineData(1962, 7, "2027-07-01", "65-79")]
    [InlineData(1947, 12, "2027-11-30", "65-79")]
    [InlineData(1947, 12, "2027-12-01", "80+")]
    [InlineData(2027, 1, "2027-01-01", "0-17")]
    public void The_band_is_the_age_on_the_facts_own_date(int year, int month, string day, string band) =>
        Assert.Equal(band, new StatisticsPerson(year, month, "Female", "Adults").AgeBandOn(DateOnly.Parse(day)));

    [Theory]
    [InlineData(null, 3)]
    [InlineData(2000, null)]
    [InlineData(2000, 13)]
    [InlineData(2028, 1)]
    public void An_unknown_or_impossible_birth_is_an_unknown_band(int? year, int? month) =>
        Assert.Equal(StatisticsDimensions.Unknown, new StatisticsPerson(year, month, "Male", "Adults").AgeBandOn(new DateOnly(2027, 6, 1)));

    [Fact]
    public void Dimensions_carry_region_band_sex_and_target_group_and_anything_else_in_sex_is_unknown()
    {
        var unit = Guid.NewGuid();

        var dimensions = new StatisticsPerson(1950, 5, "Male", "Dementia").Dimensions("1481", unit, "Municipality", true, new DateOnly(2027, 6, 1));
        var odd = new StatisticsPerson(1950, 5, "X", "").Dimensions("1481", unit, "Region", false, new DateOnly(2027, 6, 1));

        Assert.Equal(new StatisticsDimensions("14", "1481", unit, "Municipality", "65-79", "Male", "Dementia", true), dimensions);
        Assert.Equal((StatisticsDimensions.Unknown, StatisticsDimensions.Unknown), (odd.Sex, odd.TargetGroup));
    }
}
