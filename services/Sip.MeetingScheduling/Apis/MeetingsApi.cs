using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Sip.Contracts.Meetings;
using Sip.Contracts.Statistics;
using Sip.Messaging;
using Sip.MeetingScheduling.Clients;
using Sip.MeetingScheduling.Domain;
using Sip.MeetingScheduling.Infrastructure;
using Sip.ServiceDefaults;
using Sip.ServiceDefaults.Auth;
using Sip.ServiceDefaults.Data;
using Sip.ServiceDefaults.Time;

namespace Sip.MeetingScheduling.Apis;

/// <summary>
/// Meetings of a case: book (with summons to units taking part), move, cancel, hold (with the next meeting booked at the
/// meeting itself). Every request names the acting unit; the case service decides whether that unit may see the case
/// (it takes part and the consent covers it), else 404.
/// </summary>
public static class MeetingsApi
{
    public const string Purpose = "SIP-möte";

    public static RouteGroupBuilder MapMeetingsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/meetings").WithTags("Möten");
        api.MapPost("", Book).WithSummary("Boka ett möte och kalla enheter (planering, uppföljning, utvärdering eller aktörsmöte)");
        api.MapGet("", ListForCase).WithSummary("Ärendets möten");
        api.MapGet("/{meetingId:guid}", Get).WithSummary("Ett möte med kallelser, svar och deltagare");
        api.MapPut("/{meetingId:guid}/schedule", Reschedule).WithSummary("Flytta mötet (tid, längd eller plats); alla inbjudna får besked");
        api.MapPost("/{meetingId:guid}/cancel", Cancel).WithSummary("Ställ in mötet; alla inbjudna får besked");
        api.MapPost("/{meetingId:guid}/held", Hold).WithSummary("Registrera att mötet hölls: vilka deltog och hur, och boka nästa möte");
        return api;
    }

    public static async Task<Created<BookedResponse>> Book(BookMeetingRequest request, ClaimsPrincipal principal, MeetingDbContext db, ICaseAccess cases,
        MeetingOutbox outbox, TimeProvider clock, CancellationToken ct)
    {
        var user = SipUser.From(principal);
        var sipCase = await OpenCaseAsync(cases, request.CaseId, request.UnitId, ct);
        // Nobody else can have changed a meeting that is being booked: a conflict is the case's LUS watch, which a discharge
        // record's consumer changed at the same moment, and the booking is made again on the watch as it is now.
        var (meeting, warnings, now) = await db.SaveRedoingOnConflictAsync(async () =>
        {
            var now = clock.GetUtcNow();
            var (meeting, warnings) = await BookAsync(db, outbox, user, sipCase, request.UnitId, request.Details, now, null, ct);
            db.Audit(user, request.UnitId, "meeting.booked", sipCase.IndividualId, sipCase.CaseId, Purpose, now);
            return (meeting, warnings, now);
        }, ConflictTitle, ConflictDetail, ct);
        return TypedResults.Created($"/api/v1/meetings/{meeting.Id}", new BookedResponse(MeetingResponse.From(meeting, now), warnings));
    }

    public static async Task<Ok<List<MeetingSummary>>> ListForCase(Guid caseId, Guid unitId, ClaimsPrincipal principal, MeetingDbContext db, ICaseAccess cases,
        TimeProvider clock, CancellationToken ct)
    {
        var user = SipUser.From(principal);
        var sipCase = await cases.GetAsync(caseId, unitId, ct);
        var meetings = await db.Meetings.AsNoTracking().Where(m => m.TenantId == user.TenantId && m.CaseId == caseId).OrderBy(m => m.StartsAt).ToListAsync(ct);
        var now = clock.GetUtcNow();
        db.Audit(user, unitId, "meeting.listed", sipCase.IndividualId, caseId, Purpose, now);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(meetings.Select(m => MeetingSummary.From(m, now)).ToList());
    }

    public static async Task<Ok<MeetingResponse>> Get(Guid meetingId, Guid unitId, ClaimsPrincipal principal, MeetingDbContext db, ICaseAccess cases,
        TimeProvider clock, CancellationToken ct)
    {
        var (user, sipCase, meeting) = await MeetingAsync(db, cases, principal, meetingId, unitId, ct);
        var now = clock.GetUtcNow();
        db.Audit(user, unitId, "meeting.read", sipCase.IndividualId, sipCase.CaseId, Purpose, now);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(MeetingResponse.From(meeting, now));
    }

    public static async Task<Ok<BookedResponse>> Reschedule(Guid meetingId, RescheduleRequest request, ClaimsPrincipal principal, MeetingDbContext db,
        ICaseAccess cases, MeetingOutbox outbox, TimeProvider clock, CancellationToken ct)
    {
        var (user, sipCase, meeting) = await MeetingAsync(db, cases, principal, meetingId, request.UnitId, ct);
        RequireOrganiser(meeting, request.UnitId);
        var now = clock.GetUtcNow();
        meeting.Reschedule(request.StartsAt, request.DurationMinutes, request.Place, now);
        var warnings = await DoubleBookingsAsync(db, meeting, sipCase, ct);
        outbox.Rescheduled(meeting);
        db.Audit(user, request.UnitId, "meeting.rescheduled", sipCase.IndividualId, sipCase.CaseId, Purpose, now);
        await SaveAsync(db, ct);
        return TypedResults.Ok(new BookedResponse(MeetingResponse.From(meeting, now), warnings));
    }

    public static async Task<Ok<MeetingResponse>> Cancel(Guid meetingId, UnitRequest request, ClaimsPrincipal principal, MeetingDbContext db,
        ICaseAccess cases, MeetingOutbox outbox, TimeProvider clock, CancellationToken ct)
    {
        var (user, sipCase, meeting) = await MeetingAsync(db, cases, principal, meetingId, request.UnitId, ct);
        RequireOrganiser(meeting, request.UnitId);
        var now = clock.GetUtcNow();
        var invited = meeting.InvitedUnitIds;
        var closed = meeting.Cancel(CancellationCause.Cancelled, now);
        await outbox.CancelledAsync(meeting, invited, closed, ct);
        db.Audit(user, request.UnitId, "meeting.cancelled", sipCase.IndividualId, sipCase.CaseId, Purpose, now);
        await SaveAsync(db, ct);
        return TypedResults.Ok(MeetingResponse.From(meeting, now));
    }

    /// <summary>
    /// The meeting was held: who took part and how (absent people with how they are informed), and the next meeting booked at
    /// the meeting itself. Publishes <see cref="MeetingHeld"/>: case opens the next plan version, statistics counts it.
    /// </summary>
    public static async Task<Ok<HeldResponse>> Hold(Guid meetingId, HoldMeetingRequest request, ClaimsPrincipal principal, MeetingDbContext db,
        ICaseAccess cases, MeetingOutbox outbox, TimeProvider clock, CancellationToken ct)
    {
        // A conflict on the case's LUS watch or its timers alone is a consumer's save at the same moment (a discharge record): the
        // meeting is held again on what is there now. One on the meeting itself is someone else's change, answered 409.
        var (meeting, next, warnings, now) = await db.SaveRedoingOnConflictAsync(async () =>
        {
            var (user, sipCase, meeting) = await MeetingAsync(db, cases, principal, meetingId, request.UnitId, ct);
            RequireOrganiser(meeting, request.UnitId);
            EnsureOpen(sipCase);
            var now = clock.GetUtcNow();
            if (request.Participants.FirstOrDefault(p => p.UnitId is { } u && !sipCase.TakesPart(u)) is { UnitId: { } outsider })
            {
                throw new DomainException("unit-not-in-case", "Enheten deltar inte i ärendet", $"Enheten {outsider} deltar inte i ärendet.");
            }
            var closed = meeting.Hold(request.HeldAt ?? now, request.Participants, now);
            var earlierHeld = await db.Meetings.AnyAsync(m => m.CaseId == meeting.CaseId && m.Id != meeting.Id && m.Status == MeetingStatus.Held
                && m.Kind != MeetingKind.PreMeeting, ct);
            var regionUnitsInPerson = meeting.Participants.Where(p => p.Mode == ParticipationMode.InPerson && p.UnitId is not null)
                .Select(p => p.UnitId!.Value).Distinct().Count(u => sipCase.Unit(u)?.Principal == "Region");
            Meeting? next = null;
            IReadOnlyList<BookingWarning> warnings = [];
            if (request.NextMeeting is { } nextRequest)
            {
                (next, warnings) = await BookAsync(db, outbox, user, sipCase, request.UnitId, nextRequest, now, meeting.Id, ct);
                meeting.BookedNext(next.Id);
            }
            await outbox.HeldAsync(meeting, new MeetingHeld(Guid.CreateVersion7(now), now, meeting.TenantId, meeting.Id, meeting.CaseId, meeting.CaseReference,
                sipCase.MunicipalityCode, meeting.Kind.ToString(), meeting.HeldAt!.Value, meeting.Coordinator.UnitId ?? sipCase.CoordinatorUnitId,
                meeting.Participants.Select(p => p.UnitId).OfType<Guid>().Distinct().ToList(), meeting.IsPhysical, regionUnitsInPerson, sipCase.Discharge,
                meeting.Kind != MeetingKind.PreMeeting && !earlierHeld, sipCase.FirstInitiativeAt, next?.Id), closed, ct);
            // The same meeting for statistics, pseudonymously: no case, meeting or unit list, counted for the coordinator's unit, the
            // age band on the day the meeting was held (case's birth year and month, read just now, are not kept here).
            var countedFor = meeting.Coordinator.UnitId ?? sipCase.CoordinatorUnitId;
            db.AddEvent(new MeetingHeldFact(Guid.CreateVersion7(now), now, meeting.TenantId,
                sipCase.ForStatistics.Dimensions(sipCase.MunicipalityCode, countedFor, sipCase.Unit(countedFor)?.Principal ?? StatisticsDimensions.Unknown,
                    sipCase.Discharge, SwedishCalendar.Today(meeting.HeldAt!.Value)),
                meeting.Kind.ToString(), meeting.HeldAt!.Value, meeting.IsPhysical, regionUnitsInPerson, meeting.Kind != MeetingKind.PreMeeting && !earlierHeld,
                sipCase.FirstInitiativeAt));
            db.Audit(user, request.UnitId, "meeting.held", sipCase.IndividualId, sipCase.CaseId, Purpose, now);
            return (meeting, next, warnings, now);
        }, ConflictTitle, ConflictDetail, ct, redoIf: OnlyTheLusWatch);
        return TypedResults.Ok(new HeldResponse(MeetingResponse.From(meeting, now), next is null ? null : MeetingResponse.From(next, now), warnings));
    }

    /// <summary>Books a meeting with its summons; only units taking part in the case may be summoned. Double bookings are warnings.</summary>
    internal static async Task<(Meeting Meeting, IReadOnlyList<BookingWarning> Warnings)> BookAsync(MeetingDbContext db, MeetingOutbox outbox, SipUser user, CaseView sipCase,
        Guid unitId, MeetingDetails details, DateTimeOffset now, Guid? previousMeetingId, CancellationToken ct)
    {
        var summoned = details.SummonedUnitIds ?? [];
        var outsiders = summoned.Where(u => !sipCase.TakesPart(u)).Distinct().ToList();
        if (outsiders.Count > 0)
        {
            throw new DomainException("unit-not-in-case", "Enheten deltar inte i ärendet",
                $"Bara enheter som deltar i ärendet kan kallas. Skicka först ett initiativ till: {string.Join(", ", outsiders)}.",
                StatusCodes.Status422UnprocessableEntity);
        }
        var coordinator = details.Coordinator with { UnitId = details.Coordinator.UnitId ?? sipCase.CoordinatorUnitId };
        if (!sipCase.TakesPart(coordinator.UnitId!.Value) || details.Chair.UnitId is { } chairUnit && !sipCase.TakesPart(chairUnit))
        {
            throw new DomainException("unit-not-in-case", "Enheten deltar inte i ärendet", "Samordningsansvarig och ordförande kommer från enheter som deltar i ärendet.");
        }
        var meeting = Meeting.Book(user.TenantId, sipCase.CaseId, sipCase.Reference, details.Kind, details.StartsAt, details.DurationMinutes, details.Place,
            details.Chair, coordinator, unitId, details.Reason, user.Subject, now, previousMeetingId);
        var summons = summoned.Distinct().Where(u => u != unitId).Select(u => meeting.Summon(u, now)).ToList();
        db.Meetings.Add(meeting);
        var warnings = await DoubleBookingsAsync(db, meeting, sipCase, ct);
        await outbox.BookedAsync(meeting, summons, ct);
        return (meeting, warnings);
    }

    /// <summary>The same unit booked twice at once is allowed (two rooms, two people) but worth a warning.</summary>
    private static async Task<IReadOnlyList<BookingWarning>> DoubleBookingsAsync(MeetingDbContext db, Meeting meeting, CaseView sipCase, CancellationToken ct)
    {
        var units = meeting.InvitedUnitIds.ToList();
        var from = meeting.StartsAt.AddMinutes(-Meeting.MaxDurationMinutes);
        var candidates = await db.Meetings.AsNoTracking()
            .Where(m => m.TenantId == meeting.TenantId && m.Id != meeting.Id && m.Status == MeetingStatus.Planned && m.StartsAt > from && m.StartsAt < meeting.EndsAt
                && (units.Contains(m.ConvenedByUnitId) || m.Summons.Any(s => units.Contains(s.UnitId) && s.Status != SummonsStatus.Cancelled && s.Status != SummonsStatus.Declined)))
            .ToListAsync(ct);
        return candidates.Where(m => m.Overlaps(meeting.StartsAt, meeting.EndsAt))
            .SelectMany(m => m.InvitedUnitIds.Intersect(units))
            .Distinct()
            .Select(u => new BookingWarning("unit-double-booked", u, $"{sipCase.Unit(u)?.Name ?? "Enheten"} har redan ett annat möte som överlappar den här tiden."))
            .ToList();
    }

    internal static async Task<(SipUser User, CaseView Case, Meeting Meeting)> MeetingAsync(MeetingDbContext db, ICaseAccess cases, ClaimsPrincipal principal,
        Guid meetingId, Guid unitId, CancellationToken ct)
    {
        var user = SipUser.From(principal);
        var meeting = await db.Meetings.SingleOrDefaultAsync(m => m.Id == meetingId && m.TenantId == user.TenantId, ct)
            ?? throw new DomainException("not-found", "Hittades inte", status: StatusCodes.Status404NotFound);
        var sipCase = await cases.GetAsync(meeting.CaseId, unitId, ct);
        return (user, sipCase, meeting);
    }

    private static async Task<CaseView> OpenCaseAsync(ICaseAccess cases, Guid caseId, Guid unitId, CancellationToken ct)
    {
        var sipCase = await cases.GetAsync(caseId, unitId, ct);
        EnsureOpen(sipCase);
        return sipCase;
    }

    private static void EnsureOpen(CaseView sipCase)
    {
        if (!sipCase.IsOpen)
        {
            throw new DomainException("case-not-open", "Ärendet är inte öppet", "Ärendet är avslutat eller avbrutet: inga fler möten bokas.", StatusCodes.Status409Conflict);
        }
    }

    /// <summary>The convening unit, or the coordinator's, organises the meeting.</summary>
    private static void RequireOrganiser(Meeting meeting, Guid unitId)
    {
        if (unitId != meeting.ConvenedByUnitId && unitId != meeting.Coordinator.UnitId)
        {
            throw new DomainException("not-organiser", "Åtkomst nekad", "Mötet flyttas, ställs in och registreras av den enhet som kallade eller av samordningsansvarigs enhet.",
                StatusCodes.Status403Forbidden);
        }
    }

    private static bool OnlyTheLusWatch(DbUpdateException e) => e.Entries.Count > 0 && e.Entries.All(x => x.Entity is DischargeWatch or ScheduledEvent);

    private const string ConflictTitle = "Någon annan ändrade mötet samtidigt";
    private const string ConflictDetail = "Inget har sparats. Hämta mötet på nytt och försök igen.";

    internal static Task SaveAsync(MeetingDbContext db, CancellationToken ct) => db.SaveOrConflictAsync(ConflictTitle, ConflictDetail, ct);
}

