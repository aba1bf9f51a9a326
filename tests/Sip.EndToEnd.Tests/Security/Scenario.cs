using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Sip.Testing;

namespace Sip.EndToEnd.Tests.Security;

/// <summary>A request ready to send, and how to show it in a failure (method, path, body).</summary>
public sealed record Call(string Method, string Url, JsonNode? Body, bool IfMatch, string? RawBody = null)
{
    public string Reproducer => $"{Method} /{Url}" + (RawBody ?? Body?.ToJsonString()) switch { null => "", var b => $"\n  body: {(b.Length > 600 ? b[..600] + $"… ({b.Length} chars)" : b)}" };
}

/// <summary>
/// A seeded case, made through the API as the cast's own systems would: a person with a consent covering the coordinator's
/// and the case staff's units, a representative, a case with an initiative still awaiting its answer, a message to
/// acknowledge, a signed plan with an activity of the case staff's unit, a planned meeting with its summons and a letter,
/// and a calendar feed. Its ids fill the requests' placeholders.
/// </summary>
public sealed partial class Scenario
{
    private static readonly JsonObject Examples = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Security", "request-examples.json")))!.AsObject();

    public required Cast Cast { get; init; }
    public required IReadOnlyDictionary<string, JsonNode> Values { get; init; }

    public Guid CaseId => Guid.Parse(Values["caseId"].GetValue<string>());

