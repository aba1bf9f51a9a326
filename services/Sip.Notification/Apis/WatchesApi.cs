using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Sip.Notification.Domain;
using Sip.Notification.Infrastructure;
using Sip.ServiceDefaults;
using Sip.ServiceDefaults.Auth;

namespace Sip.Notification.Apis;

/// <summary>
/// Staff who handle a case watch it: they get an e-mail at their work address of each event about the case that the unit
/// they watch through is told of. The address is given with the watch (tokens carry no e-mail address). Only staff of
/// that unit (the directory decides) may watch through it; a watch through a unit that takes no part in the case is
/// allowed, but nothing reaches it, since only events addressed to the unit do.
/// </summary>
public static class WatchesApi
{
    public static RouteGroupBuilder MapWatchesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/notifications").WithTags("Bevakningar");
        api.MapGet("/watches", Mine).WithSummary("Ärenden jag bevakar");
        api.MapPut("/cases/{caseId:guid}/watch", Watch).WithSummary("Bevaka ärendet (e-post till mig)");
        api.MapDelete("/cases/{caseId:guid}/watch", Unwatch).WithSummary("Sluta bevaka ärendet");
        return api;
    }

    public static async Task<Ok<WatchResponse[]>> Mine(ClaimsPrincipal principal, NotificationDbContext db, CancellationToken ct)
    {
        var user = SipUser.From(principal);
        var watches = await db.CaseWatches.AsNoTracking().Where(w => w.TenantId == user.TenantId && w.Subject == user.Subject)
            .OrderBy(w => w.CreatedAt).Take(500).ToListAsync(ct);
        return TypedResults.Ok(watches.Select(Response).ToArray());
    }

    public static async Task<Results<Ok<WatchResponse>, ProblemHttpResult>> Watch(Guid caseId, WatchRequest request, ClaimsPrincipal principal,
        NotificationDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var user = SipUser.From(principal);
        if (!user.IsMemberOf(request.UnitId))
        {
            return Problems.Forbidden("Du kan bara bevaka ärenden genom en enhet där du arbetar.");
        }
        var email = request.Email.Trim();
        if (!Subscription.IsEmail(email))
        {
            return Problems.Validation("E-postadressen är ogiltig.", new Dictionary<string, object?> { ["field"] = "$.email" });
        }
        var watch = await db.CaseWatches.SingleOrDefaultAsync(w => w.TenantId == user.TenantId && w.CaseId == caseId && w.Subject == user.Subject, ct);
        if (watch is null)
        {
            watch = new CaseWatch { TenantId = user.TenantId, CaseId = caseId, Subject = user.Subject, CreatedAt = clock.GetUtcNow() };
            db.CaseWatches.Add(watch);
        }
        watch.UnitId = request.UnitId;
        watch.Email = email;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(Response(watch));
    }

    public static async Task<NoContent> Unwatch(Guid caseId, ClaimsPrincipal principal, NotificationDbContext db, CancellationToken ct)
    {
        var user = SipUser.From(principal);
        await db.CaseWatches.Where(w => w.TenantId == user.TenantId && w.CaseId == caseId && w.Subject == user.Subject).ExecuteDeleteAsync(ct);
        return TypedResults.NoContent();
    }

    private static WatchResponse Response(CaseWatch w) => new(w.CaseId, w.UnitId, w.Email, w.CreatedAt);
}

public sealed record WatchRequest(Guid UnitId, string Email);

public sealed record WatchResponse(Guid CaseId, Guid UnitId, string Email, DateTimeOffset CreatedAt);
