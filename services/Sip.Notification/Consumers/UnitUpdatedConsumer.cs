using Microsoft.EntityFrameworkCore;
using Sip.Contracts.Directory;
using Sip.Messaging;
using Sip.Notification.Domain;
using Sip.Notification.Infrastructure;

namespace Sip.Notification.Consumers;

/// <summary>Keeps each unit's default subscription (its functional mailbox) in step with the unit directory.</summary>
public sealed class UnitUpdatedConsumer(NotificationDbContext db, MessagingMetrics metrics)
    : IdempotentConsumer<UnitUpdated, NotificationDbContext>(db, metrics)
{
    protected override async Task HandleAsync(UnitUpdated message, CancellationToken ct)
    {
        var subscription = await Db.UnitSubscriptions.SingleOrDefaultAsync(s => s.UnitId == message.UnitId, ct);
        if (subscription is null)
        {
            subscription = new UnitSubscription { UnitId = message.UnitId, TenantId = message.TenantId };
            Db.UnitSubscriptions.Add(subscription);
        }
        else if (subscription.UpdatedAt > message.OccurredAt)
        {
            return; // an older change arriving late must not overwrite a newer one
        }
        subscription.UnitName = message.Name;
        subscription.Email = message.FunctionalMailbox;
        subscription.UpdatedAt = message.OccurredAt;
    }
}
