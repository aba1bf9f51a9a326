using Sip.Consent.Domain;
using Sip.ServiceDefaults;

namespace Sip.Consent.Tests;

public sealed class IdentityNumberParsingTests
{
    private static readonly DateOnly Today = new(2026, 3, 1);

    [Theory]
    [InlineData("191212121212")]
    [InlineData("19121212-1212")]
    [InlineData(" 19121212-1212 ")]
    public void A_twelve_digit_personnummer_is_accepted_and_normalised(string input)
    {
        var id = IdentityNumber.Parse(input, Today);

        Assert.Equal(IdentityKind.Personnummer, id.Kind);
        Assert.Equal("191212121212", id.Value);
    }

    [Theory]
    [InlineData("1212121212")]
    [InlineData("121212-1212")]
    public void A_ten_digit_personnummer_without_plus_belongs_to_the_last_hundred_years(string input)
    {
        var id = IdentityNumber.Parse(input, Today);

        Assert.Equal(IdentityKind.Personnummer, id.Kind);
        Assert.Equal("201212121212", id.Value);
    }

    [Fact]
    public void A_plus_separator_means_a_hundred_years_or_older()
    {
        var id = IdentityNumber.Parse("121212+1212", Today);

        Assert.Equal(IdentityKind.Personnummer, id.Kind);
        Assert.Equal("191212121212", id.Value);
    }

    [Fact]
    public void A_ten_digit_number_gets_its_century_from_the_given_day()
    {
        var twelve = TestIdentityNumbers.Twelve("19500615123");
        var ten = twelve[2..8] + "-" + twelve[8..];

        Assert.Equal(twelve, IdentityNumber.Parse(ten, new DateOnly(2026, 3, 1)).Value);
        Assert.Equal(twelve, IdentityNumber.Parse(ten, new DateOnly(2049, 12, 31)).Value);
        Assert.Equal("20" + twelve[2..], IdentityNumber.Parse(ten, new DateOnly(2051, 1, 1)).Value);
    }

    [Fact]
    public void A_plus_separator_is_used_from_the_calendar_year_the_person_turns_a_hundred()
    {
        // Skatteverket: "Det år en person fyller 100 år byts bindestrecket ut mot ett plustecken."
        // Born 1926-06-01, turning 100 later in 2026: written with '+' already on 2026-03-01.
        var twelve = TestIdentityNumbers.Twelve("19260601238");
        var ten = twelve[2..8] + "+" + twelve[8..];

        var id = IdentityNumber.Parse(ten, Today);

        Assert.Equal(twelve, id.Value);
    }

    [Fact]
    public void A_ten_digit_number_with_a_date_this_year_is_this_century()
    {
        var twelve = TestIdentityNumbers.Twelve("20260115238");
        var ten = twelve[2..8] + "-" + twelve[8..];

        Assert.Equal(twelve, IdentityNumber.Parse(ten, Today).Value);
    }

    [Theory]
    [InlineData("19121272121")] // born 1912-12-12, day + 60
    [InlineData("19900161555")] // born 1990-01-01
    [InlineData("20000289123")] // born 2000-02-29
    [InlineData("19991291123")] // born 1999-12-31, the highest day part (91)
    public void A_samordningsnummer_is_recognised_by_day_plus_sixty(string elevenDigits)
    {
        var twelve = TestIdentityNumbers.Twelve(elevenDigits);

        var id = IdentityNumber.Parse(twelve[..8] + "-" + twelve[8..], Today);

        Assert.Equal(IdentityKind.Samordningsnummer, id.Kind);
        Assert.Equal(twelve, id.Value);
    }

    [Fact]
    public void A_ten_digit_samordningsnummer_gets_a_century_too()
    {
        var twelve = TestIdentityNumbers.Twelve("19900161555");

        var id = IdentityNumber.Parse(twelve[2..8] + "-" + twelve[8..], Today);

        Assert.Equal((IdentityKind.Samordningsnummer, twelve), (id.Kind, id.Value));
    }

    [Fact]
    public void A_leap_day_is_a_real_birth_date()
    {
        var twelve = TestIdentityNumbers.Twelve("20000229123");

        Assert.Equal(twelve, IdentityNumber.Parse(twelve, Today).Value);
    }

    [Fact]
    public void A_birth_date_of_today_is_accepted()
    {
        var twelve = TestIdentityNumbers.Twelve("20260301123");

        Assert.Equal(twelve, IdentityNumber.Parse(twelve, Today).Value);
    }

    [Theory]
    [InlineData("19121212-1213")]
    [InlineData("191212121210")]
    [InlineData("121212-1219")]
    public void A_wrong_check_digit_is_refused(string input) => AssertInvalid(input);

    [Fact]
    public void A_wrong_check_digit_on_a_samordningsnummer_is_refused() =>
        AssertInvalid(TestIdentityNumbers.TwelveWithWrongCheckDigit("19121272121"));

    [Theory]
    [InlineData("19990230123")] // 30 February
    [InlineData("19000229123")] // 1900 was not a leap year
    [InlineData("19991301123")] // month 13
    [InlineData("19990001123")] // month 00
    [InlineData("19990100123")] // day 00
    [InlineData("19990431123")] // 31 April
    [InlineData("19990292123")] // samordningsnummer for 32 February
    [InlineData("17991231123")] // before 1800
    public void An_impossible_date_is_refused_even_with_a_correct_check_digit(string elevenDigits) =>
        AssertInvalid(TestIdentityNumbers.Twelve(elevenDigits));

    [Theory]
    [InlineData("20260302123")] // tomorrow
    [InlineData("20300101123")]
    [InlineData("20260362123")] // samordningsnummer for tomorrow
    public void A_birth_date_in_the_future_is_refused(string elevenDigits) =>
        AssertInvalid(TestIdentityNumbers.Twelve(elevenDigits));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("12121212")]
    [InlineData("12121212121")]
    [InlineData("1912121212121")]
    [InlineData("19121212-121")]
    public void A_wrong_length_is_refused(string? input) => AssertInvalid(input);

    [Theory]
    [InlineData("19121212-12A2")]
    [InlineData("1912121X1212")]
    [InlineData("19121212 1212")]
    [InlineData("19121212/1212")]
    [InlineData("１９１２１２１２１２１２")] // full-width digits are not ASCII digits
    public void Letters_and_other_characters_are_refused(string input) => AssertInvalid(input);

    [Fact]
    public void The_text_form_never_reveals_the_digits()
    {
        var personnummer = IdentityNumber.Parse("19121212-1212", Today);
        var samordningsnummer = IdentityNumber.Parse(TestIdentityNumbers.Twelve("19121272121"), Today);

        foreach (var id in new[] { personnummer, samordningsnummer })
        {
            Assert.DoesNotMatch(@"\d", id.ToString());
            Assert.DoesNotMatch(@"\d", $"{id}");
            Assert.Contains(id.Kind.ToString(), id.ToString(), StringComparison.Ordinal);
        }
    }

    private static void AssertInvalid(string? input)
    {
        var e = Assert.Throws<DomainException>(() => IdentityNumber.Parse(input, Today));
        Assert.Equal(400, e.Status);
        Assert.Equal("invalid-identity-number", e.Slug);
        Assert.False(string.IsNullOrWhiteSpace(e.Detail));
        if (input is not null)
        {
            // The problem must not echo the number back.
            var digits = new string(input.Where(char.IsAsciiDigit).ToArray());
            if (digits.Length >= 6)
            {
                Assert.DoesNotContain(digits, e.Message + e.Title + e.Detail, StringComparison.Ordinal);
            }
        }
    }
}