    public static async Task<Scenario> SeedAsync(Cast cast, CancellationToken ct)
    {
        var coordinatorUnit = Cast.Id(cast.CoordinatorUnit);
        var caseStaffUnit = Cast.Id(cast.CaseStaffUnit);
        using var coordinator = cast["coordinator"].Client();
        var values = new Dictionary<string, JsonNode>();
        async Task<JsonElement> Ok(Task<HttpResponseMessage> call, HttpStatusCode expected) => await (await call).JsonAsync(expected);

        var personnummer = Platform.NewPersonnummer();
        var individual = await Ok(coordinator.PostAsJsonAsync("api/v1/consent/individuals", new { identifier = personnummer, unitId = coordinatorUnit }, ct), HttpStatusCode.Created);
        var individualId = individual.GetProperty("individualId").GetGuid();
        var consent = await Ok(coordinator.PostAsJsonAsync("api/v1/consent/consents", new
        {
            individualId, basis = "Individual", declarations = new[] { new { decision = "Consents", form = "Oral" } }, unitIds = new[] { coordinatorUnit, caseStaffUnit },
            copyToIndividual = true, validUntil = DateOnly.FromDateTime(DateTime.UtcNow.AddMonths(6)), recordedByUnitId = coordinatorUnit,
        }, ct), HttpStatusCode.Created);
        var representative = await Ok(coordinator.PostAsJsonAsync($"api/v1/consent/individuals/{individualId}/representatives",
            new { kind = "Relative", name = "Eva Berg", unitId = coordinatorUnit, relation = "Syster" }, ct), HttpStatusCode.Created);
        var opened = await Ok(coordinator.PostAsJsonAsync("api/v1/cases", new
        {
            individualId, actingUnitId = coordinatorUnit, municipalityCode = "1481", reason = "Behöver samordnade insatser efter utskrivning.", urgency = "Normal",
            initiativeUnitIds = new[] { caseStaffUnit },
        }, ct), HttpStatusCode.Created);
        var caseId = opened.GetProperty("caseId").GetGuid();
        var message = await Ok(coordinator.PostAsJsonAsync($"api/v1/cases/{caseId}/messages",
            new { unitId = coordinatorUnit, text = "Vi behöver ses.", requiresAcknowledgement = true }, ct), HttpStatusCode.Created);

        var plans = $"api/v1/cases/{caseId}/plans";
        await Ok(coordinator.PostAsJsonAsync(plans, new { unitId = coordinatorUnit, meetingAt = DateTimeOffset.UtcNow.AddHours(-2) }, ct), HttpStatusCode.Created);
        var activityId = Guid.NewGuid();
        var content = PlanContent(coordinatorUnit, caseStaffUnit, activityId);
        var put = new HttpRequestMessage(HttpMethod.Put, $"{plans}/1") { Content = JsonContent.Create(new JsonObject { ["unitId"] = coordinatorUnit, ["content"] = content.DeepClone() }) };
        put.Headers.IfMatch.Add(EntityTagHeaderValue.Parse((await coordinator.GetAsync($"{plans}/1?unitId={coordinatorUnit}", ct)).Headers.ETag!.ToString()));
        await Ok(coordinator.SendAsync(put, ct), HttpStatusCode.OK);
        await Ok(coordinator.PostAsJsonAsync($"{plans}/1/sign", new { unitId = coordinatorUnit }, ct), HttpStatusCode.OK);

        var booked = await Ok(coordinator.PostAsJsonAsync("api/v1/meetings", new
        {
            caseId, unitId = coordinatorUnit, kind = "Planning", startsAt = DateTimeOffset.UtcNow.AddDays(3), durationMinutes = 60,
            place = new { type = "Clinic", details = "Rum 3" }, chair = new { name = "Anna Lind" }, coordinator = new { name = "Anna Lind", phone = "031-123 45 67" },
            reason = "Planera stödet", summonedUnitIds = new[] { caseStaffUnit },
        }, ct), HttpStatusCode.Created);
        var meeting = booked.GetProperty("meeting");
        var meetingId = meeting.GetProperty("meetingId").GetGuid();
        var letter = await Ok(coordinator.PostAsJsonAsync($"api/v1/meetings/{meetingId}/letters", new { unitId = coordinatorUnit, kind = "Individual", name = "Kim Berg" }, ct),
            HttpStatusCode.Created);
        using var unitAdmin = cast["unit-admin"].Client();
        var feed = await Ok(unitAdmin.PostAsync($"api/v1/meetings/calendar-feeds/{cast["unit-admin"].ActingUnit}", null, ct), HttpStatusCode.OK);

        var now = DateTimeOffset.UtcNow;
        values["individualId"] = individualId.ToString();
        values["personnummer"] = personnummer;
        values["consentId"] = consent.GetProperty("consentId").GetGuid().ToString();
        values["representativeId"] = representative.GetProperty("representativeId").GetGuid().ToString();
        values["caseId"] = caseId.ToString();
        values["caseReference"] = opened.GetProperty("reference").GetString()!;
        values["initiativeId"] = opened.GetProperty("initiatives")[0].GetProperty("initiativeId").GetGuid().ToString();
        values["messageId"] = message.GetProperty("messageId").GetGuid().ToString();
        values["version"] = "1";
        values["activityId"] = activityId.ToString();
        values["planContent"] = content;
        values["meetingId"] = meetingId.ToString();
        values["summonsId"] = meeting.GetProperty("summons")[0].GetProperty("summonsId").GetGuid().ToString();
        values["letterId"] = letter.GetProperty("letterId").GetGuid().ToString();
        values["secret"] = feed.GetProperty("path").GetString()!.TrimEnd('/').Split('/')[^1];
        values["coordinatorUnit"] = coordinatorUnit.ToString();
        values["caseStaffUnit"] = caseStaffUnit.ToString();
        values["directory"] = cast.Directory.DeepClone();
        values["auditFrom"] = DateTimeOffset.UtcNow.AddDays(-30).ToString("O");
        values["auditTo"] = DateTimeOffset.UtcNow.AddHours(1).ToString("O");
        values["measure"] = "sips-established";
        values["today"] = DateOnly.FromDateTime(now.UtcDateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        values["validUntil"] = DateOnly.FromDateTime(now.UtcDateTime.AddMonths(6)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        values["past"] = now.AddHours(-2).ToString("O", CultureInfo.InvariantCulture);
        values["future"] = now.AddDays(2).ToString("O", CultureInfo.InvariantCulture);
        values["later"] = now.AddDays(4).ToString("O", CultureInfo.InvariantCulture);
        return new Scenario { Cast = cast, Values = values };
    }

    public static JsonObject PlanContent(Guid coordinatorUnit, Guid caseStaffUnit, Guid activityId) => new()
    {
        ["participants"] = new JsonArray(
            new JsonObject { ["name"] = "Kim Berg", ["role"] = "Den enskilde", ["participation"] = "InPerson" },
            new JsonObject { ["name"] = "Anna Lind", ["unitId"] = coordinatorUnit, ["principal"] = "Region", ["participation"] = "InPerson" },
            new JsonObject { ["name"] = "Erik Ek", ["unitId"] = caseStaffUnit, ["principal"] = "Municipality", ["participation"] = "Video" }),
        ["fixedCareContacts"] = new JsonArray("Anna Lind"),
        ["coordinator"] = "Anna Lind",
        ["coordinatorUnitId"] = coordinatorUnit,
        ["reason"] = "Behöver samordnade insatser.",
        ["currentSituation"] = "Bor ensam.",
        ["longTermGoals"] = new JsonArray("Att bo kvar hemma"),
        ["shortTermGoals"] = new JsonArray(new JsonObject
        {
            ["id"] = Guid.NewGuid(), ["text"] = "Stabil vardag",
            ["activities"] = new JsonArray(
                new JsonObject { ["id"] = activityId, ["what"] = "Boendestöd", ["responsibleKind"] = "Unit", ["responsibleUnitId"] = caseStaffUnit, ["principal"] = "Municipality", ["timing"] = "2 gånger per vecka" },
                new JsonObject { ["id"] = Guid.NewGuid(), ["what"] = "Stödsamtal", ["responsibleKind"] = "Unit", ["responsibleUnitId"] = coordinatorUnit, ["principal"] = "Region", ["timing"] = "vid behov" },
                new JsonObject { ["id"] = Guid.NewGuid(), ["what"] = "Handla tillsammans", ["responsibleKind"] = "Relative", ["responsiblePerson"] = "Systern", ["principal"] = "Other", ["timing"] = "varje lördag" }),
        }),
        ["disagreements"] = new JsonArray(),
        ["noMeasuresByOthers"] = false,
        ["overallResponsibility"] = "Municipality",
        ["individualView"] = "Vill klara mig själv.",
        ["nextFollowUp"] = new JsonObject { ["date"] = "2027-06-15", ["convenedBy"] = "Anna Lind" },
    };

    /// <summary>The valid request of <paramref name="op"/> as <paramref name="role"/> makes it, from the examples file and this scenario's ids.</summary>
    public Call ValidCall(Operation op, Role role)
    {
        var example = Examples[op.Key]?.AsObject();
        var values = ValuesFor(role);
        var path = PathParameter().Replace(op.Path, m => Uri.EscapeDataString(Value(values, m.Groups[1].Value))).TrimStart('/');
        var query = example?["query"]?.GetValue<string>() is { } q
            ? Placeholder().Replace(q, m => Uri.EscapeDataString(Value(values, m.Groups[1].Value)))
            : string.Join('&', op.Parameters.Where(p => p.In == "query" && p.Required).Select(p => $"{p.Name}={Uri.EscapeDataString(Value(values, p.Name == "unitId" ? "unit" : p.Name))}"));
        var body = example?["body"] is { } template ? Fill(template.DeepClone(), values) : null;
        if (op.BodySchema is not null && body is null)
        {
            throw new InvalidOperationException($"{op.Key} takes a body: give an example in request-examples.json");
        }
        return new Call(op.Method, query.Length > 0 ? $"{path}?{query}" : path, body, example?["ifMatch"]?.GetValue<bool>() ?? false);
    }

    /// <summary>Sends <paramref name="call"/> as <paramref name="client"/>; If-Match is the coordinator's current ETag of the plan (or discharge record).</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpClient client, Call call, CancellationToken ct)
    {
        var request = new HttpRequestMessage(new HttpMethod(call.Method), call.Url);
        if (call.RawBody is not null)
        {
            request.Content = new StringContent(call.RawBody, System.Text.Encoding.UTF8, "application/json");
        }
        else if (call.Body is not null)
        {
            request.Content = new StringContent(call.Body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        }
        if (call.IfMatch && await CurrentETagAsync(ct) is { } etag)
        {
            request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(etag));
        }
        return await client.SendAsync(request, ct);
    }

    private async Task<string?> CurrentETagAsync(CancellationToken ct)
    {
        using var coordinator = Cast["coordinator"].Client();
        var read = await coordinator.GetAsync($"api/v1/cases/{CaseId}/plans/1?unitId={Cast["coordinator"].ActingUnit}", ct);
        return read.Headers.ETag?.ToString();
    }

    public Dictionary<string, JsonNode> ValuesFor(Role role)
    {
        var values = new Dictionary<string, JsonNode>(Values.Select(kv => KeyValuePair.Create(kv.Key, kv.Value.DeepClone())))
        {
            ["unit"] = role.ActingUnit.ToString(),
            ["unitId"] = role.ActingUnit.ToString(),
            ["unitName"] = role.OwnUnit["name"]!.DeepClone(),
            ["unitPrincipal"] = role.OwnUnit["principal"]!.DeepClone(),
            ["unitType"] = role.OwnUnit["type"]!.DeepClone(),
            ["unitMailbox"] = role.OwnUnit["functionalMailbox"]!.DeepClone(),
            ["unitExternalId"] = role.OwnUnit["externalId"]!.DeepClone(),
            ["newPersonnummer"] = Platform.NewPersonnummer(),
            ["newSubject"] = $"{Cast.Tenant}-matris-{Guid.NewGuid():N}",
        };
        return values;
    }

    private static string Value(Dictionary<string, JsonNode> values, string name) =>
        values.TryGetValue(name, out var v) ? (v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : v.ToJsonString())
        : throw new InvalidOperationException($"no value for {{{name}}}");

    private static JsonNode? Fill(JsonNode? node, Dictionary<string, JsonNode> values)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(kv => kv.Key).ToList())
                {
                    if (Fill(o[key], values) is var filled && !ReferenceEquals(filled, o[key]))
                    {
                        o[key] = filled;
                    }
                }
                return o;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    if (Fill(a[i], values) is var filled && !ReferenceEquals(filled, a[i]))
                    {
                        a[i] = filled;
                    }
                }
                return a;
            case JsonValue v when v.TryGetValue<string>(out var s):
                var whole = Placeholder().Match(s);
                if (whole.Success && whole.Length == s.Length)
                {
                    return values[whole.Groups[1].Value].DeepClone();
                }
                return JsonValue.Create(Placeholder().Replace(s, m => Value(values, m.Groups[1].Value)));
            default:
                return node;
        }
    }

    [GeneratedRegex(@"\{([A-Za-z]+)\}")]
    private static partial Regex PathParameter();

    [GeneratedRegex(@"\{\{([A-Za-z]+)\}\}")]
    private static partial Regex Placeholder();
}
