using System.Collections.Concurrent;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Sip.ServiceDefaults.Auth;

namespace Sip.Web.Tests;

/// <summary>One call the app made to the gateway.</summary>
public sealed record RecordedCall(string Method, string Path, string Query, string? Authorization, JsonNode? Body);

/// <summary>
/// The gateway and the services behind it, as far as the app's pages need them: canned answers in the services' own
/// JSON shapes, the services' rules for a summons answer (same problem types and Swedish texts), bearer tokens checked
/// against the development key as the services check them, and every call recorded.
/// </summary>
public sealed class StandInGateway : IAsyncDisposable
{
    private const string ProblemJson = "application/problem+json";
    private readonly WebApplication _app;
    private readonly SecurityKey _key;
    private readonly ConcurrentDictionary<Guid, Meeting> _meetings = new();
    private readonly ConcurrentDictionary<Guid, string> _targetGroups = new();
    private readonly ConcurrentDictionary<Guid, object> _closures = new();

    public ConcurrentQueue<RecordedCall> Calls { get; } = new();

    public SurveyStandIn Survey { get; } = new();

    public string BaseUrl { get; private set; } = "";

    private StandInGateway(string keyFile)
    {
        _key = DevelopmentTokens.LoadPublicKey(keyFile);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        foreach (var meeting in Demo.Meetings())
        {
            _meetings[meeting.Id] = meeting;
        }
        Map(_app);
    }

    public static async Task<StandInGateway> StartAsync(string keyFile)
    {
        var gateway = new StandInGateway(keyFile);
        await gateway._app.StartAsync();
        gateway.BaseUrl = gateway._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return gateway;
    }

    public IReadOnlyList<RecordedCall> CallsTo(string pathPrefix, string method = "POST") =>
        Calls.Where(c => c.Method == method && c.Path.StartsWith(pathPrefix, StringComparison.Ordinal)).ToList();

