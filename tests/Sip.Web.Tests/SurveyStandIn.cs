using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Sip.Web.Tests;

/// <summary>
/// The statistics service's SIP-kollen endpoints as far as the form needs them, with the service's problem types and
/// Swedish texts: one-time codes used up by an answer, a personal code known from an earlier answer.
/// </summary>
public sealed class SurveyStandIn
{
    public static readonly IReadOnlySet<string?> Anonymous = new HashSet<string?>
    {
        "/api/v1/statistics/survey/answers", "/api/v1/statistics/survey/codes/check", "/api/v1/statistics/survey/municipalities",
    };

    /// <summary>The personal code of an earlier answer: respect 2, participation 3, relevance unanswered, structure 4, information 5.</summary>
    public const string KnownPersonalCode = "HJKLM-NPQRS";
    public const string NewPersonalCode = "TUVWX-YZ234";

    private readonly ConcurrentDictionary<string, bool> _codes = new();

    /// <summary>A fresh one-time code, as a coordinator would be given.</summary>
    public string IssueCode()
    {
        var symbols = System.Security.Cryptography.RandomNumberGenerator.GetString("ABCDEFGHJKMNPQRSTUVWXYZ23456789", 8);
        var code = symbols[..4] + "-" + symbols[4..];
        _codes[Normalise(code)] = false;
        return code;
    }

    private static string Normalise(string code) => code.Replace("-", "").Replace(" ", "").ToUpperInvariant();

    public void Map(WebApplication app)
    {
        // Signed in (the stand-in's middleware checked the token): a code for the coordinator to hand out.
        app.MapPost("/api/v1/statistics/survey/codes", () => Results.Json(new { code = IssueCode(), validUntil = "2027-02-04" }, statusCode: 201));
        app.MapGet("/api/v1/statistics/survey/municipalities", () => Results.Json(new[]
        {
            new { code = "1490", name = "Borås", countyCode = "14", countyName = "Västra Götalands län" },
            new { code = "1481", name = "Mölndal", countyCode = "14", countyName = "Västra Götalands län" },
            new { code = "0180", name = "Stockholm", countyCode = "01", countyName = "Stockholms län" },
        }));
        app.MapPost("/api/v1/statistics/survey/codes/check", (HttpContext context) =>
            CodeProblem(Body(context)["code"]?.GetValue<string>()) ?? Results.Json(new { usable = true, validUntil = "2027-02-01" }));
        app.MapPost("/api/v1/statistics/survey/answers", (HttpContext context) =>
        {
            var body = Body(context);
            var code = body["code"]?.GetValue<string>();
            if (CodeProblem(code) is { } problem)
            {
                return problem;
            }
            var personal = body["personalCode"]?.GetValue<string>();
            if (personal is not null && Normalise(personal) != Normalise(KnownPersonalCode))
            {
                return StandInGateway.Problem(422, "survey-personal-code-unknown", "Den personliga koden känns inte igen",
                    "Det finns inget tidigare svar med den personliga koden. Kontrollera att den är rätt skriven, eller lämna fältet tomt så får du en ny kod.");
            }
            _codes[Normalise(code!)] = true;
            var declined = body["declined"]?.GetValue<bool>() == true;
            if (declined)
            {
                return Results.Json(new { declined = true, personalCode = (string?)null, round = (int?)null, comparison = (object?)null }, statusCode: 201);
            }
            if (personal is null)
            {
                return Results.Json(new { declined = false, personalCode = NewPersonalCode, round = 1, comparison = (object?)null }, statusCode: 201);
            }
            int?[] previous = [2, 3, null, 4, 5];
            string[] statements = ["respect", "participation", "relevance", "structure", "information"];
            var comparison = statements.Select((s, i) =>
            {
                var current = body[s]?.GetValue<int?>();
                return new { statement = s, previous = previous[i], current, change = previous[i] is { } p && current is { } c ? c - p : (int?)null };
            });
            return Results.Json(new { declined = false, personalCode = (string?)null, round = 2, comparison }, statusCode: 201);
        });
    }

    private static JsonNode Body(HttpContext context) => (JsonNode)context.Items["body"]!;

    private IResult? CodeProblem(string? code)
    {
        if (code is null || Normalise(code).Length != 8)
        {
            return StandInGateway.Problem(400, "survey-code-malformed", "Ogiltig kod",
                "Koden ska ha 8 tecken, bokstäver och siffror, till exempel ABCD-EFGH. Den står på lappen du fick på mötet.");
        }
        if (!_codes.TryGetValue(Normalise(code), out var used))
        {
            return StandInGateway.Problem(404, "survey-code-unknown", "Koden finns inte", "Kontrollera att koden är rätt skriven. Koden står på lappen du fick på mötet.");
        }
        return used
            ? StandInGateway.Problem(409, "survey-code-used", "Koden är redan använd", "Varje kod kan användas en gång. Om du redan har svarat behöver du inte göra något mer.")
            : null;
    }
}
