using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Sip.Testing;

namespace Sip.EndToEnd.Tests;

/// <summary>
/// The audit review through the gateway against the running platform: a staff member reads a case (logged by the case
/// service) and its meetings (logged by meeting scheduling), and the auditor finds those accesses by the individual's
/// identity number and by the user, merged with consent's own log; a staff member asking gets 403.
/// </summary>
public sealed class AuditReviewTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_auditor_finds_a_staff_members_read_of_a_case_by_the_individual_and_by_the_user_and_staff_may_not_look()
    {
        var number = Platform.NewPersonnummer();
        var individual = await ThinSlice.RecordConsentAsync(number, ThinSlice.VardcentralenNorrby, ThinSlice.SocialtjanstenMolndal);
        var opened = await ThinSlice.OpenCaseAsync(individual, await Platform.FreshMunicipalityCodeAsync(), ThinSlice.SocialtjanstenMolndal);
        var caseId = (await opened.JsonAsync(HttpStatusCode.Created)).GetProperty("caseId").GetGuid();
        using var anna = Platform.As("anna");
        (await anna.GetAsync($"api/v1/cases/{caseId}", Ct)).EnsureSuccessStatusCode();
        (await anna.GetAsync($"api/v1/meetings?caseId={caseId}&unitId={ThinSlice.VardcentralenNorrby}", Ct)).EnsureSuccessStatusCode();
        var anneSubject = Platform.Tenant.Staff.Single(s => s.User == "anna").Subject;
        var period = new { from = DateTimeOffset.UtcNow.AddHours(-1), to = DateTimeOffset.UtcNow.AddHours(1) };
        using var auditor = Platform.As("granskare");

        var byIndividual = await (await auditor.PostAsJsonAsync("api/v1/audit/accesses/search",
            new { individual = new { personalIdentityNumber = number }, period.from, period.to }, Ct)).JsonAsync(HttpStatusCode.OK);
        var byUser = await (await auditor.PostAsJsonAsync("api/v1/audit/accesses/search",
            new { actor = anneSubject, period.from, period.to, limit = 500 }, Ct)).JsonAsync(HttpStatusCode.OK);

        var rows = byIndividual.GetProperty("rows").EnumerateArray().ToList();
        var read = Assert.Single(rows, r => r.GetProperty("action").GetString() == "case.read");
        Assert.Equal("case", read.GetProperty("service").GetString());
        Assert.Equal(anneSubject, read.GetProperty("actor").GetString());
        Assert.Equal(caseId, read.GetProperty("caseId").GetGuid());
        Assert.Equal(ThinSlice.VardcentralenNorrby, read.GetProperty("actorUnit").GetProperty("id").GetGuid());
        Assert.StartsWith("Vårdcentralen Norrby", read.GetProperty("actorUnit").GetProperty("name").GetString());
        Assert.Contains(rows, r => r.GetProperty("service").GetString() == "consent" && r.GetProperty("action").GetString() == "consent.recorded");
        var meetings = Assert.Single(rows, r => r.GetProperty("action").GetString() == "meeting.listed");
        Assert.Equal("meeting-scheduling", meetings.GetProperty("service").GetString());
        Assert.Equal(caseId, meetings.GetProperty("caseId").GetGuid());
        Assert.Contains(byUser.GetProperty("rows").EnumerateArray(),
            r => r.GetProperty("action").GetString() == "case.read" && r.GetProperty("caseId").GetGuid() == caseId);
        Assert.DoesNotContain(number, byIndividual.GetRawText());

        // The extract as the document the individual is handed, through the gateway.
        using var pdfRequest = new HttpRequestMessage(HttpMethod.Post, "api/v1/audit/extract")
        {
            Content = JsonContent.Create(new { individual = new { personalIdentityNumber = number }, period.from, period.to }),
        };
        pdfRequest.Headers.Accept.ParseAdd("application/pdf");
        using var pdf = await auditor.SendAsync(pdfRequest, Ct);
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString((await pdf.Content.ReadAsByteArrayAsync(Ct))[..4]));

        var refused = await anna.PostAsJsonAsync("api/v1/audit/accesses/search", new { individual = new { individualId = individual }, period.from, period.to }, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }
}
