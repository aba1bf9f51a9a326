using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Sip.ServiceDefaults.Auth;
using Sip.Testing;
using static Sip.EndToEnd.Tests.Api;

namespace Sip.EndToEnd.Tests;

/// <summary>
/// The unit and staff directory as a region imports it and unit administrators keep it: the directory, not the
/// token alone, decides which units a person acts for.
/// </summary>
public sealed class DirectoryTests
{
    private static readonly Guid HemtjanstenMolndal = Platform.Unit("Hemtjänsten Mölndal");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_region_imports_its_directory_by_external_id_and_one_bad_row_saves_nothing()
    {
        using var admin = Platform.As("admin");
        var run = Guid.NewGuid().ToString("N")[..10];
        object Row(string n, string? mailbox = null) => new
        {
            name = $"Testmottagning {n}",
            principal = "Region",
            municipalityCode = "1481",
            type = "Primärvård",
            functionalMailbox = mailbox ?? $"mottagning-{n}@region-demo.example",
            externalId = $"SE2321000131-T{run}{n}",
        };

        var refused = await JsonAsync(await admin.PostAsJsonAsync("api/v1/cases/units/import",
            new[] { Row("1"), Row("2", mailbox: "inte en adress"), new { name = "", principal = "Region", externalId = (string?)null } }, Ct), HttpStatusCode.BadRequest);
        var savedAfterRefusal = await Platform.CountAsync("SELECT count(*) FROM cases.units WHERE external_id LIKE @p0", $"SE2321000131-T{run}%");
        var first = await JsonAsync(await admin.PostAsJsonAsync("api/v1/cases/units/import", new[] { Row("1"), Row("2") }, Ct), HttpStatusCode.OK);
        var again = await JsonAsync(await admin.PostAsJsonAsync("api/v1/cases/units/import", new[] { Row("1"), Row("2", mailbox: $"ny-{run}@region-demo.example"), Row("3") }, Ct), HttpStatusCode.OK);
        var units = await JsonAsync(await admin.GetAsync("api/v1/cases/units", Ct), HttpStatusCode.OK);
        var unreadable = await JsonAsync(await admin.PostAsync("api/v1/cases/units/import",
            new StringContent("""[{"name": "Utan huvudman"}]""", System.Text.Encoding.UTF8, "application/json"), Ct), HttpStatusCode.BadRequest);

        var detail = refused.GetProperty("detail").GetString()!;
        Assert.Contains("Inget har lästs in", detail);
        Assert.Contains("rad 2: Funktionsbrevlådan är inte en giltig e-postadress", detail);
        Assert.Contains("rad 3: externt id saknas", detail);
        Assert.Equal(0, savedAfterRefusal);
        Assert.Equal((2, 0, 0), (first.GetProperty("created").GetInt32(), first.GetProperty("updated").GetInt32(), first.GetProperty("unchanged").GetInt32()));
        Assert.Equal((1, 1, 1), (again.GetProperty("created").GetInt32(), again.GetProperty("updated").GetInt32(), again.GetProperty("unchanged").GetInt32()));
        var two = units.EnumerateArray().Single(u => u.GetProperty("externalId").GetString() == $"SE2321000131-T{run}2");
        Assert.Equal($"ny-{run}@region-demo.example", two.GetProperty("functionalMailbox").GetString());
        Assert.Equal("Obligatoriska fält saknas (vid $[0]): principal.", unreadable.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_unit_administrator_keeps_their_own_units_and_nothing_else()
    {
        using var ulla = Platform.As("ulla");
        var hemtjanst = new
        {
            name = "Hemtjänsten Mölndal",
            principal = "Municipality",
            municipalityCode = "1481",
            type = "Hemtjänst",
            functionalMailbox = "hemtjanst@molndal-demo.example",
            externalId = "1481-HEMTJ",
        };

        var own = await ulla.PutAsJsonAsync($"api/v1/cases/units/{HemtjanstenMolndal}", hemtjanst, Ct);
        var recoded = await JsonAsync(await ulla.PutAsJsonAsync($"api/v1/cases/units/{HemtjanstenMolndal}", hemtjanst with { municipalityCode = "1402" }, Ct), HttpStatusCode.Forbidden);
        var others = await JsonAsync(await ulla.PutAsJsonAsync($"api/v1/cases/units/{ThinSlice.VardcentralenNorrby}", hemtjanst with { name = "Kapad" }, Ct), HttpStatusCode.Forbidden);
        var create = await JsonAsync(await ulla.PutAsJsonAsync($"api/v1/cases/units/{Guid.NewGuid()}", hemtjanst, Ct), HttpStatusCode.Forbidden);
        var import = await JsonAsync(await ulla.PostAsJsonAsync("api/v1/cases/units/import", new[] { hemtjanst }, Ct), HttpStatusCode.Forbidden);
        var norrby = (await JsonAsync(await ulla.GetAsync("api/v1/cases/units", Ct), HttpStatusCode.OK)).EnumerateArray()
            .Single(u => u.GetProperty("unitId").GetGuid() == ThinSlice.VardcentralenNorrby);

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.StartsWith("Huvudman, kommunkod och externt id ändras av katalogadministratören.", recoded.GetProperty("detail").GetString());
        Assert.Equal("Du är inte enhetsadministratör för enheten.", others.GetProperty("detail").GetString());
        Assert.Equal("Vårdcentralen Norrby", norrby.GetProperty("name").GetString());
        Assert.Contains("katalogadministratör", create.GetProperty("detail").GetString());
        Assert.Contains("katalogadministratör", import.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Removing_someone_from_a_unit_in_the_directory_removes_their_access_to_its_cases_though_the_token_still_names_the_unit()
    {
        using var admin = Platform.As("admin");
        using var ulla = Platform.As("ulla");
        var subject = $"SE2321000131-T{Guid.NewGuid():N}"[..40];
        var token = new TokenRequest(subject, "Test Testsson, socialsekreterare", Platform.Tenant.Tenant,
            [ThinSlice.SocialtjanstenMolndal, HemtjanstenMolndal], [SipRoles.Staff], TimeSpan.FromMinutes(30));
        using var newcomer = Platform.As(token);
        var (caseId, _) = await ThinSlice.OpenCaseWithInitiativeAsync(await Platform.FreshMunicipalityCodeAsync());

        var beforeListed = await newcomer.GetAsync($"api/v1/cases/{caseId}", Ct);
        var tooWide = await JsonAsync(await ulla.PutAsJsonAsync("api/v1/cases/staff", new
        {
            subject,
            name = "Test Testsson",
            memberships = new[] { new { unitId = ThinSlice.SocialtjanstenMolndal, roles = new[] { "staff" } }, new { unitId = ThinSlice.VardcentralenNorrby, roles = new[] { "staff" } } },
        }, Ct), HttpStatusCode.Forbidden);
        await JsonAsync(await ulla.PutAsJsonAsync("api/v1/cases/staff", new
        {
            subject,
            name = "Test Testsson",
            title = "Socialsekreterare",
            memberships = new[] { new { unitId = ThinSlice.SocialtjanstenMolndal, roles = new[] { "staff" } }, new { unitId = HemtjanstenMolndal, roles = new[] { "staff" } } },
        }, Ct), HttpStatusCode.OK);
        var whileMember = await newcomer.GetAsync($"api/v1/cases/{caseId}", Ct);
        var inboxWhileMember = await newcomer.GetAsync($"api/v1/cases/inbox?unitId={ThinSlice.SocialtjanstenMolndal}", Ct);
        var afterRemoval = await JsonAsync(await ulla.PutAsJsonAsync("api/v1/cases/staff", new
        {
            subject,
            name = "Test Testsson",
            memberships = new[] { new { unitId = HemtjanstenMolndal, roles = new[] { "staff" } } },
        }, Ct), HttpStatusCode.OK);
        var removed = await newcomer.GetAsync($"api/v1/cases/{caseId}", Ct);
        var inboxRemoved = await newcomer.GetAsync($"api/v1/cases/inbox?unitId={ThinSlice.SocialtjanstenMolndal}", Ct);
        var staffOfMolndal = await JsonAsync(await newcomer.GetAsync($"api/v1/cases/units/{HemtjanstenMolndal}/staff", Ct), HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.NotFound, beforeListed.StatusCode);
        Assert.Contains(ThinSlice.VardcentralenNorrby.ToString(), tooWide.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, whileMember.StatusCode);
        Assert.Equal(HttpStatusCode.OK, inboxWhileMember.StatusCode);
        Assert.Equal([HemtjanstenMolndal], afterRemoval.GetProperty("memberships").EnumerateArray().Select(m => m.GetProperty("unitId").GetGuid()));
        Assert.Equal(HttpStatusCode.NotFound, removed.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, inboxRemoved.StatusCode);
        // Both changes are in the audit log, with who made them.
        Assert.Equal(2, await Platform.CountAsync("SELECT count(*) FROM cases.audit_entries WHERE action = 'directory.staff-changed' AND actor = @p0 AND purpose = @p1",
            Platform.Tenant.Staff.Single(s => s.User == "ulla").Subject, $"Personalkatalog: {subject}"));
        Assert.Contains(staffOfMolndal.EnumerateArray(), s => s.GetProperty("subject").GetString() == subject && s.GetProperty("name").GetString() == "Test Testsson");

        // A directory administrator's change keeps what a unit administrator may not touch out of their hands.
        await JsonAsync(await admin.PutAsJsonAsync("api/v1/cases/staff", new
        {
            subject,
            name = "Test Testsson",
            memberships = new[] { new { unitId = ThinSlice.VardcentralenNorrby, roles = new[] { "staff" } }, new { unitId = HemtjanstenMolndal, roles = new[] { "staff" } } },
        }, Ct), HttpStatusCode.OK);
        var emptied = await JsonAsync(await ulla.PutAsJsonAsync("api/v1/cases/staff", new { subject, name = "Test Testsson", memberships = Array.Empty<object>() }, Ct), HttpStatusCode.OK);
        Assert.Equal([ThinSlice.VardcentralenNorrby], emptied.GetProperty("memberships").EnumerateArray().Select(m => m.GetProperty("unitId").GetGuid()));
    }

    [Fact]
    public async Task Consent_records_summons_and_deliveries_follow_the_directory_and_a_removal_reaches_them_within_seconds()
    {
        using var ulla = Platform.As("ulla");
        Task<HttpResponseMessage> List(string subject, Guid[] memberships) => ulla.PutAsJsonAsync("api/v1/cases/staff", new
        {
            subject,
            name = "Test Testsson",
            memberships = memberships.Select(u => new { unitId = u, roles = new[] { "staff" } }),
        }, Ct);
        HttpClient Molndal(string subject) => Platform.As(new TokenRequest(subject, "Test Testsson, socialsekreterare", Platform.Tenant.Tenant,
            [ThinSlice.SocialtjanstenMolndal], [SipRoles.Staff], TimeSpan.FromMinutes(30)));
        var member = $"SE2321000131-M{Guid.NewGuid():N}"[..40];
        var outsider = $"SE2321000131-O{Guid.NewGuid():N}"[..40];
        await JsonAsync(await List(member, [ThinSlice.SocialtjanstenMolndal, HemtjanstenMolndal]), HttpStatusCode.OK);
        using var memberClient = Molndal(member);
        using var outsiderClient = Molndal(outsider);
        var individualId = await ThinSlice.RecordConsentAsync(Platform.NewPersonnummer(), ThinSlice.VardcentralenNorrby, ThinSlice.SocialtjanstenMolndal);
        var opened = await JsonAsync(await ThinSlice.OpenCaseAsync(individualId, await Platform.FreshMunicipalityCodeAsync(), ThinSlice.SocialtjanstenMolndal),
            HttpStatusCode.Created);
        var (caseId, reference) = (opened.GetProperty("caseId").GetGuid(), opened.GetProperty("reference").GetString()!);

        // What a member of Socialtjänsten Mölndal sees in each service that shows a unit's records.
        async Task<(HttpStatusCode Individual, bool Meetings, bool Delivery)> SeenBy(HttpClient client)
        {
            var individual = await client.GetAsync($"api/v1/consent/individuals/{individualId}", Ct);
            var meetings = await client.GetAsync($"api/v1/meetings?caseId={caseId}&unitId={ThinSlice.SocialtjanstenMolndal}", Ct);
            var deliveries = await JsonAsync(await client.GetAsync($"api/v1/notifications/deliveries?caseReference={Uri.EscapeDataString(reference)}", Ct), HttpStatusCode.OK);
            return (individual.StatusCode, meetings.StatusCode == HttpStatusCode.OK, deliveries.GetArrayLength() > 0);
        }
        await Eventually.HoldsAsync(async () => await SeenBy(memberClient) == (HttpStatusCode.OK, true, true), TimeSpan.FromSeconds(30),
            "the member sees the individual, the case's meetings and the delivery");
        var outsiderSaw = await SeenBy(outsiderClient);

        await JsonAsync(await List(member, [HemtjanstenMolndal]), HttpStatusCode.OK);
        await Eventually.HoldsAsync(async () => await SeenBy(memberClient) == (HttpStatusCode.NotFound, false, false),
            DirectoryMembership.CacheFor + TimeSpan.FromSeconds(5), "the removed member sees none of it once the services' directory cache expires");

        Assert.Equal((HttpStatusCode.NotFound, false, false), outsiderSaw);
    }
}
