using Microsoft.EntityFrameworkCore;
using Sip.Contracts.Directory;
using Sip.Messaging;
using Sip.Notification.Domain;
using Sip.Notification.Infrastructure;

namespace Sip.Notification.Consumers;

/// <summary>
/// Keeps each unit's default subscription (its functional mailbox) in step with the unit directory. Changes of one unit may
/// be handled concurrently and in any order: the version guard keeps the newest (<see cref="VersionGuard"/>).
/// </summary>
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
        if (!IsNewer(subscription, message))
        {
            return; // an older change arriving late must not overwrite a newer one
        }
        subscription.UnitName = message.Name;
        subscription.Email = message.FunctionalMailbox;
        subscription.UpdatedAt = message.OccurredAt;
    }

    /// <summary>A message from before <c>Version</c> existed (0) is judged by its time, and never once a versioned change was applied.</summary>
    private static bool IsNewer(UnitSubscription subscription, UnitUpdated message) =>
        message.Version > 0
            ? subscription.Advance(message.Version)
            : subscription.AppliedVersion == 0 && subscription.UpdatedAt <= message.OccurredAt;
}