    /// <summary>The claims of a token the stand-in accepted (signature, issuer and audience as the services check them).</summary>
    public async Task<ClaimsIdentity?> ValidateAsync(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return null;
        }
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(authorization["Bearer ".Length..], new TokenValidationParameters
        {
            ValidIssuer = DevelopmentTokens.DefaultIssuer,
            ValidAudience = SipClaims.DefaultAudience,
            IssuerSigningKey = _key,
        });
        return result.IsValid ? result.ClaimsIdentity : null;
    }

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            JsonNode? body = null;
            if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
            {
                body = await JsonNode.ParseAsync(context.Request.Body);
                context.Items["body"] = body;
            }
            Calls.Enqueue(new RecordedCall(context.Request.Method, context.Request.Path, context.Request.QueryString.Value ?? "",
                context.Request.Headers.Authorization.ToString() is { Length: > 0 } a ? a : null, body));
            // As the real gateway: SIP-kollen's answer, code check and municipality list need no token.
            if (SurveyStandIn.Anonymous.Contains(context.Request.Path.Value))
            {
                await next();
                return;
            }
            var identity = await ValidateAsync(context.Request.Headers.Authorization.ToString());
            if (identity is null)
            {
                await Problem(401, "unauthenticated", "Inloggning krävs").ExecuteAsync(context);
                return;
            }
            context.User = new ClaimsPrincipal(identity);
            await next();
        });

        Survey.Map(app);
        app.MapGet("/api/v1/cases/units", () => Results.Json(Demo.Units.Select(u => new { unitId = u.Id, name = u.Name, principal = "Region", type = (string?)null })));
        app.MapGet("/api/v1/cases/inbox", (Guid unitId, int? page, int? pageSize, HttpContext context) =>
            Member(context, unitId) ?? Results.Json(Demo.Inbox(unitId, page ?? 1, pageSize ?? 100)));
        app.MapGet("/api/v1/meetings/summons", (Guid unitId, HttpContext context) =>
            Member(context, unitId) ?? Results.Json(Demo.Summons(unitId)));
        app.MapGet("/api/v1/cases/{caseId:guid}", (Guid caseId) =>
            Demo.Case(caseId, _targetGroups.GetValueOrDefault(caseId, "NotStated"), _closures.GetValueOrDefault(caseId)) is { } c
                ? Results.Json(c)
                : Problem(404, "not-found", "Hittades inte"));
        // A locked plan for the cases the goal evaluation tests close; the other demo cases have none (404, as before this was mapped).
        app.MapGet("/api/v1/cases/{caseId:guid}/plans", (Guid caseId, Guid unitId, HttpContext context) =>
            Member(context, unitId) ?? (Demo.HasLockedPlan(caseId) ? Results.Json(Demo.PlanVersions()) : Results.NotFound()));
        app.MapGet("/api/v1/cases/{caseId:guid}/plans/1", (Guid caseId, Guid unitId, HttpContext context) =>
        {
            if (Member(context, unitId) is { } forbidden)
            {
                return forbidden;
            }
            context.Response.Headers.ETag = "\"4\"";
            return Demo.HasLockedPlan(caseId) ? Results.Json(Demo.LockedPlan()) : Results.NotFound();
        });
        // As the case service: each judged goal must be one of the plan's, once; the closure keeps them in the plan's order.
        app.MapPost("/api/v1/cases/{caseId:guid}/close", (Guid caseId, HttpContext context) =>
        {
            var body = (JsonNode)context.Items["body"]!;
            if (Member(context, body["unitId"]!.GetValue<Guid>()) is { } forbidden)
            {
                return forbidden;
            }
            if (!Demo.HasLockedPlan(caseId) || _closures.ContainsKey(caseId))
            {
                return Problem(409, "case-closed", "Ärendet är avslutat");
            }
            var judged = (body["goalEvaluations"]?.AsArray() ?? []).Select(g => (Id: g!["goalId"]!.GetValue<Guid>(), Met: g["met"]!.GetValue<bool>())).ToList();
            if (judged.Any(j => Demo.Goals.All(g => g.Id != j.Id)) || judged.DistinctBy(j => j.Id).Count() != judged.Count)
            {
                return Problem(400, "unknown-goal", "Okänt mål");
            }
            var closure = new
            {
                withEvaluationMeeting = body["withEvaluationMeeting"]!.GetValue<bool>(),
                decidedBy = body["decidedBy"]!.AsArray().Select(d => d!.GetValue<string>()).ToList(),
                comment = body["comment"]!.GetValue<string>(),
                recordedBy = Demo.AnnaSubject,
                at = DateTimeOffset.UtcNow,
                goalEvaluations = Demo.Goals.Where(g => judged.Any(j => j.Id == g.Id))
                    .Select(g => new { goalId = g.Id, goal = g.Text, met = judged.Single(j => j.Id == g.Id).Met }).ToList(),
            };
            _closures[caseId] = closure;
            return Results.Json(Demo.Case(caseId, _targetGroups.GetValueOrDefault(caseId, "NotStated"), closure));
        });
        // Opening a case: the request is recorded (the test reads it); the answer is a demo case.
        app.MapPost("/api/v1/cases", () => Results.Json(Demo.Case(Demo.Case4), statusCode: 201));
        // As the case service: one of the six names or NotStated, else its Swedish problem.
        app.MapPut("/api/v1/cases/{caseId:guid}/target-group", (Guid caseId, HttpContext context) =>
        {
            var body = (JsonNode)context.Items["body"]!;
            if (Member(context, body["unitId"]!.GetValue<Guid>()) is { } forbidden)
            {
                return forbidden;
            }
            var group = body["targetGroup"]?.GetValue<string>() ?? "NotStated";
            if (group is not ("NotStated" or "ChildrenYoung" or "Adults" or "Elderly65" or "PsychiatryAddiction" or "Dementia" or "MultimorbidElderly"))
            {
                return Problem(400, "invalid-target-group", "Okänd målgrupp");
            }
            _targetGroups[caseId] = group;
            return Demo.Case(caseId, group) is { } c ? Results.Json(c) : Problem(404, "not-found", "Hittades inte");
        });
        app.MapGet("/api/v1/meetings", (Guid caseId, Guid unitId, HttpContext context) =>
            Member(context, unitId) ?? Results.Json(_meetings.Values.Where(m => m.CaseId == caseId).Select(m => m.Summary())));
        app.MapGet("/api/v1/meetings/{meetingId:guid}", (Guid meetingId, Guid unitId, HttpContext context) =>
            Member(context, unitId) ?? (_meetings.TryGetValue(meetingId, out var m) && m.Involves(unitId)
                ? Results.Json(m.View())
                : Problem(404, "not-found", "Hittades inte")));
        app.MapPost("/api/v1/meetings/{meetingId:guid}/summons/{summonsId:guid}/acknowledge", (Guid meetingId, Guid summonsId, HttpContext context) =>
            Answer(context, meetingId, summonsId, (summons, body) => summons.Acknowledge(body["attendees"]!.AsArray())));
        app.MapPost("/api/v1/meetings/{meetingId:guid}/summons/{summonsId:guid}/decline", (Guid meetingId, Guid summonsId, HttpContext context) =>
            Answer(context, meetingId, summonsId, (summons, body) => summons.Decline(body["reason"]!.GetValue<string>())));
    }

    private IResult Answer(HttpContext context, Guid meetingId, Guid summonsId, Func<Summons, JsonNode, IResult?> answer)
    {
        var body = (JsonNode)context.Items["body"]!;
        var unitId = body["unitId"]!.GetValue<Guid>();
        if (Member(context, unitId) is { } forbidden)
        {
            return forbidden;
        }
        if (!_meetings.TryGetValue(meetingId, out var meeting) || meeting.Summons.SingleOrDefault(s => s.Id == summonsId && s.UnitId == unitId) is not { } summons)
        {
            return Problem(404, "not-found", "Hittades inte");
        }
        lock (summons)
        {
            return answer(summons, body) ?? Results.Json(summons.View());
        }
    }

    private static IResult? Member(HttpContext context, Guid unitId) =>
        context.User.FindAll(SipClaims.Units).Any(c => c.Value == unitId.ToString())
            ? null
            : Problem(403, "forbidden", "Åtkomst nekad", "Du arbetar inte för enheten.");

    internal static IResult Problem(int status, string slug, string title, string? detail = null) =>
        Results.Json(new { type = "urn:sip:problem:" + slug, title, status, detail }, statusCode: status, contentType: ProblemJson);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
