using Sip.ServiceDefaults.Time;

namespace Sip.Case.Tests;

public sealed class WorkingDayDeadlineTests
{
    private static readonly TimeSpan Cet = TimeSpan.FromHours(1);
    private static readonly TimeSpan Cest = TimeSpan.FromHours(2);

    [Fact]
    public void One_working_day_after_friday_afternoon_is_monday_at_the_same_time()
    {
        var friday = new DateTimeOffset(2026, 3, 6, 15, 30, 0, Cet);

        var due = SwedishCalendar.AddWorkingDays(friday, 1);

        Assert.Equal(new DateTimeOffset(2026, 3, 9, 15, 30, 0, Cet), due);
        Assert.Equal(TimeSpan.Zero, due.Offset);
    }

    [Fact]
    public void One_working_day_after_maundy_thursday_is_the_tuesday_after_easter()
    {
        var skartorsdag = new DateTimeOffset(2026, 4, 2, 10, 0, 0, Cest);

        var due = SwedishCalendar.AddWorkingDays(skartorsdag, 1);

        Assert.Equal(new DateTimeOffset(2026, 4, 7, 10, 0, 0, Cest), due);
    }

    [Fact]
    public void One_working_day_after_the_twenty_third_of_december_is_the_monday_after_christmas()
    {
        var due = SwedishCalendar.AddWorkingDays(new DateTimeOffset(2026, 12, 23, 14, 0, 0, Cet), 1);

        Assert.Equal(new DateTimeOffset(2026, 12, 28, 14, 0, 0, Cet), due);
    }

    [Fact]
    public void Working_days_skip_christmas_and_new_year()
    {
        Assert.Equal(new DateTimeOffset(2026, 12, 29, 9, 0, 0, Cet),
            SwedishCalendar.AddWorkingDays(new DateTimeOffset(2026, 12, 22, 9, 0, 0, Cet), 3));
        Assert.Equal(new DateTimeOffset(2027, 1, 4, 9, 0, 0, Cet),
            SwedishCalendar.AddWorkingDays(new DateTimeOffset(2026, 12, 30, 9, 0, 0, Cet), 1));
    }

    [Fact]
    public void One_working_day_after_the_thursday_before_midsummer_is_the_monday()
    {
        Assert.Equal(new DateTimeOffset(2026, 6, 22, 11, 0, 0, Cest),
            SwedishCalendar.AddWorkingDays(new DateTimeOffset(2026, 6, 18, 11, 0, 0, Cest), 1));
    }

    [Fact]
    public void A_deadline_started_on_a_holiday_counts_from_the_next_working_day()
    {
        Assert.Equal(new DateTimeOffset(2026, 4, 7, 12, 0, 0, Cest),
            SwedishCalendar.AddWorkingDays(new DateTimeOffset(2026, 4, 5, 12, 0, 0, Cest), 1));
    }

    [Fact]
    public void Across_the_spring_clock_change_the_local_time_of_day_is_kept()
    {
        // Summer time starts on Sunday 29 March 2026: 15:00Z is 16:00 on Friday and 14:00Z is 16:00 on Monday.
        var friday = new DateTimeOffset(2026, 3, 27, 15, 0, 0, TimeSpan.Zero);

        var due = SwedishCalendar.AddWorkingDays(friday, 1);

        Assert.Equal(new DateTimeOffset(2026, 3, 30, 14, 0, 0, TimeSpan.Zero), due);
        Assert.Equal(TimeSpan.Zero, due.Offset);
        Assert.Equal(16, TimeZoneInfo.ConvertTime(due, SwedishCalendar.Stockholm).Hour);
    }

    [Fact]
    public void Across_the_autumn_clock_change_the_local_time_of_day_is_kept()
    {
        // Summer time ends on Sunday 25 October 2026: 14:00Z is 16:00 on Friday and 15:00Z is 16:00 on Monday.
        var friday = new DateTimeOffset(2026, 10, 23, 14, 0, 0, TimeSpan.Zero);

        var due = SwedishCalendar.AddWorkingDays(friday, 1);

        Assert.Equal(new DateTimeOffset(2026, 10, 26, 15, 0, 0, TimeSpan.Zero), due);
        Assert.Equal(TimeSpan.Zero, due.Offset);
    }

    [Fact]
    public void The_swedish_date_counts_not_the_utc_date()
    {
        // 23:30Z on Thursday 5 March is already Friday 00:30 in Stockholm.
        var due = SwedishCalendar.AddWorkingDays(new DateTimeOffset(2026, 3, 5, 23, 30, 0, TimeSpan.Zero), 1);

        Assert.Equal(new DateTimeOffset(2026, 3, 9, 0, 30, 0, Cet), due);
    }

    [Fact]
    public void Today_is_the_date_in_stockholm()
    {
        Assert.Equal(new DateOnly(2026, 7, 1), SwedishCalendar.Today(new DateTimeOffset(2026, 6, 30, 22, 30, 0, TimeSpan.Zero)));
        Assert.Equal(new DateOnly(2026, 6, 30), SwedishCalendar.Today(new DateTimeOffset(2026, 6, 30, 21, 30, 0, TimeSpan.Zero)));
    }
}
