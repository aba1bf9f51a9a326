using Microsoft.Extensions.Options;
using Sip.Contracts.Case;
using Sip.Messaging;
using Sip.Notification.Delivery;
using Sip.Notification.Domain;
using Sip.Notification.Infrastructure;

namespace Sip.Notification.Consumers;

/// <summary>Tells the receiving unit's mailbox that an initiative awaits its answer.</summary>
public sealed class InitiativeSentConsumer(NotificationDbContext db, MessagingMetrics metrics, IOptions<NotificationOptions> options,
    DeliveryWorker worker, TimeProvider clock)
    : MailingConsumer<InitiativeSent>(db, metrics, worker, clock)
{
    protected override Task HandleAsync(InitiativeSent message, CancellationToken ct) =>
        TellAsync(message.TenantId, [message.ToUnitId], message.CaseReference, message.EventId,
            unit => Templates.InitiativeReceived(unit, message.CaseReference, options.Value.CaseLink(message.CaseId), message.DueAt), ct);
}
