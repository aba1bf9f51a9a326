using Sip.ServiceDefaults.Time;

namespace Sip.Case.Tests;

public sealed class SwedishWorkingDayTests
{
    public static TheoryData<int> Years => new(PublishedSwedishCalendar.Years);

    [Fact]
    public void The_published_list_has_sixteen_days_a_year()
    {
        foreach (var year in PublishedSwedishCalendar.Years)
        {
            Assert.Equal(16, PublishedSwedishCalendar.Holidays.Keys.Count(d => d.Year == year));
        }
    }

    [Theory]
    [MemberData(nameof(Years))]
    public void Every_published_holiday_and_eve_is_a_holiday_and_not_a_working_day(int year)
    {
        var wrong = PublishedSwedishCalendar.Holidays
            .Where(h => h.Key.Year == year)
            .Where(h => !SwedishCalendar.IsHoliday(h.Key) || SwedishCalendar.IsWorkingDay(h.Key))
            .Select(h => $"{h.Key:yyyy-MM-dd} {h.Value}")
            .ToList();

        Assert.Empty(wrong);
    }

    [Theory]
    [MemberData(nameof(Years))]
    public void No_other_day_of_the_year_is_a_holiday(int year)
    {
        var wrong = PublishedSwedishCalendar.DaysOf(year)
            .Where(d => !PublishedSwedishCalendar.Holidays.ContainsKey(d) && SwedishCalendar.IsHoliday(d))
            .Select(d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))
            .ToList();

        Assert.Empty(wrong);
    }

    [Theory]
    [MemberData(nameof(Years))]
    public void Every_weekday_not_in_the_published_list_is_a_working_day_and_no_weekend_day_is(int year)
    {
        var wrong = PublishedSwedishCalendar.DaysOf(year)
            .Where(d =>
            {
                var expected = d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)
                               && !PublishedSwedishCalendar.Holidays.ContainsKey(d);
                return SwedishCalendar.IsWorkingDay(d) != expected;
            })
            .Select(d => d.ToString("yyyy-MM-dd ddd", System.Globalization.CultureInfo.InvariantCulture))
            .ToList();

        Assert.Empty(wrong);
    }

    [Fact]
    public void The_year_2026_has_the_published_number_of_working_days()
    {
        // 261 weekdays in 2026, of which 10 fall on a listed holiday or eve (1/1, 6/1, 3/4, 6/4,
        // 1/5, 14/5, 19/6, 24/12, 25/12, 31/12); nationaldagen, midsommardagen, alla helgons dag,
        // påskdagen, pingstdagen and annandag jul fall on a weekend.
        Assert.Equal(251, PublishedSwedishCalendar.DaysOf(2026).Count(SwedishCalendar.IsWorkingDay));
    }

    [Theory]
    [InlineData(2026, 4, 2)] // skärtorsdag
    [InlineData(2026, 4, 30)] // valborgsmässoafton
    [InlineData(2026, 1, 5)] // trettondagsafton
    [InlineData(2026, 6, 5)] // the day before nationaldagen
    [InlineData(2026, 11, 2)] // the Monday after alla helgons dag
    [InlineData(2027, 6, 18)] // a Friday in June that is not midsommarafton
    public void Eves_that_are_not_holidays_are_working_days(int year, int month, int day) =>
        Assert.True(SwedishCalendar.IsWorkingDay(new DateOnly(year, month, day)));
}
