using Sip.Consent.Domain;
using Sip.Contracts.Grpc.Consent.V1;
using Sip.ServiceDefaults;
using ConsentRecord = Sip.Consent.Domain.Consent;

namespace Sip.Consent.Tests;

/// <summary>Who may consent, and what a consent allows: §3 and §4 of the domain, case by case.</summary>
public sealed class ConsentRulesTests
{
    private static readonly DateOnly Today = new(2026, 3, 2);
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(1));
    private static readonly Guid Unit = Guid.NewGuid();
    private static readonly Guid OtherUnit = Guid.NewGuid();
    private static readonly ChildView Asked = new(Informed: true, Asked: true, View: "Vill att skolan och BUP pratar med varandra.");

    private static Individual Person(string elevenDigits) =>
        Individual.Register("tenant-a", new PersonIdentifier(IdentityKind.Personnummer, TestIdentityNumbers.Twelve(elevenDigits)), null, Unit, "staff-1", Now, Today);

    private static Individual SevenYearOld() => Person("20190114238");

    private static Individual SeventeenYearOld() => Person("20081020248");

    private static Individual Adult() => Person("19810305239");

    private static ConsentRecord.Scope Scope(params Guid[] units) => new(units.Length == 0 ? [Unit] : units, [], [], true, Today.AddMonths(6));

    private static ConsentRecord.NewDeclaration Says(Guid? party, Decision decision = Decision.Consents, ConsentForm form = ConsentForm.Written, Guid? conveyedBy = null) =>
        new(party, decision, form, conveyedBy);

    private static ConsentRecord Record(Individual individual, ConsentBasis basis, IReadOnlyCollection<ConsentRecord.NewDeclaration> declarations,
        ChildView? childView = null, PresumedConsent? presumed = null, ExceptionDecision? exception = null, ConsentRecord.Scope? scope = null) =>
        ConsentRecord.Record(individual, basis, declarations, childView, presumed, exception, scope ?? Scope(), "staff-1", Unit, Now, Today);

    private static string Slug(Action action) => Assert.ThrowsAny<DomainException>(action).Slug;

    [Fact]
    public void An_adult_consenting_orally_by_phone_gives_a_consent_in_force()
    {
        var consent = Record(Adult(), ConsentBasis.Individual, [Says(null, form: ConsentForm.Oral)]);

        Assert.Equal(ConsentStatus.Given, consent.Status);
        Assert.Equal(ConsentForm.Oral, Assert.Single(consent.Declarations).Form);
        Assert.Equal(("staff-1", Now), (consent.Declarations[0].RecordedBy, consent.Declarations[0].RecordedAt));
        Assert.Null(consent.DenialFor(Unit, null, Today));
    }

    [Fact]
    public void An_adult_who_says_no_is_recorded_as_a_refusal()
    {
        var consent = Record(Adult(), ConsentBasis.Individual, [Says(null, Decision.Refuses, ConsentForm.Oral)]);

        Assert.Equal(ConsentStatus.Refused, consent.Status);
        Assert.Equal(DenialReason.Refused, consent.DenialFor(Unit, null, Today));
    }

    [Fact]
    public void With_two_guardians_one_consent_so_far_leaves_it_pending_and_the_second_makes_it_given()
    {
        var child = SevenYearOld();
        var mother = child.AddRepresentative(RepresentativeKind.Guardian, "Mamma", "mor", null, Now, Today);
        var father = child.AddRepresentative(RepresentativeKind.Guardian, "Pappa", "far", null, Now, Today);

        var consent = Record(child, ConsentBasis.Guardians, [Says(mother.Id)], Asked);

        Assert.Equal(ConsentStatus.Pending, consent.Status);
        Assert.Equal(DenialReason.NoConsent, consent.DenialFor(Unit, null, Today));
        consent.Declare(child, Says(father.Id, form: ConsentForm.Oral), "staff-2", Now.AddDays(2));
        Assert.Equal(ConsentStatus.Given, consent.Status);
        Assert.Null(consent.DenialFor(Unit, null, Today));
        Assert.Equal(Asked, consent.ChildView);
    }

    [Fact]
    public void One_of_two_guardians_refusing_refuses_the_consent()
    {
        var child = SevenYearOld();
        var mother = child.AddRepresentative(RepresentativeKind.Guardian, "Mamma", null, null, Now, Today);
        var father = child.AddRepresentative(RepresentativeKind.Guardian, "Pappa", null, null, Now, Today);

        var consent = Record(child, ConsentBasis.Guardians, [Says(mother.Id), Says(father.Id, Decision.Refuses)], Asked);

        Assert.Equal(ConsentStatus.Refused, consent.Status);
    }

    [Fact]
    public void One_guardians_consent_is_enough_when_the_record_says_why()
    {
        var child = SevenYearOld();
        var mother = child.AddRepresentative(RepresentativeKind.Guardian, "Mamma", null, null, Now, Today);
        child.AddRepresentative(RepresentativeKind.Guardian, "Pappa", null, null, Now, Today);
        child.SetSingleGuardianConsentReason("Pappan har kontaktförbud enligt beslut 2025-11-02.", Now);

        Assert.Equal(ConsentStatus.Given, Record(child, ConsentBasis.Guardians, [Says(mother.Id)], Asked).Status);
    }

    [Fact]
    public void A_childs_view_must_be_recorded()
    {
        var child = SevenYearOld();
        var mother = child.AddRepresentative(RepresentativeKind.Guardian, "Mamma", null, null, Now, Today);

        Assert.Equal("child-view-missing", Slug(() => Record(child, ConsentBasis.Guardians, [Says(mother.Id)])));
    }

    [Fact]
    public void A_child_cannot_consent_alone_and_guardians_do_not_consent_for_adults()
    {
        Assert.Equal("child-cannot-consent-alone", Slug(() => Record(SeventeenYearOld(), ConsentBasis.Individual, [Says(null)], Asked)));
        Assert.Equal("guardians-for-adult", Slug(() => Record(Adult(), ConsentBasis.Guardians, [])));
        Assert.Equal("guardian-for-adult", Slug(() => Adult().AddRepresentative(RepresentativeKind.Guardian, "Mor", null, null, Now, Today)));
    }

    [Fact]
    public void A_seventeen_year_old_whose_guardians_refuse_can_have_sip_by_a_recorded_health_care_decision()
    {
        var teen = SeventeenYearOld();
        var mother = teen.AddRepresentative(RepresentativeKind.Guardian, "Mamma", null, null, Now, Today);
        var father = teen.AddRepresentative(RepresentativeKind.Guardian, "Pappa", null, null, Now, Today);
        var refusal = Record(teen, ConsentBasis.Guardians, [Says(mother.Id, Decision.Refuses), Says(father.Id, Decision.Refuses)], Asked);
        var decision = new ExceptionDecision("Överläkare Karin Lund, BUP", Today, "Patienten är 17 år och bedöms ha uppnått sådan mognad att hon själv kan bestämma.", "BUP-2026-0412");

        var exception = Record(teen, ConsentBasis.MatureMinorDecision, [Says(null)], Asked, exception: decision);

        Assert.Equal(ConsentStatus.Refused, refusal.Status);
        Assert.Equal(ConsentStatus.Given, exception.Status);
        Assert.Equal(decision, exception.Exception);
        Assert.Equal("exception-decision-incomplete", Slug(() => Record(teen, ConsentBasis.MatureMinorDecision, [Says(null)], Asked)));
        Assert.Equal("declaration-missing", Slug(() => Record(teen, ConsentBasis.MatureMinorDecision, [], Asked, exception: decision)));
    }

    [Fact]
    public void The_social_welfare_boards_lvu_decision_starts_sip_without_the_guardians()
    {
        var child = SevenYearOld();
        child.AddRepresentative(RepresentativeKind.Guardian, "Mamma", null, null, Now, Today);
        var decision = new ExceptionDecision("Socialnämnden i Mölndal", Today.AddDays(-3), "Barnet vårdas med stöd av LVU; nämnden beslutar att SIP-arbetet inleds utan vårdnadshavarnas samtycke.", "SN 2026/118");

        var consent = Record(child, ConsentBasis.LvuDecision, [], Asked, exception: decision);

        Assert.Equal(ConsentStatus.Given, consent.Status);
        Assert.Equal("date-in-future", Slug(() => Record(child, ConsentBasis.LvuDecision, [], Asked, exception: decision with { DecidedOn = Today.AddDays(1) })));
    }

    [Fact]
    public void A_forvaltare_consents_for_an_eighty_year_old_with_dementia()
    {
        var elder = Person("19460212236");
        var forvaltare = elder.AddRepresentative(RepresentativeKind.Forvaltare, "Lena Berg", "förvaltare", new ContactDetails("Storgatan 1, Mölndal", "031-123456", null), Now, Today);

        var consent = Record(elder, ConsentBasis.Representative, [Says(forvaltare.Id)]);

        Assert.Equal(ConsentStatus.Given, consent.Status);
        Assert.Equal(forvaltare.Id, consent.Declarations[0].RepresentativeId);
    }

    [Fact]
    public void A_god_man_cannot_consent_without_the_individuals_own_consent()
    {
        var adult = Adult();
        var godMan = adult.AddRepresentative(RepresentativeKind.GodMan, "Per Ek", "god man", null, Now, Today);

        Assert.Equal("god-man-without-individual-consent", Slug(() => Record(adult, ConsentBasis.Representative, [Says(godMan.Id)])));
        Assert.Equal(ConsentStatus.Given, Record(adult, ConsentBasis.Representative, [Says(godMan.Id), Says(null, form: ConsentForm.Oral)]).Status);
    }

    [Fact]
    public void A_personal_ombudsman_conveys_the_individuals_answer_but_cannot_consent_in_their_own_name()
    {
        var adult = Adult();
        var ombud = adult.AddRepresentative(RepresentativeKind.PersonalOmbudsman, "Sam Ali", "personligt ombud", null, Now, Today);
        var relative = adult.AddRepresentative(RepresentativeKind.Relative, "Syster", "syster", null, Now, Today);

        var conveyed = Record(adult, ConsentBasis.Individual, [Says(null, form: ConsentForm.Oral, conveyedBy: ombud.Id)]);

        Assert.Equal((ConsentStatus.Given, (Guid?)ombud.Id), (conveyed.Status, conveyed.Declarations[0].ConveyedById));
        Assert.Equal("party-cannot-consent", Slug(() => Record(adult, ConsentBasis.Individual, [Says(ombud.Id)])));
        Assert.Equal("party-cannot-consent", Slug(() => Record(adult, ConsentBasis.Individual, [Says(relative.Id)])));
        Assert.Equal("conveyed-by-not-allowed", Slug(() => Record(adult, ConsentBasis.Individual, [Says(null, conveyedBy: relative.Id)])));
    }

    [Fact]
    public void Presumed_consent_records_when_the_person_was_informed_and_what_shows_no_objection()
    {
        var elder = Person("19460212236");
        var presumed = new PresumedConsent(Today.AddDays(-1), "Informerad i lugn miljö med dottern närvarande; visar inga tecken på att motsätta sig.");

        var consent = Record(elder, ConsentBasis.Presumed, [], presumed: presumed);

        Assert.Equal((ConsentStatus.Given, presumed, "staff-1"), (consent.Status, consent.Presumed, consent.RecordedBy));
        Assert.Equal("presumed-consent-incomplete", Slug(() => Record(elder, ConsentBasis.Presumed, [], presumed: presumed with { Observation = " " })));
        Assert.Equal("presumed-consent-for-child", Slug(() => Record(SevenYearOld(), ConsentBasis.Presumed, [], Asked, presumed: presumed)));
    }

    [Fact]
    public void A_consent_covers_its_units_within_its_dates_minus_excluded_categories()
    {
        var consent = Record(Adult(), ConsentBasis.Individual, [Says(null)],
            scope: new ConsentRecord.Scope([Unit], [InformationCategory.AddictionCare], [], true, Today.AddDays(10)));

        Assert.Null(consent.DenialFor(Unit, InformationCategory.PsychiatricCare, Today));
        Assert.Equal(DenialReason.CategoryExcluded, consent.DenialFor(Unit, InformationCategory.AddictionCare, Today));
        Assert.Equal(DenialReason.UnitNotCovered, consent.DenialFor(OtherUnit, null, Today));
        Assert.Null(consent.DenialFor(Unit, null, Today.AddDays(10)));
        Assert.Equal(DenialReason.Expired, consent.DenialFor(Unit, null, Today.AddDays(11)));
        Assert.Equal(DenialReason.NoConsent, consent.DenialFor(Unit, null, Today.AddDays(-1)));
    }

    [Fact]
    public void Bad_scopes_are_refused()
    {
        var adult = Adult();

        Assert.Equal("consent-without-units", Slug(() => Record(adult, ConsentBasis.Individual, [Says(null)], scope: new([], [], [], true, Today))));
        Assert.Equal("consent-end-date-in-past", Slug(() => Record(adult, ConsentBasis.Individual, [Says(null)], scope: new([Unit], [], [], true, Today.AddDays(-1)))));
        Assert.Equal("consent-end-date-too-far", Slug(() => Record(adult, ConsentBasis.Individual, [Says(null)], scope: new([Unit], [], [], true, Today.AddYears(6)))));
        Assert.Equal("copy-recipient-not-found", Slug(() => Record(adult, ConsentBasis.Individual, [Says(null)], scope: new([Unit], [], [Guid.NewGuid()], true, Today))));
    }

    [Fact]
    public void Withdrawing_twice_is_refused_and_the_first_withdrawal_is_kept()
    {
        var adult = Adult();
        var consent = Record(adult, ConsentBasis.Individual, [Says(null)]);

        consent.Withdraw(adult, null, ConsentForm.Oral, "Ringde och återkallade.", "staff-2", Now.AddDays(5));
        var e = Assert.Throws<DomainException>(() => consent.Withdraw(adult, null, ConsentForm.Written, null, "staff-3", Now.AddDays(6)));

        Assert.Equal(("consent-already-withdrawn", 409), (e.Slug, e.Status));
        Assert.Equal(new Withdrawal(null, ConsentForm.Oral, "staff-2", Now.AddDays(5), "Ringde och återkallade."), consent.Withdrawal);
        Assert.Equal(DenialReason.Withdrawn, consent.DenialFor(Unit, null, Today));
    }

    [Fact]
    public void A_consent_expires_the_day_after_its_end_date_and_only_once()
    {
        var consent = Record(Adult(), ConsentBasis.Individual, [Says(null)], scope: new([Unit], [], [], true, Today.AddDays(3)));

        Assert.False(consent.ExpireIfDue(Today.AddDays(3), Now));
        Assert.True(consent.ExpireIfDue(Today.AddDays(4), Now));
        Assert.False(consent.ExpireIfDue(Today.AddDays(5), Now));
        Assert.Equal(ConsentStatus.Expired, consent.Status);
        Assert.Equal("consent-not-active", Slug(() => consent.Withdraw(Adult(), null, ConsentForm.Oral, null, "staff-1", Now)));
    }

    [Fact]
    public void Changing_the_scope_reports_added_and_removed_units_and_keeps_the_history()
    {
        var adult = Adult();
        var consent = Record(adult, ConsentBasis.Individual, [Says(null)], scope: Scope(Unit));

        var (added, removed) = consent.ChangeScope(adult, new([OtherUnit], [InformationCategory.FinancialAid], [], false, Today.AddMonths(3)), null, ConsentForm.Written, "staff-2", Now.AddDays(1), Today);

        Assert.Equal([OtherUnit], added);
        Assert.Equal([Unit], removed);
        Assert.Equal(DenialReason.UnitNotCovered, consent.DenialFor(Unit, null, Today));
        Assert.Equal([InformationCategory.FinancialAid], Assert.Single(consent.ScopeHistory).ExcludedCategories);
    }

    [Fact]
    public void A_child_must_have_been_both_informed_and_asked()
    {
        var child = SevenYearOld();
        var mother = child.AddRepresentative(RepresentativeKind.Guardian, "Mamma", null, null, Now, Today);

        Assert.Equal("child-view-missing", Slug(() => Record(child, ConsentBasis.Guardians, [Says(mother.Id)], new ChildView(Informed: true, Asked: false))));
    }

    [Fact]
    public void Only_someone_who_could_consent_changes_the_scope_or_withdraws_in_their_own_name()
    {
        var adult = Adult();
        var relative = adult.AddRepresentative(RepresentativeKind.Relative, "Syster", "syster", null, Now, Today);
        var ombud = adult.AddRepresentative(RepresentativeKind.PersonalOmbudsman, "Sam Ali", "personligt ombud", null, Now, Today);
        var consent = Record(adult, ConsentBasis.Individual, [Says(null)]);

        Assert.Equal("party-cannot-consent", Slug(() => consent.ChangeScope(adult, Scope(Unit, OtherUnit), relative.Id, ConsentForm.Oral, "staff-1", Now, Today)));
        Assert.Equal("party-cannot-withdraw", Slug(() => consent.Withdraw(adult, ombud.Id, ConsentForm.Oral, null, "staff-1", Now)));
        Assert.Equal(ConsentStatus.Given, consent.Status);
        Assert.Equal([Unit], consent.UnitIds);
    }
}
