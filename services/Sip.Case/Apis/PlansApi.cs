using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Sip.Case.Consent;
using Sip.Case.Domain;
using Sip.Case.Infrastructure;
using Sip.Contracts.Case;
using Sip.Contracts.Statistics;
using Sip.Documents;
using Sip.Messaging;
using Sip.ServiceDefaults;
using Sip.ServiceDefaults.Auth;
using Sip.ServiceDefaults.Data;
using static Sip.Case.Apis.CasesApi;

namespace Sip.Case.Apis;

/// <summary>
/// The versioned plan. Reads and writes go through the same visibility rule as the case (participating
/// unit, covered by consent; else 404); a draft is the coordinator's until it is signed. Edits carry
/// If-Match with the ETag of the revision they started from: a stale one gets 412 and what changed.
/// </summary>
public static class PlansApi
{
    public static RouteGroupBuilder MapPlansApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/cases/{caseId:guid}/plans").WithTags("Planer");
        api.MapPost("", CreateVersion).WithSummary("Upprätta planen efter ett SIP-möte (en ny version; den förra ersätts)");
        api.MapGet("", ListVersions).WithSummary("Planens versioner");
        api.MapGet("/compare", Compare).WithSummary("Jämför två versioner");
        api.MapGet("/{version:int}", GetVersion).WithSummary("Hämta en version (med ETag)");
        api.MapPut("/{version:int}", Edit).WithSummary("Skriv utkastet (kräver If-Match)");
        api.MapPost("/{version:int}/sign", Sign).WithSummary("Signera planen (samordningsansvarig)")
            .WithDescription("Planen ska besvara lagens fyra punkter. Varje enhet som är ansvarig för en insats ska omfattas av samtycket (annars 422 " +
                "responsible-unit-not-covered); en sådan enhet som inte deltar i ärendet får ett initiativ i samband med signeringen, så att den ser planen och sin insats.");
        api.MapPost("/{version:int}/lock", Lock).WithSummary("Lås planen med underskrifter (kräver If-Match: den version som undertecknades)");
        api.MapPut("/{version:int}/activities/{activityId:guid}", EditActivity).WithSummary("Fyll i den egna enhetens aktivitet i en signerad plan (kräver If-Match)");
        api.MapPost("/{version:int}/copies", RecordCopy).WithSummary("Registrera att en godkänd mottagare har fått sin kopia av den låsta planen");
        api.MapPost("/{version:int}/activities/{activityId:guid}/status", SetActivityStatus).WithSummary("Följ upp en aktivitet: status och kommentar");
        api.MapGet("/{version:int}/print", Print).WithSummary("Utskriftsvänlig plan (låst version)");
        api.MapGet("/{version:int}/pdf", Pdf).WithSummary("Den låsta planen som PDF")
            .WithDescription("Samma utskrift som /print, som PDF. 503 pdf-unavailable när PDF inte kan skapas; utskriften som HTML fungerar då ändå.")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf");
        return api;
    }

    public static async Task<Created<PlanResponse>> CreateVersion(Guid caseId, CreatePlanRequest request, ClaimsPrincipal principal, CaseDbContext db,
        ConsentGate consent, TimeProvider clock, CancellationToken ct)
    {
        var (user, sipCase) = await CaseAsync(db, consent, principal, caseId, request.UnitId, ct);
        request.Content?.RequireWellFormed();
        var now = clock.GetUtcNow();
        var previous = await db.Plans.CurrentAsync(caseId, ct);
        if (previous?.CoordinatorUnitId is { } coordinator && coordinator != request.UnitId)
        {
            throw new DomainException("not-coordinator", "Åtkomst nekad", "Samordningsansvarigs enhet upprättar nästa version av planen.", StatusCodes.Status403Forbidden);
        }
        var plan = await db.AddNextVersionAsync(sipCase, previous, request.MeetingAt, request.Content, request.UnitId, user.Subject, now, ct);
        db.Audit(user, request.UnitId, "plan.created", sipCase.IndividualId, caseId, Purpose, now);
        await SaveAsync(db, ct);
        return TypedResults.Created($"/api/v1/cases/{caseId}/plans/{plan.Version}", PlanResponse.From(plan));
    }

    public static async Task<Ok<List<PlanSummary>>> ListVersions(Guid caseId, Guid unitId, ClaimsPrincipal principal, CaseDbContext db, ConsentGate consent,
        TimeProvider clock, CancellationToken ct)
    {
        db.ReadOnly();
        var (user, sipCase) = await CaseAsync(db, consent, principal, caseId, unitId, ct);
        var plans = await db.Plans.AsNoTracking().Where(p => p.CaseId == caseId).OrderBy(p => p.Version).ToListAsync(ct);
        var now = clock.GetUtcNow();
        db.Audit(user, unitId, "plan.listed", sipCase.IndividualId, caseId, Purpose, now);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(plans.Where(p => VisibleTo(p, unitId)).Select(p => new PlanSummary(p.Version, p.Status, p.MeetingAt, p.DueAt, p.IsLate(now), p.SignedAt, p.LockedAt)).ToList());
    }

    public static async Task<Ok<PlanResponse>> GetVersion(Guid caseId, int version, Guid unitId, ClaimsPrincipal principal, HttpContext http, CaseDbContext db,
        ConsentGate consent, TimeProvider clock, CancellationToken ct)
    {
        db.ReadOnly();
        var (user, sipCase, plan) = await PlanAsync(db, consent, principal, caseId, version, unitId, ct);
        db.Audit(user, unitId, "plan.read", sipCase.IndividualId, caseId, Purpose, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        http.Response.Headers.ETag = ETag(plan);
        return TypedResults.Ok(PlanResponse.From(plan, clock.GetUtcNow()));
    }

    public static async Task<Results<Ok<PlanResponse>, ProblemHttpResult>> Edit(Guid caseId, int version, EditPlanRequest request, ClaimsPrincipal principal,
        HttpContext http, CaseDbContext db, ConsentGate consent, TimeProvider clock, CancellationToken ct)
    {
        var (user, sipCase, plan) = await PlanAsync(db, consent, principal, caseId, version, request.UnitId, ct);
        if (await PreconditionFailedAsync(http, db, plan, ct) is { } problem)
        {
            return problem;
        }
        var now = clock.GetUtcNow();
        plan.Edit(request.Content, request.UnitId, user.Subject, now);
        return await SaveRevisionAsync(http, db, user, sipCase, plan, request.UnitId, "plan.edited", now, ct);
    }

    /// <summary>The responsible unit fills in its own activity in a signed plan, under the same If-Match rule as the draft.</summary>
    public static async Task<Results<Ok<PlanResponse>, ProblemHttpResult>> EditActivity(Guid caseId, int version, Guid activityId, EditActivityRequest request,
        ClaimsPrincipal principal, HttpContext http, CaseDbContext db, ConsentGate consent, TimeProvider clock, CancellationToken ct)
    {
        var (user, sipCase, plan) = await PlanAsync(db, consent, principal, caseId, version, request.UnitId, ct);
        if (await PreconditionFailedAsync(http, db, plan, ct) is { } problem)
        {
            return problem;
        }
        var now = clock.GetUtcNow();
        plan.EditActivity(activityId, request.Activity, request.UnitId, user.Subject, now);
        return await SaveRevisionAsync(http, db, user, sipCase, plan, request.UnitId, "plan.activity-edited", now, ct);
    }

    /// <summary>428 without If-Match; 412 with what changed since the caller's revision when it is stale; null when the write may go ahead.</summary>
    private static async Task<ProblemHttpResult?> PreconditionFailedAsync(HttpContext http, CaseDbContext db, PlanVersion plan, CancellationToken ct)
    {
        var ifMatch = http.Request.Headers.IfMatch.ToString();
        if (ifMatch.Length == 0)
        {
            return Problems.Create(StatusCodes.Status428PreconditionRequired, "precondition-required", "If-Match krävs",
                "Skicka planens ETag i If-Match, så skriver två personer aldrig över varandras ändringar.");
        }
        if (ifMatch == ETag(plan))
        {
            return null;
        }
        var theirs = int.TryParse(ifMatch.Trim('"', 'W', '/'), out var r) ? await db.PlanRevisions.AsNoTracking().SingleOrDefaultAsync(x => x.PlanVersionId == plan.Id && x.Revision == r, ct) : null;
        var changed = theirs is null ? [] : PlanDiff.Between(theirs.Content, plan.Content).Select(c => c.Path).ToList();
        return Problems.Create(StatusCodes.Status412PreconditionFailed, "plan-changed", "Planen har ändrats av någon annan",
            $"Planen ändrades {TimeZoneInfo.ConvertTime(plan.ChangedAt, Sip.ServiceDefaults.Time.SwedishCalendar.Stockholm):yyyy-MM-dd HH:mm} efter att du hämtade den. Hämta den på nytt, för in dina ändringar och spara igen.",
            new Dictionary<string, object?> { ["currentETag"] = ETag(plan), ["changedBy"] = plan.ChangedBy, ["changedFields"] = changed });
    }

    private static async Task<Results<Ok<PlanResponse>, ProblemHttpResult>> SaveRevisionAsync(HttpContext http, CaseDbContext db, SipUser user, SipCase sipCase,
        PlanVersion plan, Guid unitId, string action, DateTimeOffset now, CancellationToken ct)
    {
        sipCase.Touch(now);
        db.PlanRevisions.Add(PlanRevision.Of(plan));
        db.Audit(user, unitId, action, sipCase.IndividualId, sipCase.Id, Purpose, now);
        await SaveAsync(db, ct);
        http.Response.Headers.ETag = ETag(plan);
        return TypedResults.Ok(PlanResponse.From(plan, now));
    }

    public static async Task<Ok<PlanResponse>> Sign(Guid caseId, int version, ActingUnitRequest request, ClaimsPrincipal principal, CaseDbContext db,
        ConsentGate consent, TimeProvider clock, CancellationToken ct)
    {
        var (user, sipCase, plan) = await PlanAsync(db, consent, principal, caseId, version, request.UnitId, ct);
        var now = clock.GetUtcNow();
        plan.Sign(request.UnitId, user.Subject, now);
        var broughtIn = await BringInResponsibleUnitsAsync(db, consent, sipCase, plan, now, ct);
        foreach (var initiative in broughtIn)
        {
            db.Add(initiative);
            await PublishSentAsync(db, sipCase, initiative, now, ct);
            db.Audit(user, request.UnitId, "initiative.sent", sipCase.IndividualId, caseId, Purpose, now);
        }
        if (broughtIn.Count > 0)
        {
            await LusFacts.SyncAsync(db, sipCase, now, ct);
        }
        sipCase.Touch(now);
        db.AddEvent(new PlanSigned(Guid.CreateVersion7(now), now, sipCase.TenantId, caseId, sipCase.Reference, plan.Id, plan.Version, sipCase.MunicipalityCode,
            plan.Content.OverallResponsibility.ToString()!, plan.Content.Activities.Count(), now <= plan.DueAt));
        var establishedAt = plan.Version == 1 ? null
            : await db.Plans.Where(p => p.CaseId == caseId && p.Version == 1).Select(p => p.SignedAt).SingleOrDefaultAsync(ct);
        db.AddEvent(new PlanEstablishedFact(Guid.CreateVersion7(now), now, sipCase.TenantId, await StatisticsFacts.DimensionsAsync(db, sipCase, request.UnitId, now, ct),
            plan.Version, plan.MeetingAt, now, establishedAt));
        db.Audit(user, request.UnitId, "plan.signed", sipCase.IndividualId, caseId, Purpose, now);
        await SaveAsync(db, ct);
        return TypedResults.Ok(PlanResponse.From(plan, now));
    }

    /// <summary>
    /// Every unit the signed plan names responsible for a measure must see it, now that it is visible to participating
    /// units: the consent must cover each one (else 422, nothing signed), and one that does not take part in the case is
    /// brought in with an initiative (SipCase.BringIn), sent with the signing, so it can see and follow up its measure.
    /// </summary>
    private static async Task<List<Initiative>> BringInResponsibleUnitsAsync(CaseDbContext db, ConsentGate consent, SipCase sipCase, PlanVersion plan,
        DateTimeOffset now, CancellationToken ct)
    {
        var newcomers = plan.ResponsibleUnitIds.Where(u => !sipCase.IsParticipant(u)).ToList();
        await RequireUnitsInDirectoryAsync(db, sipCase.TenantId, newcomers, ct);
        foreach (var unitId in plan.ResponsibleUnitIds)
        {
            if (await consent.WhyNotCoveredAsync(sipCase.TenantId, sipCase.IndividualId, unitId, ct) is { } why)
            {
                var name = await db.Units.Where(u => u.TenantId == sipCase.TenantId && u.Id == unitId).Select(u => u.Name).SingleOrDefaultAsync(ct);
                throw new DomainException("responsible-unit-not-covered", "Samtycket omfattar inte en ansvarig enhet",
                    $"Planen anger {name ?? unitId.ToString()} som ansvarig för en insats, men samtycket omfattar inte enheten ({why}), så den kan inte se planen. " +
                    "Be den enskilde om samtycke för enheten eller ange en annan ansvarig enhet. Planen är inte signerad.",
                    StatusCodes.Status422UnprocessableEntity);
            }
        }
        return newcomers.Select(u => sipCase.BringIn(u, now)).OfType<Initiative>().ToList();
    }

    /// <summary>
    /// If-Match names the revision the individual and the coordinator signed: a responsible unit's later change to
    /// an activity gets 412, so a plan is never locked with content the individual did not see.
    /// </summary>
    public static async Task<Results<Ok<PlanResponse>, ProblemHttpResult>> Lock(Guid caseId, int version, LockPlanRequest request, ClaimsPrincipal principal,
        HttpContext http, CaseDbContext db, ConsentGate consent, TimeProvider clock, CancellationToken ct)
    {
        var (user, sipCase, plan) = await PlanAsync(db, consent, principal, caseId, version, request.UnitId, ct);
        if (await PreconditionFailedAsync(http, db, plan, ct) is { } problem)
        {
            return problem;
        }
        // Copies go to those the individual approved in the consent, not to a list typed here.
        var particulars = await consent.PlanParticularsAsync(user.TenantId, sipCase.IndividualId, request.UnitId, caseId, ct);
        var now = clock.GetUtcNow();
        plan.Lock(request.UnitId, request.IndividualSignature, request.CoordinatorSignature, particulars.CopyRecipients.ToList(), ConsentGate.ReferenceOf(particulars), now);
        sipCase.Touch(now);
        db.AddEvent(new PlanLocked(Guid.CreateVersion7(now), now, sipCase.TenantId, caseId, sipCase.Reference, plan.Id, plan.Version, sipCase.ParticipantUnitIds));
        db.Audit(user, request.UnitId, "plan.locked", sipCase.IndividualId, caseId, Purpose, now);
        await SaveAsync(db, ct);
        return TypedResults.Ok(PlanResponse.From(plan, now));
    }

    /// <summary>
    /// The plan itself never travels by e-mail: the coordinator's unit prints it (or hands it over at the meeting)
    /// and records here, per recipient the individual approved, when and how the copy was given.
    /// </summary>
    public static async Task<Ok<PlanResponse>> RecordCopy(Guid caseId, int version, RecordCopyRequest request, ClaimsPrincipal principal, CaseDbContext db,
        ConsentGate consent, TimeProvider clock, CancellationToken ct)
    {
        var (user, sipCase, plan) = await PlanAsync(db, consent, principal, caseId, version, request.UnitId, ct);
        var now = clock.GetUtcNow();
        plan.RecordCopy(request.UnitId, request.Recipient?.Trim() ?? "", request.Channel, request.SentOn ?? Sip.ServiceDefaults.Time.SwedishCalendar.Today(now), user.Subject, now);
        sipCase.Touch(now);
        db.Audit(user, request.UnitId, "plan.copy-given", sipCase.IndividualId, caseId, Purpose, now);
        await SaveAsync(db, ct);
        return TypedResults.Ok(PlanResponse.From(plan, now));
    }

    public static async Task<Ok<PlanResponse>> SetActivityStatus(Guid caseId, int version, Guid activityId, ActivityStatusRequest request, ClaimsPrincipal principal,
        CaseDbContext db, ConsentGate consent, TimeProvider clock, CancellationToken ct)
    {
        var (user, sipCase, plan) = await PlanAsync(db, consent, principal, caseId, version, request.UnitId, ct);
        var now = clock.GetUtcNow();
        var change = plan.SetActivityStatus(activityId, request.Status, request.Comment, request.UnitId, user.Subject, now);
        sipCase.Touch(now);
        var activity = plan.Content.Activities.Single(a => a.Id == activityId);
        db.AddEvent(new ActivityStatusChanged(Guid.CreateVersion7(now), now, sipCase.TenantId, caseId, plan.Id, activityId,
            activity.ResponsibleUnitId ?? change.UnitId, change.Status.ToString()));
        if (change.Status is ActivityStatus.Done or ActivityStatus.NotDone)
        {
            db.AddEvent(new ActivityOutcomeFact(Guid.CreateVersion7(now), now, sipCase.TenantId,
                await StatisticsFacts.DimensionsAsync(db, sipCase, activity.ResponsibleUnitId ?? change.UnitId, now, ct), now, change.Status == ActivityStatus.Done));
        }
        db.Audit(user, request.UnitId, "plan.activity-status", sipCase.IndividualId, caseId, Purpose, now);
        await SaveAsync(db, ct);
        return TypedResults.Ok(PlanResponse.From(plan, now));
    }

    public static async Task<Ok<PlanComparison>> Compare(Guid caseId, int from, int to, Guid unitId, ClaimsPrincipal principal, CaseDbContext db,
        ConsentGate consent, TimeProvider clock, CancellationToken ct)
    {
        db.ReadOnly();
        var (user, sipCase) = await CaseAsync(db, consent, principal, caseId, unitId, ct);
        var before = await VersionAsync(db, caseId, from, unitId, ct);
        var after = await VersionAsync(db, caseId, to, unitId, ct);
        db.Audit(user, unitId, "plan.compared", sipCase.IndividualId, caseId, Purpose, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new PlanComparison(from, to, PlanDiff.Between(before.Content, after.Content)));
    }

    public static async Task<ContentHttpResult> Print(Guid caseId, int version, Guid unitId, ClaimsPrincipal principal, CaseDbContext db, ConsentGate consent,
        TimeProvider clock, CancellationToken ct)
    {
        var (_, html) = await RenderAsync(db, consent, clock, principal, caseId, version, unitId, "plan.printed", ct);
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }

    /// <summary>The print's own HTML printed by headless Chromium, so the PDF and the browser's print are one template.</summary>
    public static async Task<FileContentHttpResult> Pdf(Guid caseId, int version, Guid unitId, ClaimsPrincipal principal, CaseDbContext db, ConsentGate consent,
        PdfPrinter printer, TimeProvider clock, ILogger<PdfPrinter> logger, CancellationToken ct)
    {
        var (reference, html) = await RenderAsync(db, consent, clock, principal, caseId, version, unitId, "plan.printed-pdf", ct);
        try
        {
            return TypedResults.File(await printer.PrintAsync(html, ct), "application/pdf", $"sip-plan-{reference}-version-{version}.pdf");
        }
        catch (PdfPrintException e)
        {
            // The message names the browser's path or exit code, never the plan. A handled problem is not logged again.
            logger.LogWarning("Printing a plan to PDF failed: {Reason}", e.Message);
            throw new DomainException("pdf-unavailable", "PDF kan inte skapas just nu",
                "Planen kan skrivas ut från webbläsaren (utskriftsvyn) medan PDF-utskriften inte fungerar.", StatusCodes.Status503ServiceUnavailable, e);
        }
    }

    /// <summary>A locked version as print-ready HTML, audited as <paramref name="action"/>; with the case's reference for a file name.</summary>
    private static async Task<(string Reference, string Html)> RenderAsync(CaseDbContext db, ConsentGate consent, TimeProvider clock, ClaimsPrincipal principal,
        Guid caseId, int version, Guid unitId, string action, CancellationToken ct)
    {
        db.ReadOnly();
        var (user, sipCase, plan) = await PlanAsync(db, consent, principal, caseId, version, unitId, ct);
        if (plan.Status != PlanStatus.Locked)
        {
            throw new DomainException("plan-not-locked", "Bara en låst plan skrivs ut", "Lås planen först; ett utkast eller en signerad plan kan fortfarande ändras.", StatusCodes.Status409Conflict);
        }
        var units = await db.Units.AsNoTracking().Where(u => u.TenantId == user.TenantId).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        var particulars = await consent.PlanParticularsAsync(user.TenantId, sipCase.IndividualId, unitId, caseId, ct);
        db.Audit(user, unitId, action, sipCase.IndividualId, caseId, Purpose, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return (sipCase.Reference, PlanPrint.Render(sipCase, plan, units, particulars, plan.Consent ?? ConsentGate.ReferenceOf(particulars)));
    }

    internal static async Task<(SipUser User, SipCase Case)> CaseAsync(CaseDbContext db, ConsentGate consent, ClaimsPrincipal principal, Guid caseId, Guid unitId, CancellationToken ct)
    {
        var user = SipUser.From(principal);
        if (!user.IsMemberOf(unitId))
        {
            throw new DomainException("forbidden", "Åtkomst nekad", "Du kan bara arbeta för en enhet som du tillhör.", StatusCodes.Status403Forbidden);
        }
        var (sipCase, _) = await FindVisibleAsync(db, consent, user, caseId, ct, unitId);
        return (user, sipCase ?? throw new DomainException("not-found", "Hittades inte", status: StatusCodes.Status404NotFound));
    }

    private static async Task<(SipUser User, SipCase Case, PlanVersion Plan)> PlanAsync(CaseDbContext db, ConsentGate consent, ClaimsPrincipal principal, Guid caseId,
        int version, Guid unitId, CancellationToken ct)
    {
        var (user, sipCase) = await CaseAsync(db, consent, principal, caseId, unitId, ct);
        return (user, sipCase, await VersionAsync(db, caseId, version, unitId, ct));
    }

    private static async Task<PlanVersion> VersionAsync(CaseDbContext db, Guid caseId, int version, Guid unitId, CancellationToken ct)
    {
        var plan = await db.Plans.SingleOrDefaultAsync(p => p.CaseId == caseId && p.Version == version, ct);
        return plan is not null && VisibleTo(plan, unitId) ? plan : throw new DomainException("not-found", "Hittades inte", status: StatusCodes.Status404NotFound);
    }

    /// <summary>A draft is the coordinator's work in progress; from signing it is visible to every participating unit.</summary>
    private static bool VisibleTo(PlanVersion plan, Guid unitId) =>
        plan.Status != PlanStatus.Draft || plan.Content.CoordinatorUnitId is null || plan.Content.CoordinatorUnitId == unitId;

    private static string ETag(PlanVersion plan) => $"\"{plan.Revision}\"";
}

public sealed record CreatePlanRequest(Guid UnitId, DateTimeOffset MeetingAt, PlanContent? Content = null);

public sealed record EditPlanRequest(Guid UnitId, PlanContent Content);

public sealed record ActingUnitRequest(Guid UnitId);

public sealed record LockPlanRequest(Guid UnitId, PlanSignature IndividualSignature, PlanSignature CoordinatorSignature);

public sealed record EditActivityRequest(Guid UnitId, ActivityDetails Activity);

public sealed record RecordCopyRequest(Guid UnitId, string? Recipient, CopyChannel Channel, DateOnly? SentOn = null);

public sealed record ActivityStatusRequest(Guid UnitId, ActivityStatus Status, string? Comment = null);

public sealed record PlanSummary(int Version, PlanStatus Status, DateTimeOffset MeetingAt, DateTimeOffset DueAt, bool Late, DateTimeOffset? SignedAt, DateTimeOffset? LockedAt);

public sealed record PlanComparison(int From, int To, IReadOnlyList<PlanChange> Changes);

public sealed record ActivityState(Guid ActivityId, ActivityStatus Status, IReadOnlyList<ActivityStatusChange> History);

public sealed record PlanResponse(
    int Version,
    PlanStatus Status,
    int Revision,
    PlanContent Content,
    DateTimeOffset MeetingAt,
    DateTimeOffset DueAt,
    bool Late,
    DateTimeOffset? SignedAt,
    DateTimeOffset? LockedAt,
    PlanSignature? IndividualSignature,
    PlanSignature? CoordinatorSignature,
    IReadOnlyList<string> CopyRecipients,
    IReadOnlyList<PlanCopy> Copies,
    IReadOnlyList<string> CopiesToSend,
    IReadOnlyList<ActivityState> Activities,
    IReadOnlyList<string> MissingLegalPoints)
{
    public static PlanResponse From(PlanVersion p, DateTimeOffset? now = null) =>
        new(p.Version, p.Status, p.Revision, p.Content, p.MeetingAt, p.DueAt, p.IsLate(now ?? p.ChangedAt), p.SignedAt, p.LockedAt, p.IndividualSignature,
            p.CoordinatorSignature, p.CopyRecipients, p.Copies, p.CopiesToSend,
            p.Content.Activities.Select(a => new ActivityState(a.Id, p.CurrentStatus(a), p.ActivityLog.Where(c => c.ActivityId == a.Id).ToList())).ToList(),
            p.Content.MissingLegalPoints());
}
