using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
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
        return api;
    }

    public static async Task<Ok<DeliveryResponse[]>> ListDeliveries(string? caseReference, ClaimsPrincipal principal, NotificationDbContext db, CancellationToken ct)
    {
        var user = SipUser.From(principal);
        var units = user.UnitIds.ToList();
        var query = db.Deliveries.AsNoTracking().Where(d => d.TenantId == user.TenantId && units.Contains(d.UnitId));
        if (!string.IsNullOrEmpty(caseReference))
        {
            query = query.Where(d => d.CaseReference == caseReference);
        }
        var rows = await query.OrderByDescending(d => d.CreatedAt).Take(100).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(d => new DeliveryResponse(d.Id, d.UnitId, d.Channel, d.CaseReference, d.Subject, d.Status, d.Attempts, d.CreatedAt, d.SentAt)).ToArray());
    }
}

public sealed record DeliveryResponse(Guid DeliveryId, Guid UnitId, string Channel, string CaseReference, string Subject, DeliveryStatus Status, int Attempts, DateTimeOffset CreatedAt, DateTimeOffset? SentAt);
