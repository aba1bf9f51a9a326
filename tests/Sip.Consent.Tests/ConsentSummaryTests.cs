using Sip.Consent.Domain;
using ConsentRecord = Sip.Consent.Domain.Consent;

namespace Sip.Consent.Tests;

/// <summary>The consent reference a printed plan carries (SIP-DOMAIN §6): basis, who answered and how, when, until when.</summary>
public sealed class ConsentSummaryTests
{
    private static readonly DateOnly Today = new(2026, 3, 2);
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 23, 30, 0, TimeSpan.Zero); // 00:30 on 3 March in Sweden
    private static readonly Guid Unit = Guid.NewGuid();
    private static readonly ChildView Asked = new(Informed: true, Asked: true);

    private static Individual Child() =>
        Individual.Register("tenant-a", new PersonIdentifier(IdentityKind.Personnummer, TestIdentityNumbers.Twelve("20190114238")), null, Unit, "staff-1", Now, Today);

    private static ConsentRecord Record(Individual individual, ConsentBasis basis, IReadOnlyCollection<ConsentRecord.NewDeclaration> declarations, ExceptionDecision? exception = null) =>
        ConsentRecord.Record(individual, basis, declarations, Asked, null, exception, new ConsentRecord.Scope([Unit], [], [], true, new DateOnly(2026, 9, 2)), "staff-1", Unit, Now, Today);

    [Fact]
    public void Both_guardians_answers_are_named_with_their_form_and_the_swedish_day_it_was_given()
    {
        var child = Child();
        var mother = child.AddRepresentative(RepresentativeKind.Guardian, "Lena Berg", "mor", null, Now, Today);
        var father = child.AddRepresentative(RepresentativeKind.Guardian, "Omar Berg", "far", null, Now, Today);
        var consent = Record(child, ConsentBasis.Guardians,
            [new(mother.Id, Decision.Consents, ConsentForm.Written, null), new(father.Id, Decision.Consents, ConsentForm.Oral, null)]);

        Assert.Equal("Vårdnadshavarnas samtycke: Lena Berg (vårdnadshavare) skriftligt, Omar Berg (vårdnadshavare) muntligt; lämnat 3 mars 2026; gäller till 2 september 2026",
            SwedishTexts.Summary(consent, child));
    }

    [Fact]
    public void An_lvu_decision_names_the_board_the_date_and_the_reference()
    {
        var child = Child();
        var consent = Record(child, ConsentBasis.LvuDecision, [], new ExceptionDecision("Socialnämnden i Mölndal", Today.AddDays(-3), "LVU", "SN 2026/118"));

        Assert.StartsWith("Beslut enligt LVU (Socialnämnden i Mölndal, 27 februari 2026, SN 2026/118); lämnat 3 mars 2026", SwedishTexts.Summary(consent, child));
    }
}