/// <summary>What a meeting is: used when booking, and for the next meeting booked at a held one.</summary>
public sealed record MeetingDetails(MeetingKind Kind, DateTimeOffset StartsAt, int DurationMinutes, Place Place, NamedPerson Chair, NamedPerson Coordinator,
    string Reason, IReadOnlyList<Guid>? SummonedUnitIds = null);

public sealed record BookMeetingRequest(Guid CaseId, Guid UnitId, MeetingKind Kind, DateTimeOffset StartsAt, int DurationMinutes, Place Place, NamedPerson Chair,
    NamedPerson Coordinator, string Reason, IReadOnlyList<Guid>? SummonedUnitIds = null)
{
    public MeetingDetails Details => new(Kind, StartsAt, DurationMinutes, Place, Chair, Coordinator, Reason, SummonedUnitIds);
}

public sealed record RescheduleRequest(Guid UnitId, DateTimeOffset StartsAt, int DurationMinutes, Place Place);

public sealed record UnitRequest(Guid UnitId);

public sealed record HoldMeetingRequest(Guid UnitId, IReadOnlyList<Participation> Participants, DateTimeOffset? HeldAt = null, MeetingDetails? NextMeeting = null);

/// <summary>Something the booker should know but that does not stop the booking, e.g. <c>unit-double-booked</c>.</summary>
public sealed record BookingWarning(string Code, Guid UnitId, string Message);

