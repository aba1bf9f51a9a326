using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sip.Contracts.Case;
using Sip.Messaging;
using Sip.Notification.Delivery;
using Sip.Notification.Domain;
using Sip.Notification.Infrastructure;

namespace Sip.Notification.Consumers;

/// <summary>Tells the receiving unit's mailbox that an initiative awaits its answer. The e-mail itself goes out from the delivery worker.</summary>
public sealed class InitiativeSentConsumer(NotificationDbContext db, MessagingMetrics metrics, IOptions<NotificationOptions> options,
    DeliveryWorker worker, TimeProvider clock)
    : IdempotentConsumer<InitiativeSent, NotificationDbContext>(db, metrics)
{
    public override async Task Consume(ConsumeContext<InitiativeSent> context)
    {
        await base.Consume(context);
        worker.Wake();
    }

    protected override async Task HandleAsync(InitiativeSent message, CancellationToken ct)
    {
        // Both come from the case service but for different aggregates, so the unit may not be known yet: retry.
        var unit = await Db.UnitSubscriptions.AsNoTracking().SingleOrDefaultAsync(s => s.UnitId == message.ToUnitId, ct)
            ?? throw new InvalidOperationException("The receiving unit is not known to the notification service yet.");
        var link = new Uri(options.Value.LinkBaseUri, $"cases/{message.CaseId}");
        var text = Templates.InitiativeReceived(unit.UnitName, message.CaseReference, link, message.DueAt);
        Db.Deliveries.Add(Domain.Delivery.Email(message.TenantId, unit.UnitId, unit.Email, text, message.CaseReference, message.EventId, clock.GetUtcNow()));
    }
}
