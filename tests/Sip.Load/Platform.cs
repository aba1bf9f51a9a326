using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Sip.Load;

/// <summary>What the runner hands over (tests/run-load.sh): where the platform answers and the demo staff's tokens.</summary>
public sealed record Settings(Uri Gateway, Uri MailApi, string AdminConnection, string Root, string AnnaToken, string ErikToken, string StatisticianToken)
{
    public static Settings FromEnvironment() => new(
        new Uri(Env("SIP_GATEWAY_URL", "http://127.0.0.1:5080").TrimEnd('/') + "/"),
        new Uri(Env("SIP_MAIL_API", "http://127.0.0.1:1080").TrimEnd('/') + "/"),
        Env("SIP_PG_ADMIN", "Host=127.0.0.1;Port=5433;Database=sip;Username=postgres;Password=sip-dev-admin"),
        Env("SIP_ROOT", Directory.GetCurrentDirectory()),
        Env("SIP_TOKEN_ANNA", ""), Env("SIP_TOKEN_ERIK", ""), Env("SIP_TOKEN_STATISTIKER", ""));

    public static string Env(string name, string fallback) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : fallback;

    public static double Number(string name, double fallback) =>
        double.Parse(Env(name, fallback.ToString(System.Globalization.CultureInfo.InvariantCulture)), System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>The demo tenant's units that the workload uses (gateway/Sip.DevTools/demo-tenant.json).</summary>
public static class Units
{
    public static readonly Guid Norrby = Guid.Parse("0b9d6f2a-1c4e-4a51-9a0e-1f00000000a1");
    public static readonly Guid Molndal = Guid.Parse("0b9d6f2a-1c4e-4a51-9a0e-1f00000000b1");
}

/// <summary>One member of staff's client through the gateway; every call answers with its status and body, never throws on a status.</summary>
public sealed class Staff(Uri gateway, string token, TimeSpan timeout)
{
    private static readonly SocketsHttpHandler Handler = new()
    {
        MaxConnectionsPerServer = 512,
        PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        ConnectTimeout = TimeSpan.FromSeconds(5),
    };

    private readonly HttpClient http = new(Handler, disposeHandler: false) { BaseAddress = gateway, Timeout = timeout };
    private readonly AuthenticationHeaderValue authorization = new("Bearer", token);

    public async Task<Answer> SendAsync(HttpMethod method, string path, object? body = null, string? ifMatch = null, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = authorization;
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(ifMatch));
        }
        using var response = await http.SendAsync(request, ct);
        // A read that succeeded is only read through: nothing uses its body, and parsing every inbox page and summons list
        // cost the client up to 2.6 ms a request on the cores the platform runs on (docs/benchmarks.md, run AB).
        var wanted = method != HttpMethod.Get || !response.IsSuccessStatusCode;
        var json = wanted && response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true
            ? await response.Content.ReadFromJsonAsync<JsonElement>(ct)
            : default;
        if (json.ValueKind == JsonValueKind.Undefined)
        {
            await response.Content.CopyToAsync(Stream.Null, ct);
        }
        return new Answer(response.StatusCode, json, response.Headers.ETag?.ToString());
    }

    public Task<Answer> GetAsync(string path, CancellationToken ct = default) => SendAsync(HttpMethod.Get, path, ct: ct);
    public Task<Answer> PostAsync(string path, object body, CancellationToken ct = default) => SendAsync(HttpMethod.Post, path, body, ct: ct);
}

public readonly record struct Answer(HttpStatusCode Status, JsonElement Json, string? ETag)
{
    public bool Ok => (int)Status is >= 200 and < 300;
    public Guid Id(string property) => Json.GetProperty(property).GetGuid();
}

/// <summary>Test identities: valid personnummer (Luhn) for people born 1950–1999, never a real person's on purpose.</summary>
public static class Personnummer
{
    public static string New()
    {
        var birth = new DateOnly(1950, 1, 1).AddDays(Random.Shared.Next(0, 365 * 49));
        var nine = $"{birth:yyMMdd}{Random.Shared.Next(0, 1000):D3}";
        var sum = nine.Select((c, i) => (c - '0') * (i % 2 == 0 ? 2 : 1)).Sum(d => d > 9 ? d - 9 : d);
        return $"{birth:yyyyMMdd}-{nine[6..]}{(10 - (sum % 10)) % 10}";
    }
}
