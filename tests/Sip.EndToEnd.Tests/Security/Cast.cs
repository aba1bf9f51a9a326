using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Sip.ServiceDefaults.Auth;

namespace Sip.EndToEnd.Tests.Security;

/// <summary>
/// One caller of the API: a token (or none) and the unit it acts for. <see cref="OwnUnit"/> is that unit as the directory
/// holds it, so an administrator's PUT of it changes nothing.
/// </summary>
public sealed record Role(string Name, string? Token, Guid ActingUnit, JsonObject OwnUnit)
{
    public HttpClient Client()
    {
        var http = new HttpClient { BaseAddress = Platform.Gateway, Timeout = TimeSpan.FromSeconds(30) };
        if (Token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        }
        return http;
    }
}

/// <summary>
/// Everyone the authorization matrix calls as, in one tenant. The order is the matrix's: roles that must be refused come
/// first, so that an unsafe request they wrongly got through would show before the roles entitled to change the state.
/// </summary>
public sealed class Cast
{
    public static readonly string[] RoleNames =
        ["anonymous", "other-tenant", "auditor", "statistician", "directory-admin", "unit-admin", "outside-staff", "case-staff", "coordinator"];

    private static string KeyFile => Path.Combine(Platform.Root, ".sip", "dev-signing-key.pem");

    public required string Tenant { get; init; }
    /// <summary>The coordinator's unit: opens the case and writes the plan.</summary>
    public required JsonObject CoordinatorUnit { get; init; }
    /// <summary>The unit the initiative goes to; the consent covers it.</summary>
    public required JsonObject CaseStaffUnit { get; init; }
    /// <summary>A unit of the same tenant that takes no part in the case.</summary>
    public required JsonObject OutsideUnit { get; init; }
    public required IReadOnlyDictionary<string, Role> Roles { get; init; }
    /// <summary>The whole directory of units, as an import body that changes nothing.</summary>
    public required JsonArray Directory { get; init; }

    public Role this[string role] => Roles[role];

    public static Guid Id(JsonObject unit) => unit["id"]!.GetValue<Guid>();

    public static string Mint(string subject, string name, string tenant, IReadOnlyList<Guid> units, IReadOnlyList<string> roles) =>
        DevelopmentTokens.Mint(KeyFile, new TokenRequest(subject, name, tenant, [.. units], [.. roles], TimeSpan.FromHours(1)));

    /// <summary>The demo tenant's own people (<c>gateway/Sip.DevTools/demo-tenant.json</c>) plus an auditor and a stranger from another tenant.</summary>
    public static Cast Demo()
    {
        var demo = JsonNode.Parse(File.ReadAllText(Path.Combine(Platform.Root, "gateway", "Sip.DevTools", "demo-tenant.json")))!;
        var units = demo["units"]!.AsArray().Select(u => u!.AsObject()).ToList();
        JsonObject Unit(string prefix) => units.Single(u => u["name"]!.GetValue<string>().StartsWith(prefix, StringComparison.Ordinal));
        var (norrby, molndal, partille) = (Unit("Vårdcentralen Norrby"), Unit("Socialtjänsten Mölndal"), Unit("Socialtjänsten Partille"));
        var tenant = Platform.Tenant.Tenant;
        string Staff(string user)
        {
            var s = Platform.Tenant.Staff.Single(x => x.User == user);
            return Mint(s.Subject, s.Name, tenant, s.Units, s.Roles);
        }
        var roles = new Dictionary<string, Role>
        {
            ["anonymous"] = new("anonymous", null, Id(norrby), norrby),
            // The strongest stranger: same subject and unit ids as the coordinator, every role, but another tenant.
            ["other-tenant"] = new("other-tenant", Mint(Platform.Tenant.Staff.Single(s => s.User == "anna").Subject, "Annan region", "annan-region",
                [Id(norrby), Id(molndal)], ["staff", "unit-administrator", "directory-administrator", "statistician", "auditor"]), Id(norrby), norrby),
            ["auditor"] = new("auditor", Mint("SE2321000131-E000000000992", "Granskare", tenant, [], ["auditor"]), Id(norrby), norrby),
            ["statistician"] = new("statistician", Staff("statistiker"), Id(norrby), norrby),
            ["directory-admin"] = new("directory-admin", Staff("admin"), Id(norrby), norrby),
            // Ulla administers Mölndal, a unit in the case, but is not its staff: administering a unit gives no access to its cases.
            ["unit-admin"] = new("unit-admin", Staff("ulla"), Id(molndal), molndal),
            ["outside-staff"] = new("outside-staff", Staff("sara"), Id(partille), partille),
            ["case-staff"] = new("case-staff", Staff("erik"), Id(molndal), molndal),
            ["coordinator"] = new("coordinator", Staff("anna"), Id(norrby), norrby),
        };
        return new Cast
        {
            Tenant = tenant, CoordinatorUnit = norrby, CaseStaffUnit = molndal, OutsideUnit = partille, Roles = roles,
            Directory = new JsonArray([.. units.Select(u => (JsonNode)WithoutId(u))]),
        };
    }

