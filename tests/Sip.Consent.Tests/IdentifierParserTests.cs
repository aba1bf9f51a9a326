using Microsoft.Extensions.Options;
using Sip.Consent.Domain;
using Sip.ServiceDefaults;

namespace Sip.Consent.Tests;

public sealed class IdentifierParserTests
{
    private static readonly DateOnly Today = new(2026, 3, 2);

    private sealed class Monitor(IdentifierOptions value) : IOptionsMonitor<IdentifierOptions>
    {
        public IdentifierOptions CurrentValue { get; set; } = value;
        public IdentifierOptions Get(string? name) => CurrentValue;
        public IDisposable? OnChange(Action<IdentifierOptions, string?> listener) => null;
    }

    private static IdentifierOptions Tenant(string tenant, params (string Name, string Pattern)[] formats) => new()
    {
        Tenants = { [tenant] = new TenantIdentifierOptions { LocalReserveNumbers = formats.Select(f => new ReserveNumberFormat { Name = f.Name, Pattern = f.Pattern }).ToList() } },
    };

    private static readonly IdentifierParser Stockholm = new(new Monitor(Tenant("sll", ("sll-reserv", @"^99\d{10}$"))));

    private static string Slug(Action action) => Assert.Throws<DomainException>(action).Slug;

    [Theory]
    [InlineData("19800101-AB12", "19800101AB12")]
    [InlineData("19800101ABC1", "19800101ABC1")]
    [InlineData(" 19800101-XYZ9 ", "19800101XYZ9")]
    public void The_national_reserve_pattern_is_recognised_and_normalised_without_its_separator(string input, string stored)
    {
        Assert.Equal(new PersonIdentifier(IdentityKind.NationalReserveNumber, stored), Stockholm.Parse("sll", input, null, Today));
    }

    [Theory]
    [InlineData("19800101-IB12")]
    [InlineData("19800101-AO12")]
    [InlineData("19800101QVW1")]
    [InlineData("19800101-ab12")]
    [InlineData("1980010-AB12")]
    public void National_reserve_numbers_never_contain_i_o_q_v_w_and_have_eight_date_digits(string input)
    {
        Assert.Equal("invalid-identity-number", Slug(() => Stockholm.Parse("sll", input, IdentityKind.NationalReserveNumber, Today)));
    }

    [Fact]
    public void A_tenants_local_format_is_recognised_for_that_tenant_only()
    {
        Assert.Equal(new PersonIdentifier(IdentityKind.LocalReserveNumber, "991234567890", "sll-reserv"), Stockholm.Parse("sll", "991234567890", null, Today));
        Assert.Equal("invalid-identity-number", Slug(() => Stockholm.Parse("vgr", "991234567890", null, Today)));
    }

    [Theory]
    [InlineData("٩٩١٢٣٤٥٦٧٨٩٠")] // Arabic-Indic digits match \d in .NET but are no reserve number
    [InlineData("99123456789O")]
    [InlineData("99 123456 7890")]
    public void Only_ascii_digits_and_letters_make_a_number(string input)
    {
        Assert.Equal("invalid-identity-number", Slug(() => Stockholm.Parse("sll", input, null, Today)));
    }

    [Fact]
    public void A_new_regions_format_takes_effect_when_the_configuration_changes_without_a_release()
    {
        var monitor = new Monitor(Tenant("orebro"));
        var parser = new IdentifierParser(monitor);
        Assert.Equal("invalid-identity-number", Slug(() => parser.Parse("orebro", "19800101TA1B", null, Today)));

        monitor.CurrentValue = Tenant("orebro", ("orebro", @"^(1[89]|2[01])\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])T[A-Z]\d[A-J]$"));

        Assert.Equal(new PersonIdentifier(IdentityKind.LocalReserveNumber, "19800101TA1B", "orebro"), parser.Parse("orebro", "19800101TA1B", null, Today));
    }

    [Fact]
    public void A_separator_typed_into_a_local_number_is_dropped_and_one_that_belongs_to_the_format_is_kept()
    {
        var parser = new IdentifierParser(new Monitor(Tenant("gavle", ("gavleborg", @"^\d{8}-\d{2}[MKX]\d$"), ("dalarna", @"^(1[89]|2[01])\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])[A-Z]\d{3}$"))));

        Assert.Equal("19800101-12M3", parser.Parse("gavle", "19800101-12M3", null, Today).Value);
        Assert.Equal("19800101K123", parser.Parse("gavle", "19800101-K123", null, Today).Value);
    }

    [Fact]
    public void A_personnummer_is_never_taken_for_a_reserve_number_and_a_named_kind_must_match()
    {
        var personnummer = TestIdentityNumbers.Twelve("19800101238");

        Assert.Equal(IdentityKind.Personnummer, Stockholm.Parse("sll", personnummer, null, Today).Kind);
        Assert.Equal("invalid-identity-number", Slug(() => Stockholm.Parse("sll", personnummer, IdentityKind.Samordningsnummer, Today)));
        Assert.Equal("invalid-identity-number", Slug(() => Stockholm.Parse("sll", TestIdentityNumbers.TwelveWithWrongCheckDigit("19800101238"), null, Today)));
    }

    [Fact]
    public void A_platform_issued_temporary_id_is_recognised_in_any_case()
    {
        var issued = Individual.NewTemporaryId(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

        Assert.Matches("^TMP-260302-[0-9A-HJKMNP-TV-Z]{10}$", issued.Value);
        Assert.Equal(issued, Stockholm.Parse("sll", issued.Value.ToLowerInvariant(), null, Today));
    }
}
