using Sip.Contracts.Case;
using Sip.Notification.Domain;

namespace Sip.Notification.Consumers;

// Case events: ids, references and dates only. Each consumer turns its event into one Notice per kind; who gets it
// in which channel is decided in NoticeConsumer.TellAsync from the units' subscriptions.

/// <summary>An initiative awaits the receiving unit's answer; a reminder is set for before its deadline.</summary>
public sealed class InitiativeSentConsumer(NoticeContext context) : NoticeConsumer<InitiativeSent>(context)
{
    protected override async Task HandleAsync(InitiativeSent message, CancellationToken ct)
    {
        var link = Links.Case(message.CaseId);
        await TellAsync(message.TenantId, [message.ToUnitId], new Notice(EventKinds.InitiativeReceived, message.CaseId, message.CaseReference, link, message.DueAt,
            Templates.InitiativeReceived(message.CaseReference, link, message.DueAt),
            Templates.Sms(EventKinds.InitiativeReceived, message.CaseReference, message.DueAt, link)), message.EventId, ct);
        await RemindAsync(message.TenantId, message.ToUnitId, Items.Initiative(message.InitiativeId),
            new Notice(EventKinds.DeadlineApproaching, message.CaseId, message.CaseReference, link, message.DueAt,
                Templates.InitiativeReminder(message.CaseReference, link, message.DueAt),
                Templates.Sms(EventKinds.DeadlineApproaching, message.CaseReference, message.DueAt, link)), message.EventId, ct);
    }
}

/// <summary>An answered initiative needs no reminder nor escalation.</summary>
public sealed class InitiativeAnsweredConsumer(NoticeContext context) : NoticeConsumer<InitiativeAnswered>(context)
{
    protected override Task HandleAsync(InitiativeAnswered message, CancellationToken ct) =>
        SettleAsync(message.TenantId, Items.Initiative(message.InitiativeId), ct);
}

/// <summary>The initiative's deadline passed unanswered: the unit is reminded, and its administrators told (escalation).</summary>
public sealed class InitiativeOverdueConsumer(NoticeContext context) : NoticeConsumer<InitiativeOverdue>(context)
{
    protected override async Task HandleAsync(InitiativeOverdue message, CancellationToken ct)
    {
        var link = Links.Case(message.CaseId);
        await TellAsync(message.TenantId, [message.ToUnitId], new Notice(EventKinds.DeadlineBreached, message.CaseId, message.CaseReference, link, message.DueAt,
            Templates.InitiativeOverdue(message.CaseReference, link, message.DueAt),
            Templates.Sms(EventKinds.DeadlineBreached, message.CaseReference, message.DueAt, link)), message.EventId, ct);
        await EscalateAsync(message.TenantId, message.ToUnitId, Items.Initiative(message.InitiativeId),
            new Notice(EventKinds.Escalation, message.CaseId, message.CaseReference, link, message.DueAt,
                Templates.Escalation(message.CaseReference, "initiative", message.DueAt, link),
                Templates.Sms(EventKinds.Escalation, message.CaseReference, message.DueAt, link)), message.EventId, ct);
    }
}

/// <summary>Consent withdrawn or expired: every unit that took part is told that the plan and open initiatives are cancelled.</summary>
public sealed class CaseCancelledConsumer(NoticeContext context) : NoticeConsumer<CaseCancelled>(context)
{
    protected override async Task HandleAsync(CaseCancelled message, CancellationToken ct)
    {
        var link = Links.Case(message.CaseId);
        await TellAsync(message.TenantId, message.ParticipantUnitIds, new Notice(EventKinds.PlanCancelled, message.CaseId, message.CaseReference, link, null,
            Templates.CaseCancelled(message.CaseReference, message.Cause),
            Templates.Sms(EventKinds.PlanCancelled, message.CaseReference, null, link), [EventKinds.InitiativeCancelled]), message.EventId, ct);
        foreach (var initiative in message.CancelledInitiativeIds)
        {
            await SettleAsync(message.TenantId, Items.Initiative(initiative), ct);
        }
    }
}

/// <summary>Evaluated and closed: everyone involved is told.</summary>
public sealed class CaseClosedConsumer(NoticeContext context) : NoticeConsumer<CaseClosed>(context)
{
    protected override Task HandleAsync(CaseClosed message, CancellationToken ct)
    {
        var link = Links.Case(message.CaseId);
        return TellAsync(message.TenantId, message.ParticipantUnitIds, new Notice(EventKinds.CaseClosed, message.CaseId, message.CaseReference, link, null,
            Templates.CaseClosed(message.CaseReference, message.WithEvaluationMeeting),
            Templates.Sms(EventKinds.CaseClosed, message.CaseReference, null, link)), message.EventId, ct);
    }
}

/// <summary>A plan version was locked: every participating unit is told that the plan now applies (§9: plan locked).</summary>
public sealed class PlanLockedConsumer(NoticeContext context) : NoticeConsumer<PlanLocked>(context)
{
    protected override Task HandleAsync(PlanLocked message, CancellationToken ct)
    {
        var link = Links.Plan(message.CaseId, message.Version);
        return TellAsync(message.TenantId, message.ParticipantUnitIds, new Notice(EventKinds.PlanLocked, message.CaseId, message.CaseReference, link, null,
            Templates.PlanLocked(message.CaseReference, message.Version, link),
            Templates.Sms(EventKinds.PlanLocked, message.CaseReference, null, link)), message.EventId, ct);
    }
}

/// <summary>The plan was not established within two working days of the meeting (§9: reminders when a plan is overdue).</summary>
public sealed class PlanLateConsumer(NoticeContext context) : NoticeConsumer<PlanLate>(context)
{
    protected override Task HandleAsync(PlanLate message, CancellationToken ct)
    {
        var link = Links.Plan(message.CaseId, message.Version);
        return TellAsync(message.TenantId, message.ParticipantUnitIds, new Notice(EventKinds.DeadlineBreached, message.CaseId, message.CaseReference, link, message.DueAt,
            Templates.PlanLate(message.CaseReference, message.Version, message.DueAt, link),
            Templates.Sms(EventKinds.DeadlineBreached, message.CaseReference, message.DueAt, link)), message.EventId, ct);
    }
}

/// <summary>A case message reached units: for acknowledgement or for information (its text stays in the case service).</summary>
public sealed class CaseMessageSentConsumer(NoticeContext context) : NoticeConsumer<CaseMessageSent>(context)
{
    protected override Task HandleAsync(CaseMessageSent message, CancellationToken ct)
    {
        var link = Links.Case(message.CaseId);
        var kind = message.RequiresAcknowledgement ? EventKinds.CaseMessageForAcknowledgement : EventKinds.CaseMessageForInformation;
        return TellAsync(message.TenantId, message.ToUnitIds.Where(u => u != message.FromUnitId).ToList(), new Notice(kind, message.CaseId, message.CaseReference,
            link, null, Templates.CaseMessage(message.CaseReference, message.RequiresAcknowledgement, link),
            Templates.Sms(kind, message.CaseReference, null, link)), message.EventId, ct);
    }
}

/// <summary>The keys of items that wait for an answer (reminders and escalations are cancelled by them).</summary>
public static class Items
{
    public static string Initiative(Guid initiativeId) => $"initiative/{initiativeId}";

    public static string Summons(Guid meetingId, Guid summonsId) => $"summons/{meetingId}/{summonsId}";

    /// <summary>Every summons of a meeting (a cancelled meeting settles them all).</summary>
    public static string EverySummonsOf(Guid meetingId) => $"summons/{meetingId}/*";
}
