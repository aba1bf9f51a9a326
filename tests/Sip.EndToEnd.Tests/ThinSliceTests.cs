using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Sip.EndToEnd.Tests;

public sealed class ThinSliceTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task An_initiative_with_consent_reaches_every_service_and_the_units_mailbox_without_personal_data()
    {
        var personnummer = Platform.NewPersonnummer();
        var municipality = await Platform.FreshMunicipalityCodeAsync();
        var individual = await ThinSlice.RecordConsentAsync(personnummer, ThinSlice.VardcentralenNorrby, ThinSlice.SocialtjanstenMolndal);

        var opened = await ThinSlice.OpenCaseAsync(individual, municipality, ThinSlice.SocialtjanstenMolndal);

        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        var body = await opened.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var caseId = body.GetProperty("caseId").GetGuid();
        var reference = body.GetProperty("reference").GetString()!;

        var mail = await ThinSlice.MailAsync(reference, Soon);
        Assert.Equal(ThinSlice.SocialtjanstenMolndalMailbox, Assert.Single(mail.To).Address);
        Assert.Contains($"/cases/{caseId}", mail.Text);
        Assert.DoesNotContain(personnummer.Replace("-", ""), mail.Text.Replace("-", ""));
        Assert.DoesNotMatch(Platform.IdentityNumberLike(), mail.Text + mail.Subject);
        Assert.DoesNotContain("Anna", mail.Text);

        await ThinSlice.CountReachesAsync(municipality, 1, Soon);
        // A statistician sees the municipality in the table, but not its count of 1: below the threshold it is suppressed.
        var cell = await ThinSlice.InitiativesPublishedAsync(municipality);
        Assert.True(cell?.GetProperty("suppressed").GetBoolean(), "the municipality's cell is published, suppressed");
        Assert.False(cell!.Value.TryGetProperty("count", out var count) && count.ValueKind == JsonValueKind.Number, "no count shown");

        using var erik = Platform.As("erik");
        // The receiving unit takes part and is covered by the consent, so meeting-scheduling (asking case) lets it see the case's meetings.
        var meetings = await erik.GetAsync($"api/v1/meetings?caseId={caseId}&unitId={ThinSlice.SocialtjanstenMolndal}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, meetings.StatusCode);
        // The receiving unit is covered by the consent, so its staff see the case.
        Assert.Equal(HttpStatusCode.OK, (await erik.GetAsync($"api/v1/cases/{caseId}", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task Without_consent_for_the_receiving_unit_nothing_is_stored_and_nothing_is_published()
    {
        var municipality = await Platform.FreshMunicipalityCodeAsync();
        var individual = await ThinSlice.RecordConsentAsync(Platform.NewPersonnummer(), ThinSlice.VardcentralenNorrby);

        var refused = await ThinSlice.OpenCaseAsync(individual, municipality, ThinSlice.SocialtjanstenPartille);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal("urn:sip:problem:consent-missing", problem.GetProperty("type").GetString());
        Assert.Equal("Giltigt samtycke saknas", problem.GetProperty("title").GetString());

        Assert.Equal(0, await Platform.CountAsync("SELECT count(*) FROM cases.cases WHERE municipality_code = @p0", municipality));
        Assert.Equal(0, await Platform.CountAsync("SELECT count(*) FROM cases.outbox_messages WHERE body->>'municipalityCode' = @p0", municipality));
        await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
        Assert.Equal(0, await ThinSlice.InitiativesCountedAsync(municipality));
    }

    [Fact]
    public async Task A_unit_that_does_not_take_part_cannot_see_the_case()
    {
        var (caseId, _) = await ThinSlice.OpenCaseWithInitiativeAsync(await Platform.FreshMunicipalityCodeAsync());

        using var sara = Platform.As("sara");
        var response = await sara.GetAsync($"api/v1/cases/{caseId}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Requests_without_a_token_are_refused_at_the_gateway_in_Swedish()
    {
        using var anonymous = new HttpClient { BaseAddress = Platform.Gateway };

        var response = await anonymous.GetAsync("api/v1/cases/units", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.True(response.Headers.Contains("X-Correlation-Id"));
    }
}
