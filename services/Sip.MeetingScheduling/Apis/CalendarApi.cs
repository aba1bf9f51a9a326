using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Sip.MeetingScheduling.Clients;
using Sip.MeetingScheduling.Documents;
using Sip.MeetingScheduling.Domain;
using Sip.MeetingScheduling.Infrastructure;
using Sip.ServiceDefaults;
using Sip.ServiceDefaults.Auth;
using Sip.ServiceDefaults.Data;
using static Sip.MeetingScheduling.Apis.MeetingsApi;

namespace Sip.MeetingScheduling.Apis;

/// <summary>
/// Calendars: one meeting's iCalendar item, and a unit's subscribable feed. Calendar clients cannot send bearer tokens, so
/// the feed's address carries a random secret (only its hash is stored) that a unit administrator rotates to revoke it.
/// Calendar items carry the case reference, the kind, the time, the place type and a link only.
/// </summary>
public static class CalendarApi
{
    public const string CalendarType = "text/calendar; charset=utf-8";
    private static readonly TimeSpan FeedPast = TimeSpan.FromDays(30);
    private static readonly TimeSpan FeedFuture = TimeSpan.FromDays(400);

    public static RouteGroupBuilder MapCalendarApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/meetings").WithTags("Kalendrar");
        api.MapGet("/{meetingId:guid}/calendar", Event).WithSummary("Mötet som kalenderhändelse (iCalendar)");
        api.MapPost("/calendar-feeds/{unitId:guid}", Rotate).WithSummary("Skapa eller byt enhetens kalenderprenumeration (den gamla adressen slutar gälla)")
            .RequireAuthorization(SipPolicies.UnitAdministrator);
        api.MapDelete("/calendar-feeds/{unitId:guid}", Revoke).WithSummary("Stäng enhetens kalenderprenumeration")
            .RequireAuthorization(SipPolicies.UnitAdministrator);
        api.MapGet("/feeds/{secret}", Feed).WithSummary("Enhetens möten som prenumererbar kalender (adressen är hemlig)").AllowAnonymous();
        return api;
    }

    public static async Task<ContentHttpResult> Event(Guid meetingId, Guid unitId, ClaimsPrincipal principal, MeetingDbContext db, ICaseAccess cases,
        MeetingOutbox outbox, CancellationToken ct)
    {
        var (_, _, meeting) = await MeetingAsync(db, cases, principal, meetingId, unitId, ct);
        return TypedResults.Content(outbox.Calendar(meeting), CalendarType);
    }

    public static async Task<Ok<FeedResponse>> Rotate(Guid unitId, ClaimsPrincipal principal, HttpContext http, MeetingDbContext db, TimeProvider clock,
        CancellationToken ct)
    {
        var user = RequireAdministrator(principal, unitId);
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var feed = await db.CalendarFeeds.SingleOrDefaultAsync(f => f.UnitId == unitId && f.TenantId == user.TenantId, ct);
        if (feed is null)
        {
            feed = CalendarFeed.For(unitId, user.TenantId);
            db.CalendarFeeds.Add(feed);
        }
        var now = clock.GetUtcNow();
        feed.Rotate(Hash(secret), user.Subject, now);
        await SaveAsync(db, ct);
        var path = $"/api/v1/meetings/feeds/{secret}";
        return TypedResults.Ok(new FeedResponse(unitId, path, now));
    }

    public static async Task<NoContent> Revoke(Guid unitId, ClaimsPrincipal principal, MeetingDbContext db, CancellationToken ct)
    {
        var user = RequireAdministrator(principal, unitId);
        await db.CalendarFeeds.Where(f => f.UnitId == unitId && f.TenantId == user.TenantId).ExecuteDeleteAsync(ct);
        return TypedResults.NoContent();
    }

    /// <summary>Meetings the unit convenes or is summoned to, from a month back; cancelled ones stay (as cancelled) so calendars drop them.</summary>
    public static async Task<Results<ContentHttpResult, NotFound>> Feed(string secret, MeetingDbContext db, MeetingOutbox outbox, TimeProvider clock,
        CancellationToken ct)
    {
        if (secret.Length != 64)
        {
            return TypedResults.NotFound();
        }
        var hash = Hash(secret);
        var feed = await db.CalendarFeeds.AsNoTracking().SingleOrDefaultAsync(f => f.SecretHash == hash, ct);
        if (feed is null)
        {
            return TypedResults.NotFound();
        }
        var now = clock.GetUtcNow();
        var (from, to) = (now - FeedPast, now + FeedFuture);
        var meetings = await db.Meetings.AsNoTracking()
            .Where(m => m.TenantId == feed.TenantId && m.StartsAt > from && m.StartsAt < to
                && (m.ConvenedByUnitId == feed.UnitId || m.Summons.Any(s => s.UnitId == feed.UnitId && s.Status != SummonsStatus.Declined)))
            .OrderBy(m => m.StartsAt)
            .Take(2000)
            .ToListAsync(ct);
        return TypedResults.Content(MeetingCalendar.Feed("SIP-möten", meetings.Select(outbox.CalendarItemOf)), CalendarType);
    }

    private static SipUser RequireAdministrator(ClaimsPrincipal principal, Guid unitId)
    {
        var user = SipUser.From(principal);
        if (!DirectoryMembership.AdministeredUnits(principal).Contains(unitId))
        {
            throw new DomainException("not-unit-administrator", "Åtkomst nekad", "Kalenderprenumerationen hanteras av enhetens administratör.", StatusCodes.Status403Forbidden);
        }
        return user;
    }

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret)));
}

/// <summary>The feed's address (relative to the gateway): shown once, as only its hash is kept.</summary>
public sealed record FeedResponse(Guid UnitId, string Path, DateTimeOffset CreatedAt);
