using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Sip.Notification.Delivery;
using Sip.Notification.Domain;
using Sip.Notification.Infrastructure;
using Sip.ServiceDefaults.Auth;

namespace Sip.Notification.Apis;

public static class DeliveriesApi
{
    public static RouteGroupBuilder MapDeliveriesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/notifications").WithTags("Aviseringar");
        api.MapGet("/deliveries", ListDeliveries).WithSummary("Senaste aviseringar till mina enheter");
        api.MapGet("/units/{unitId:guid}/deliveries", UnitLog).WithSummary("Enhetens leveranslogg med varje försök (för enhetens administratör)")
            .RequireAuthorization(SipPolicies.UnitAdministrator);
        api.MapPost("/units/{unitId:guid}/deliveries/retry", Retry).WithSummary("Försök igen med misslyckade leveranser")
            .RequireAuthorization(SipPolicies.UnitAdministrator);
        return api;
    }

    public static async Task<Ok<DeliveryResponse[]>> ListDeliveries(string? caseReference, ClaimsPrincipal principal, NotificationDbContext db, CancellationToken ct)
    {
        var user = SipUser.From(principal);
        var units = user.UnitIds.ToList();
        var query = db.Deliveries.AsNoTracking().Where(d => d.TenantId == user.TenantId && units.Contains(d.UnitId) && d.Audience == "unit");
        if (!string.IsNullOrEmpty(caseReference))
        {
            query = query.Where(d => d.CaseReference == caseReference);
        }
        var rows = await query.OrderByDescending(d => d.CreatedAt).Take(100).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(d => new DeliveryResponse(d.Id, d.UnitId, d.Channel, d.Kind, d.CaseReference, d.Subject, d.Status, d.Attempts,
            d.CreatedAt, d.SentAt)).ToArray());
    }

    /// <summary>Every delivery to the unit's addresses (newest first; <paramref name="status"/> e.g. <c>Failed</c>), each with its attempts.</summary>
    public static async Task<Ok<DeliveryLogEntry[]>> UnitLog(Guid unitId, DeliveryStatus? status, ClaimsPrincipal principal, NotificationDbContext db,
        CancellationToken ct)
    {
        var user = SubscriptionsApi.Administrator(principal, unitId);
        var query = db.Deliveries.AsNoTracking().Where(d => d.TenantId == user.TenantId && d.UnitId == unitId);
        if (status is { } s)
        {
            query = query.Where(d => d.Status == s);
        }
        var rows = await query.OrderByDescending(d => d.CreatedAt).Take(200).ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        var attempts = (await db.DeliveryAttempts.AsNoTracking().Where(a => ids.Contains(a.DeliveryId)).OrderBy(a => a.Attempt).ToListAsync(ct))
            .ToLookup(a => a.DeliveryId);
        return TypedResults.Ok(rows.Select(d => new DeliveryLogEntry(d.Id, d.Channel, d.Kind, d.Audience, d.Recipient, d.CaseReference, d.Status, d.LastError,
            d.CreatedAt, d.NextAttemptAt, d.SentAt,
            attempts[d.Id].Select(a => new AttemptResponse(a.Attempt, a.StartedAt, a.FinishedAt, a.Outcome, a.Error)).ToArray())).ToArray());
    }

    /// <summary>Failed deliveries of the unit are tried again now: those listed, or all of them when the list is empty.</summary>
    public static async Task<Ok<RetryResponse>> Retry(Guid unitId, RetryRequest request, ClaimsPrincipal principal, NotificationDbContext db, DeliveryWorkers workers,
        TimeProvider clock, CancellationToken ct)
    {
        var user = SubscriptionsApi.Administrator(principal, unitId);
        var ids = request.DeliveryIds ?? [];
        var failed = await db.Deliveries
            .Where(d => d.TenantId == user.TenantId && d.UnitId == unitId && d.Status == DeliveryStatus.Failed && (ids.Count == 0 || ids.Contains(d.Id)))
            .Take(1000).ToListAsync(ct);
        var now = clock.GetUtcNow();
        var retried = failed.Count(d => d.Retry(now));
        await db.SaveChangesAsync(ct);
        workers.WakeAll();
        return TypedResults.Ok(new RetryResponse(retried));
    }
}

public sealed record DeliveryResponse(Guid DeliveryId, Guid UnitId, string Channel, string Kind, string CaseReference, string Subject, DeliveryStatus Status,
    int Attempts, DateTimeOffset CreatedAt, DateTimeOffset? SentAt);

/// <param name="Audience"><c>unit</c>, <c>watch</c> (a person watching the case) or <c>escalation</c>.</param>
public sealed record DeliveryLogEntry(Guid DeliveryId, string Channel, string Kind, string Audience, string? Recipient, string CaseReference,
    DeliveryStatus Status, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset NextAttemptAt, DateTimeOffset? SentAt, AttemptResponse[] Attempts);

public sealed record AttemptResponse(int Attempt, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, string Outcome, string? Error);

/// <param name="DeliveryIds">The failed deliveries to try again; empty or left out: every failed delivery of the unit.</param>
public sealed record RetryRequest(IReadOnlyList<Guid>? DeliveryIds = null);

public sealed record RetryResponse(int Retried);
