using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Sip.ServiceDefaults.Auth;

// ./sip token --user anna | --sub … --name … --tenant … --unit GUID… --role ROLE… [--hours N]
// ./sip seed  (PUTs the demo tenant's unit and staff directory through the gateway)
var command = args.FirstOrDefault() ?? "help";
var options = Options.Parse(args.Skip(1).ToArray());
var keyFile = options.One("key") ?? Path.Combine(".sip", "dev-signing-key.pem");
var tenantFile = options.One("tenant-file") ?? Path.Combine(AppContext.BaseDirectory, "demo-tenant.json");
var demo = JsonSerializer.Deserialize<DemoTenant>(File.ReadAllText(tenantFile), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

switch (command)
{
    case "key":
        DevelopmentTokens.CreateKeyFileIfMissing(keyFile);
        return 0;
    case "token":
        Console.WriteLine(DevelopmentTokens.Mint(keyFile, demo.TokenRequest(options)));
        return 0;
    case "seed":
        var gateway = new Uri(options.One("gateway") ?? "http://127.0.0.1:5080/");
        using (var http = new HttpClient { BaseAddress = gateway })
        {
            var token = DevelopmentTokens.Mint(keyFile, demo.TokenRequest(Options.Parse(["--user", "admin"])));
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            foreach (var unit in demo.Units)
            {
                // The id is in the path: the body has only the unit's fields, since the API refuses fields it does not know.
                var response = await http.PutAsJsonAsync($"api/v1/cases/units/{unit.Id}",
                    new { unit.Name, unit.Principal, unit.MunicipalityCode, unit.Type, unit.FunctionalMailbox, unit.ExternalId });
                if (!response.IsSuccessStatusCode)
                {
                    Console.Error.WriteLine($"seed: {unit.Name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    return 1;
                }
            }
            foreach (var staff in demo.Staff)
            {
                var response = await http.PutAsJsonAsync("api/v1/cases/staff", new
                {
                    staff.Subject,
                    staff.Name,
                    Memberships = staff.Units.Select(u => new { UnitId = u, staff.Roles }),
                });
                if (!response.IsSuccessStatusCode)
                {
                    Console.Error.WriteLine($"seed: staff {staff.User}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    return 1;
                }
            }
        }
        Console.WriteLine($"seeded {demo.Units.Count} units and {demo.Staff.Count} staff in tenant {demo.Tenant}");
        return 0;
    default:
        Console.Error.WriteLine("usage: Sip.DevTools key|token|seed [--user anna|erik|sara|ulla|admin|statistiker|granskare] [--sub S --name N --tenant T --unit U… --role R… --hours H]");
        return 2;
}

internal sealed record DemoUnit(Guid Id, string Name, string Principal, string? MunicipalityCode, string? Type, string? FunctionalMailbox, string? ExternalId);

internal sealed record DemoStaff(string User, string Subject, string Name, List<Guid> Units, List<string> Roles);

internal sealed record DemoTenant(string Tenant, List<DemoUnit> Units, List<DemoStaff> Staff)
{
    public TokenRequest TokenRequest(Options o)
    {
        var staff = o.One("user") is { } user
            ? Staff.SingleOrDefault(s => s.User == user) ?? throw new ArgumentException($"No demo user '{user}'. Known: {string.Join(", ", Staff.Select(s => s.User))}")
            : null;
        var units = o.Many("unit").Select(Guid.Parse).ToList();
        var roles = o.Many("role").ToList();
        return new TokenRequest(
            o.One("sub") ?? staff?.Subject ?? "SE2321000131-E000000000999",
            o.One("name") ?? staff?.Name ?? "Utvecklare",
            o.One("tenant") ?? Tenant,
            units.Count > 0 ? units : staff?.Units ?? [],
            roles.Count > 0 ? roles : staff?.Roles ?? ["staff"],
            TimeSpan.FromHours(double.Parse(o.One("hours") ?? "8", System.Globalization.CultureInfo.InvariantCulture)));
    }
}

internal sealed class Options(ILookup<string, string> values)
{
    public static Options Parse(string[] args) => new(
        Enumerable.Range(0, args.Length / 2)
            .Select(i => (Key: args[2 * i].TrimStart('-'), Value: args[(2 * i) + 1]))
            .ToLookup(p => p.Key, p => p.Value));

    public string? One(string key) => values[key].LastOrDefault();

    public IEnumerable<string> Many(string key) => values[key];
}
