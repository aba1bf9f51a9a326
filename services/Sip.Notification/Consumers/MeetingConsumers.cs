using Sip.Contracts.Meetings;
using Sip.Notification.Domain;

namespace Sip.Notification.Consumers;

// MeetingBooked is not consumed: a booking's invitations go out as one SummonsSent per summoned unit (with the calendar item).

/// <summary>A unit was summoned: it gets the summons with the meeting's calendar invitation, and a reminder before the answer is due.</summary>
public sealed class SummonsSentConsumer(NoticeContext context) : NoticeConsumer<SummonsSent>(context)
{
    protected override async Task HandleAsync(SummonsSent message, CancellationToken ct)
    {
        var link = Links.Meeting(message.MeetingId);
        var kind = EventKinds.SummonsReceived(message.Kind);
        await TellAsync(message.TenantId, [message.ToUnitId], new Notice(kind, message.CaseId, message.CaseReference, link, message.DueAt,
            Templates.SummonsReceived(message.CaseReference, message.Kind, message.MeetingStartsAt, message.DueAt, link, message.Calendar),
            Templates.Sms(kind, message.CaseReference, message.DueAt, link)), message.EventId, ct);
        await RemindAsync(message.TenantId, message.ToUnitId, Items.Summons(message.MeetingId, message.SummonsId),
            new Notice(EventKinds.DeadlineApproaching, message.CaseId, message.CaseReference, link, message.DueAt,
                Templates.SummonsReminder(message.CaseReference, message.Kind, message.DueAt, link),
                Templates.Sms(EventKinds.DeadlineApproaching, message.CaseReference, message.DueAt, link)), message.EventId, ct);
    }
}

/// <summary>An answered summons needs no reminder nor escalation. The answer itself is news to the convener, who sees it in the meeting.</summary>
public sealed class SummonsAnsweredConsumer(NoticeContext context) : NoticeConsumer<SummonsAnswered>(context)
{
    protected override Task HandleAsync(SummonsAnswered message, CancellationToken ct) =>
        SettleAsync(message.TenantId, Items.Summons(message.MeetingId, message.SummonsId), ct);
}

/// <summary>The meeting moved: every invited unit gets the new time and a calendar item that replaces the earlier one.</summary>
public sealed class MeetingRescheduledConsumer(NoticeContext context) : NoticeConsumer<MeetingRescheduled>(context)
{
    protected override Task HandleAsync(MeetingRescheduled message, CancellationToken ct)
    {
        var link = Links.Meeting(message.MeetingId);
        return TellAsync(message.TenantId, message.InvitedUnitIds, new Notice(EventKinds.MeetingRescheduled, message.CaseId, message.CaseReference, link, null,
            Templates.MeetingRescheduled(message.CaseReference, message.Kind, message.StartsAt, message.EndsAt, message.PlaceType, link,
                message.Calendar),
            Templates.Sms(EventKinds.MeetingRescheduled, message.CaseReference, null, link)), message.EventId, ct);
    }
}

/// <summary>The meeting was cancelled: every invited unit is told why, with the cancellation for its calendar; open summons are settled.</summary>
public sealed class MeetingCancelledConsumer(NoticeContext context) : NoticeConsumer<MeetingCancelled>(context)
{
    protected override async Task HandleAsync(MeetingCancelled message, CancellationToken ct)
    {
        var link = Links.Meeting(message.MeetingId);
        var kind = EventKinds.SummonsCancelled(message.Kind);
        await TellAsync(message.TenantId, message.InvitedUnitIds, new Notice(kind, message.CaseId, message.CaseReference, link, null,
            Templates.MeetingCancelled(message.CaseReference, message.Kind, message.StartsAt, message.Cause, link, message.Calendar),
            Templates.Sms(kind, message.CaseReference, null, link)), message.EventId, ct);
        await SettleAsync(message.TenantId, Items.EverySummonsOf(message.MeetingId), ct);
    }
}

/// <summary>The summons' deadline passed unanswered: the unit is reminded, and its administrators told (escalation).</summary>
public sealed class SummonsOverdueConsumer(NoticeContext context) : NoticeConsumer<SummonsOverdue>(context)
{
    protected override async Task HandleAsync(SummonsOverdue message, CancellationToken ct)
    {
        var link = Links.Meeting(message.MeetingId);
        await TellAsync(message.TenantId, [message.ToUnitId], new Notice(EventKinds.DeadlineBreached, message.CaseId, message.CaseReference, link, message.DueAt,
            Templates.SummonsOverdue(message.CaseReference, message.Kind, message.DueAt, link),
            Templates.Sms(EventKinds.DeadlineBreached, message.CaseReference, message.DueAt, link)), message.EventId, ct);
        await EscalateAsync(message.TenantId, message.ToUnitId, Items.Summons(message.MeetingId, message.SummonsId),
            new Notice(EventKinds.Escalation, message.CaseId, message.CaseReference, link, message.DueAt,
                Templates.Escalation(message.CaseReference, "summons", message.DueAt, link),
                Templates.Sms(EventKinds.Escalation, message.CaseReference, message.DueAt, link)), message.EventId, ct);
    }
}

/// <summary>A LUS deadline is near: the unit that owes it is told while there is still time.</summary>
public sealed class LusDeadlineApproachingConsumer(NoticeContext context) : NoticeConsumer<LusDeadlineApproaching>(context)
{
    protected override Task HandleAsync(LusDeadlineApproaching message, CancellationToken ct)
    {
        var link = Links.Case(message.CaseId);
        return TellAsync(message.TenantId, [message.OwedByUnitId], new Notice(EventKinds.DeadlineApproaching, message.CaseId, message.CaseReference, link, message.DueAt,
            Templates.LusDeadline(message.CaseReference, message.Obligation, message.DueAt, passed: false, link),
            Templates.Sms(EventKinds.DeadlineApproaching, message.CaseReference, message.DueAt, link)), message.EventId, ct);
    }
}

/// <summary>A LUS deadline passed unmet: the unit that owed it is told.</summary>
public sealed class LusDeadlineBreachedConsumer(NoticeContext context) : NoticeConsumer<LusDeadlineBreached>(context)
{
    protected override Task HandleAsync(LusDeadlineBreached message, CancellationToken ct)
    {
        var link = Links.Case(message.CaseId);
        return TellAsync(message.TenantId, [message.OwedByUnitId], new Notice(EventKinds.DeadlineBreached, message.CaseId, message.CaseReference, link, message.DueAt,
            Templates.LusDeadline(message.CaseReference, message.Obligation, message.DueAt, passed: true, link),
            Templates.Sms(EventKinds.DeadlineBreached, message.CaseReference, message.DueAt, link)), message.EventId, ct);
    }
}
