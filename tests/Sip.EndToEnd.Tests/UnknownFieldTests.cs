using System.Net;
using System.Net.Http.Json;
using static Sip.EndToEnd.Tests.Api;

namespace Sip.EndToEnd.Tests;

/// <summary>
/// An integrator's typo is a 400 naming the field on every service that takes a body, through the gateway, and nothing is
/// stored (issue 18). The case service's own tests pin the message and the nested path; here: each service applies it.
/// </summary>
public sealed class UnknownFieldTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Consent_case_and_meeting_scheduling_refuse_a_misspelt_field_and_store_nothing()
    {
        using var anna = Platform.As("anna");
        var personnummer = Platform.NewPersonnummer();

        // consent: a person registered with "unitID" beside the right "unitId" is not registered.
        var person = await JsonAsync(await anna.PostAsJsonAsync("api/v1/consent/individuals",
            new { identifier = personnummer, unitId = ThinSlice.VardcentralenNorrby, protectedIdentiy = true }, Ct), HttpStatusCode.BadRequest);
        Assert.Equal(("urn:sip:problem:unknown-field", "$.protectedIdentiy"), (person.GetProperty("type").GetString(), person.GetProperty("field").GetString()));
        var search = await anna.PostAsJsonAsync("api/v1/consent/individuals/search", new { identifier = personnummer, unitId = ThinSlice.VardcentralenNorrby }, Ct);
        Assert.Equal(HttpStatusCode.NotFound, search.StatusCode);

        var individual = await ThinSlice.RecordConsentAsync(personnummer, ThinSlice.VardcentralenNorrby, ThinSlice.SocialtjanstenMolndal);

        // case: a case opened with "urgncy" is not opened.
        var cases = await Platform.CountAsync("select count(*) from cases.cases where individual_id = @p0", individual);
        var opened = await JsonAsync(await anna.PostAsJsonAsync("api/v1/cases", new
        {
            individualId = individual, actingUnitId = ThinSlice.VardcentralenNorrby, municipalityCode = "1481", reason = "Behöver samordnat stöd.",
            urgncy = "Urgent", initiativeUnitIds = new[] { ThinSlice.SocialtjanstenMolndal },
        }, Ct), HttpStatusCode.BadRequest);
        Assert.Equal(("urn:sip:problem:unknown-field", "$.urgncy"), (opened.GetProperty("type").GetString(), opened.GetProperty("field").GetString()));
        Assert.Equal(cases, await Platform.CountAsync("select count(*) from cases.cases where individual_id = @p0", individual));

        // meeting-scheduling: a meeting booked with a misspelt place field is not booked.
        var caseId = (await JsonAsync(await ThinSlice.OpenCaseAsync(individual, "1481", ThinSlice.SocialtjanstenMolndal), HttpStatusCode.Created)).GetProperty("caseId").GetGuid();
        var booked = await JsonAsync(await anna.PostAsJsonAsync("api/v1/meetings", new
        {
            caseId, unitId = ThinSlice.VardcentralenNorrby, kind = "Planning", startsAt = DateTimeOffset.UtcNow.AddDays(3), durationMinutes = 60,
            place = new { type = "Clinic", detials = "Rum 3" }, chair = new { name = "Anna Lind" }, coordinator = new { name = "Anna Lind" },
            reason = "Planera stödet", summonedUnitIds = Array.Empty<Guid>(),
        }, Ct), HttpStatusCode.BadRequest);
        Assert.Equal(("urn:sip:problem:unknown-field", "$.place.detials"), (booked.GetProperty("type").GetString(), booked.GetProperty("field").GetString()));
        Assert.StartsWith("Okänt fält: detials", booked.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var meetings = await JsonAsync(await anna.GetAsync($"api/v1/meetings?caseId={caseId}&unitId={ThinSlice.VardcentralenNorrby}", Ct), HttpStatusCode.OK);
        Assert.Equal(0, meetings.GetArrayLength());
    }
}
