using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Sip.Contracts.Consent;
using Sip.Contracts.Grpc.Consent.V1;
using Sip.ServiceDefaults.Data;
using Sip.Testing;
using static Sip.Consent.Tests.Service.ConsentServiceHost;

namespace Sip.Consent.Tests.Service;

/// <summary>
/// The consent service through its API and gRPC check, on a real PostgreSQL and RabbitMQ: the people
/// described in the issue, each rule with its problem detail, and the events on the real broker.
/// </summary>
public sealed class ConsentServiceTests(ConsentServiceHost host) : IClassFixture<ConsentServiceHost>
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    private static string Personnummer(DateOnly born) =>
        TestIdentityNumbers.Twelve($"{born:yyyyMMdd}{Random.Shared.Next(100, 999)}");

    private static async Task<JsonElement> RegisterAsync(HttpClient staff, string identifier, Guid unit, string? kind = null, string? format = null) =>
        await (await staff.PostAsJsonAsync("api/v1/consent/individuals", new { identifier, identifierKind = kind, identifierFormat = format, unitId = unit }))
            .JsonAsync(HttpStatusCode.Created);

    private static async Task<Guid> AddRepresentativeAsync(HttpClient staff, Guid individual, string kind, string name, Guid unit) =>
        (await (await staff.PostAsJsonAsync($"api/v1/consent/individuals/{individual}/representatives", new { kind, name, relation = (string?)null, unitId = unit }))
            .JsonAsync(HttpStatusCode.Created)).Id("representativeId");

    private static object Consent(Guid individual, string basis, object[] declarations, Guid[] units, Guid recordedBy, object? childView = null,
        object? exception = null, object? presumed = null, string[]? excluded = null, DateOnly? validUntil = null) => new
        {
            individualId = individual,
            basis,
            declarations,
            childView,
            presumed,
            exception,
            unitIds = units,
            excludedCategories = excluded ?? [],
            copyToIndividual = true,
            validUntil = validUntil ?? Today.AddMonths(6),
            recordedByUnitId = recordedBy,
        };

    private static readonly object ChildAsked = new { informed = true, asked = true, view = "Vill att mamma och pappa och skolan pratar med varandra." };

    private Task<int> ConsentsOfAsync(Guid individual) => host.QueryAsync(db => db.Consents.CountAsync(c => c.IndividualId == individual));

    [Fact]
    public async Task A_seven_year_old_with_two_guardians_gets_sip_only_when_the_second_guardian_has_consented_too()
    {
        using var staff = host.Staff(Bup, Skola);
        await using var given = await host.ListenAsync<ConsentGiven>();
        var child = (await RegisterAsync(staff, Personnummer(Today.AddYears(-7).AddDays(-40)), Bup)).Id("individualId");
        var mother = await AddRepresentativeAsync(staff, child, "Guardian", "Maria Svensson", Bup);
        var father = await AddRepresentativeAsync(staff, child, "Guardian", "Johan Svensson", Bup);

        var consent = await (await staff.PostAsJsonAsync("api/v1/consent/consents",
            Consent(child, "Guardians", [new { representativeId = mother, decision = "Consents", form = "Written" }], [Bup, Skola], Bup, ChildAsked))).JsonAsync(HttpStatusCode.Created);

        Assert.Equal("Pending", consent.GetProperty("status").GetString());
        Assert.Equal([father], consent.GetProperty("awaitingRepresentativeIds").EnumerateArray().Select(e => e.GetGuid()).ToList());
        Assert.Equal((false, DenialReason.NoConsent), await Check(child, Skola));
        var second = await (await staff.PostAsJsonAsync($"api/v1/consent/consents/{consent.Id("consentId")}/declarations",
            new { representativeId = father, decision = "Consents", form = "Oral", unitId = Bup })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Given", second.GetProperty("status").GetString());
        Assert.Equal((true, DenialReason.Unspecified), await Check(child, Skola));
        var @event = await given.WaitForAsync(m => m.GetProperty("individualId").GetGuid() == child);
        Assert.Equal(consent.Id("consentId"), @event.Id("consentId"));
        Assert.Equal("Vill att mamma och pappa och skolan pratar med varandra.", second.GetProperty("childView").GetProperty("view").GetString());
    }

    [Fact]
    public async Task A_seventeen_year_old_whose_guardians_refuse_gets_sip_by_a_documented_health_care_decision()
    {
        using var staff = host.Staff(Bup, Socialtjanst);
        await using var refused = await host.ListenAsync<ConsentRefused>();
        var teen = (await RegisterAsync(staff, Personnummer(Today.AddYears(-17).AddDays(-100)), Bup)).Id("individualId");
        var mother = await AddRepresentativeAsync(staff, teen, "Guardian", "Eva Holm", Bup);
        var father = await AddRepresentativeAsync(staff, teen, "Guardian", "Ali Holm", Bup);

        var ownConsent = await staff.PostAsJsonAsync("api/v1/consent/consents", Consent(teen, "Individual", [new { decision = "Consents", form = "Oral" }], [Bup], Bup, ChildAsked));
        var refusal = await (await staff.PostAsJsonAsync("api/v1/consent/consents", Consent(teen, "Guardians",
            [new { representativeId = mother, decision = "Refuses", form = "Oral" }, new { representativeId = father, decision = "Refuses", form = "Written" }], [Bup, Socialtjanst], Bup, ChildAsked)))
            .JsonAsync(HttpStatusCode.Created);
        var decision = await (await staff.PostAsJsonAsync("api/v1/consent/consents", Consent(teen, "MatureMinorDecision", [new { decision = "Consents", form = "Written" }], [Bup, Socialtjanst], Bup, ChildAsked,
            exception: new { decisionMaker = "Överläkare Karin Lund, BUP Mölndal", decidedOn = Today, basis = "Bedöms ha den mognad som krävs för att själv bestämma om insatsen.", reference = "BUP-2026-0412" })))
            .JsonAsync(HttpStatusCode.Created);

        Assert.Equal("child-cannot-consent-alone", (await ownConsent.JsonAsync(HttpStatusCode.UnprocessableEntity)).GetProperty("type").GetString()![16..]);
        Assert.Equal("Refused", refusal.GetProperty("status").GetString());
        await refused.WaitForAsync(m => m.Id("consentId") == refusal.Id("consentId"));
        Assert.Equal(("Given", "Överläkare Karin Lund, BUP Mölndal"), (decision.GetProperty("status").GetString(), decision.GetProperty("exception").GetProperty("decisionMaker").GetString()));
        Assert.True((await Check(teen, Socialtjanst)).Allowed);
    }

    [Fact]
    public async Task A_45_year_old_consents_orally_by_phone_excludes_addiction_care_and_later_withdraws_which_the_broker_delivers()
    {
        using var staff = host.Staff(Vardcentral, Socialtjanst);
        await using var withdrawn = await host.ListenAsync<ConsentWithdrawn>();
        var person = (await RegisterAsync(staff, Personnummer(Today.AddYears(-45).AddDays(-3)), Vardcentral)).Id("individualId");
        var consent = await (await staff.PostAsJsonAsync("api/v1/consent/consents", Consent(person, "Individual",
            [new { decision = "Consents", form = "Oral" }], [Vardcentral, Socialtjanst], Vardcentral, excluded: ["AddictionCare"]))).JsonAsync(HttpStatusCode.Created);
        var id = consent.Id("consentId");

        Assert.True((await Check(person, Socialtjanst, "PsychiatricCare")).Allowed);
        Assert.Equal((false, DenialReason.CategoryExcluded), await Check(person, Socialtjanst, "AddictionCare"));
        Assert.Equal((false, DenialReason.UnitNotCovered), await Check(person, Bup));

        var overlapping = await staff.PostAsJsonAsync("api/v1/consent/consents", Consent(person, "Individual", [new { decision = "Consents", form = "Written" }], [Vardcentral], Vardcentral));
        var problem = await overlapping.JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("urn:sip:problem:consent-overlaps", problem.GetProperty("type").GetString());
        Assert.Contains(id.ToString(), problem.GetProperty("detail").GetString());
        Assert.Equal(1, await ConsentsOfAsync(person));

        var withdrawal = await (await staff.PostAsJsonAsync($"api/v1/consent/consents/{id}/withdrawal", new { form = "Oral", comment = "Ringde och sa att hon inte längre vill.", unitId = Vardcentral }))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Withdrawn", withdrawal.GetProperty("status").GetString());
        var @event = await withdrawn.WaitForAsync(m => m.Id("consentId") == id);
        Assert.Equal([Vardcentral, Socialtjanst], @event.GetProperty("unitIds").EnumerateArray().Select(u => u.GetGuid()).ToList());
        Assert.DoesNotContain("Ringde", @event.GetRawText());
        Assert.Equal((false, DenialReason.Withdrawn), await Check(person, Socialtjanst));

        var again = await (await staff.PostAsJsonAsync($"api/v1/consent/consents/{id}/withdrawal", new { form = "Written", unitId = Vardcentral })).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal(("urn:sip:problem:consent-already-withdrawn", "Samtycket är redan återkallat"), (again.GetProperty("type").GetString(), again.GetProperty("title").GetString()));
    }

    [Fact]
    public async Task Narrowing_the_scope_stops_sharing_with_the_removed_unit_and_tells_the_platform()
    {
        using var staff = host.Staff(Vardcentral, Socialtjanst);
        await using var changed = await host.ListenAsync<ConsentScopeChanged>();
        var person = (await RegisterAsync(staff, Personnummer(Today.AddYears(-38)), Vardcentral)).Id("individualId");
        var id = (await (await staff.PostAsJsonAsync("api/v1/consent/consents", Consent(person, "Individual",
            [new { decision = "Consents", form = "Written" }], [Vardcentral, Socialtjanst], Vardcentral))).JsonAsync(HttpStatusCode.Created)).Id("consentId");

        var narrowed = await (await staff.PutAsJsonAsync($"api/v1/consent/consents/{id}/scope", new
        {
            unitIds = new[] { Vardcentral, Bup },
            excludedCategories = new[] { "FinancialAid" },
            validUntil = Today.AddMonths(3),
            form = "Oral",
            unitId = Vardcentral,
        })).JsonAsync(HttpStatusCode.OK);

        Assert.Equal([Vardcentral, Bup], narrowed.GetProperty("unitIds").EnumerateArray().Select(u => u.GetGuid()).ToList());
        Assert.Equal((false, DenialReason.UnitNotCovered), await Check(person, Socialtjanst));
        Assert.Equal((false, DenialReason.CategoryExcluded), await Check(person, Bup, "FinancialAid"));
        var @event = await changed.WaitForAsync(m => m.Id("consentId") == id);
        Assert.Equal([Bup], @event.GetProperty("addedUnitIds").EnumerateArray().Select(u => u.GetGuid()).ToList());
        Assert.Equal([Socialtjanst], @event.GetProperty("removedUnitIds").EnumerateArray().Select(u => u.GetGuid()).ToList());
        Assert.Equal(["FinancialAid"], @event.GetProperty("excludedCategories").EnumerateArray().Select(c => c.GetString()).ToList());
    }

    [Fact]
    public async Task An_80_year_old_with_dementia_consents_through_a_forvaltare_but_a_god_man_alone_is_refused_and_nothing_is_stored()
    {
        using var staff = host.Staff(Vardcentral, Socialtjanst);
        var elder = (await RegisterAsync(staff, Personnummer(Today.AddYears(-80).AddDays(-10)), Vardcentral)).Id("individualId");
        var godMan = await AddRepresentativeAsync(staff, elder, "GodMan", "Per Ek", Vardcentral);

        var alone = await (await staff.PostAsJsonAsync("api/v1/consent/consents",
            Consent(elder, "Representative", [new { representativeId = godMan, decision = "Consents", form = "Written" }], [Vardcentral, Socialtjanst], Vardcentral))).JsonAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(("urn:sip:problem:god-man-without-individual-consent", "En god man kan inte samtycka ensam"), (alone.GetProperty("type").GetString(), alone.GetProperty("title").GetString()));
        Assert.Equal(0, await ConsentsOfAsync(elder));
        var forvaltare = await AddRepresentativeAsync(staff, elder, "Forvaltare", "Lena Berg", Vardcentral);
        var consent = await (await staff.PostAsJsonAsync("api/v1/consent/consents",
            Consent(elder, "Representative", [new { representativeId = forvaltare, decision = "Consents", form = "Written" }], [Vardcentral, Socialtjanst], Vardcentral))).JsonAsync(HttpStatusCode.Created);
        Assert.Equal("Given", consent.GetProperty("status").GetString());
        Assert.True((await Check(elder, Socialtjanst)).Allowed);
    }

    [Fact]
    public async Task An_unaccompanied_minor_without_a_number_consents_together_with_the_god_man_appointed_in_the_guardians_place()
    {
        using var staff = host.Staff(Bup, Socialtjanst);
        var child = (await (await staff.PostAsJsonAsync("api/v1/consent/individuals/unidentified", new { unitId = Bup, birthDate = Today.AddYears(-15) }))
            .JsonAsync(HttpStatusCode.Created)).Id("individualId");
        var godMan = await AddRepresentativeAsync(staff, child, "GodMan", "Ali Hassan", Bup);
        var byGodMan = new { representativeId = godMan, decision = "Consents", form = "Written" };

        // As for an adult's god man: not alone, but together with the child.
        var alone = await (await staff.PostAsJsonAsync("api/v1/consent/consents",
            Consent(child, "Representative", [byGodMan], [Bup, Socialtjanst], Bup, ChildAsked))).JsonAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("urn:sip:problem:god-man-without-individual-consent", alone.GetProperty("type").GetString());
        var consent = await (await staff.PostAsJsonAsync("api/v1/consent/consents",
            Consent(child, "Representative", [byGodMan, new { decision = "Consents", form = "Oral" }], [Bup, Socialtjanst], Bup, ChildAsked))).JsonAsync(HttpStatusCode.Created);
        Assert.Equal("Given", consent.GetProperty("status").GetString());
        Assert.True((await Check(child, Socialtjanst)).Allowed);
        var person = await (await staff.GetAsync($"api/v1/consent/individuals/{child}?unitId={Bup}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("GodMan", person.GetProperty("representatives")[0].GetProperty("kind").GetString());

        // A child with a guardian in Sweden gets no god man; a förvaltare is for adults only.
        var other = (await RegisterAsync(staff, Personnummer(Today.AddYears(-12)), Bup)).Id("individualId");
        await AddRepresentativeAsync(staff, other, "Guardian", "Sara Lund", Bup);
        var refused = await (await staff.PostAsJsonAsync($"api/v1/consent/individuals/{other}/representatives", new { kind = "GodMan", name = "Per Ek", unitId = Bup }))
            .JsonAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("urn:sip:problem:god-man-for-child-with-guardian", refused.GetProperty("type").GetString());
        var forvaltare = await (await staff.PostAsJsonAsync($"api/v1/consent/individuals/{child}/representatives", new { kind = "Forvaltare", name = "Per Ek", unitId = Bup }))
            .JsonAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("urn:sip:problem:trustee-for-child", forvaltare.GetProperty("type").GetString());
    }

    [Fact]
    public async Task An_unidentified_adult_under_a_temporary_id_is_identified_a_week_later_and_keeps_the_consent()
    {
        using var staff = host.Staff(Vardcentral, Socialtjanst);
        await using var linked = await host.ListenAsync<IdentityLinked>();
        var unidentified = await (await staff.PostAsJsonAsync("api/v1/consent/individuals/unidentified", new { unitId = Vardcentral })).JsonAsync(HttpStatusCode.Created);
        var person = unidentified.Id("individualId");
        var temporaryId = unidentified.GetProperty("identifier").GetString()!;
        Assert.Equal("TemporaryId", unidentified.GetProperty("identifierKind").GetString());
        await (await staff.PostAsJsonAsync("api/v1/consent/consents", Consent(person, "Presumed", [], [Vardcentral, Socialtjanst], Vardcentral,
            presumed: new { informedOn = Today, observation = "Informerad på akutmottagningen; nickar och följer med utan invändningar." }))).JsonAsync(HttpStatusCode.Created);

        var personnummer = Personnummer(Today.AddYears(-52));
        var identified = await (await staff.PostAsJsonAsync($"api/v1/consent/individuals/{person}/identifiers", new { identifier = personnummer[2..8] + "-" + personnummer[8..], unitId = Vardcentral }))
            .JsonAsync(HttpStatusCode.OK);

        Assert.Equal((person, "Personnummer", personnummer), (identified.Id("individualId"), identified.GetProperty("identifierKind").GetString(), identified.GetProperty("identifier").GetString()));
        var history = identified.GetProperty("identifierHistory").EnumerateArray().Select(h => (h.GetProperty("kind").GetString(), h.GetProperty("value").GetString())).ToList();
        Assert.Equal([("TemporaryId", temporaryId), ("Personnummer", personnummer)], history);
        var found = await (await staff.PostAsJsonAsync("api/v1/consent/individuals/search", new { identifier = temporaryId, identifierKind = "TemporaryId", unitId = Vardcentral })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(person, found.Id("individualId"));
        Assert.True((await Check(person, Socialtjanst)).Allowed);
        var @event = await linked.WaitForAsync(m => m.Id("individualId") == person);
        Assert.Equal(("TemporaryId", "Personnummer"), (@event.GetProperty("previousKind").GetString(), @event.GetProperty("currentKind").GetString()));
        Assert.DoesNotContain(personnummer, @event.GetRawText());
        Assert.DoesNotContain(temporaryId, @event.GetRawText());
    }

    [Fact]
    public async Task A_reserve_number_record_of_someone_already_known_is_merged_and_its_consent_follows_the_person()
    {
        using var staff = host.Staff(Vardcentral, Socialtjanst);
        await using var linked = await host.ListenAsync<IdentityLinked>();
        var personnummer = Personnummer(Today.AddYears(-30));
        var known = (await RegisterAsync(staff, personnummer, Socialtjanst)).Id("individualId");
        var lrid = $"{Today.AddYears(-30):yyyyMMdd}K{Random.Shared.Next(10, 89)}{Random.Shared.Next(0, 9)}";
        var reserve = await RegisterAsync(staff, lrid, Vardcentral, "LocalReserveNumber", "vgr-lrid");
        Assert.Equal(("LocalReserveNumber", "vgr-lrid"), (reserve.GetProperty("identifierKind").GetString(), reserve.GetProperty("identifierFormat").GetString()));
        var temporary = reserve.Id("individualId");
        await (await staff.PostAsJsonAsync("api/v1/consent/consents", Consent(temporary, "Individual", [new { decision = "Consents", form = "Written" }], [Vardcentral, Socialtjanst], Vardcentral)))
            .JsonAsync(HttpStatusCode.Created);

        var merged = await (await staff.PostAsJsonAsync($"api/v1/consent/individuals/{temporary}/identifiers", new { identifier = personnummer, unitId = Vardcentral })).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(known, merged.Id("individualId"));
        Assert.Contains(merged.GetProperty("identifierHistory").EnumerateArray(), h => h.GetProperty("value").GetString() == lrid);
        Assert.Equal(1, await ConsentsOfAsync(known));
        Assert.True((await Check(known, Socialtjanst)).Allowed);
        Assert.True((await Check(temporary, Socialtjanst)).Allowed);
        var @event = await linked.WaitForAsync(m => m.Id("individualId") == known);
        Assert.Equal(temporary, @event.Id("mergedIndividualId"));
    }

    [Fact]
    public async Task A_child_in_care_under_lvu_with_a_secret_placement_is_hidden_from_the_guardians_and_from_units_not_entitled()
    {
        using var social = host.Staff(Socialtjanst);
        using var bup = host.Staff(Bup);
        var child = (await RegisterAsync(social, Personnummer(Today.AddYears(-12)), Socialtjanst)).Id("individualId");
        var mother = await AddRepresentativeAsync(social, child, "Guardian", "Anna Lind", Socialtjanst);
        await (await social.PostAsJsonAsync("api/v1/consent/consents", Consent(child, "LvuDecision", [], [Socialtjanst, Bup], Socialtjanst, ChildAsked,
            exception: new { decisionMaker = "Socialnämnden i Mölndal", decidedOn = Today.AddDays(-2), basis = "Vård med stöd av 2 § LVU; SIP inleds utan vårdnadshavarnas samtycke.", reference = "SN 2026/118" })))
            .JsonAsync(HttpStatusCode.Created);
        var secretFirst = await social.PutAsJsonAsync($"api/v1/consent/individuals/{child}/contact",
            new { placement = new { description = "Familjehem", address = "Hemlig väg 1, Kungsbacka", secretFromGuardians = true }, unitId = Socialtjanst });
        Assert.Equal("urn:sip:problem:secret-placement-without-protection", (await secretFirst.JsonAsync(HttpStatusCode.UnprocessableEntity)).GetProperty("type").GetString());

        await (await social.PutAsJsonAsync($"api/v1/consent/individuals/{child}/protection", new { protectedIdentity = true, entitledUnitIds = new[] { Socialtjanst }, unitId = Socialtjanst })).JsonAsync(HttpStatusCode.OK);
        await (await social.PutAsJsonAsync($"api/v1/consent/individuals/{child}/contact",
            new { placement = new { description = "Familjehem", address = "Hemlig väg 1, Kungsbacka", secretFromGuardians = true }, unitId = Socialtjanst })).JsonAsync(HttpStatusCode.OK);

        var entitled = await (await social.GetAsync($"api/v1/consent/individuals/{child}")).JsonAsync(HttpStatusCode.OK);
        var notEntitled = await (await bup.GetAsync($"api/v1/consent/individuals/{child}")).JsonAsync(HttpStatusCode.OK);
        var toGuardian = await (await social.GetAsync($"api/v1/consent/individuals/{child}/representatives/{mother}/disclosure")).JsonAsync(HttpStatusCode.OK);
        using var stranger = host.Staff(Vardcentral);

        Assert.Equal("Hemlig väg 1, Kungsbacka", entitled.GetProperty("placement").GetProperty("address").GetString());
        Assert.Equal(JsonValueKind.Null, notEntitled.GetProperty("placement").ValueKind);
        Assert.True(notEntitled.GetProperty("protectedIdentity").GetBoolean());
        Assert.Equal(JsonValueKind.Null, toGuardian.GetProperty("placement").ValueKind);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"api/v1/consent/individuals/{child}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await bup.PutAsJsonAsync($"api/v1/consent/individuals/{child}/protection", new { protectedIdentity = false, unitId = Bup })).StatusCode);
    }

    [Fact]
    public async Task A_locked_plan_gets_the_identifier_and_the_copy_recipients_the_individual_approved_and_only_for_a_covered_unit()
    {
        using var staff = host.Staff(Vardcentral);
        var personnummer = Personnummer(Today.AddYears(-80));
        var elder = (await RegisterAsync(staff, personnummer, Vardcentral)).Id("individualId");
        var forvaltare = await AddRepresentativeAsync(staff, elder, "Forvaltare", "Lena Berg", Vardcentral);
        await AddRepresentativeAsync(staff, elder, "Relative", "Sonen", Vardcentral);
        await (await staff.PostAsJsonAsync("api/v1/consent/consents", new
        {
            individualId = elder, basis = "Representative", declarations = new[] { new { representativeId = forvaltare, decision = "Consents", form = "Written" } },
            unitIds = new[] { Vardcentral, Socialtjanst }, copyRecipientIds = new[] { forvaltare }, copyToIndividual = false,
            validUntil = Today.AddMonths(6), recordedByUnitId = Vardcentral,
        })).JsonAsync(HttpStatusCode.Created);

        var caseId = Guid.NewGuid();
        var particulars = await host.PlanParticularsAsync(elder, Socialtjanst, caseId: caseId);
        var refused = await Assert.ThrowsAsync<global::Grpc.Core.RpcException>(() => host.PlanParticularsAsync(elder, Bup));
        // A covered unit named by someone who does not work there gets nothing either.
        var notTheirs = await Assert.ThrowsAsync<global::Grpc.Core.RpcException>(() => host.PlanParticularsAsync(elder, Socialtjanst, callerUnit: Bup));

        Assert.Equal(("Personnummer", $"{personnummer[..8]}-{personnummer[8..]}"), (particulars.IdentifierKind, particulars.Identifier));
        Assert.Equal(["Lena Berg (förvaltare)"], particulars.CopyRecipients);
        Assert.Equal(global::Grpc.Core.StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Equal(global::Grpc.Core.StatusCode.PermissionDenied, notTheirs.StatusCode);
        Assert.StartsWith("Företrädarens samtycke: Lena Berg (förvaltare) skriftligt; lämnat ", particulars.ConsentSummary);
        Assert.Equal([Vardcentral.ToString(), Socialtjanst.ToString()], particulars.ConsentUnitIds);
        // Only the disclosure is in consent's audit log, with the unit and the case it was for; the refusals disclosed nothing.
        var disclosures = await host.QueryAsync(db => db.Set<AuditEntry>().Where(a => a.IndividualId == elder && a.Action == "individual.plan-particulars-disclosed")
            .Select(a => new { a.ActorUnitId, a.CaseId, a.Actor }).ToListAsync());
        Assert.Equal([(Socialtjanst, caseId, $"checker-{Socialtjanst}")], disclosures.Select(d => (d.ActorUnitId!.Value, d.CaseId!.Value, d.Actor)));
    }

    [Fact]
    public async Task A_unit_not_covered_that_registers_a_known_person_gets_the_answer_a_new_registration_gives_and_learns_nothing_it_did_not_send()
    {
        using var registering = host.Staff(Vardcentral);
        using var other = host.Staff(Skola);
        var born = Today.AddYears(-40);
        var personnummer = Personnummer(born);
        var person = (await RegisterAsync(registering, personnummer, Vardcentral)).Id("individualId");
        await AddRepresentativeAsync(registering, person, "Relative", "Syster Svensson", Vardcentral);
        await (await registering.PutAsJsonAsync($"api/v1/consent/individuals/{person}/protection", new { protectedIdentity = true, unitId = Vardcentral, entitledUnitIds = new[] { Vardcentral } }))
            .JsonAsync(HttpStatusCode.OK);

        var knownResponse = await other.PostAsJsonAsync("api/v1/consent/individuals", new { identifier = personnummer, unitId = Skola });
        var known = await knownResponse.JsonAsync(HttpStatusCode.Created);
        var newResponse = await other.PostAsJsonAsync("api/v1/consent/individuals", new { identifier = Personnummer(born), unitId = Skola });
        var unknown = await newResponse.JsonAsync(HttpStatusCode.Created);

        // The same person, so its consent can be recorded under one record; the answer otherwise as for someone new.
        Assert.Equal(person, known.Id("individualId"));
        Assert.Equal($"/api/v1/consent/individuals/{person}", knownResponse.Headers.Location!.OriginalString);
        Assert.Equal(Without(unknown, "individualId", "identifier", "identifierHistory"), Without(known, "individualId", "identifier", "identifierHistory"));
        Assert.False(known.GetProperty("protectedIdentity").GetBoolean());
        Assert.Equal(0, known.GetProperty("representatives").GetArrayLength());
        // The service's clock, which another test in this class moves forward: the registration is dated by it, not by the wall clock.
        Assert.Equal(host.Clock.GetUtcNow().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), known.GetProperty("identifierHistory")[0].GetProperty("from").GetString()![..10]);
        // Person ids carry no date that would tell when the person was first registered.
        Assert.Equal(4, person.Version);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"api/v1/consent/individuals/{person}")).StatusCode);
    }

    private static string Without(JsonElement json, params string[] names) =>
        JsonSerializer.Serialize(json.EnumerateObject().Where(p => !names.Contains(p.Name)).ToDictionary(p => p.Name, p => p.Value));

    [Theory]
    [InlineData("19121212-1213", "Kontrollsiffran stämmer inte.")]
    [InlineData("19120230-1212", "Födelsedatumet i numret finns inte.")]
    [InlineData("abc", "Numret är varken ett personnummer, ett samordningsnummer eller ett reservnummer som används i er region.")]
    public async Task A_malformed_or_impossible_number_gets_a_swedish_problem_and_nothing_is_stored(string identifier, string detail)
    {
        using var staff = host.Staff(Vardcentral);
        var before = await host.QueryAsync(db => db.Individuals.CountAsync());

        var problem = await (await staff.PostAsJsonAsync("api/v1/consent/individuals", new { identifier, unitId = Vardcentral })).JsonAsync(HttpStatusCode.BadRequest);

        Assert.Equal(("urn:sip:problem:invalid-identity-number", "Ogiltigt identitetsnummer", detail),
            (problem.GetProperty("type").GetString(), problem.GetProperty("title").GetString(), problem.GetProperty("detail").GetString()));
        Assert.Equal(before, await host.QueryAsync(db => db.Individuals.CountAsync()));
    }

    [Fact]
    public async Task A_local_reserve_number_is_accepted_only_where_the_tenant_has_configured_its_format_and_an_ambiguous_one_must_name_it()
    {
        // Every Västra Götaland LRID also fits the GRID pattern: the kind alone cannot tell them apart.
        var lrid = $"{Today.AddYears(-60):yyyyMMdd}X123";
        using var here = host.Staff(Vardcentral);
        using var elsewhere = host.Staff("staff-other", "other-region", Vardcentral);

        var ambiguous = await (await here.PostAsJsonAsync("api/v1/consent/individuals", new { identifier = lrid, unitId = Vardcentral })).JsonAsync(HttpStatusCode.BadRequest);
        var accepted = await RegisterAsync(here, lrid, Vardcentral, "LocalReserveNumber", "vgr-lrid");
        var refused = await (await elsewhere.PostAsJsonAsync("api/v1/consent/individuals", new { identifier = lrid, unitId = Vardcentral })).JsonAsync(HttpStatusCode.BadRequest);

        Assert.Equal("urn:sip:problem:ambiguous-identifier", ambiguous.GetProperty("type").GetString());
        Assert.Contains("vgr-lrid, vgr-grid", ambiguous.GetProperty("detail").GetString());
        Assert.Equal(("LocalReserveNumber", lrid, "vgr-lrid"),
            (accepted.GetProperty("identifierKind").GetString(), accepted.GetProperty("identifier").GetString(), accepted.GetProperty("identifierFormat").GetString()));
        Assert.Equal("urn:sip:problem:invalid-identity-number", refused.GetProperty("type").GetString());
    }

    [Fact]
    public async Task An_end_date_in_the_past_is_refused_and_nothing_is_stored_or_published()
    {
        using var staff = host.Staff(Vardcentral);
        var person = (await RegisterAsync(staff, Personnummer(Today.AddYears(-40)), Vardcentral)).Id("individualId");
        var outboxBefore = await host.QueryAsync(db => db.Set<Sip.Messaging.OutboxMessage>().CountAsync());

        var problem = await (await staff.PostAsJsonAsync("api/v1/consent/consents",
            Consent(person, "Individual", [new { decision = "Consents", form = "Written" }], [Vardcentral], Vardcentral, validUntil: Today.AddDays(-1)))).JsonAsync(HttpStatusCode.BadRequest);

        Assert.Equal(("urn:sip:problem:consent-end-date-in-past", "Slutdatumet har redan passerat"), (problem.GetProperty("type").GetString(), problem.GetProperty("title").GetString()));
        Assert.Equal(0, await ConsentsOfAsync(person));
        Assert.Equal(outboxBefore, await host.QueryAsync(db => db.Set<Sip.Messaging.OutboxMessage>().CountAsync()));
    }

    [Fact]
    public async Task A_consent_expires_after_its_end_date_without_anyone_touching_it_and_the_broker_delivers_the_event()
    {
        using var staff = host.Staff(Vardcentral, Socialtjanst);
        await using var expired = await host.ListenAsync<ConsentExpired>();
        var person = (await RegisterAsync(staff, Personnummer(Today.AddYears(-33)), Vardcentral)).Id("individualId");
        var consent = (await (await staff.PostAsJsonAsync("api/v1/consent/consents",
            Consent(person, "Individual", [new { decision = "Consents", form = "Written" }], [Vardcentral, Socialtjanst], Vardcentral, validUntil: Today.AddDays(1)))).JsonAsync(HttpStatusCode.Created)).Id("consentId");

        host.Clock.Advance(TimeSpan.FromDays(3));

        var @event = await expired.WaitForAsync(m => m.Id("consentId") == consent);
        Assert.Equal(Today.AddDays(1).ToString("yyyy-MM-dd"), @event.GetProperty("validUntil").GetString());
        var status = await host.QueryAsync(db => db.Consents.Where(c => c.Id == consent).Select(c => c.Status).SingleAsync());
        Assert.Equal(Domain.ConsentStatus.Expired, status);
        Assert.Equal((false, DenialReason.Expired), await Check(person, Socialtjanst));
    }

    private async Task<(bool Allowed, DenialReason Reason)> Check(Guid individual, Guid unit, string category = "")
    {
        var reply = await host.CheckAsync(individual, unit, category);
        return (reply.Allowed, reply.Reason);
    }

    [Fact]
    public async Task Staff_the_directory_does_not_list_in_a_unit_see_no_one_there_though_their_token_names_it()
    {
        using var listed = host.Staff("directory-listed", Tenant, Vardcentral);
        using var removed = host.Staff("directory-removed", Tenant, Vardcentral);
        host.Directory.Remove("directory-removed", Vardcentral);
        var individual = (await RegisterAsync(listed, Personnummer(Today.AddYears(-40)), Vardcentral)).Id("individualId");

        var seenByListed = await listed.GetAsync($"api/v1/consent/individuals/{individual}");
        var seenByRemoved = await removed.GetAsync($"api/v1/consent/individuals/{individual}");
        var registeredByRemoved = await removed.PostAsJsonAsync("api/v1/consent/individuals", new { identifier = Personnummer(Today.AddYears(-41)), unitId = Vardcentral });

        Assert.Equal(HttpStatusCode.OK, seenByListed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, seenByRemoved.StatusCode);
        Assert.Equal("urn:sip:problem:not-member-of-unit", (await registeredByRemoved.JsonAsync(HttpStatusCode.Forbidden)).GetProperty("type").GetString());
    }

    [Fact]
    public async Task When_the_directory_cannot_answer_the_request_is_refused_in_swedish_and_nothing_is_stored()
    {
        using var staff = host.Staff("directory-unanswered", Tenant, Vardcentral);
        var before = await host.QueryAsync(db => db.Individuals.CountAsync());
        host.Directory.Failing = true;
        HttpResponseMessage refused;
        try
        {
            refused = await staff.PostAsJsonAsync("api/v1/consent/individuals", new { identifier = Personnummer(Today.AddYears(-50)), unitId = Vardcentral });
        }
        finally
        {
            host.Directory.Failing = false;
        }
        var problem = await refused.JsonAsync(HttpStatusCode.ServiceUnavailable);

        Assert.Equal(("urn:sip:problem:directory-unavailable", "Behörigheten kan inte kontrolleras just nu"),
            (problem.GetProperty("type").GetString(), problem.GetProperty("title").GetString()));
        Assert.Equal(before, await host.QueryAsync(db => db.Individuals.CountAsync()));
    }

    [Fact]
    public async Task Case_gets_birth_year_month_and_sex_for_statistics_only_for_a_covered_unit_and_consent_logs_it()
    {
        using var staff = host.Staff(Vardcentral);
        // A woman born in March 1980: the second-to-last digit (here the last of the serial) is even.
        var woman = (await RegisterAsync(staff, TestIdentityNumbers.Twelve($"19800314{Random.Shared.Next(10, 99)}4"), Vardcentral)).Id("individualId");
        var reserve = (await (await staff.PostAsJsonAsync("api/v1/consent/individuals",
                new { identifier = $"19800314AB{Random.Shared.Next(10, 99)}", identifierKind = "NationalReserveNumber", unitId = Vardcentral }))
            .JsonAsync(HttpStatusCode.Created)).Id("individualId");
        foreach (var person in new[] { woman, reserve })
        {
            await (await staff.PostAsJsonAsync("api/v1/consent/consents", Consent(person, "Individual", [new { decision = "Consents", form = "Written" }], [Vardcentral], Vardcentral)))
                .JsonAsync(HttpStatusCode.Created);
        }
        var caseId = Guid.NewGuid();

        var profile = await host.StatisticsProfileAsync(woman, Vardcentral, caseId);
        var ofReserve = await host.StatisticsProfileAsync(reserve, Vardcentral);
        var uncovered = await Assert.ThrowsAsync<global::Grpc.Core.RpcException>(() => host.StatisticsProfileAsync(woman, Skola));

        Assert.Equal((1980, 3, "Female"), (profile.BirthYear, profile.BirthMonth, profile.Sex));
        Assert.Equal((0, 0, "Unknown"), (ofReserve.BirthYear, ofReserve.BirthMonth, ofReserve.Sex));
        Assert.Equal(global::Grpc.Core.StatusCode.PermissionDenied, uncovered.StatusCode);
        var logged = await host.QueryAsync(db => db.Set<AuditEntry>().Where(a => a.IndividualId == woman && a.Action == "individual.statistics-profile-disclosed")
            .Select(a => new { a.ActorUnitId, a.CaseId }).ToListAsync());
        Assert.Equal([(Vardcentral, caseId)], logged.Select(a => (a.ActorUnitId!.Value, a.CaseId!.Value)));
    }
}
