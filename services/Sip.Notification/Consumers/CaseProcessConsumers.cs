using Microsoft.Extensions.Options;
using Sip.Contracts.Case;
using Sip.Messaging;
using Sip.Notification.Delivery;
using Sip.Notification.Domain;
using Sip.Notification.Infrastructure;

namespace Sip.Notification.Consumers;

/// <summary>Reminds the receiving unit's mailbox that its answer to an initiative is late.</summary>
public sealed class InitiativeOverdueConsumer(NotificationDbContext db, MessagingMetrics metrics, IOptions<NotificationOptions> options,
    DeliveryWorker worker, TimeProvider clock)
    : MailingConsumer<InitiativeOverdue>(db, metrics, worker, clock)
{
    protected override Task HandleAsync(InitiativeOverdue message, CancellationToken ct) =>
        TellAsync(message.TenantId, [message.ToUnitId], message.CaseReference, message.EventId,
            unit => Templates.InitiativeOverdue(unit, message.CaseReference, options.Value.CaseLink(message.CaseId), message.DueAt), ct);
}

/// <summary>Consent withdrawn or expired: every unit that took part is told that the SIP work has ended.</summary>
public sealed class CaseCancelledConsumer(NotificationDbContext db, MessagingMetrics metrics, DeliveryWorker worker, TimeProvider clock)
    : MailingConsumer<CaseCancelled>(db, metrics, worker, clock)
{
    protected override Task HandleAsync(CaseCancelled message, CancellationToken ct) =>
        TellAsync(message.TenantId, message.ParticipantUnitIds, message.CaseReference, message.EventId,
            unit => Templates.CaseCancelled(unit, message.CaseReference, message.Cause), ct);
}

/// <summary>Evaluated and closed: everyone involved is told.</summary>
public sealed class CaseClosedConsumer(NotificationDbContext db, MessagingMetrics metrics, DeliveryWorker worker, TimeProvider clock)
    : MailingConsumer<CaseClosed>(db, metrics, worker, clock)
{
    protected override Task HandleAsync(CaseClosed message, CancellationToken ct) =>
        TellAsync(message.TenantId, message.ParticipantUnitIds, message.CaseReference, message.EventId,
            unit => Templates.CaseClosed(unit, message.CaseReference, message.WithEvaluationMeeting), ct);
}

/// <summary>A plan version was locked: every participating unit is told that the plan now applies (§9: plan locked).</summary>
public sealed class PlanLockedConsumer(NotificationDbContext db, MessagingMetrics metrics, IOptions<NotificationOptions> options, DeliveryWorker worker,
    TimeProvider clock)
    : MailingConsumer<PlanLocked>(db, metrics, worker, clock)
{
    protected override Task HandleAsync(PlanLocked message, CancellationToken ct) =>
        TellAsync(message.TenantId, message.ParticipantUnitIds, message.CaseReference, message.EventId,
            unit => Templates.PlanLocked(unit, message.CaseReference, message.Version,
                new Uri(options.Value.LinkBaseUri, $"cases/{message.CaseId}/plans/{message.Version}")), ct);
}
