using Microsoft.EntityFrameworkCore;
using Sip.Case.Domain;
using Sip.Case.Infrastructure;
using Sip.Contracts.Case;
using Sip.Contracts.Consent;
using Sip.Messaging;

namespace Sip.Case.Consumers;

/// <summary>Consent withdrawn: every open case of the person is cancelled (not closed), and every unit is told.</summary>
public sealed class ConsentWithdrawnConsumer(CaseDbContext db, MessagingMetrics metrics, TimeProvider clock)
    : IdempotentConsumer<ConsentWithdrawn, CaseDbContext>(db, metrics)
{
    protected override Task HandleAsync(ConsentWithdrawn message, CancellationToken ct) =>
        CaseCancellation.CancelOpenCasesAsync(Db, message.TenantId, message.IndividualId, CancellationCause.ConsentWithdrawn, message.OccurredAt, clock.GetUtcNow(), ct);
}

/// <summary>Consent expired: the same effect as a withdrawal.</summary>
public sealed class ConsentExpiredConsumer(CaseDbContext db, MessagingMetrics metrics, TimeProvider clock)
    : IdempotentConsumer<ConsentExpired, CaseDbContext>(db, metrics)
{
    protected override Task HandleAsync(ConsentExpired message, CancellationToken ct) =>
        CaseCancellation.CancelOpenCasesAsync(Db, message.TenantId, message.IndividualId, CancellationCause.ConsentExpired, message.OccurredAt, clock.GetUtcNow(), ct);
}

/// <summary>Units taken out of the consent: their unanswered initiatives in the person's open cases are cancelled, so they leave those units' inboxes.</summary>
public sealed class ConsentScopeChangedConsumer(CaseDbContext db, MessagingMetrics metrics, TimeProvider clock)
    : IdempotentConsumer<ConsentScopeChanged, CaseDbContext>(db, metrics)
{
    protected override async Task HandleAsync(ConsentScopeChanged message, CancellationToken ct)
    {
        if (message.RemovedUnitIds.Count == 0)
        {
            return;
        }
        var now = clock.GetUtcNow();
        var cases = await Db.Cases.Include(c => c.Initiatives)
            .Where(c => c.TenantId == message.TenantId && c.IndividualId == message.IndividualId && c.Status == CaseStatus.Open && c.OpenedAt <= message.OccurredAt)
            .ToListAsync(ct);
        foreach (var sipCase in cases)
        {
            foreach (var initiative in sipCase.WithdrawFrom(message.RemovedUnitIds, now))
            {
                Db.AddEvent(new InitiativeAnswered(Guid.CreateVersion7(now), now, sipCase.TenantId, sipCase.Id, sipCase.Reference, initiative.Id,
                    initiative.FromUnitId, initiative.ToUnitId, initiative.Status.ToString(), null, []));
            }
        }
    }
}

/// <summary>A person's record was merged into another in consent: their cases follow the surviving record.</summary>
public sealed class IdentityLinkedConsumer(CaseDbContext db, MessagingMetrics metrics, TimeProvider clock)
    : IdempotentConsumer<IdentityLinked, CaseDbContext>(db, metrics)
{
    protected override async Task HandleAsync(IdentityLinked message, CancellationToken ct)
    {
        if (message.MergedIndividualId is not { } merged)
        {
            return;
        }
        var now = clock.GetUtcNow();
        foreach (var sipCase in await Db.Cases.Where(c => c.TenantId == message.TenantId && c.IndividualId == merged).ToListAsync(ct))
        {
            sipCase.ReattributeTo(message.IndividualId, now);
        }
    }
}

internal static class CaseCancellation
{
    /// <param name="consentEndedAt">A late event never cancels a case opened after it, under a newer consent.</param>
    public static async Task CancelOpenCasesAsync(CaseDbContext db, string tenantId, Guid individualId, CancellationCause cause, DateTimeOffset consentEndedAt,
        DateTimeOffset now, CancellationToken ct)
    {
        var open = await db.Cases.Include(c => c.Initiatives)
            .Where(c => c.TenantId == tenantId && c.IndividualId == individualId && c.Status == CaseStatus.Open && c.OpenedAt <= consentEndedAt)
            .ToListAsync(ct);
        foreach (var sipCase in open)
        {
            // The plan is cancelled, not closed; its history stays.
            foreach (var plan in await db.Plans.Where(p => p.CaseId == sipCase.Id).ToListAsync(ct))
            {
                if (plan.Cancel(now))
                {
                    db.AddEvent(new PlanCancelled(Guid.CreateVersion7(now), now, sipCase.TenantId, sipCase.Id, sipCase.Reference, plan.Id, plan.Version, cause.ToString()));
                }
            }
            var told = sipCase.ParticipantUnitIds; // before their initiatives are cancelled
            var cancelled = sipCase.Cancel(cause, now);
            await LusFacts.SyncAsync(db, sipCase, now, ct);
            db.AddEvent(new CaseCancelled(Guid.CreateVersion7(now), now, sipCase.TenantId, sipCase.Id, sipCase.Reference, cause.ToString(),
                told, cancelled.Select(i => i.Id).ToList()));
        }
    }
}
