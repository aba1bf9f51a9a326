using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static Sip.EndToEnd.Tests.Api;

namespace Sip.EndToEnd.Tests;

/// <summary>
/// A NUL character (PostgreSQL refuses it in text) in a JSON string or a query parameter is a 400 naming where it was, on
/// every service through the gateway, and nothing is stored (issue 13); before, each of these was a 500.
/// </summary>
public sealed class NulCharacterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static void AssertRefused(JsonElement problem, string field)
    {
        Assert.Equal(("urn:sip:problem:nul-character", field), (problem.GetProperty("type").GetString(), problem.GetProperty("field").GetString()));
        Assert.Equal("Otillåtet tecken i begäran", problem.GetProperty("title").GetString());
        Assert.Contains("Inget har sparats", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_nul_in_a_case_reason_a_representative_name_or_a_plan_is_refused_naming_the_field_and_nothing_is_stored()
    {
        using var anna = Platform.As("anna");
        var individual = await ThinSlice.RecordConsentAsync(Platform.NewPersonnummer(), ThinSlice.VardcentralenNorrby, ThinSlice.SocialtjanstenMolndal);

        var cases = await Platform.CountAsync("select count(*) from cases.cases where individual_id = @p0", individual);
        AssertRefused(await JsonAsync(await anna.PostAsJsonAsync("api/v1/cases", new
        {
            individualId = individual, actingUnitId = ThinSlice.VardcentralenNorrby, municipalityCode = "1481", reason = "Behöver\u0000 stöd.",
            urgency = "Normal", initiativeUnitIds = new[] { ThinSlice.SocialtjanstenMolndal },
        }, Ct), HttpStatusCode.BadRequest), "$.reason");
        Assert.Equal(cases, await Platform.CountAsync("select count(*) from cases.cases where individual_id = @p0", individual));

        var representatives = $"api/v1/consent/individuals/{individual}/representatives";
        AssertRefused(await JsonAsync(await anna.PostAsJsonAsync(representatives,
            new { kind = "Relative", name = "Eva\u0000 Berg", unitId = ThinSlice.VardcentralenNorrby }, Ct), HttpStatusCode.BadRequest), "$.name");

        var caseId = (await JsonAsync(await ThinSlice.OpenCaseAsync(individual, "1481", ThinSlice.SocialtjanstenMolndal), HttpStatusCode.Created)).GetProperty("caseId").GetGuid();
        var plans = $"api/v1/cases/{caseId}/plans";
        await JsonAsync(await anna.PostAsJsonAsync(plans, new { unitId = ThinSlice.VardcentralenNorrby, meetingAt = DateTimeOffset.UtcNow.AddHours(-1) }, Ct), HttpStatusCode.Created);
        var read = await anna.GetAsync($"{plans}/1?unitId={ThinSlice.VardcentralenNorrby}", Ct);
        var before = await read.Content.ReadAsStringAsync(Ct);
        var refused = await PutAsync(anna, $"{plans}/1", new { unitId = ThinSlice.VardcentralenNorrby, content = new
        {
            participants = Array.Empty<object>(), fixedCareContacts = Array.Empty<string>(), longTermGoals = new[] { "Bo kvar\u0000 hemma" },
            shortTermGoals = Array.Empty<object>(), disagreements = Array.Empty<string>(),
        } },
            read.Headers.ETag!.ToString());
        AssertRefused(await JsonAsync(refused, HttpStatusCode.BadRequest), "$.content.longTermGoals[0]");
        Assert.Equal(before, await (await anna.GetAsync($"{plans}/1?unitId={ThinSlice.VardcentralenNorrby}", Ct)).Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task A_nul_in_a_query_parameter_is_refused_by_the_gateway_naming_the_parameter()
    {
        using var anna = Platform.As("anna");
        AssertRefused(await JsonAsync(await anna.GetAsync("api/v1/notifications/deliveries?caseReference=SIP-%00", Ct), HttpStatusCode.BadRequest), "caseReference");
        using var statistician = Platform.As("statistiker");
        AssertRefused(await JsonAsync(await statistician.GetAsync("api/v1/statistics/measures/initiatives?group=14%0081", Ct), HttpStatusCode.BadRequest), "group");
        // The same parameters without the NUL are answered.
        await JsonAsync(await statistician.GetAsync("api/v1/statistics/measures/initiatives?group=1481", Ct), HttpStatusCode.OK);
    }
}
