using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sip.Notification.Domain;
using Sip.Notification.Infrastructure;
using Sip.ServiceDefaults;
using Sip.ServiceDefaults.Time;

namespace Sip.Notification.Delivery;

/// <summary>
/// The morning digest: every minute, deliveries held for a digest subscription that were written before the tenant's
/// digest time today (Swedish time) become one e-mail per recipient, and are marked as digested in the same transaction.
/// The digest's id is derived from the recipient and the day, so two replicas racing write one digest (the second fails
/// on the unique key and rolls back).
/// </summary>
public sealed class DigestWorker(IServiceScopeFactory scopes, IOptions<NotificationOptions> options, DeliveryWorkers workers, TimeProvider clock,
    ILogger<DigestWorker> logger) : PeriodicWorker(clock, logger)
{
    public const string Kind = "digest";

    protected override TimeSpan Interval => TimeSpan.FromMinutes(1);

    protected override string Name => "Morning digest";

    protected override async Task RunOnceAsync(CancellationToken ct)
    {
        if (await RunAsync(ct) > 0)
        {
            workers.WakeAll();
        }
    }

    public Task<int> RunAsync(CancellationToken ct) => RunAsync(Clock.GetUtcNow(), ct);

    /// <summary>Writes the digests due as of <paramref name="asOf"/> (a test's tomorrow morning); returns how many. They are sent from now.</summary>
    public async Task<int> RunAsync(DateTimeOffset asOf, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationDbContext>();
        var now = Clock.GetUtcNow();
        var held = await db.Deliveries.Where(d => d.Status == DeliveryStatus.Held && d.CreatedAt <= asOf).OrderBy(d => d.CreatedAt).ToListAsync(ct);
        var written = 0;
        foreach (var tenant in held.GroupBy(d => d.TenantId))
        {
            var (day, cutoff) = LastDigestTime(options.Value.For(tenant.Key).DigestAt, asOf);
            foreach (var recipient in tenant.Where(d => d.CreatedAt < cutoff).GroupBy(d => (d.UnitId, d.RecipientKey)))
            {
                var items = recipient.ToList();
                var message = Templates.Digest(day, items.Select(d => (d.Kind, d.CaseReference, d.DueAt, d.Link ?? "")).ToList());
                var notice = new Notice(Kind, Guid.Empty, "", options.Value.Links.Base, null, message, "");
                var digest = Domain.Delivery.To(tenant.Key, recipient.Key.UnitId, Channels.Email, items[0].Recipient, recipient.Key.RecipientKey, "unit",
                    items[0].SubscriptionId, notice, Kind, DeliveryIds.Derived(DayId(day), recipient.Key.RecipientKey), now, _ => message.Body);
                db.Deliveries.Add(digest);
                foreach (var item in items)
                {
                    item.IncludeIn(digest.Id);
                }
                written++;
            }
        }
        await db.SaveChangesAsync(ct);
        return written;
    }

    /// <summary>The latest digest moment at or before <paramref name="now"/>: today's at <paramref name="at"/> Swedish time, or yesterday's.</summary>
    public static (DateOnly Day, DateTimeOffset At) LastDigestTime(TimeOnly at, DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, SwedishCalendar.Stockholm);
        var day = DateOnly.FromDateTime(local.DateTime);
        var moment = Moment(day, at);
        return moment <= now ? (day, moment) : (day.AddDays(-1), Moment(day.AddDays(-1), at));
    }

    private static DateTimeOffset Moment(DateOnly day, TimeOnly at)
    {
        var local = day.ToDateTime(at);
        return new DateTimeOffset(local, SwedishCalendar.Stockholm.GetUtcOffset(local));
    }

    private static Guid DayId(DateOnly day) => new(day.DayNumber, 0, 0, [0, 0, 0, 0, 0, 0, 0, 0]);
}
