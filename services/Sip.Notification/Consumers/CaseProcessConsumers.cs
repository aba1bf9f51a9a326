using MassTransit;
using Microsoft.EntityFrameworkCore;
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
    : IdempotentConsumer<InitiativeOverdue, NotificationDbContext>(db, metrics)
{
    public override async Task Consume(ConsumeContext<InitiativeOverdue> context)
    {
        await base.Consume(context);
        worker.Wake();
    }

    protected override async Task HandleAsync(InitiativeOverdue message, CancellationToken ct)
    {
        var unit = await Db.UnitSubscriptions.AsNoTracking().SingleOrDefaultAsync(s => s.TenantId == message.TenantId && s.UnitId == message.ToUnitId, ct)
            ?? throw new InvalidOperationException("The receiving unit is not known to the notification service yet.");
        var text = Templates.InitiativeOverdue(unit.UnitName, message.CaseReference, new Uri(options.Value.LinkBaseUri, $"cases/{message.CaseId}"), message.DueAt);
        Db.Deliveries.Add(Domain.Delivery.Email(message.TenantId, unit.UnitId, unit.Email, text, message.CaseReference, message.EventId, clock.GetUtcNow()));
    }
}

/// <summary>Consent withdrawn or expired: every unit that took part is told that the SIP work has ended.</summary>
public sealed class CaseCancelledConsumer(NotificationDbContext db, MessagingMetrics metrics, DeliveryWorker worker, TimeProvider clock)
    : IdempotentConsumer<CaseCancelled, NotificationDbContext>(db, metrics)
{
    public override async Task Consume(ConsumeContext<CaseCancelled> context)
    {
        await base.Consume(context);
        worker.Wake();
    }

    protected override Task HandleAsync(CaseCancelled message, CancellationToken ct) =>
        Participants.TellAsync(Db, message.TenantId, message.ParticipantUnitIds, message.CaseReference, message.EventId, clock.GetUtcNow(),
            unit => Templates.CaseCancelled(unit, message.CaseReference, message.Cause), ct);
}

/// <summary>Evaluated and closed: everyone involved is told.</summary>
public sealed class CaseClosedConsumer(NotificationDbContext db, MessagingMetrics metrics, DeliveryWorker worker, TimeProvider clock)
    : IdempotentConsumer<CaseClosed, NotificationDbContext>(db, metrics)
{
    public override async Task Consume(ConsumeContext<CaseClosed> context)
    {
        await base.Consume(context);
        worker.Wake();
    }

    protected override Task HandleAsync(CaseClosed message, CancellationToken ct) =>
        Participants.TellAsync(Db, message.TenantId, message.ParticipantUnitIds, message.CaseReference, message.EventId, clock.GetUtcNow(),
            unit => Templates.CaseClosed(unit, message.CaseReference, message.WithEvaluationMeeting), ct);
}

internal static class Participants
{
    /// <summary>One e-mail to each participating unit's mailbox; retried until every unit is known here.</summary>
    public static async Task TellAsync(NotificationDbContext db, string tenantId, IReadOnlyList<Guid> unitIds, string caseReference, Guid eventId, DateTimeOffset now,
        Func<string, Message> text, CancellationToken ct)
    {
        var units = await db.UnitSubscriptions.AsNoTracking().Where(s => s.TenantId == tenantId && unitIds.Contains(s.UnitId)).ToListAsync(ct);
        if (units.Count < unitIds.Count)
        {
            throw new InvalidOperationException("A participating unit is not known to the notification service yet.");
        }
        foreach (var unit in units)
        {
            db.Deliveries.Add(Domain.Delivery.Email(tenantId, unit.UnitId, unit.Email, text(unit.UnitName), caseReference, eventId, now));
        }
    }
}
