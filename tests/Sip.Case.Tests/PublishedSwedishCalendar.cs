namespace Sip.Case.Tests;

/// <summary>
/// Swedish public holidays and the three eves SIP treats as holidays (SIP-DOMAIN §5), 2024–2028,
/// copied from the published almanac — literal dates, not computed.
/// </summary>
internal static class PublishedSwedishCalendar
{
    public static readonly int[] Years = [2024, 2025, 2026, 2027, 2028];

    public static readonly IReadOnlyDictionary<DateOnly, string> Holidays = new Dictionary<DateOnly, string>
    {
        // 2024
        [new(2024, 1, 1)] = "nyårsdagen",
        [new(2024, 1, 6)] = "trettondedag jul",
        [new(2024, 3, 29)] = "långfredagen",
        [new(2024, 3, 31)] = "påskdagen",
        [new(2024, 4, 1)] = "annandag påsk",
        [new(2024, 5, 1)] = "första maj",
        [new(2024, 5, 9)] = "Kristi himmelsfärdsdag",
        [new(2024, 5, 19)] = "pingstdagen",
        [new(2024, 6, 6)] = "nationaldagen",
        [new(2024, 6, 21)] = "midsommarafton",
        [new(2024, 6, 22)] = "midsommardagen",
        [new(2024, 11, 2)] = "alla helgons dag",
        [new(2024, 12, 24)] = "julafton",
        [new(2024, 12, 25)] = "juldagen",
        [new(2024, 12, 26)] = "annandag jul",
        [new(2024, 12, 31)] = "nyårsafton",

        // 2025
        [new(2025, 1, 1)] = "nyårsdagen",
        [new(2025, 1, 6)] = "trettondedag jul",
        [new(2025, 4, 18)] = "långfredagen",
        [new(2025, 4, 20)] = "påskdagen",
        [new(2025, 4, 21)] = "annandag påsk",
        [new(2025, 5, 1)] = "första maj",
        [new(2025, 5, 29)] = "Kristi himmelsfärdsdag",
        [new(2025, 6, 8)] = "pingstdagen",
        [new(2025, 6, 6)] = "nationaldagen",
        [new(2025, 6, 20)] = "midsommarafton",
        [new(2025, 6, 21)] = "midsommardagen",
        [new(2025, 11, 1)] = "alla helgons dag",
        [new(2025, 12, 24)] = "julafton",
        [new(2025, 12, 25)] = "juldagen",
        [new(2025, 12, 26)] = "annandag jul",
        [new(2025, 12, 31)] = "nyårsafton",

        // 2026
        [new(2026, 1, 1)] = "nyårsdagen",
        [new(2026, 1, 6)] = "trettondedag jul",
        [new(2026, 4, 3)] = "långfredagen",
        [new(2026, 4, 5)] = "påskdagen",
        [new(2026, 4, 6)] = "annandag påsk",
        [new(2026, 5, 1)] = "första maj",
        [new(2026, 5, 14)] = "Kristi himmelsfärdsdag",
        [new(2026, 5, 24)] = "pingstdagen",
        [new(2026, 6, 6)] = "nationaldagen",
        [new(2026, 6, 19)] = "midsommarafton",
        [new(2026, 6, 20)] = "midsommardagen",
        [new(2026, 10, 31)] = "alla helgons dag",
        [new(2026, 12, 24)] = "julafton",
        [new(2026, 12, 25)] = "juldagen",
        [new(2026, 12, 26)] = "annandag jul",
        [new(2026, 12, 31)] = "nyårsafton",

        // 2027
        [new(2027, 1, 1)] = "nyårsdagen",
        [new(2027, 1, 6)] = "trettondedag jul",
        [new(2027, 3, 26)] = "långfredagen",
        [new(2027, 3, 28)] = "påskdagen",
        [new(2027, 3, 29)] = "annandag påsk",
        [new(2027, 5, 1)] = "första maj",
        [new(2027, 5, 6)] = "Kristi himmelsfärdsdag",
        [new(2027, 5, 16)] = "pingstdagen",
        [new(2027, 6, 6)] = "nationaldagen",
        [new(2027, 6, 25)] = "midsommarafton",
        [new(2027, 6, 26)] = "midsommardagen",
        [new(2027, 11, 6)] = "alla helgons dag",
        [new(2027, 12, 24)] = "julafton",
        [new(2027, 12, 25)] = "juldagen",
        [new(2027, 12, 26)] = "annandag jul",
        [new(2027, 12, 31)] = "nyårsafton",

        // 2028
        [new(2028, 1, 1)] = "nyårsdagen",
        [new(2028, 1, 6)] = "trettondedag jul",
        [new(2028, 4, 14)] = "långfredagen",
        [new(2028, 4, 16)] = "påskdagen",
        [new(2028, 4, 17)] = "annandag påsk",
        [new(2028, 5, 1)] = "första maj",
        [new(2028, 5, 25)] = "Kristi himmelsfärdsdag",
        [new(2028, 6, 4)] = "pingstdagen",
        [new(2028, 6, 6)] = "nationaldagen",
        [new(2028, 6, 23)] = "midsommarafton",
        [new(2028, 6, 24)] = "midsommardagen",
        [new(2028, 11, 4)] = "alla helgons dag",
        [new(2028, 12, 24)] = "julafton",
        [new(2028, 12, 25)] = "juldagen",
        [new(2028, 12, 26)] = "annandag jul",
        [new(2028, 12, 31)] = "nyårsafton",
    };

    public static IEnumerable<DateOnly> DaysOf(int year)
    {
        for (var day = new DateOnly(year, 1, 1); day.Year == year; day = day.AddDays(1))
        {
            yield return day;
        }
    }
}
