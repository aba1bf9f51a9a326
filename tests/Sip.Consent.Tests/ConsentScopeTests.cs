using Sip.Consent.Domain;
using Sip.Contracts.Grpc.Consent.V1;
using Sip.ServiceDefaults;
using ConsentRecord = Sip.Consent.Domain.Consent;

namespace Sip.Consent.Tests;

public sealed class ConsentScopeTests
{
    private static readonly DateOnly Today = new(2026, 3, 2);
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(1));
    private static readonly Guid Individual = Guid.NewGuid();
    private static readonly Guid RecordingUnit = Guid.NewGuid();
    private static readonly Guid Covered = Guid.NewGuid();
    private static readonly Guid AlsoCovered = Guid.NewGuid();

    private static ConsentRecord Give(IReadOnlyCollection<Guid> units, DateOnly? validUntil) =>
        ConsentRecord.Give("tenant-a", Individual, ConsentForm.Written, units, validUntil, "staff-1", RecordingUnit, Now, Today);

    [Fact]
    public void A_consent_without_units_is_refused()
    {
        var e = Assert.Throws<DomainException>(() => Give([], Today.AddDays(30)));

        Assert.Equal("consent-without-units", e.Slug);
    }

    [Fact]
    public void A_consent_ending_in_the_past_is_refused()
    {
        var e = Assert.Throws<DomainException>(() => Give([Covered], Today.AddDays(-1)));

        Assert.Equal("consent-end-date-in-past", e.Slug);
    }

    [Fact]
    public void A_consent_may_end_today_or_have_no_end()
    {
        Assert.Equal(Today, Give([Covered], Today).ValidUntil);
        Assert.Null(Give([Covered], null).ValidUntil);
    }

    [Fact]
    public void A_given_consent_records_its_scope()
    {
        var consent = Give([Covered, AlsoCovered, Covered], Today.AddDays(30));

        Assert.Equal(ConsentStatus.Given, consent.Status);
        Assert.Equal(Today, consent.ValidFrom);
        Assert.Equal([Covered, AlsoCovered], consent.UnitIds);
        Assert.Equal(Now, consent.RecordedAt);
    }

    [Fact]
    public void A_covered_unit_may_share_within_the_period()
    {
        var consent = Give([Covered, AlsoCovered], Today.AddDays(30));

        Assert.Null(consent.DenialFor(Covered, Today));
        Assert.Null(consent.DenialFor(AlsoCovered, Today.AddDays(30)));
    }

    [Fact]
    public void A_unit_outside_the_consent_is_not_covered()
    {
        var consent = Give([Covered], Today.AddDays(30));

        Assert.Equal(DenialReason.UnitNotCovered, consent.DenialFor(Guid.NewGuid(), Today));
    }

    [Fact]
    public void The_day_after_the_end_date_the_consent_has_expired()
    {
        var consent = Give([Covered], Today.AddDays(30));

        Assert.Equal(DenialReason.Expired, consent.DenialFor(Covered, Today.AddDays(31)));
    }

    [Fact]
    public void The_day_before_the_consent_was_given_there_is_no_consent()
    {
        var consent = Give([Covered], Today.AddDays(30));

        Assert.Equal(DenialReason.NoConsent, consent.DenialFor(Covered, Today.AddDays(-1)));
    }

    [Fact]
    public void A_consent_without_end_date_never_expires()
    {
        var consent = Give([Covered], null);

        Assert.Null(consent.DenialFor(Covered, Today.AddYears(10)));
    }
}