public sealed record BookedResponse(MeetingResponse Meeting, IReadOnlyList<BookingWarning> Warnings);

public sealed record HeldResponse(MeetingResponse Meeting, MeetingResponse? NextMeeting, IReadOnlyList<BookingWarning> Warnings);

/// <summary>A meeting's time is given as an instant (UTC) and as Swedish local time, for people and for systems.</summary>
public sealed record MeetingSummary(Guid MeetingId, Guid CaseId, string CaseReference, MeetingKind Kind, MeetingStatus Status, DateTimeOffset StartsAt,
    DateTimeOffset EndsAt, string LocalTime, PlaceType PlaceType, Guid ConvenedByUnitId, int AwaitingAnswer, int Overdue)
{
    public static MeetingSummary From(Meeting m, DateTimeOffset now) =>
        new(m.Id, m.CaseId, m.CaseReference, m.Kind, m.Status, m.StartsAt, m.EndsAt, Documents.MeetingTexts.Time(m.StartsAt, m.EndsAt), m.Place.Type,
            m.ConvenedByUnitId, m.Summons.Count(s => s.Status == SummonsStatus.Sent), m.Summons.Count(s => s.IsOverdue(now)));
}

public sealed record SummonsResponse(Guid SummonsId, Guid UnitId, SummonsStatus Status, DateTimeOffset SentAt, DateTimeOffset DueAt, bool Overdue,
    DateTimeOffset? AnsweredAt, IReadOnlyList<Attendee> Attendees, string? DeclineReason)
{
    public static SummonsResponse From(Summons s, DateTimeOffset now) =>
        new(s.Id, s.UnitId, s.Status, s.SentAt, s.DueAt, s.IsOverdue(now), s.AnsweredAt, s.Attendees, s.DeclineReason);
}

public sealed record MeetingResponse(Guid MeetingId, Guid CaseId, string CaseReference, MeetingKind Kind, MeetingStatus Status, DateTimeOffset StartsAt,
    DateTimeOffset EndsAt, int DurationMinutes, string LocalTime, Place Place, NamedPerson Chair, NamedPerson Coordinator, Guid ConvenedByUnitId, string Reason,
    int Sequence, IReadOnlyList<SummonsResponse> Summons, DateTimeOffset? HeldAt, IReadOnlyList<Participation> Participants, CancellationCause? CancelledBecause,
    Guid? PreviousMeetingId, Guid? NextMeetingId)
{
    public static MeetingResponse From(Meeting m, DateTimeOffset now) =>
        new(m.Id, m.CaseId, m.CaseReference, m.Kind, m.Status, m.StartsAt, m.EndsAt, m.DurationMinutes, Documents.MeetingTexts.Time(m.StartsAt, m.EndsAt), m.Place,
            m.Chair, m.Coordinator, m.ConvenedByUnitId, m.Reason, m.Sequence, m.Summons.Select(s => SummonsResponse.From(s, now)).ToList(), m.HeldAt,
            m.Participants, m.CancelledBecause, m.PreviousMeetingId, m.NextMeetingId);
}
