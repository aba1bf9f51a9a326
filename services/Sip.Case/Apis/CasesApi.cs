using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Sip.Case.Consent;
using Sip.Case.Domain;
using Sip.Case.Infrastructure;
using Sip.Contracts.Case;
using Sip.Contracts.Statistics;
using Sip.Messaging;
using Sip.ServiceDefaults;
using Sip.ServiceDefaults.Auth;
using Sip.ServiceDefaults.Data;

namespace Sip.Case.Apis;

public static class CasesApi
{
    internal const string Purpose = "SIP-samordning";

    public static RouteGroupBuilder MapCasesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/cases").WithTags("Ärenden");
        api.MapPost("/", OpenCase).WithSummary("Öppna ett SIP-ärende och skicka initiativ till enheter");
        api.MapGet("/{caseId:guid}", GetCase).WithSummary("Hämta ett ärende");
        api.MapPost("/{caseId:guid}/initiatives", SendInitiative).WithSummary("Skicka initiativ till ytterligare en enhet");
        api.MapPost("/{caseId:guid}/initiatives/{initiativeId:guid}/acknowledge", Acknowledge).WithSummary("Kvittera ett initiativ, gärna med förslag på tider");
        api.MapPost("/{caseId:guid}/initiatives/{initiativeId:guid}/decline", Decline).WithSummary("Avböj ett initiativ och hänvisa till rätt enhet");
        api.MapPost("/{caseId:guid}/initiatives/{initiativeId:guid}/forward", Forward).WithSummary("Skicka ett avböjt initiativ vidare till den enhet som mottagaren hänvisade till");
        api.MapPut("/{caseId:guid}/discharge", RecordDischarge).WithSummary("Utskrivning från slutenvård (LUS): datum, spår och fast vårdkontakt (ändring kräver If-Match)");
        api.MapGet("/{caseId:guid}/discharge", GetDischarge).WithSummary("Utskrivningsärendets skyldigheter och tidsfrister");
        api.MapPut("/{caseId:guid}/target-group", ChangeTargetGroup).WithSummary("Ändra ärendets målgrupp (för statistik)");
        api.MapPost("/{caseId:guid}/close", Close).WithSummary("Utvärdera och avsluta SIP-arbetet")
            .WithDescription("Samordningsansvarig kan bedöma delmålen i den låsta planen som uppnådda eller inte uppnådda (goalEvaluations); ett delmål som inte " +
                "bedöms utelämnas. Ett mål som inte finns i planen (unknown-goal) eller som anges två gånger (goal-evaluated-twice) ger 400, och ärendet avslutas inte.");
        api.MapGet("/inbox", InboxApi.Inbox).WithSummary("Enhetens inkorg: allt som väntar på enhetens åtgärd, med tidsfrister");
        return api;
    }

    /// <summary>Nothing is stored and nothing is published unless the consent covers every unit involved.</summary>
    public static async Task<Results<Created<CaseResponse>, ProblemHttpResult>> OpenCase(
        OpenCaseRequest request, ClaimsPrincipal principal, CaseDbContext db, ConsentGate consent, TimeProvider clock, CancellationToken ct)
    {
        var user = SipUser.From(principal);
        if (!user.IsMemberOf(request.ActingUnitId))
        {
            return Problems.Forbidden("Du kan bara öppna ärenden för en enhet som du tillhör.");
        }
        var targetGroup = TargetGroups.Parse(request.TargetGroup);
        var involved = request.InitiativeUnitIds.Append(request.ActingUnitId).Distinct().ToList();
        await RequireUnitsInDirectoryAsync(db, user.TenantId, involved, ct);
        await consent.RequireAsync(user.TenantId, request.IndividualId, involved, ct);

        var now = clock.GetUtcNow();
        var reference = await db.NextCaseReferenceAsync(now, ct);
        var sipCase = SipCase.Open(user.TenantId, reference, request.IndividualId, request.MunicipalityCode, request.Reason,
            request.Urgency, request.ActingUnitId, user.Subject, now, targetGroup);
        // Birth year and month and sex for statistics, derived by consent from the identity number that case never sees.
        var profile = await consent.StatisticsProfileAsync(user.TenantId, request.IndividualId, request.ActingUnitId, sipCase.Id, ct);
        sipCase.RecordBirthAndSex(profile.BirthYear, profile.BirthMonth, profile.Sex);
        db.Cases.Add(sipCase);
        db.AddEvent(new CaseOpened(Guid.CreateVersion7(now), now, user.TenantId, sipCase.Id, reference, sipCase.OpenedByUnitId,
            sipCase.MunicipalityCode, sipCase.Urgency.ToString()));
        foreach (var unitId in request.InitiativeUnitIds.Distinct())
        {
            await AddInitiativeAsync(db, sipCase, unitId, now, ct);
        }
        db.Audit(user, request.ActingUnitId, "case.opened", sipCase.IndividualId, sipCase.Id, Purpose, now);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/cases/{sipCase.Id}", CaseResponse.From(sipCase));
    }

    public static async Task<Results<Ok<CaseResponse>, ProblemHttpResult>> GetCase(
        Guid caseId, ClaimsPrincipal principal, CaseDbContext db, ConsentGate consent, TimeProvider clock, CancellationToken ct)
    {
        db.ReadOnly();
        var user = SipUser.From(principal);
        var (sipCase, actingUnit) = await FindVisibleAsync(db, consent, user, caseId, ct);
        if (sipCase is null)
        {
            return await CancelledCaseAsync(db, user, caseId, clock, ct) is { } cancelled ? TypedResults.Ok(cancelled) : Problems.NotFound();
        }
        db.Audit(user, actingUnit, "case.read", sipCase.IndividualId, sipCase.Id, Purpose, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(CaseResponse.From(sipCase));
    }

    /// <summary>
    /// A case cancelled because consent ended, as a unit that took part sees it once the consent no longer lets it see
    /// the case: status, cause and dates, so a case system can reconcile its own record; no reason, initiatives or plan.
    /// </summary>
    private static async Task<CaseResponse?> CancelledCaseAsync(CaseDbContext db, SipUser user, Guid caseId, TimeProvider clock, CancellationToken ct)
    {
        var sipCase = await db.Cases.Include(c => c.Initiatives)
            .SingleOrDefaultAsync(c => c.Id == caseId && c.TenantId == user.TenantId && c.Status == CaseStatus.Cancelled, ct);
        var unit = sipCase is null ? Guid.Empty : user.UnitIds.FirstOrDefault(sipCase.TookPartUntilCancelled);
        if (sipCase is null || unit == Guid.Empty)
        {
            return null;
        }
        db.Audit(user, unit, "case.read-cancelled", sipCase.IndividualId, sipCase.Id, Purpose, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return CaseResponse.AfterCancellation(sipCase);
    }

    public static async Task<Results<Created<InitiativeResponse>, ProblemHttpResult>> SendInitiative(
        Guid caseId, SendInitiativeRequest request, ClaimsPrincipal principal, CaseDbContext db, ConsentGate consent, TimeProvider clock, CancellationToken ct)
    {
        var user = SipUser.From(principal);
        var (sipCase, actingUnit) = await FindVisibleAsync(db, consent, user, caseId, ct);
        if (sipCase is null)
        {
            return Problems.NotFound();
        }
        await RequireUnitsInDirectoryAsync(db, user.TenantId, [request.UnitId], ct);
        await consent.RequireAsync(user.TenantId, sipCase.IndividualId, [request.UnitId], ct);
        var now = clock.GetUtcNow();
        var initiative = await AddInitiativeAsync(db, sipCase, request.UnitId, now, ct);
        await LusFacts.SyncAsync(db, sipCase, now, ct);
        db.Audit(user, actingUnit, "initiative.sent", sipCase.IndividualId, sipCase.Id, Purpose, now);
        await SaveAsync(db, ct);
        return TypedResults.Created($"/api/v1/cases/{sipCase.Id}", InitiativeResponse.From(initiative));
    }

    public static async Task<Ok<InitiativeResponse>> Acknowledge(Guid caseId, Guid initiativeId, AcknowledgeRequest request, ClaimsPrincipal principal,
        CaseDbContext db, ConsentGate consent, TimeProvider clock, CancellationToken ct) =>
        await AnswerAsync(caseId, request.UnitId, principal, db, consent, clock, "initiative.acknowledged",
            (sipCase, user, now) => sipCase.Acknowledge(initiativeId, request.UnitId, user.Subject, request.SuggestedTimes ?? [], request.Comment, now), ct);

    public static async Task<Ok<InitiativeResponse>> Decline(Guid caseId, Guid initiativeId, DeclineRequest request, ClaimsPrincipal principal,
        CaseDbContext db, ConsentGate consent, TimeProvider clock, CancellationToken ct)
    {
        if (request.RedirectToUnitId is { } redirect)
        {
            await RequireUnitsInDirectoryAsync(db, SipUser.From(principal).TenantId, [redirect], ct);
        }
        return await AnswerAsync(caseId, request.UnitId, principal, db, consent, clock, "initiative.declined",
            (sipCase, user, now) => sipCase.Decline(initiativeId, request.UnitId, user.Subject, request.Comment, request.RedirectToUnitId, now), ct);
    }

    private static async Task<Ok<InitiativeResponse>> AnswerAsync(Guid caseId, Guid unitId, ClaimsPrincipal principal, CaseDbContext db, ConsentGate consent,
        TimeProvider clock, string action, Func<SipCase, SipUser, DateTimeOffset, Initiative> answer, CancellationToken ct)
    {
        var user = SipUser.From(principal);
        if (!user.IsMemberOf(unitId))
        {
            throw new DomainException("forbidden", "Åtkomst nekad", "Du kan bara svara för en enhet som du tillhör.", StatusCodes.Status403Forbidden);
        }
        var (sipCase, _) = await FindVisibleAsync(db, consent, user, caseId, ct, unitId);
        if (sipCase is null)
        {
            throw new DomainException("not-found", "Hittades inte", status: StatusCodes.Status404NotFound);
        }
        var now = clock.GetUtcNow();
        var initiative = answer(sipCase, user, now);
        db.AddEvent(new InitiativeAnswered(Guid.CreateVersion7(now), now, sipCase.TenantId, sipCase.Id, sipCase.Reference, initiative.Id,
            initiative.FromUnitId, initiative.ToUnitId, initiative.Status.ToString(), initiative.RedirectToUnitId, initiative.SuggestedTimes));
        db.AddEvent(new InitiativeAnsweredFact(Guid.CreateVersion7(now), now, sipCase.TenantId, await StatisticsFacts.DimensionsAsync(db, sipCase, initiative.ToUnitId, now, ct),
            initiative.SentAt, now, initiative.Status == InitiativeStatus.Acknowledged));
        db.Audit(user, unitId, action, sipCase.IndividualId, sipCase.Id, Purpose, now);
        await SaveAsync(db, ct);
        return TypedResults.Ok(InitiativeResponse.From(initiative));
    }

    public static async Task<Created<InitiativeResponse>> Forward(Guid caseId, Guid initiativeId, ForwardRequest request, ClaimsPrincipal principal,
        CaseDbContext db, ConsentGate consent, TimeProvider clock, CancellationToken ct)
    {
        var user = SipUser.From(principal);
        var (sipCase, actingUnit) = await FindVisibleAsync(db, consent, user, caseId, ct, request.UnitId);
        if (sipCase is null)
        {
            throw new DomainException("not-found", "Hittades inte", status: StatusCodes.Status404NotFound);
        }
        var declined = sipCase.Initiatives.SingleOrDefault(i => i.Id == initiativeId);
        if (declined is not null && declined.FromUnitId != actingUnit)
        {
            throw new DomainException("forbidden", "Åtkomst nekad", "Den enhet som skickade initiativet skickar det vidare.", StatusCodes.Status403Forbidden);
        }
        var target = declined?.RedirectToUnitId;
        if (target is { } unit)
        {
            await consent.RequireAsync(user.TenantId, sipCase.IndividualId, [unit], ct);
        }
        var now = clock.GetUtcNow();
        var forwarded = sipCase.Forward(initiativeId, now);
        db.Add(forwarded);
        await PublishSentAsync(db, sipCase, forwarded, now, ct);
        await LusFacts.SyncAsync(db, sipCase, now, ct);
        db.Audit(user, actingUnit, "initiative.forwarded", sipCase.IndividualId, sipCase.Id, Purpose, now);
        await SaveAsync(db, ct);
        return TypedResults.Created($"/api/v1/cases/{sipCase.Id}", InitiativeResponse.From(forwarded));
    }

    public static async Task<Results<Ok<DischargeResponse>, ProblemHttpResult>> RecordDischarge(Guid caseId, DischargeRequest request, ClaimsPrincipal principal,
        HttpContext http, CaseDbContext db, ConsentGate consent, TimeProvider clock, CancellationToken ct)
    {
        var (user, sipCase) = await PlansApi.CaseAsync(db, consent, principal, caseId, request.UnitId, ct);
        if (DischargePreconditionFailed(http, sipCase.Discharge) is { } problem)
        {
            return problem;
        }
        var units = new[] { request.Discharge.InpatientUnitId }.Concat(request.Discharge.FixedCareContactUnitId is { } f ? [f] : []).ToList();
        await RequireUnitsInDirectoryAsync(db, user.TenantId, units, ct);
        var now = clock.GetUtcNow();
        sipCase.RecordDischarge(request.Discharge, now);
        var d = sipCase.Discharge!;
        db.AddEvent(new DischargeRecorded(Guid.CreateVersion7(now), now, sipCase.TenantId, caseId, sipCase.Reference, sipCase.MunicipalityCode, d.Track.ToString(),
            d.AdmittedAt, d.ReadyForDischargeAt, d.DischargedAt, d.FixedCareContactUnitId));
        await LusFacts.SyncAsync(db, sipCase, now, ct);
        db.Audit(user, request.UnitId, "case.discharge-recorded", sipCase.IndividualId, caseId, Purpose, now);
        await SaveAsync(db, ct);
        http.Response.Headers.ETag = DischargeETag(d);
        return TypedResults.Ok(DischargeResponse.For(sipCase, now));
    }

    public static async Task<Ok<DischargeResponse>> GetDischarge(Guid caseId, Guid unitId, ClaimsPrincipal principal, HttpContext http, CaseDbContext db,
        ConsentGate consent, TimeProvider clock, CancellationToken ct)
    {
        var (user, sipCase) = await PlansApi.CaseAsync(db, consent, principal, caseId, unitId, ct);
        if (sipCase.Discharge is null)
        {
            throw new DomainException("not-found", "Hittades inte", "Ärendet är inget utskrivningsärende.", StatusCodes.Status404NotFound);
        }
        var now = clock.GetUtcNow();
        db.Audit(user, unitId, "case.discharge-read", sipCase.IndividualId, caseId, Purpose, now);
        await db.SaveChangesAsync(ct);
        http.Response.Headers.ETag = DischargeETag(sipCase.Discharge);
        return TypedResults.Ok(DischargeResponse.For(sipCase, now));
    }

    /// <summary>
    /// The ward and the fixed care contact's unit both write the discharge record: a change needs If-Match with
    /// the record the caller read (428 without, 412 when someone changed it since). The first record needs none.
    /// </summary>
    private static ProblemHttpResult? DischargePreconditionFailed(HttpContext http, Discharge? current)
    {
        var ifMatch = http.Request.Headers.IfMatch.ToString();
        if (ifMatch.Length == 0)
        {
            return current is null ? null : Problems.Create(StatusCodes.Status428PreconditionRequired, "precondition-required", "If-Match krävs",
                "Skicka utskrivningens ETag i If-Match, så skriver två enheter aldrig över varandras uppgifter.");
        }
        if (current is not null && (ifMatch == "*" || ifMatch == DischargeETag(current)))
        {
            return null;
        }
        return Problems.Create(StatusCodes.Status412PreconditionFailed, "discharge-changed", "Utskrivningen har ändrats av någon annan",
            "Utskrivningen ändrades efter att du hämtade den. Hämta den på nytt, för in dina ändringar och spara igen.",
            new Dictionary<string, object?> { ["currentETag"] = current is null ? null : DischargeETag(current) });
    }

    /// <summary>From the record's content, so that other changes to the case do not make a unit's copy stale.</summary>
    private static string DischargeETag(Discharge discharge) =>
        $"\"{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(discharge)))[..16]}\"";

    /// <summary>Staff of a unit taking part correct the target group; facts from now on count the new one.</summary>
    public static async Task<Ok<CaseResponse>> ChangeTargetGroup(Guid caseId, TargetGroupRequest request, ClaimsPrincipal principal, CaseDbContext db,
        ConsentGate consent, TimeProvider clock, CancellationToken ct)
    {
        var targetGroup = TargetGroups.Parse(request.TargetGroup);
        var (user, sipCase) = await PlansApi.CaseAsync(db, consent, principal, caseId, request.UnitId, ct);
        var now = clock.GetUtcNow();
        sipCase.ChangeTargetGroup(targetGroup);
        db.Audit(user, request.UnitId, "case.target-group-changed", sipCase.IndividualId, caseId, Purpose, now);
        await SaveAsync(db, ct);
        return TypedResults.Ok(CaseResponse.From(sipCase));
    }

    public static async Task<Ok<CaseResponse>> Close(Guid caseId, CloseCaseRequest request, ClaimsPrincipal principal, CaseDbContext db, ConsentGate consent,
        TimeProvider clock, CancellationToken ct)
    {
        var (user, sipCase) = await PlansApi.CaseAsync(db, consent, principal, caseId, request.UnitId, ct);
        var plans = await db.Plans.Where(p => p.CaseId == caseId).OrderBy(p => p.Version).ToListAsync(ct);
        var current = plans.LastOrDefault(p => p.Status != PlanStatus.Cancelled);
        if (current?.CoordinatorUnitId is { } coordinator && coordinator != request.UnitId)
        {
            throw new DomainException("not-coordinator", "Åtkomst nekad", "Samordningsansvarigs enhet avslutar SIP-arbetet.", StatusCodes.Status403Forbidden);
        }
        var followedUp = current is not null && (current.ActivityLog.Count > 0 || plans.Any(p => p.Status == PlanStatus.Superseded));
        var now = clock.GetUtcNow();
        var told = sipCase.ParticipantUnitIds; // before unanswered initiatives are cancelled
        sipCase.Close(current, followedUp, request.WithEvaluationMeeting, request.DecidedBy, request.Comment, user.Subject, now,
            request.GoalEvaluations?.Select(g => (g.GoalId, g.Met)).ToList());
        await LusFacts.SyncAsync(db, sipCase, now, ct);
        db.AddEvent(new CaseClosed(Guid.CreateVersion7(now), now, sipCase.TenantId, caseId, sipCase.Reference, sipCase.MunicipalityCode,
            request.WithEvaluationMeeting, told));
        await PublishGoalsEvaluatedAsync(db, sipCase, request.UnitId, now, ct);
        db.Audit(user, request.UnitId, "case.closed", sipCase.IndividualId, caseId, Purpose, now);
        await SaveAsync(db, ct);
        return TypedResults.Ok(CaseResponse.From(sipCase));
    }

    /// <summary>Goals met at evaluation (SIP-DOMAIN §10), one fact per goal judged, counted for the coordinator's unit; a goal not judged counts nowhere.</summary>
    private static async Task PublishGoalsEvaluatedAsync(CaseDbContext db, SipCase sipCase, Guid coordinatorUnitId, DateTimeOffset now, CancellationToken ct)
    {
        var goals = sipCase.Closure!.GoalEvaluations;
        if (goals.Count == 0)
        {
            return;
        }
        var dimensions = await StatisticsFacts.DimensionsAsync(db, sipCase, coordinatorUnitId, now, ct);
        foreach (var goal in goals)
        {
            db.AddEvent(new GoalEvaluatedFact(Guid.CreateVersion7(now), now, sipCase.TenantId, dimensions, sipCase.Closure.At, goal.Met));
        }
    }

    internal static Task SaveAsync(CaseDbContext db, CancellationToken ct) =>
        db.SaveOrConflictAsync("Ärendet ändrades samtidigt", "Någon annan ändrade ärendet under tiden. Läs in det igen och försök på nytt.", ct);

    private static async Task<Initiative> AddInitiativeAsync(CaseDbContext db, SipCase sipCase, Guid unitId, DateTimeOffset now, CancellationToken ct)
    {
        var initiative = sipCase.SendInitiative(unitId, now);
        db.Add(initiative);
        await PublishSentAsync(db, sipCase, initiative, now, ct);
        return initiative;
    }

    /// <summary>
    /// The initiative for the services that act on it, and the same initiative for statistics, pseudonymously, counted for
    /// the receiving unit. From the inpatient unit of a discharge case it is the admission notice, unless one was recorded:
    /// the caller syncs the case's LUS facts (<see cref="LusFacts.SyncAsync"/>) once, after all of a request's initiatives.
    /// </summary>
    internal static async Task PublishSentAsync(CaseDbContext db, SipCase sipCase, Initiative initiative, DateTimeOffset now, CancellationToken ct)
    {
        db.AddEvent(new InitiativeSent(Guid.CreateVersion7(now), now, sipCase.TenantId, sipCase.Id, sipCase.Reference, initiative.Id,
            initiative.FromUnitId, initiative.ToUnitId, sipCase.MunicipalityCode, initiative.DueAt));
        db.AddEvent(new InitiativeSentFact(Guid.CreateVersion7(now), now, sipCase.TenantId,
            await StatisticsFacts.DimensionsAsync(db, sipCase, initiative.ToUnitId, now, ct), initiative.SentAt));
    }

    /// <summary>
    /// A case is visible only to staff of a participating unit that the consent covers; to anyone else
    /// it does not exist (404), so its existence is not disclosed either.
    /// </summary>
    internal static async Task<(SipCase? Case, Guid ActingUnit)> FindVisibleAsync(CaseDbContext db, ConsentGate consent, SipUser user, Guid caseId, CancellationToken ct,
        Guid? actingUnit = null)
    {
        var sipCase = await db.Cases.Include(c => c.Initiatives).SingleOrDefaultAsync(c => c.Id == caseId && c.TenantId == user.TenantId, ct);
        if (sipCase is null)
        {
            return (null, Guid.Empty);
        }
        foreach (var unit in user.UnitIds.Where(u => sipCase.IsParticipant(u) && (actingUnit is null || u == actingUnit)))
        {
            if (await consent.AllowsAsync(user.TenantId, sipCase.IndividualId, unit, ct))
            {
                return (sipCase, unit);
            }
        }
        return (null, Guid.Empty);
    }

    internal static async Task RequireUnitsInDirectoryAsync(CaseDbContext db, string tenantId, IReadOnlyCollection<Guid> unitIds, CancellationToken ct)
    {
        var known = await db.Units.Where(u => u.TenantId == tenantId && unitIds.Contains(u.Id)).Select(u => u.Id).ToListAsync(ct);
        var unknown = unitIds.Except(known).ToList();
        if (unknown.Count > 0)
        {
            throw new DomainException("unknown-unit", "Okänd enhet",
                $"Enheten {unknown[0]} finns inte i enhetskatalogen.", StatusCodes.Status422UnprocessableEntity);
        }
    }
}

public sealed record OpenCaseRequest(
    Guid IndividualId,
    Guid ActingUnitId,
    string MunicipalityCode,
    string Reason,
    Urgency Urgency,
    IReadOnlyList<Guid> InitiativeUnitIds,
    /// <summary>A <see cref="Domain.TargetGroup"/> name (e.g. Dementia); null or empty when not stated.</summary>
    string? TargetGroup = null);

/// <param name="TargetGroup">A <see cref="Domain.TargetGroup"/> name; null, empty or NotStated clears it.</param>
public sealed record TargetGroupRequest(Guid UnitId, string? TargetGroup);

public sealed record SendInitiativeRequest(Guid UnitId);

public sealed record DischargeRequest(Guid UnitId, Discharge Discharge);

public sealed record DischargeResponse(Discharge Discharge, IReadOnlyList<DischargeObligation> Obligations)
{
    public static DischargeResponse For(SipCase sipCase, DateTimeOffset now) => new(sipCase.Discharge!, sipCase.Discharge!.Obligations(sipCase, now));
}

/// <param name="GoalEvaluations">The short-term goals of the current plan judged at evaluation, met or not; a goal not judged is left out.</param>
public sealed record CloseCaseRequest(Guid UnitId, bool WithEvaluationMeeting, IReadOnlyList<string> DecidedBy, string Comment,
    IReadOnlyList<GoalEvaluationRequest>? GoalEvaluations = null);

/// <param name="GoalId">The id of a short-term goal in the current (locked) plan.</param>
public sealed record GoalEvaluationRequest(Guid GoalId, bool Met);

public sealed record AcknowledgeRequest(Guid UnitId, IReadOnlyList<DateTimeOffset>? SuggestedTimes = null, string? Comment = null);

public sealed record DeclineRequest(Guid UnitId, string Comment, Guid? RedirectToUnitId = null);

public sealed record ForwardRequest(Guid UnitId);

public sealed record InitiativeResponse(
    Guid InitiativeId,
    Guid FromUnitId,
    Guid ToUnitId,
    DateTimeOffset SentAt,
    DateTimeOffset DueAt,
    InitiativeStatus Status,
    DateTimeOffset? OverdueAt,
    DateTimeOffset? AnsweredAt,
    string? Comment,
    IReadOnlyList<DateTimeOffset> SuggestedTimes,
    Guid? RedirectToUnitId,
    Guid? ForwardedFromId)
{
    public static InitiativeResponse From(Initiative i) => new(i.Id, i.FromUnitId, i.ToUnitId, i.SentAt, i.DueAt, i.Status, i.OverdueAt, i.AnsweredAt,
        i.Comment, i.SuggestedTimes, i.RedirectToUnitId, i.ForwardedFromId);
}

public sealed record CaseResponse(
    Guid CaseId,
    string Reference,
    Guid IndividualId,
    string MunicipalityCode,
    /// <summary>Null when a unit that took part reads a case cancelled because consent ended: the reason is the person's.</summary>
    string? Reason,
    Urgency Urgency,
    CaseStatus Status,
    CancellationCause? CancelledBecause,
    DateTimeOffset? CancelledAt,
    Closure? Closure,
    Discharge? Discharge,
    Guid OpenedByUnitId,
    DateTimeOffset OpenedAt,
    IReadOnlyList<InitiativeResponse> Initiatives,
    TargetGroup TargetGroup)
{
    public static CaseResponse From(SipCase c) => new(c.Id, c.Reference, c.IndividualId, c.MunicipalityCode, c.Reason, c.Urgency, c.Status,
        c.CancelledBecause, c.CancelledAt, c.Closure, c.Discharge, c.OpenedByUnitId, c.OpenedAt, c.Initiatives.OrderBy(i => i.SentAt).Select(InitiativeResponse.From).ToList(),
        c.TargetGroup);

    /// <summary>What a unit that took part still sees once consent no longer covers it (<see cref="SipCase.TookPartUntilCancelled"/>).</summary>
    public static CaseResponse AfterCancellation(SipCase c) => new(c.Id, c.Reference, c.IndividualId, c.MunicipalityCode, null, c.Urgency, c.Status,
        c.CancelledBecause, c.CancelledAt, null, null, c.OpenedByUnitId, c.OpenedAt, [], TargetGroup.NotStated);
}
