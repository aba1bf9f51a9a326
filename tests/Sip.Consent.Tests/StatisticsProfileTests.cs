using Sip.Consent.Domain;

namespace Sip.Consent.Tests;

/// <summary>
/// What consent tells a statistic about a person (SIP-DOMAIN §10): the birth date and the sex the number carries
/// (IDENTIFIER-FORMATS.md: the second-to-last digit, odd for a man, even for a woman), never guessed from a reserve number.
/// </summary>
public sealed class StatisticsProfileTests
{
    private static readonly DateOnly Today = new(2026, 12, 6);
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);

    private static Individual Register(PersonIdentifier identifier, DateOnly? birthDate = null) =>
        Individual.Register("tenant-a", identifier, birthDate, Guid.NewGuid(), "staff-1", Now, Today);

    private static PersonIdentifier Number(string twelve) { var n = IdentityNumber.Parse(twelve, Today); return new PersonIdentifier(n.Kind, n.Value); }

    [Theory]
    [InlineData("19800314242", "Female")]
    [InlineData("19800314243", "Male")]
    [InlineData("20090301208", "Female")]
    [InlineData("20090301219", "Male")]
    public void A_personnummer_gives_its_birth_date_and_the_sex_of_its_second_to_last_digit(string elevenDigits, string sex)
    {
        var (birthDate, derivedSex) = Register(Number(TestIdentityNumbers.Twelve(elevenDigits))).ForStatistics();

        Assert.Equal(DateOnly.ParseExact(elevenDigits[..8], "yyyyMMdd"), birthDate);
        Assert.Equal(sex, derivedSex.ToString());
    }

    [Fact]
    public void A_samordningsnummer_gives_the_real_day_of_birth_not_the_day_plus_sixty_and_its_sex()
    {
        var identifier = Number(TestIdentityNumbers.Twelve("19800374243"));
        Assert.Equal(IdentityKind.Samordningsnummer, identifier.Kind);

        var (birthDate, sex) = Register(identifier).ForStatistics();

        Assert.Equal(new DateOnly(1980, 3, 14), birthDate);
        Assert.Equal(Sex.Male, sex);
    }

    [Fact]
    public void A_reserve_number_never_tells_the_sex_and_gives_a_birth_date_only_when_one_is_recorded()
    {
        // The reserve number's digits look like a date and its letters like anything: neither is read.
        var reserve = new PersonIdentifier(IdentityKind.NationalReserveNumber, "19800314AB13");

        Assert.Equal(((DateOnly?)null, Sex.Unknown), Register(reserve).ForStatistics());
        Assert.Equal(((DateOnly?)new DateOnly(1975, 6, 1), Sex.Unknown), Register(reserve, new DateOnly(1975, 6, 1)).ForStatistics());
        Assert.Equal(Sex.Unknown, Register(Individual.NewTemporaryId(Now), new DateOnly(2010, 1, 5)).ForStatistics().Sex);
    }

    [Fact]
    public void Once_a_personnummer_is_linked_to_a_reserve_number_record_its_sex_and_birth_date_count()
    {
        var individual = Register(new PersonIdentifier(IdentityKind.NationalReserveNumber, "19800314AB13"));

        individual.LinkIdentifier(Number(TestIdentityNumbers.Twelve("19790521242")), "staff-1", Now);

        Assert.Equal(((DateOnly?)new DateOnly(1979, 5, 21), Sex.Female), individual.ForStatistics());
    }
}
