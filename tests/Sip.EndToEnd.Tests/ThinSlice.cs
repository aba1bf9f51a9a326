using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Sip.Testing;

namespace Sip.EndToEnd.Tests;

/// <summary>The thin slice as a municipality's or region's system calls it through the gateway.</summary>
public static class ThinSlice
{
    public static readonly Guid VardcentralenNorrby = Platform.Unit("Vårdcentralen Norrby");
    public static readonly Guid SocialtjanstenMolndal = Platform.Unit("Socialtjänsten Mölndal");
    public static readonly Guid SocialtjanstenPartille = Platform.Unit("Socialtjänsten Partille");
    public const string SocialtjanstenMolndalMailbox = "soc-mottagning@molndal-demo.example";

    public static async Task<Guid> RecordConsentAsync(string personnummer, params Guid[] units)
    {
        using var anna = Platform.As("anna");
        var registered = await anna.PostAsJsonAsync("api/v1/consent/individuals", new { identifier = personnummer, unitId = VardcentralenNorrby });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var individualId = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("individualId").GetGuid();
        var response = await anna.PostAsJsonAsync("api/v1/consent/consents", new
        {
            individualId,
            basis = "Individual",
            declarations = new[] { new { decision = "Consents", form = "Oral" } },
            unitIds = units,
            copyToIndividual = true,
            validUntil = DateOnly.FromDateTime(DateTime.UtcNow.AddMonths(6)),
            recordedByUnitId = VardcentralenNorrby,
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("individualId").GetGuid();
    }

    public static async Task<HttpResponseMessage> OpenCaseAsync(Guid individualId, string municipalityCode, params Guid[] initiativeTo)
    {
        using var anna = Platform.As("anna");
        return await anna.PostAsJsonAsync("api/v1/cases", new
        {
            individualId,
            actingUnitId = VardcentralenNorrby,
            municipalityCode,
            reason = "Behöver samordnade insatser från vårdcentral och socialtjänst efter utskrivning.",
            urgency = "Normal",
            initiativeUnitIds = initiativeTo,
        });
    }

    public static async Task<(Guid CaseId, string Reference)> OpenCaseWithInitiativeAsync(string municipalityCode)
    {
        var individual = await RecordConsentAsync(Platform.NewPersonnummer(), VardcentralenNorrby, SocialtjanstenMolndal);
        var response = await OpenCaseAsync(individual, municipalityCode, SocialtjanstenMolndal);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("caseId").GetGuid(), body.GetProperty("reference").GetString()!);
    }

    /// <summary>
    /// Initiatives statistics has counted for the municipality, read from its cube: the API suppresses counts below 5, and
    /// these tests count one or two. <see cref="InitiativesPublishedAsync"/> is what a statistician sees of the same cell.
    /// </summary>
    public static Task<long> InitiativesCountedAsync(string municipalityCode) =>
        Platform.CountAsync("SELECT coalesce(sum(count), 0) FROM statistics.rollups WHERE series = 'initiative' AND dimension = 'geo' AND municipality_code = @p0",
            municipalityCode);

    /// <summary>The municipality's cell of the statistician's <c>initiatives</c> table, through the gateway; null when it has none.</summary>
    public static async Task<JsonElement?> InitiativesPublishedAsync(string municipalityCode)
    {
        using var statistician = Platform.As("statistiker");
        var table = await statistician.GetFromJsonAsync<JsonElement>("api/v1/statistics/measures/initiatives?by=municipality");
        return table.GetProperty("cells").EnumerateArray().Where(c => c.GetProperty("group").GetString() == municipalityCode)
            .Select(c => (JsonElement?)c).FirstOrDefault();
    }

    public static Task CountReachesAsync(string municipalityCode, long expected, TimeSpan timeout) =>
        Eventually.HoldsAsync(async () => await InitiativesCountedAsync(municipalityCode) == expected, timeout,
            $"statistics counts {expected} initiative(s) for {municipalityCode}");

    public static Task<Mail> MailAsync(string caseReference, TimeSpan timeout) => WaitForMail(caseReference, timeout);

    private static async Task<Mail> WaitForMail(string caseReference, TimeSpan timeout)
    {
        Mail? found = null;
        await Eventually.HoldsAsync(async () =>
        {
            found = (await Platform.MailsAsync()).FirstOrDefault(m => m.Subject.Contains(caseReference, StringComparison.Ordinal));
            return found is not null;
        }, timeout, $"an e-mail about {caseReference} reaches the SMTP sink");
        return found!;
    }
}
