using Sip.Case.Domain;
using Sip.ServiceDefaults;

namespace Sip.Case.Tests;

public sealed class CaseOpeningAndInitiativeTests
{
    private static readonly Guid OpeningUnit = Guid.NewGuid();
    private static readonly DateTimeOffset OpenedAt = new(2026, 3, 6, 9, 0, 0, TimeSpan.FromHours(1));

    private static SipCase Open(string reason = "Behov av samordning inför utskrivning", string municipalityCode = "1480") =>
        SipCase.Open("tenant-a", "SIP-2026-000123", Guid.NewGuid(), municipalityCode, reason, Urgency.Normal, OpeningUnit, "staff-1", OpenedAt);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\n")]
    public void A_case_without_a_reason_is_refused(string reason)
    {
        var e = Assert.Throws<DomainException>(() => Open(reason: reason));

        Assert.Equal(("case-reason-missing", 400), (e.Slug, e.Status));
    }

    [Theory]
    [InlineData("Behöver samordning. Gäller 19121212-1212.")]
    [InlineData("Kontakta 121212 1212 om något")]
    [InlineData("pnr 191212121212")]
    [InlineData("Gäller 19121212\u20131212 (inklistrat med tankstreck)")]
    [InlineData("Gäller 121212\u00A01212")]
    public void A_reason_with_an_identity_number_is_refused(string reason)
    {
        Assert.Equal("case-reason-identity-number", Assert.Throws<DomainException>(() => Open(reason: reason)).Slug);
    }

    [Fact]
    public void A_reason_is_short_and_may_carry_dates_and_counts()
    {
        Assert.Equal("case-reason-too-long", Assert.Throws<DomainException>(() => Open(reason: new string('x', SipCase.MaxReasonLength + 1))).Slug);
        Assert.Equal("Utskrivning 2026-03-02, 3 insatser, 12 timmar i veckan.", Open(reason: "Utskrivning 2026-03-02, 3 insatser, 12 timmar i veckan.").Reason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("148")]
    [InlineData("14800")]
    [InlineData("14a0")]
    [InlineData("14 0")]
    [InlineData("١٤٨٠")] // Arabic-Indic digits are not ASCII digits
    public void A_municipality_code_that_is_not_four_digits_is_refused(string code)
    {
        var e = Assert.Throws<DomainException>(() => Open(municipalityCode: code));

        Assert.Equal(("invalid-municipality-code", 400), (e.Slug, e.Status));
    }

    [Theory]
    [InlineData("1480")]
    [InlineData("0180")]
    public void A_case_opens_with_a_four_digit_municipality_code_and_a_trimmed_reason(string code)
    {
        var sipCase = Open(reason: "  Behov av samordning  ", municipalityCode: code);

        Assert.Equal(CaseStatus.Open, sipCase.Status);
        Assert.Equal(code, sipCase.MunicipalityCode);
        Assert.Equal("Behov av samordning", sipCase.Reason);
        Assert.Equal(OpeningUnit, sipCase.OpenedByUnitId);
        Assert.Empty(sipCase.Initiatives);
    }

    [Fact]
    public void An_initiative_is_due_one_working_day_later()
    {
        var sipCase = Open();
        var recipient = Guid.NewGuid();
        var fridayAfternoon = new DateTimeOffset(2026, 3, 6, 15, 30, 0, TimeSpan.FromHours(1));

        var initiative = sipCase.SendInitiative(recipient, fridayAfternoon);

        Assert.Equal(new DateTimeOffset(2026, 3, 9, 15, 30, 0, TimeSpan.FromHours(1)), initiative.DueAt);
        Assert.Equal(fridayAfternoon, initiative.SentAt);
        Assert.Equal((sipCase.Id, OpeningUnit, recipient, InitiativeStatus.Sent),
            (initiative.CaseId, initiative.FromUnitId, initiative.ToUnitId, initiative.Status));
        Assert.Equal([initiative], sipCase.Initiatives);
        Assert.Equal(fridayAfternoon, sipCase.ChangedAt);
    }

    [Fact]
    public void An_initiative_sent_before_easter_is_due_after_easter()
    {
        var sipCase = Open();

        var initiative = sipCase.SendInitiative(Guid.NewGuid(), new DateTimeOffset(2026, 4, 2, 13, 0, 0, TimeSpan.FromHours(2)));

        Assert.Equal(new DateTimeOffset(2026, 4, 7, 13, 0, 0, TimeSpan.FromHours(2)), initiative.DueAt);
    }

    [Fact]
    public void A_second_initiative_to_the_same_unit_is_a_conflict()
    {
        var sipCase = Open();
        var recipient = Guid.NewGuid();
        sipCase.SendInitiative(recipient, OpenedAt);

        var e = Assert.Throws<DomainException>(() => sipCase.SendInitiative(recipient, OpenedAt.AddHours(1)));

        Assert.Equal(("initiative-duplicate", 409), (e.Slug, e.Status));
        Assert.Single(sipCase.Initiatives);
    }

    [Fact]
    public void An_initiative_to_the_opening_unit_is_a_conflict()
    {
        var sipCase = Open();

        var e = Assert.Throws<DomainException>(() => sipCase.SendInitiative(OpeningUnit, OpenedAt));

        Assert.Equal(("initiative-duplicate", 409), (e.Slug, e.Status));
        Assert.Empty(sipCase.Initiatives);
    }

    [Fact]
    public void Initiatives_to_different_units_are_all_kept()
    {
        var sipCase = Open();
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();

        sipCase.SendInitiative(first, OpenedAt);
        sipCase.SendInitiative(second, OpenedAt);

        Assert.Equal([first, second], sipCase.Initiatives.Select(i => i.ToUnitId));
    }

    [Fact]
    public void The_opening_unit_and_the_units_sent_an_initiative_are_participants()
    {
        var sipCase = Open();
        var recipient = Guid.NewGuid();
        var stranger = Guid.NewGuid();

        Assert.True(sipCase.IsParticipant(OpeningUnit));
        Assert.False(sipCase.IsParticipant(recipient));

        sipCase.SendInitiative(recipient, OpenedAt);

        Assert.True(sipCase.IsParticipant(recipient));
        Assert.False(sipCase.IsParticipant(stranger));
    }
}
