using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Npgsql;
using Sip.ServiceDefaults.Auth;

namespace Sip.EndToEnd.Tests;

/// <summary>The running platform: its gateway, the runner, the mail sink and (for checking what was stored) its database.</summary>
public static partial class Platform
{
    public static readonly string Root = Environment.GetEnvironmentVariable("SIP_ROOT") ?? FindRoot();
    public static readonly Uri Gateway = new((Environment.GetEnvironmentVariable("SIP_GATEWAY_URL") ?? "http://127.0.0.1:5080").TrimEnd('/') + "/");
    public static readonly Uri MailApi = new((Environment.GetEnvironmentVariable("SIP_MAIL_API") ?? "http://127.0.0.1:1080").TrimEnd('/') + "/");
    public static readonly string AdminConnection = Environment.GetEnvironmentVariable("SIP_PG_ADMIN")
        ?? "Host=127.0.0.1;Port=5433;Database=sip;Username=postgres;Password=sip-dev-admin";
    public static readonly Demo Tenant = JsonSerializer.Deserialize<Demo>(
        File.ReadAllText(Path.Combine(Root, "gateway", "Sip.DevTools", "demo-tenant.json")), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

    public static Guid Unit(string namePrefix) => Tenant.Units.Single(u => u.Name.StartsWith(namePrefix, StringComparison.Ordinal)).Id;

    public static HttpClient As(string user)
    {
        var staff = Tenant.Staff.Single(s => s.User == user);
        return As(new TokenRequest(staff.Subject, staff.Name, Tenant.Tenant, staff.Units, staff.Roles, TimeSpan.FromMinutes(30)));
    }

    /// <summary>A client with a token of its own making (someone the demo tenant does not have).</summary>
    public static HttpClient As(TokenRequest request)
    {
        var token = DevelopmentTokens.Mint(Path.Combine(Root, ".sip", "dev-signing-key.pem"), request);
        var http = new HttpClient { BaseAddress = Gateway, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    /// <summary>Runs <c>./sip ARGS</c> and fails the test if it fails.</summary>
    /// <summary>Runs the runner (<c>./sip …</c>) and returns what it printed on stdout; fails the test if it fails.</summary>
    public static async Task<string> SipAsync(params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(Root, "sip")) { WorkingDirectory = Root, RedirectStandardError = true, RedirectStandardOutput = true };
        args.ToList().ForEach(start.ArgumentList.Add);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"./sip {string.Join(' ', args)} failed: {await stderr}");
        return stdout;
    }

    public static async Task<long> CountAsync(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(AdminConnection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        for (var i = 0; i < parameters.Length; i++)
        {
            command.Parameters.AddWithValue($"p{i}", parameters[i]);
        }
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static async Task<IReadOnlyList<Mail>> MailsAsync()
    {
        using var http = new HttpClient { BaseAddress = MailApi };
        return await http.GetFromJsonAsync<List<Mail>>("email") ?? [];
    }

    /// <summary>A municipality code no other test uses, so its statistics start at zero.</summary>
    private static readonly HashSet<string> IssuedCodes = [];

    /// <summary>
    /// A municipality code no case and no count has used yet, in this run or an earlier one against the same
    /// database, so its statistics start at zero.
    /// </summary>
    public static async Task<string> FreshMunicipalityCodeAsync()
    {
        while (true)
        {
            var code = "9" + Random.Shared.Next(0, 1000).ToString("D3", System.Globalization.CultureInfo.InvariantCulture);
            lock (IssuedCodes)
            {
                if (!IssuedCodes.Add(code))
                {
                    continue;
                }
            }
            if (await CountAsync("SELECT (SELECT count(*) FROM statistics.rollups WHERE dimension = 'geo' AND municipality_code = @p0)"
                + " + (SELECT count(*) FROM cases.cases WHERE municipality_code = @p0)", code) == 0)
            {
                return code;
            }
        }
    }

    /// <summary>A valid personnummer (Luhn) for a person born in 1950–1999.</summary>
    public static string NewPersonnummer()
    {
        var birth = new DateOnly(1950, 1, 1).AddDays(Random.Shared.Next(0, 365 * 49));
        var nine = $"{birth:yyMMdd}{Random.Shared.Next(0, 1000):D3}";
        var sum = nine.Select((c, i) => (c - '0') * (i % 2 == 0 ? 2 : 1)).Sum(d => d > 9 ? d - 9 : d);
        return $"{birth:yyyyMMdd}-{nine[6..]}{(10 - (sum % 10)) % 10}";
    }

    // 10 or 12 digits with an optional '-' or '+' before the last four, not inside a GUID (hex groups joined by '-'):
    // an id such as 63001031-5356-4747-… is not a personnummer, though its first groups can pass the Luhn check.
    [GeneratedRegex(@"(?<![0-9A-Fa-f-])(\d{6}|\d{8})[-+]?\d{4}(?![0-9A-Fa-f]|-[0-9A-Fa-f])")]
    public static partial Regex IdentityNumberLike();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "sip-platform.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root; set SIP_ROOT.");
    }
}

public sealed record Demo(string Tenant, List<DemoUnit> Units, List<DemoStaff> Staff);
public sealed record DemoUnit(Guid Id, string Name);
public sealed record DemoStaff(string User, string Subject, string Name, List<Guid> Units, List<string> Roles);
public sealed record Mail(string Id, string Subject, string Text, List<MailAddress> To, List<MailAttachment>? Attachments = null);
public sealed record MailAttachment(string ContentType, string GeneratedFileName);
public sealed record MailAddress(string Address);
