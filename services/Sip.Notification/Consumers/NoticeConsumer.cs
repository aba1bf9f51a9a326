using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sip.Messaging;
using Sip.Notification.Delivery;
using Sip.Notification.Domain;
using Sip.Notification.Infrastructure;

namespace Sip.Notification.Consumers;

/// <summary>The services every notice consumer needs, in one parameter.</summary>
public sealed class NoticeContext(NotificationDbContext db, MessagingMetrics metrics, IOptions<NotificationOptions> options, DeliveryWorkers workers,
    TimeProvider clock)
{
    public NotificationDbContext Db => db;
    public MessagingMetrics Metrics => metrics;
    public NotificationOptions Options => options.Value;
    public Links Links => options.Value.Links;
    public DeliveryWorkers Workers => workers;
    public TimeProvider Clock => clock;
}

/// <summary>
/// An event that units are to be told about. Its deliveries — one per recipient and channel the units chose, or the
/// functional mailbox of a unit whose administrators chose nothing, plus staff watching the case — are written in the
/// inbox transaction; the channel workers are woken once that has committed and send them.
/// </summary>
public abstract class NoticeConsumer<TMessage>(NoticeContext context) : IdempotentConsumer<TMessage, NotificationDbContext>(context.Db, context.Metrics)
    where TMessage : class
{
    private bool _lastAttempt;

    protected NoticeContext Context => context;
    protected Links Links => context.Links;

    public override async Task Consume(ConsumeContext<TMessage> consumeContext)
    {
        _lastAttempt = consumeContext.GetRetryAttempt() >= MessagingRegistration.RetryIntervals.Length;
        await base.Consume(consumeContext);
        // Committed: the deliveries this event added are still tracked (a duplicate clears the tracker and wakes nothing).
        context.Workers.WakeFor(context.Db.ChangeTracker.Entries<Domain.Delivery>().Select(e => e.Entity));
    }

    /// <summary>
    /// Writes the deliveries of <paramref name="notice"/> for <paramref name="unitIds"/>. A unit not known here yet (its
    /// <c>UnitUpdated</c> comes from the case service too, but for another aggregate) makes the consumer throw, and
    /// MassTransit retries; on the last attempt each unknown unit gets a skipped delivery saying why, so one unit missing
    /// from the directory does not keep the news from the others. A recipient that already has a delivery of the event in a
    /// channel is passed over (the same event under another message id, or two subscriptions to one address); a unique index
    /// backs that up.
    /// </summary>
    /// <param name="audience"><c>unit</c> (subscriptions of the kind, and watchers) or <c>escalation</c> (the administrators' subscriptions).</param>
    /// <param name="sendAt">A reminder's or escalation's time; it is cancelled if <paramref name="reminderKey"/> is settled first.</param>
    protected async Task TellAsync(string tenantId, IReadOnlyList<Guid> unitIds, Notice notice, Guid eventId, CancellationToken ct,
        string audience = "unit", DateTimeOffset? sendAt = null, string? reminderKey = null)
    {
        var db = context.Db;
        var now = context.Clock.GetUtcNow();
        var ids = unitIds.Distinct().ToList();
        var seen = (await db.Deliveries.AsNoTracking().Where(d => d.SourceEventId == eventId).Select(d => new { d.Channel, d.RecipientKey }).ToListAsync(ct))
            .Select(d => (d.Channel, d.RecipientKey)).ToHashSet();
        var units = await db.UnitSubscriptions.AsNoTracking().Where(s => s.TenantId == tenantId && ids.Contains(s.UnitId)).ToListAsync(ct);
        var unknown = ids.Except(units.Select(u => u.UnitId)).ToList();
        if (unknown.Count > 0 && !_lastAttempt)
        {
            throw new InvalidOperationException("A unit to be told is not known to the notification service yet.");
        }
        var customised = units.Where(u => u.Customised).Select(u => u.UnitId).ToList();
        var subscriptions = await db.Subscriptions.AsNoTracking().Where(s => s.TenantId == tenantId && customised.Contains(s.UnitId)).ToListAsync(ct);
        // Deadlines and escalations are about time: they go at once even where the unit chose a morning digest.
        var digestible = audience == "unit" && sendAt is null
            && notice.Kind is not (EventKinds.DeadlineApproaching or EventKinds.DeadlineBreached or EventKinds.Escalation);

        void Add(Guid unitId, string channel, string? address, string who, Subscription? subscription)
        {
            var key = address is null ? $"unit:{unitId}" : Subscription.RecipientKeyOf(channel, address);
            if (!seen.Add((channel, key)))
            {
                return;
            }
            var body = channel switch
            {
                Channels.Sms => notice.Sms,
                Channels.Webhook => null,
                _ => notice.Email.Body,
            };
            var delivery = Domain.Delivery.To(tenantId, unitId, channel, address, key, who, subscription?.Id, notice, notice.Kind, eventId, now,
                id => body ?? CloudEvents.Structured(id, context.Options.EventSource, tenantId, unitId, notice.Kind, notice, now),
                held: digestible && subscription is { Digest: true }, sendAt, reminderKey, context.Options.Channel(channel).MaxAttempts);
            db.Deliveries.Add(delivery);
        }

        foreach (var unit in units)
        {
            if (!unit.Customised)
            {
                Add(unit.UnitId, Channels.Email, unit.Email, audience, null);
                continue;
            }
            var wanted = audience == "escalation"
                ? subscriptions.Where(s => s.UnitId == unit.UnitId && s.Kinds.Contains(EventKinds.Escalation))
                : subscriptions.Where(s => s.UnitId == unit.UnitId && notice.Matches(s.Kinds));
            foreach (var subscription in wanted)
            {
                Add(unit.UnitId, subscription.Channel, subscription.Address, audience, subscription);
            }
        }
        foreach (var unitId in unknown)
        {
            if (seen.Add((Channels.Email, $"unit:{unitId}")))
            {
                db.Deliveries.Add(Domain.Delivery.UnknownUnit(tenantId, unitId, notice.Kind, notice, eventId, now));
            }
        }
        if (audience == "unit")
        {
            var known = units.Select(u => u.UnitId).ToList();
            var watchers = await db.CaseWatches.AsNoTracking()
                .Where(w => w.TenantId == tenantId && w.CaseId == notice.CaseId && known.Contains(w.UnitId)).ToListAsync(ct);
            foreach (var watch in watchers)
            {
                Add(watch.UnitId, Channels.Email, watch.Email, "watch", null);
            }
        }
    }

    /// <summary>
    /// The reminder before an unanswered item's deadline, per the tenant's configuration: not written when the item is
    /// already settled, or when the reminder's time has passed (the deadline is too near).
    /// </summary>
    protected async Task RemindAsync(string tenantId, Guid unitId, string itemKey, Notice notice, Guid sourceEventId, CancellationToken ct)
    {
        var before = context.Options.For(tenantId).ReminderBefore;
        if (before <= TimeSpan.Zero || notice.DueAt is not { } dueAt || dueAt - before <= context.Clock.GetUtcNow() || await SettledAsync(itemKey, ct))
        {
            return;
        }
        await TellAsync(tenantId, [unitId], notice, DeliveryIds.Derived(sourceEventId, "reminder"), ct, sendAt: dueAt - before, reminderKey: itemKey);
    }

    /// <summary>After a deadline passed unanswered: the unit's administrators, per the tenant's configuration.</summary>
    protected async Task EscalateAsync(string tenantId, Guid unitId, string itemKey, Notice notice, Guid sourceEventId, CancellationToken ct)
    {
        var tenant = context.Options.For(tenantId);
        if (!tenant.Escalate || notice.DueAt is not { } dueAt || await SettledAsync(itemKey, ct))
        {
            return;
        }
        // Only an escalation still to come is cancelled by an answer; one due now is as good as sent.
        var at = dueAt + tenant.EscalateAfter;
        var later = at > context.Clock.GetUtcNow();
        await TellAsync(tenantId, [unitId], notice, DeliveryIds.Derived(sourceEventId, "escalation"), ct, audience: "escalation",
            sendAt: later ? at : null, reminderKey: later ? itemKey : null);
    }

    /// <summary>The item no longer waits for an answer: its pending reminder and escalation are cancelled, and later ones not written.</summary>
    protected async Task SettleAsync(string tenantId, string itemKey, CancellationToken ct)
    {
        var db = context.Db;
        if (!await db.SettledItems.AnyAsync(s => s.Key == itemKey, ct))
        {
            db.SettledItems.Add(new SettledItem { Key = itemKey, TenantId = tenantId, SettledAt = context.Clock.GetUtcNow() });
        }
        var prefix = itemKey.EndsWith('*') ? itemKey[..^1] : null;
        await db.Deliveries
            .Where(d => d.TenantId == tenantId && d.Status == DeliveryStatus.Pending && d.ReminderKey != null
                && (prefix == null ? d.ReminderKey == itemKey : d.ReminderKey.StartsWith(prefix)))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeliveryStatus.Cancelled).SetProperty(d => d.LastError, "Besvarad eller makulerad före påminnelsen."), ct);
    }

    private async Task<bool> SettledAsync(string itemKey, CancellationToken ct)
    {
        var slash = itemKey.LastIndexOf('/');
        var wildcard = itemKey[..(slash + 1)] + "*";
        return await context.Db.SettledItems.AnyAsync(s => s.Key == itemKey || s.Key == wildcard, ct);
    }
}
