using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Sip.Testing;
using static Sip.EndToEnd.Tests.Api;

namespace Sip.EndToEnd.Tests;

/// <summary>
/// No personal data in the logs: the main flows run through the gateway with an identity number and names that occur
/// nowhere else — also in requests the services refuse — and then every line every deployable has logged is read.
/// None may hold those names or that number in any of its spellings, nor any valid personnummer at all (the rest of
/// the suite's people included).
/// </summary>
public sealed partial class LogScanTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly Guid Norrby = ThinSlice.VardcentralenNorrby;
    private static readonly Guid Molndal = ThinSlice.SocialtjanstenMolndal;

    [Fact]
    public async Task After_the_main_flows_and_refused_requests_no_log_line_holds_an_identity_number_or_a_name()
    {
        var personnummer = Platform.NewPersonnummer();
        var marker = Guid.NewGuid().ToString("N")[..8];
        string[] names = [$"Loggfri{marker} Personsson", $"Vårdnadshavare{marker} Ek", $"Syster{marker} Berg"];
        using var anna = Platform.As("anna");
        using var erik = Platform.As("erik");

        // The person, a representative and contact details: identity number and names into consent.
        var individual = await ThinSlice.RecordConsentAsync(personnummer, Norrby, Molndal);
        await JsonAsync(await anna.PostAsJsonAsync($"api/v1/consent/individuals/{individual}/representatives",
            new { kind = "Relative", name = names[1], unitId = Norrby, relation = "Mamma" }, Ct), HttpStatusCode.Created);
        Assert.True((await anna.PutAsJsonAsync($"api/v1/consent/individuals/{individual}/contact",
            new { unitId = Norrby, contact = new { name = names[0], phone = "070-123 45 67", address = $"{names[2]}s väg 1" } }, Ct)).IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anna.PostAsJsonAsync("api/v1/consent/individuals/search",
            new { identifier = personnummer, unitId = Norrby }, Ct)).StatusCode);

        // Refused requests carrying the same data: a bad number, an unknown field, a NUL, a unit the user is not in.
        var wrongCheckDigit = personnummer[..^1] + (char)('0' + ((personnummer[^1] - '0' + 1) % 10));
        Assert.Equal(HttpStatusCode.BadRequest, (await anna.PostAsJsonAsync("api/v1/consent/individuals",
            new { identifier = wrongCheckDigit, unitId = Norrby }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await anna.PostAsJsonAsync("api/v1/consent/individuals",
            new { identifier = personnummer, unitId = Norrby, name = names[0] }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await anna.PostAsJsonAsync($"api/v1/consent/individuals/{individual}/representatives",
            new { kind = "Relative", name = names[1] + "\u0000", unitId = Norrby }, Ct)).StatusCode);
        Assert.True((await erik.PostAsJsonAsync("api/v1/consent/individuals/search",
            new { identifier = personnummer, unitId = Norrby }, Ct)).StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound);

        // A case, an initiative answered, messages and a plan whose free text names the person.
        var opened = await JsonAsync(await ThinSlice.OpenCaseAsync(individual, "1481", Molndal), HttpStatusCode.Created);
        var caseId = opened.GetProperty("caseId").GetGuid();
        await JsonAsync(await anna.PostAsJsonAsync($"api/v1/cases/{caseId}/messages",
            new { unitId = Norrby, text = $"{names[0]} ({personnummer}) vill ha mötet på tisdag.", requiresAcknowledgement = true }, Ct), HttpStatusCode.Created);
        var plan = PlanLifeTests.Content(Guid.NewGuid(), Guid.NewGuid(), $"{names[2]} stöttar, ring {personnummer}");
        await JsonAsync(await anna.PostAsJsonAsync($"api/v1/cases/{caseId}/plans",
            new { unitId = Norrby, meetingAt = DateTimeOffset.UtcNow.AddHours(-1), content = plan }, Ct), HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.BadRequest, (await anna.PostAsJsonAsync($"api/v1/cases/{caseId}/messages",
            new { unitId = Norrby, text = names[0], extra = personnummer }, Ct)).StatusCode);

        // Let the consumers handle what this published (notification, statistics, meeting-scheduling log as they go).
        await Task.Delay(TimeSpan.FromSeconds(3), Ct);

        // Every deployable's log, the runner's, and PostgreSQL's own (its errors quote the values they refuse).
        var status = await Platform.SipAsync("status");
        var databaseFiles = status.Split('\n').Single(l => l.StartsWith("database files", StringComparison.Ordinal))["database files".Length..].Trim();
        string[] logs = [.. Directory.GetFiles(Path.Combine(Platform.Root, ".sip", "logs"), "*.log"), Path.Combine(databaseFiles, "server.log")];
        Assert.True(File.Exists(logs[^1]), $"PostgreSQL's log is not at {logs[^1]}");
        var digits = personnummer.Replace("-", "", StringComparison.Ordinal);
        string[] forbidden = [.. names, .. names.Select(n => n.Split(' ')[0]), personnummer, digits, digits[2..], personnummer[2..]];
        var found = new List<string>();
        var lines = 0;
        foreach (var file in logs)
        {
            foreach (var line in await ReadSharedAsync(file))
            {
                lines++;
                foreach (var f in forbidden.Where(f => line.Contains(f, StringComparison.OrdinalIgnoreCase)))
                {
                    found.Add($"{Path.GetFileName(file)}: '{f}' in: {Shorten(line)}");
                }
                foreach (Match m in Platform.IdentityNumberLike().Matches(line))
                {
                    if (IsValidPersonnummer(m.Value))
                    {
                        found.Add($"{Path.GetFileName(file)}: a valid personnummer-like {m.Value} in: {Shorten(line)}");
                    }
                }
            }
        }
        Assert.True(lines > 100, $"only {lines} log lines read: is SIP_ROOT the running platform's checkout?");
        Assert.True(found.Count == 0, $"{found.Count} log line(s) with personal data:\n" + string.Join("\n", found.Take(20)));
    }

    /// <summary>The services keep their files open: read without locking them out.</summary>
    private static async Task<string[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return (await reader.ReadToEndAsync(Ct)).Split('\n');
    }

    private static string Shorten(string line) => line.Length > 300 ? line[..300] + "…" : line;

    /// <summary>Date part a real date (day+60 for a samordningsnummer) and the Luhn check digit right: not a timestamp or a count.</summary>
    private static bool IsValidPersonnummer(string candidate)
    {
        var digits = DigitsOnly().Replace(candidate, "");
        var ten = digits.Length == 12 ? digits[2..] : digits;
        if (ten.Length != 10)
        {
            return false;
        }
        var month = int.Parse(ten[2..4], System.Globalization.CultureInfo.InvariantCulture);
        var day = int.Parse(ten[4..6], System.Globalization.CultureInfo.InvariantCulture) % 60;
        if (month is < 1 or > 12 || day is < 1 or > 31)
        {
            return false;
        }
        var sum = ten[..9].Select((c, i) => (c - '0') * (i % 2 == 0 ? 2 : 1)).Sum(d => d > 9 ? d - 9 : d);
        return (10 - (sum % 10)) % 10 == ten[9] - '0';
    }

    [GeneratedRegex(@"\D")]
    private static partial Regex DigitsOnly();
}