    /// <summary>
    /// A tenant of its own, made through the API by its directory administrator: three units, a coordinator, a colleague in
    /// the case, a unit administrator and one outsider. Its rate limit and its rows are nobody else's.
    /// </summary>
    public static async Task<Cast> NewTenantAsync(string tenant, CancellationToken ct)
    {
        JsonObject NewUnit(string name, string principal, string mailbox) => new()
        {
            ["id"] = Guid.NewGuid(), ["name"] = name, ["principal"] = principal, ["municipalityCode"] = "1481", ["type"] = "Socialtjänst",
            ["functionalMailbox"] = mailbox, ["externalId"] = $"{tenant}-{mailbox}",
        };
        var (a, b, c) = (NewUnit("Vårdcentralen Prov", "Region", "vc@prov.example"), NewUnit("Socialtjänsten Prov", "Municipality", "soc@prov.example"),
            NewUnit("Skolan Prov", "Municipality", "skola@prov.example"));
        var admin = new Role("directory-admin", Mint($"{tenant}-admin", "Katalogadministratör", tenant, [], ["directory-administrator"]), Id(a), a);
        using (var http = admin.Client())
        {
            foreach (var unit in new[] { a, b, c })
            {
                var put = await http.PutAsJsonAsync($"api/v1/cases/units/{Id(unit)}", WithoutId(unit), ct);
                Assert.True(put.StatusCode == HttpStatusCode.OK, $"creating a unit in {tenant}: {(int)put.StatusCode} {await put.Content.ReadAsStringAsync(ct)}");
            }
            async Task Member(string subject, string name, Guid unit, string role)
            {
                var put = await http.PutAsJsonAsync("api/v1/cases/staff", new { subject, name, memberships = new[] { new { unitId = unit, roles = new[] { role } } } }, ct);
                Assert.True(put.StatusCode == HttpStatusCode.OK, $"adding staff in {tenant}: {(int)put.StatusCode} {await put.Content.ReadAsStringAsync(ct)}");
            }
            await Member($"{tenant}-coordinator", "Anna Prov", Id(a), "staff");
            await Member($"{tenant}-case-staff", "Erik Prov", Id(b), "staff");
            await Member($"{tenant}-outside", "Sara Prov", Id(c), "staff");
            await Member($"{tenant}-unit-admin", "Ulla Prov", Id(b), "unit-administrator");
        }
        var roles = new Dictionary<string, Role>
        {
            ["anonymous"] = new("anonymous", null, Id(a), a),
            ["other-tenant"] = new("other-tenant", Mint($"{tenant}-coordinator", "Annan region", tenant + "-other", [Id(a), Id(b)],
                ["staff", "unit-administrator", "directory-administrator", "statistician", "auditor"]), Id(a), a),
            ["auditor"] = new("auditor", Mint($"{tenant}-auditor", "Granskare", tenant, [], ["auditor"]), Id(a), a),
            ["statistician"] = new("statistician", Mint($"{tenant}-statistician", "Statistiker", tenant, [], ["statistician"]), Id(a), a),
            ["directory-admin"] = admin,
            ["unit-admin"] = new("unit-admin", Mint($"{tenant}-unit-admin", "Ulla Prov", tenant, [Id(b)], ["unit-administrator"]), Id(b), b),
            ["outside-staff"] = new("outside-staff", Mint($"{tenant}-outside", "Sara Prov", tenant, [Id(c)], ["staff"]), Id(c), c),
            ["case-staff"] = new("case-staff", Mint($"{tenant}-case-staff", "Erik Prov", tenant, [Id(b)], ["staff"]), Id(b), b),
            ["coordinator"] = new("coordinator", Mint($"{tenant}-coordinator", "Anna Prov", tenant, [Id(a)], ["staff"]), Id(a), a),
        };
        return new Cast
        {
            Tenant = tenant, CoordinatorUnit = a, CaseStaffUnit = b, OutsideUnit = c, Roles = roles,
            Directory = new JsonArray(WithoutId(a), WithoutId(b), WithoutId(c)),
        };
    }

    private static JsonObject WithoutId(JsonObject unit)
    {
        var copy = unit.DeepClone().AsObject();
        copy.Remove("id");
        return copy;
    }
}
