using Microsoft.EntityFrameworkCore;
using Sip.Contracts.Case;
using Sip.MeetingScheduling.Domain;
using Sip.MeetingScheduling.Infrastructure;
using Sip.Messaging;

namespace Sip.MeetingScheduling.Consumers;

/// <summary>Remembers the case's reference and opener: the unit that owes the LUS deadlines when no fixed care contact is named.</summary>
public sealed class CaseOpenedConsumer(MeetingDbContext db, MessagingMetrics metrics) : IdempotentConsumer<CaseOpened, MeetingDbContext>(db, metrics)
{
    protected override async Task HandleAsync(CaseOpened message, CancellationToken ct)
    {
        if (!await Db.Cases.AnyAsync(c => c.CaseId == message.CaseId, ct))
        {
            Db.Cases.Add(CaseRecord.Of(message.CaseId, message.TenantId, message.CaseReference, message.OpenedByUnitId, message.MunicipalityCode));
        }
    }
}

/// <summary>
/// The discharge facts of a LUS case set its deadlines. Messages of one case may be handled out of order; the record carries
/// its time of change, so an older one arriving late is ignored, and the row's version makes a concurrent writer retry.
/// </summary>
public sealed class DischargeRecordedConsumer(MeetingDbContext db, MessagingMetrics metrics, MeetingOutbox outbox)
    : IdempotentConsumer<DischargeRecorded, MeetingDbContext>(db, metrics)
{
    protected override async Task HandleAsync(DischargeRecorded message, CancellationToken ct)
    {
        var owedBy = message.FixedCareContactUnitId
            ?? (await Db.Cases.AsNoTracking().SingleOrDefaultAsync(c => c.CaseId == message.CaseId, ct))?.OpenedByUnitId
            // CaseOpened is published first but may be handled later: retrying lets it arrive.
            ?? throw new InvalidOperationException("The case's opening has not been handled yet; the message is retried.");
        var watch = await Db.DischargeWatches.SingleOrDefaultAsync(w => w.CaseId == message.CaseId, ct);
        if (watch is null)
        {
            watch = DischargeWatch.For(message.CaseId, message.TenantId, message.CaseReference);
            Db.DischargeWatches.Add(watch);
            if (await Db.Meetings.AsNoTracking().Where(m => m.CaseId == message.CaseId && m.Status == MeetingStatus.Held && m.Kind != MeetingKind.PreMeeting)
                    .MinAsync(m => m.HeldAt, ct) is { } held)
            {
                watch.MeetingHeld(held);
            }
            if (await Db.Summons.AsNoTracking().Join(Db.Meetings.Where(m => m.CaseId == message.CaseId && m.Kind == MeetingKind.Planning), s => s.MeetingId, m => m.Id, (s, _) => s)
                    .MinAsync(s => (DateTimeOffset?)s.SentAt, ct) is { } summoned)
            {
                watch.SummonsSent(summoned);
            }
        }
        if (watch.Record(message.Track, message.ReadyForDischargeAt, message.DischargedAt, owedBy, message.OccurredAt))
        {
            await outbox.SyncLusTimersAsync(watch, ct);
        }
    }
}

/// <summary>Consent withdrawn or expired (the case service cancels the case) or the case closed: every planned meeting is cancelled and everyone invited told.</summary>
public sealed class CaseCancelledConsumer(MeetingDbContext db, MessagingMetrics metrics, MeetingOutbox outbox, TimeProvider clock)
    : IdempotentConsumer<CaseCancelled, MeetingDbContext>(db, metrics)
{
    protected override Task HandleAsync(CaseCancelled message, CancellationToken ct) =>
        CaseEnded.CancelMeetingsAsync(Db, outbox, message.CaseId, CancellationCause.CaseCancelled, clock.GetUtcNow(), ct);
}

public sealed class CaseClosedConsumer(MeetingDbContext db, MessagingMetrics metrics, MeetingOutbox outbox, TimeProvider clock)
    : IdempotentConsumer<CaseClosed, MeetingDbContext>(db, metrics)
{
    protected override Task HandleAsync(CaseClosed message, CancellationToken ct) =>
        CaseEnded.CancelMeetingsAsync(Db, outbox, message.CaseId, CancellationCause.CaseClosed, clock.GetUtcNow(), ct);
}

internal static class CaseEnded
{
    public static async Task CancelMeetingsAsync(MeetingDbContext db, MeetingOutbox outbox, Guid caseId, CancellationCause cause, DateTimeOffset now,
        CancellationToken ct)
    {
        var planned = await db.Meetings.Where(m => m.CaseId == caseId && m.Status == MeetingStatus.Planned).ToListAsync(ct);
        foreach (var meeting in planned)
        {
            var invited = meeting.InvitedUnitIds;
            var closed = meeting.Cancel(cause, now);
            await outbox.CancelledAsync(meeting, invited, closed, ct);
        }
        await outbox.WithDischargeAsync(caseId, w => w.End(), ct);
    }
}
