using Microsoft.Extensions.Options;
using Sip.Contracts.Meetings;
using Sip.Messaging;
using Sip.Notification.Delivery;
using Sip.Notification.Domain;
using Sip.Notification.Infrastructure;

namespace Sip.Notification.Consumers;

// MeetingBooked and SummonsAnswered are not consumed: a booking's invitations go out as one SummonsSent per summoned
// unit (with the calendar item), and an answer is news only to the convener, who sees it in the meeting, not by e-mail.

/// <summary>A unit was summoned: its mailbox gets the summons with the meeting's calendar invitation.</summary>
public sealed class SummonsSentConsumer(NotificationDbContext db, MessagingMetrics metrics, IOptions<NotificationOptions> options,
    DeliveryWorker worker, TimeProvider clock)
    : MailingConsumer<SummonsSent>(db, metrics, worker, clock)
{
    protected override Task HandleAsync(SummonsSent message, CancellationToken ct) =>
        TellAsync(message.TenantId, [message.ToUnitId], message.CaseReference, message.EventId,
            _ => Templates.SummonsReceived(message.CaseReference, message.Kind, message.MeetingStartsAt, message.DueAt,
                options.Value.MeetingLink(message.MeetingId), message.Calendar), ct);
}

/// <summary>The meeting moved: every invited unit gets the new time and a calendar item that replaces the earlier one.</summary>
public sealed class MeetingRescheduledConsumer(NotificationDbContext db, MessagingMetrics metrics, IOptions<NotificationOptions> options,
    DeliveryWorker worker, TimeProvider clock)
    : MailingConsumer<MeetingRescheduled>(db, metrics, worker, clock)
{
    protected override Task HandleAsync(MeetingRescheduled message, CancellationToken ct) =>
        TellAsync(message.TenantId, message.InvitedUnitIds, message.CaseReference, message.EventId,
            _ => Templates.MeetingRescheduled(message.CaseReference, message.Kind, message.StartsAt, message.EndsAt, message.PlaceType,
                options.Value.MeetingLink(message.MeetingId), message.Calendar), ct);
}

/// <summary>The meeting was cancelled: every invited unit is told why, with the cancellation for its calendar.</summary>
public sealed class MeetingCancelledConsumer(NotificationDbContext db, MessagingMetrics metrics, IOptions<NotificationOptions> options,
    DeliveryWorker worker, TimeProvider clock)
    : MailingConsumer<MeetingCancelled>(db, metrics, worker, clock)
{
    protected override Task HandleAsync(MeetingCancelled message, CancellationToken ct) =>
        TellAsync(message.TenantId, message.InvitedUnitIds, message.CaseReference, message.EventId,
            _ => Templates.MeetingCancelled(message.CaseReference, message.Kind, message.StartsAt, message.Cause,
                options.Value.MeetingLink(message.MeetingId), message.Calendar), ct);
}

/// <summary>Reminds the summoned unit's mailbox that its answer is late (§9: reminders when an acknowledgement is overdue).</summary>
public sealed class SummonsOverdueConsumer(NotificationDbContext db, MessagingMetrics metrics, IOptions<NotificationOptions> options,
    DeliveryWorker worker, TimeProvider clock)
    : MailingConsumer<SummonsOverdue>(db, metrics, worker, clock)
{
    protected override Task HandleAsync(SummonsOverdue message, CancellationToken ct) =>
        TellAsync(message.TenantId, [message.ToUnitId], message.CaseReference, message.EventId,
            _ => Templates.SummonsOverdue(message.CaseReference, message.Kind, message.DueAt, options.Value.MeetingLink(message.MeetingId)), ct);
}

/// <summary>A LUS deadline is near: the unit that owes it is told while there is still time.</summary>
public sealed class LusDeadlineApproachingConsumer(NotificationDbContext db, MessagingMetrics metrics, IOptions<NotificationOptions> options,
    DeliveryWorker worker, TimeProvider clock)
    : MailingConsumer<LusDeadlineApproaching>(db, metrics, worker, clock)
{
    protected override Task HandleAsync(LusDeadlineApproaching message, CancellationToken ct) =>
        TellAsync(message.TenantId, [message.OwedByUnitId], message.CaseReference, message.EventId,
            _ => Templates.LusDeadline(message.CaseReference, message.Obligation, message.DueAt, passed: false,
                options.Value.CaseLink(message.CaseId)), ct);
}

/// <summary>A LUS deadline passed unmet: the unit that owed it is told.</summary>
public sealed class LusDeadlineBreachedConsumer(NotificationDbContext db, MessagingMetrics metrics, IOptions<NotificationOptions> options,
    DeliveryWorker worker, TimeProvider clock)
    : MailingConsumer<LusDeadlineBreached>(db, metrics, worker, clock)
{
    protected override Task HandleAsync(LusDeadlineBreached message, CancellationToken ct) =>
        TellAsync(message.TenantId, [message.OwedByUnitId], message.CaseReference, message.EventId,
            _ => Templates.LusDeadline(message.CaseReference, message.Obligation, message.DueAt, passed: true,
                options.Value.CaseLink(message.CaseId)), ct);
}
