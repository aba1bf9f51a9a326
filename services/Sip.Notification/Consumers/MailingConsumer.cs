using MassTransit;
using Microsoft.EntityFrameworkCore;
using Sip.Messaging;
using Sip.Notification.Delivery;
using Sip.Notification.Domain;
using Sip.Notification.Infrastructure;

namespace Sip.Notification.Consumers;

/// <summary>
/// An event that units are to be told about by e-mail: the deliveries are written in the inbox transaction,
/// and the delivery worker is woken once that has committed. The e-mails themselves go out from the worker.
/// </summary>
public abstract class MailingConsumer<TMessage>(NotificationDbContext db, MessagingMetrics metrics, DeliveryWorker worker, TimeProvider clock)
    : IdempotentConsumer<TMessage, NotificationDbContext>(db, metrics)
    where TMessage : class
{
    private bool _lastAttempt;

    public override async Task Consume(ConsumeContext<TMessage> context)
    {
        _lastAttempt = context.GetRetryAttempt() >= MessagingRegistration.RetryIntervals.Length;
        await base.Consume(context);
        worker.Wake();
    }

    /// <summary>
    /// One e-mail to each unit's mailbox. A unit not known here yet (its <c>UnitUpdated</c> comes from the case
    /// service too, but for another aggregate) makes the consumer throw, and MassTransit retries. On the last
    /// attempt the known units are told and each unknown one gets a skipped delivery saying why, so one unit
    /// missing from the directory does not keep the news from the others.
    /// The inbox drops a redelivered message; a unit that already has a delivery for the event (the same event
    /// published again under another message id) is passed over too, and a unique index backs that up.
    /// </summary>
    protected async Task TellAsync(string tenantId, IReadOnlyList<Guid> unitIds, string caseReference, Guid eventId, Func<string, Message> text, CancellationToken ct)
    {
        var told = await Db.Deliveries.AsNoTracking().Where(d => d.SourceEventId == eventId).Select(d => d.UnitId).ToListAsync(ct);
        var toTell = unitIds.Distinct().Except(told).ToList();
        var units = await Db.UnitSubscriptions.AsNoTracking().Where(s => s.TenantId == tenantId && toTell.Contains(s.UnitId)).ToListAsync(ct);
        var unknown = toTell.Except(units.Select(u => u.UnitId)).ToList();
        if (unknown.Count > 0 && !_lastAttempt)
        {
            throw new InvalidOperationException("A unit to be told is not known to the notification service yet.");
        }
        var now = clock.GetUtcNow();
        foreach (var unit in units)
        {
            Db.Deliveries.Add(Domain.Delivery.Email(tenantId, unit.UnitId, unit.Email, text(unit.UnitName), caseReference, eventId, now));
        }
        foreach (var unitId in unknown)
        {
            Db.Deliveries.Add(Domain.Delivery.UnknownUnit(tenantId, unitId, caseReference, eventId, now));
        }
    }
}
