using Microsoft.EntityFrameworkCore;
using Sip.Case.Domain;
using Sip.Case.Infrastructure;
using Sip.Contracts.Meetings;
using Sip.Messaging;

namespace Sip.Case.Consumers;

/// <summary>
/// A meeting was held. Any meeting but a pre-meeting is recorded for LUS (the first one counts). A planning or
/// follow-up meeting of an open case opens the next plan version as a draft, as the coordinator would through the plans
/// API: the previous version's content copied forward (or, for the first plan, the case's reason), with the meeting's
/// coordinator's unit.
/// </summary>
public sealed class MeetingHeldConsumer(CaseDbContext db, MessagingMetrics metrics, TimeProvider clock, ILogger<MeetingHeldConsumer> logger)
    : IdempotentConsumer<MeetingHeld, CaseDbContext>(db, metrics)
{
    /// <summary>Who the plan's revision names: no person wrote it, the meeting did.</summary>
    private const string By = "meeting-scheduling";

    protected override async Task HandleAsync(MeetingHeld message, CancellationToken ct)
    {
        var sipCase = await Db.Cases.SingleOrDefaultAsync(c => c.Id == message.CaseId && c.TenantId == message.TenantId, ct);
        if (sipCase is null)
        {
            logger.LogWarning("MeetingHeld {MeetingId} names a case this service does not have; ignored", message.MeetingId);
            return;
        }
        if (message.Kind != "PreMeeting" && sipCase.RecordMeetingHeld(message.HeldAt))
        {
            await LusFacts.SyncAsync(Db, sipCase, clock.GetUtcNow(), ct);
        }
        if (message.Kind is not ("Planning" or "FollowUp") || sipCase.Status != CaseStatus.Open)
        {
            return;
        }
        var previous = await Db.Plans.CurrentAsync(sipCase.Id, ct);
        // A draft is the coordinator's unsigned work, perhaps already written from this very meeting: a second draft
        // would bury it, and the plans API refuses one too (draft-exists). The coordinator writes the meeting into it.
        if (previous is { Status: PlanStatus.Draft })
        {
            return;
        }
        // A version for this meeting or a later one exists already: this report arrived late (the broker does not order
        // concurrent deliveries), or the coordinator made the version by hand. Either way there is nothing to open.
        if (previous is not null && previous.MeetingAt >= message.HeldAt)
        {
            return;
        }
        // The meeting decides who coordinates from now on (meeting-scheduling names the current coordinator's unit when
        // the meeting named no other), so a handover made at the meeting reaches the draft and the new coordinator's
        // unit writes and signs it; the coordinator's name is that unit's to fill in. Otherwise the plan is copied forward.
        var content = previous is not null && previous.Content.CoordinatorUnitId != message.CoordinatorUnitId
            ? previous.Content with { CoordinatorUnitId = message.CoordinatorUnitId, Coordinator = null }
            : null;
        // Meeting-scheduling's clock may run a little ahead of ours; a meeting it reports as held has been held.
        var now = Later(clock.GetUtcNow(), message.HeldAt);
        await Db.AddNextVersionAsync(sipCase, previous, message.HeldAt, content, message.CoordinatorUnitId, By, now, ct);
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a >= b ? a : b;
}

/// <summary>A summons to a planning meeting went out: the first one is recorded for LUS (SIP-DOMAIN §7: at the latest 3 days after ready for discharge).</summary>
public sealed class SummonsSentConsumer(CaseDbContext db, MessagingMetrics metrics, TimeProvider clock) : IdempotentConsumer<SummonsSent, CaseDbContext>(db, metrics)
{
    protected override async Task HandleAsync(SummonsSent message, CancellationToken ct)
    {
        if (message.Kind != "Planning")
        {
            return;
        }
        var sipCase = await Db.Cases.SingleOrDefaultAsync(c => c.Id == message.CaseId && c.TenantId == message.TenantId, ct);
        if (sipCase is not null && sipCase.RecordPlanningSummons(message.OccurredAt))
        {
            await LusFacts.SyncAsync(Db, sipCase, clock.GetUtcNow(), ct);
        }
    }
}
