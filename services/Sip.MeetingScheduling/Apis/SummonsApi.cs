using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Sip.MeetingScheduling.Clients;
using Sip.MeetingScheduling.Domain;
using Sip.MeetingScheduling.Infrastructure;
using Sip.ServiceDefaults;
using Sip.ServiceDefaults.Auth;
using Sip.ServiceDefaults.Data;
using static Sip.MeetingScheduling.Apis.MeetingsApi;

namespace Sip.MeetingScheduling.Apis;

/// <summary>A unit's summons: what awaits its answer, and the answer (acknowledge naming who attends and how, or decline with a reason).</summary>
public static class SummonsApi
{
    public static RouteGroupBuilder MapSummonsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/meetings").WithTags("Kallelser");
        api.MapGet("/summons", ListForUnit).WithSummary("Enhetens kallelser som väntar på svar, försenade först");
        api.MapPost("/{meetingId:guid}/summons/{summonsId:guid}/acknowledge", Acknowledge).WithSummary("Kvittera kallelsen: vem som deltar och hur");
        api.MapPost("/{meetingId:guid}/summons/{summonsId:guid}/decline", Decline).WithSummary("Avböj kallelsen med en anledning");
        return api;
    }

    /// <summary>References, kinds and times only: what a unit must answer, without reading any case.</summary>
    public static async Task<Results<Ok<List<AwaitingSummons>>, ProblemHttpResult>> ListForUnit(Guid unitId, ClaimsPrincipal principal, MeetingDbContext db,
        TimeProvider clock, CancellationToken ct)
    {
        var user = SipUser.From(principal);
        if (!user.IsMemberOf(unitId))
        {
            return Problems.Forbidden("Du arbetar inte för enheten.");
        }
        var now = clock.GetUtcNow();
        // Only the columns the answer shows: a whole meeting would bring its participants, place and people as JSON to
        // read, and every one of its summons (auto-included) with their attendees (issue 14: 303 awaiting summons cost
        // meeting-scheduling 11.8 ms and PostgreSQL 5.5 ms of CPU per read when whole meetings were loaded).
        var rows = await db.Summons
            .Where(s => s.UnitId == unitId && s.Status == SummonsStatus.Sent)
            .Join(db.Meetings.Where(m => m.TenantId == user.TenantId && m.Status == MeetingStatus.Planned), s => s.MeetingId, m => m.Id,
                (s, m) => new { s.Id, MeetingId = m.Id, m.CaseId, m.CaseReference, m.Kind, m.StartsAt, m.DurationMinutes, m.ConvenedByUnitId, s.DueAt })
            .OrderBy(x => x.DueAt)
            .Take(500)
            .ToListAsync(ct);
        return TypedResults.Ok(rows
            .Select(x => new AwaitingSummons(x.Id, x.MeetingId, x.CaseId, x.CaseReference, x.Kind, x.StartsAt,
                Documents.MeetingTexts.Time(x.StartsAt, x.StartsAt.AddMinutes(x.DurationMinutes)), x.ConvenedByUnitId, x.DueAt, Summons.IsPastDue(x.DueAt, now)))
            .OrderByDescending(s => s.Overdue).ThenBy(s => s.DueAt)
            .ToList());
    }

    public static async Task<Ok<SummonsResponse>> Acknowledge(Guid meetingId, Guid summonsId, AcknowledgeSummonsRequest request, ClaimsPrincipal principal,
        MeetingDbContext db, ICaseAccess cases, MeetingOutbox outbox, TimeProvider clock, CancellationToken ct) =>
        await AnswerAsync(db, cases, outbox, clock, principal, meetingId, summonsId, request.UnitId, "meeting.summons-acknowledged",
            (s, user, now) => s.Acknowledge(request.Attendees, user.Subject, now), ct);

    public static async Task<Ok<SummonsResponse>> Decline(Guid meetingId, Guid summonsId, DeclineSummonsRequest request, ClaimsPrincipal principal,
        MeetingDbContext db, ICaseAccess cases, MeetingOutbox outbox, TimeProvider clock, CancellationToken ct) =>
        await AnswerAsync(db, cases, outbox, clock, principal, meetingId, summonsId, request.UnitId, "meeting.summons-declined",
            (s, user, now) => s.Decline(request.Reason, user.Subject, now), ct);

    private static async Task<Ok<SummonsResponse>> AnswerAsync(MeetingDbContext db, ICaseAccess cases, MeetingOutbox outbox, TimeProvider clock,
        ClaimsPrincipal principal, Guid meetingId, Guid summonsId, Guid unitId, string action, Action<Summons, SipUser, DateTimeOffset> answer, CancellationToken ct)
    {
        var (user, sipCase, meeting) = await MeetingAsync(db, cases, principal, meetingId, unitId, ct);
        var summons = meeting.Summons.SingleOrDefault(s => s.Id == summonsId && s.UnitId == unitId)
            ?? throw new DomainException("not-found", "Hittades inte", status: StatusCodes.Status404NotFound);
        var now = clock.GetUtcNow();
        answer(summons, user, now);
        await outbox.AnsweredAsync(meeting, summons, ct);
        db.Audit(user, unitId, action, sipCase.IndividualId, sipCase.CaseId, Purpose, now);
        await SaveAsync(db, ct);
        return TypedResults.Ok(SummonsResponse.From(summons, now));
    }
}

public sealed record AcknowledgeSummonsRequest(Guid UnitId, IReadOnlyList<Attendee> Attendees);

public sealed record DeclineSummonsRequest(Guid UnitId, string Reason);

public sealed record AwaitingSummons(Guid SummonsId, Guid MeetingId, Guid CaseId, string CaseReference, MeetingKind Kind, DateTimeOffset StartsAt, string LocalTime,
    Guid ConvenedByUnitId, DateTimeOffset DueAt, bool Overdue);
