using System.Net;
using System.Net.Http.Json;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Sip.ServiceDefaults.Data;
using Sip.Testing;
using static Sip.Consent.Tests.Service.ConsentServiceHost;

namespace Sip.Consent.Tests.Service;

/// <summary>
/// What an invitation letter may say (GetLetterDisclosure, asked by meeting-scheduling over gRPC): whether the
/// individual's home may be named to the recipient, the addresses, and that it is answered only for a covered unit
/// and logged.
/// </summary>
public sealed class LetterDisclosureTests(ConsentServiceHost host) : IClassFixture<ConsentServiceHost>
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);
    private const string SecretPlacement = "Hemlig väg 1, Kungsbacka";

    private static string Personnummer(DateOnly born) =>
        TestIdentityNumbers.Twelve($"{born:yyyyMMdd}{Random.Shared.Next(100, 999)}");

    private static async Task<Guid> RegisterAsync(HttpClient staff, DateOnly born, Guid unit) =>
        (await (await staff.PostAsJsonAsync("api/v1/consent/individuals", new { identifier = Personnummer(born), unitId = unit }))
            .JsonAsync(HttpStatusCode.Created)).Id("individualId");

    private static async Task<Guid> AddRepresentativeAsync(HttpClient staff, Guid individual, string kind, string name, string address, Guid unit) =>
        (await (await staff.PostAsJsonAsync($"api/v1/consent/individuals/{individual}/representatives",
            new { kind, name, contact = new { address }, unitId = unit })).JsonAsync(HttpStatusCode.Created)).Id("representativeId");

    private static async Task ConsentAsync(HttpClient staff, Guid individual, Guid[] units, Guid recordedBy) =>
        await (await staff.PostAsJsonAsync("api/v1/consent/consents", new
        {
            individualId = individual, basis = "Individual", declarations = new[] { new { decision = "Consents", form = "Written" } },
            unitIds = units, excludedCategories = Array.Empty<string>(), copyToIndividual = true, validUntil = Today.AddMonths(6), recordedByUnitId = recordedBy,
        })).JsonAsync(HttpStatusCode.Created);

    /// <summary>A 12-year-old placed in a family home under LVU, the placement secret from the guardians, protected; only social services entitled.</summary>
    private async Task<(Guid Child, Guid Mother)> ChildPlacedInSecretAsync()
    {
        using var social = host.Staff(Socialtjanst);
        var child = await RegisterAsync(social, Today.AddYears(-12), Socialtjanst);
        var mother = await AddRepresentativeAsync(social, child, "Guardian", "Anna Lind", "Storgatan 3, Mölndal", Socialtjanst);
        await (await social.PostAsJsonAsync("api/v1/consent/consents", new
        {
            individualId = child, basis = "LvuDecision", declarations = Array.Empty<object>(),
            childView = new { informed = true, asked = true, view = "Vill att skolan och BUP pratar med varandra." },
            exception = new { decisionMaker = "Socialnämnden i Mölndal", decidedOn = Today.AddDays(-2), basis = "Vård med stöd av 2 § LVU.", reference = "SN 2026/119" },
            unitIds = new[] { Socialtjanst, Bup }, excludedCategories = Array.Empty<string>(), copyToIndividual = true, validUntil = Today.AddMonths(6),
            recordedByUnitId = Socialtjanst,
        })).JsonAsync(HttpStatusCode.Created);
        await (await social.PutAsJsonAsync($"api/v1/consent/individuals/{child}/protection",
            new { protectedIdentity = true, entitledUnitIds = new[] { Socialtjanst }, unitId = Socialtjanst })).JsonAsync(HttpStatusCode.OK);
        await (await social.PutAsJsonAsync($"api/v1/consent/individuals/{child}/contact",
            new { placement = new { description = "Familjehem", address = SecretPlacement, secretFromGuardians = true }, unitId = Socialtjanst })).JsonAsync(HttpStatusCode.OK);
        return (child, mother);
    }

    [Fact]
    public async Task A_guardian_of_a_child_placed_in_secret_may_not_be_told_the_home_but_the_letter_still_reaches_the_guardian()
    {
        var (child, mother) = await ChildPlacedInSecretAsync();

        var toMother = await host.LetterDisclosureAsync(child, Socialtjanst, "Guardian", mother);

        Assert.False(toMother.HomeAddressVisible);
        Assert.Equal("", toMother.IndividualAddress);
        Assert.True(toMother.ProtectedIdentity);
        Assert.Equal(("Anna Lind", "Storgatan 3, Mölndal"), (toMother.RecipientName, toMother.RecipientAddress));
    }

    [Fact]
    public async Task The_child_is_told_the_home_and_only_an_entitled_unit_gets_its_address()
    {
        var (child, mother) = await ChildPlacedInSecretAsync();

        var fromEntitled = await host.LetterDisclosureAsync(child, Socialtjanst, "Individual");
        var fromBup = await host.LetterDisclosureAsync(child, Bup, "Individual");
        var motherViaBup = await host.LetterDisclosureAsync(child, Bup, "Guardian", mother);

        Assert.Equal((true, SecretPlacement), (fromEntitled.HomeAddressVisible, fromEntitled.IndividualAddress));
        Assert.Equal((true, ""), (fromBup.HomeAddressVisible, fromBup.IndividualAddress));
        // A guardian's own address can tell where a protected child lives: not to a unit that is not entitled.
        Assert.Equal(("Anna Lind", ""), (motherViaBup.RecipientName, motherViaBup.RecipientAddress));
    }

    [Fact]
    public async Task A_school_may_be_told_the_home_only_when_the_identity_is_not_protected()
    {
        using var staff = host.Staff(Vardcentral);
        var open = await RegisterAsync(staff, Today.AddYears(-19), Vardcentral);
        await ConsentAsync(staff, open, [Vardcentral, Skola], Vardcentral);
        await (await staff.PutAsJsonAsync($"api/v1/consent/individuals/{open}/contact", new { contact = new { address = "Lillgatan 2, Borås" }, unitId = Vardcentral }))
            .JsonAsync(HttpStatusCode.OK);
        var protectedOne = await RegisterAsync(staff, Today.AddYears(-19), Vardcentral);
        await ConsentAsync(staff, protectedOne, [Vardcentral, Skola], Vardcentral);
        await (await staff.PutAsJsonAsync($"api/v1/consent/individuals/{protectedOne}/protection",
            new { protectedIdentity = true, entitledUnitIds = new[] { Vardcentral }, unitId = Vardcentral })).JsonAsync(HttpStatusCode.OK);
        await (await staff.PutAsJsonAsync($"api/v1/consent/individuals/{protectedOne}/contact", new { contact = new { address = "Skyddad väg 9, Borås" }, unitId = Vardcentral }))
            .JsonAsync(HttpStatusCode.OK);

        var toSchoolOpen = await host.LetterDisclosureAsync(open, Vardcentral, "School");
        var toSchoolProtected = await host.LetterDisclosureAsync(protectedOne, Vardcentral, "School");

        Assert.Equal((true, "Lillgatan 2, Borås", false), (toSchoolOpen.HomeAddressVisible, toSchoolOpen.IndividualAddress, toSchoolOpen.ProtectedIdentity));
        Assert.Equal((false, "", true), (toSchoolProtected.HomeAddressVisible, toSchoolProtected.IndividualAddress, toSchoolProtected.ProtectedIdentity));
        Assert.Equal(("", ""), (toSchoolOpen.RecipientName, toSchoolOpen.RecipientAddress));
    }

    [Fact]
    public async Task Only_a_covered_unit_asked_by_its_own_staff_is_answered_and_only_the_answer_is_audited_with_its_case()
    {
        var (child, _) = await ChildPlacedInSecretAsync();
        var caseId = Guid.NewGuid();

        var answered = await host.LetterDisclosureAsync(child, Socialtjanst, "Individual", caseId: caseId);
        var uncovered = await Assert.ThrowsAsync<RpcException>(() => host.LetterDisclosureAsync(child, Skola, "Individual"));
        var notTheirs = await Assert.ThrowsAsync<RpcException>(() => host.LetterDisclosureAsync(child, Socialtjanst, "Individual", callerUnit: Skola));

        Assert.True(answered.HomeAddressVisible);
        Assert.Equal(StatusCode.PermissionDenied, uncovered.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, notTheirs.StatusCode);
        var logged = await host.QueryAsync(db => db.Set<AuditEntry>().Where(a => a.IndividualId == child && a.Action == "individual.letter-disclosure")
            .Select(a => new { a.ActorUnitId, a.CaseId, a.Actor }).ToListAsync());
        Assert.Equal([(Socialtjanst, caseId, $"letters-{Socialtjanst}")], logged.Select(a => (a.ActorUnitId!.Value, a.CaseId!.Value, a.Actor)));
    }
}
