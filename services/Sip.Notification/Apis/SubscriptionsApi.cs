using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sip.Notification.Delivery;
using Sip.Notification.Domain;
using Sip.Notification.Infrastructure;
using Sip.ServiceDefaults;
using Sip.ServiceDefaults.Auth;

namespace Sip.Notification.Apis;

/// <summary>
/// A unit's notification settings: which event kinds go to which channel and address. Managed by the unit's own
/// administrators (the directory's <c>unit-administrator</c> of that unit). Until they save settings, every event goes
/// by e-mail to the unit's functional mailbox.
/// </summary>
public static class SubscriptionsApi
{
    private const int MaxSubscriptions = 20;

    public static RouteGroupBuilder MapSubscriptionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/notifications").WithTags("Aviseringsinställningar");
        api.MapGet("/kinds", Kinds).WithSummary("Händelsetyper som en enhet kan prenumerera på");
        api.MapGet("/units/{unitId:guid}/subscriptions", Get).WithSummary("Enhetens aviseringsinställningar")
            .RequireAuthorization(SipPolicies.UnitAdministrator);
        api.MapPut("/units/{unitId:guid}/subscriptions", Put).WithSummary("Ersätt enhetens aviseringsinställningar")
            .RequireAuthorization(SipPolicies.UnitAdministrator);
        return api;
    }

    public static Ok<EventKindResponse[]> Kinds() =>
        TypedResults.Ok(EventKinds.Names.Select(k => new EventKindResponse(k.Key, k.Value)).ToArray());

    public static async Task<Ok<UnitSettingsResponse>> Get(Guid unitId, ClaimsPrincipal principal, HttpContext http, NotificationDbContext db,
        CancellationToken ct)
    {
        var user = Administrator(principal, unitId);
        var unit = await UnitAsync(db, user, unitId, ct);
        var subscriptions = await db.Subscriptions.AsNoTracking().Where(s => s.TenantId == user.TenantId && s.UnitId == unitId).OrderBy(s => s.CreatedAt).ToListAsync(ct);
        http.Response.Headers.ETag = ETag(unit);
        return TypedResults.Ok(Response(unit, subscriptions, newlyCreated: new HashSet<Guid>()));
    }

    /// <summary>
    /// Replaces the unit's settings. An entry with the id of an existing subscription changes it (a webhook keeps its
    /// secret); one without an id is new, and a new webhook's secret is in this response only. If-Match (the ETag of GET)
    /// makes the change conditional: 412 when someone saved in between.
    /// </summary>
    public static async Task<Results<Ok<UnitSettingsResponse>, ProblemHttpResult>> Put(Guid unitId, UnitSettingsRequest request, ClaimsPrincipal principal,
        HttpContext http, NotificationDbContext db, IOptions<NotificationOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var user = Administrator(principal, unitId);
        if (request.Subscriptions.Count > MaxSubscriptions)
        {
            return Problems.Validation($"En enhet kan ha högst {MaxSubscriptions} kanaler.");
        }
        var unit = await db.UnitSubscriptions.SingleOrDefaultAsync(u => u.TenantId == user.TenantId && u.UnitId == unitId, ct)
            ?? throw NotKnown();
        var ifMatch = http.Request.Headers.IfMatch.ToString();
        if (ifMatch.Length > 0 && ifMatch != "*" && ifMatch != ETag(unit))
        {
            return Problems.Create(StatusCodes.Status412PreconditionFailed, "settings-changed", "Inställningarna har ändrats av någon annan",
                "Hämta inställningarna på nytt och gör ändringen igen.", new Dictionary<string, object?> { ["currentETag"] = ETag(unit) });
        }
        var now = clock.GetUtcNow();
        var existing = await db.Subscriptions.Where(s => s.TenantId == user.TenantId && s.UnitId == unitId).ToListAsync(ct);
        var kept = new List<Subscription>();
        var created = new HashSet<Guid>();
        foreach (var (entry, index) in request.Subscriptions.Select((e, i) => (e, i)))
        {
            try
            {
                if (entry.Id is { } id)
                {
                    var subscription = existing.SingleOrDefault(s => s.Id == id)
                        ?? throw new DomainException("invalid-subscription", "Ogiltig aviseringsinställning", "Kanalen finns inte längre; ta bort id för att lägga till den på nytt.", 400);
                    subscription.Change(entry.Channel, entry.Address, entry.Kinds, entry.Digest, options.Value.AllowPlainHttpWebhooks);
                    kept.Add(subscription);
                }
                else
                {
                    var subscription = Subscription.Create(user.TenantId, unitId, entry.Channel, entry.Address, entry.Kinds, entry.Digest,
                        options.Value.AllowPlainHttpWebhooks, now);
                    db.Subscriptions.Add(subscription);
                    kept.Add(subscription);
                    created.Add(subscription.Id);
                }
            }
            catch (DomainException e)
            {
                throw new DomainException(e.Slug, e.Title, e.Detail, e.Status) { Field = $"$.subscriptions[{index}]" };
            }
        }
        var removed = existing.Where(s => kept.All(k => k.Id != s.Id)).ToList();
        db.Subscriptions.RemoveRange(removed);
        var removedIds = removed.Select(s => s.Id).ToList();
        if (removedIds.Count > 0)
        {
            // What was waiting for a channel that is gone is not sent to it (it might be an address the unit gave up).
            await db.Deliveries.Where(d => d.SubscriptionId != null && removedIds.Contains(d.SubscriptionId.Value)
                    && (d.Status == DeliveryStatus.Pending || d.Status == DeliveryStatus.Held || d.Status == DeliveryStatus.Failed))
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeliveryStatus.Cancelled).SetProperty(d => d.LastError, "Kanalen togs bort."), ct);
        }
        unit.Customised = true;
        unit.SettingsVersion++;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Create(StatusCodes.Status412PreconditionFailed, "settings-changed", "Inställningarna har ändrats av någon annan",
                "Hämta inställningarna på nytt och gör ändringen igen.");
        }
        http.Response.Headers.ETag = ETag(unit);
        return TypedResults.Ok(Response(unit, kept, created));
    }

    internal static SipUser Administrator(ClaimsPrincipal principal, Guid unitId)
    {
        var user = SipUser.From(principal);
        if (!DirectoryMembership.AdministeredUnits(principal).Contains(unitId))
        {
            throw new DomainException("not-unit-administrator", "Åtkomst nekad", "Enhetens aviseringar hanteras av enhetens administratör.", StatusCodes.Status403Forbidden);
        }
        return user;
    }

    internal static async Task<UnitSubscription> UnitAsync(NotificationDbContext db, SipUser user, Guid unitId, CancellationToken ct) =>
        await db.UnitSubscriptions.AsNoTracking().SingleOrDefaultAsync(u => u.TenantId == user.TenantId && u.UnitId == unitId, ct) ?? throw NotKnown();

    private static DomainException NotKnown() =>
        new("unit-not-found", "Hittades inte", "Enheten finns inte i aviseringstjänstens enhetskatalog.", StatusCodes.Status404NotFound);

    private static string ETag(UnitSubscription unit) => $"\"{unit.SettingsVersion}\"";

    private static UnitSettingsResponse Response(UnitSubscription unit, IEnumerable<Subscription> subscriptions, IReadOnlySet<Guid> newlyCreated) =>
        new(unit.UnitId, unit.Customised, unit.Customised ? null : unit.Email,
            subscriptions.Select(s => new SubscriptionResponse(s.Id, s.Channel, s.Address, s.Kinds, s.Digest, newlyCreated.Contains(s.Id) ? s.Secret : null)).ToArray());
}

public sealed record EventKindResponse(string Kind, string Name);

public sealed record UnitSettingsRequest(IReadOnlyList<SubscriptionRequest> Subscriptions);

/// <param name="Channel"><c>email</c>, <c>sms</c> or <c>webhook</c>.</param>
/// <param name="Address">A mailbox, a phone number with country code, or an https URL.</param>
/// <param name="Kinds">Event kinds, from <c>GET /api/v1/notifications/kinds</c>.</param>
/// <param name="Digest">E-mail only: one morning digest instead of one message per event.</param>
/// <param name="Id">An existing subscription's id to change it; none for a new one.</param>
public sealed record SubscriptionRequest(string Channel, string Address, IReadOnlyList<string> Kinds, bool Digest = false, Guid? Id = null);

/// <param name="DefaultMailbox">While the unit has no settings of its own: the functional mailbox every event goes to.</param>
public sealed record UnitSettingsResponse(Guid UnitId, bool Customised, string? DefaultMailbox, SubscriptionResponse[] Subscriptions);

/// <param name="Secret">A new webhook's signing secret: shown in the response that created it, never again.</param>
public sealed record SubscriptionResponse(Guid Id, string Channel, string Address, IReadOnlyList<string> Kinds, bool Digest, string? Secret);
