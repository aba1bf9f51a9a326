namespace Sip.ServiceDefaults.Time;

/// <summary>
/// Swedish working days for SIP deadlines: weekends and public holidays are not working days, and
/// Midsummer Eve, Christmas Eve and New Year's Eve are treated as holidays (SIP-DOMAIN §5).
/// Deadlines are computed in Europe/Stockholm and stored in UTC.
/// </summary>
public static class SwedishCalendar
{
    public static readonly TimeZoneInfo Stockholm = TimeZoneInfo.FindSystemTimeZoneById("Europe/Stockholm");

    public static DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, Stockholm).DateTime);

    /// <summary>Midnight at the start of <paramref name="day"/> in Sweden, as UTC.</summary>
    public static DateTimeOffset StartOfDay(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, Stockholm.GetUtcOffset(local)).ToUniversalTime();
    }

    public static bool IsWorkingDay(DateOnly day) =>
        day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !IsHoliday(day);

    public static bool IsHoliday(DateOnly day)
    {
        var easter = EasterSunday(day.Year);
        return (day.Month, day.Day) switch
        {
            (1, 1) or (1, 6) or (5, 1) or (6, 6) or (12, 24) or (12, 25) or (12, 26) or (12, 31) => true,
            // Midsummer Eve is the Friday between 19 and 25 June; Midsummer Day the Saturday after.
            (6, >= 19 and <= 25) when day.DayOfWeek == DayOfWeek.Friday => true,
            (6, >= 20 and <= 26) when day.DayOfWeek == DayOfWeek.Saturday => true,
            // All Saints' Day: the Saturday between 31 October and 6 November.
            (10, 31) or (11, >= 1 and <= 6) when day.DayOfWeek == DayOfWeek.Saturday => true,
            _ => day == easter.AddDays(-2) || day == easter || day == easter.AddDays(1)
                 || day == easter.AddDays(39) || day == easter.AddDays(49),
        };
    }

    /// <summary>The same local time of day, <paramref name="workingDays"/> working days after <paramref name="from"/>.</summary>
    public static DateTimeOffset AddWorkingDays(DateTimeOffset from, int workingDays)
    {
        var local = TimeZoneInfo.ConvertTime(from, Stockholm);
        var day = DateOnly.FromDateTime(local.DateTime);
        var remaining = workingDays;
        while (remaining > 0)
        {
            day = day.AddDays(1);
            if (IsWorkingDay(day))
            {
                remaining--;
            }
        }
        var dueLocal = day.ToDateTime(TimeOnly.FromDateTime(local.DateTime));
        return new DateTimeOffset(dueLocal, Stockholm.GetUtcOffset(dueLocal)).ToUniversalTime();
    }

    /// <summary>Gregorian Easter Sunday (anonymous Gregorian algorithm).</summary>
    public static DateOnly EasterSunday(int year)
    {
        int a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4;
        int f = (b + 8) / 25, g = (b - f + 1) / 3, h = ((19 * a) + b - d - g + 15) % 30;
        int i = c / 4, k = c % 4, l = (32 + (2 * e) + (2 * i) - h - k) % 7;
        int m = (a + (11 * h) + (22 * l)) / 451;
        int month = (h + l - (7 * m) + 114) / 31, dayOfMonth = ((h + l - (7 * m) + 114) % 31) + 1;
        return new DateOnly(year, month, dayOfMonth);
    }
}
