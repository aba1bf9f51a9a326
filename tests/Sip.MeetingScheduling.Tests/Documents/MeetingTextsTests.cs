using Sip.MeetingScheduling.Documents;

namespace Sip.MeetingScheduling.Tests.Documents;

public sealed class MeetingTextsTests
{
    [Fact]
    public void A_summer_meeting_is_shown_in_Swedish_summer_time()
    {
        Assert.Equal("torsdag 18 juni 2026 kl. 10.00–11.30", MeetingTexts.Time(DocumentSamples.StartsAt, DocumentSamples.EndsAt));
    }

    [Fact]
    public void A_winter_meeting_is_shown_in_Swedish_winter_time()
    {
        var start = new DateTimeOffset(2026, 1, 15, 12, 15, 0, TimeSpan.Zero);
        Assert.Equal("torsdag 15 januari 2026 kl. 13.15–14.00", MeetingTexts.Time(start, start.AddMinutes(45)));
    }

    [Theory]
    [InlineData("2026-03-29T08:00:00Z", "söndag 29 mars 2026 kl. 10.00–11.00")]
    [InlineData("2026-10-25T09:00:00Z", "söndag 25 oktober 2026 kl. 10.00–11.00")]
    public void A_meeting_on_a_daylight_saving_change_day_is_shown_at_its_Swedish_clock_time(string startsAtUtc, string expected)
    {
        var start = DateTimeOffset.Parse(startsAtUtc, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expected, MeetingTexts.Time(start, start.AddHours(1)));
    }

    [Fact]
    public void A_meeting_across_midnight_names_both_days()
    {
        var start = new DateTimeOffset(2026, 6, 18, 21, 0, 0, TimeSpan.Zero);
        Assert.Equal("torsdag 18 juni 2026 kl. 23.00 – fredag 19 juni 2026 kl. 01.00", MeetingTexts.Time(start, start.AddHours(2)));
    }

    [Fact]
    public void Every_kind_and_place_type_has_Swedish_words_and_unknown_ones_are_refused()
    {
        Assert.Equal(
            ["SIP-möte (planering)", "Uppföljningsmöte", "Utvärderingsmöte", "Förberedande möte (aktörsmöte)"],
            MeetingTexts.Kinds.Select(MeetingTexts.Kind));
        Assert.Equal(
            ["Hemma hos den enskilde", "Mottagning", "Kommunens lokaler", "Vårdavdelning", "Telefon eller video"],
            MeetingTexts.PlaceTypes.Select(MeetingTexts.Place));
        Assert.Throws<ArgumentOutOfRangeException>(() => MeetingTexts.Kind("Anna Andersson"));
        Assert.Throws<ArgumentOutOfRangeException>(() => MeetingTexts.Place("Storgatan 1"));
    }
}
