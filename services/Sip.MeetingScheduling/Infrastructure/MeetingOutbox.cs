using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sip.Contracts.Meetings;
using Sip.MeetingScheduling.Documents;
using Sip.MeetingScheduling.Domain;
using Sip.Messaging;

namespace Sip.MeetingScheduling.Infrastructure;

public sealed class MeetingOptions
{
    /// <summary>Where links in calendars point: the staff web app's base address (the gateway's until the app exists).</summary>
    public Uri LinkBaseUrl { get; set; } = new("http://127.0.0.1:5080/");
}

/// <summary>
/// The events and timers of a meeting's changes, written to the outbox in the caller's transaction. Events carry the
/// calendar text built from the case reference, kind, time, place type and link only.
/// </summary>
public sealed class MeetingOutbox(MeetingDbContext db, IOptions<MeetingOptions> options, TimeProvider clock)
{
    public Uri LinkTo(Meeting meeting) => new(options.Value.LinkBaseUrl, $"moten/{meeting.Id}");

    public CalendarItem CalendarItemOf(Meeting m) =>
        new(m.Id, m.CaseReference, m.Kind.ToString(), m.StartsAt, m.EndsAt, m.Place.Type.ToString(), m.Sequence, m.Status == MeetingStatus.Cancelled, LinkTo(m));

    public string Calendar(Meeting m) => MeetingCalendar.Event(CalendarItemOf(m));

    /// <summary>A booked meeting, its summons (each with its answer deadline timer) and, for a planning meeting, the LUS summons met.</summary>
    public async Task BookedAsync(Meeting m, IReadOnlyList<Summons> summons, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var calendar = Calendar(m);
        db.AddEvent(new MeetingBooked(Guid.CreateVersion7(now), now, m.TenantId, m.Id, m.CaseId, m.CaseReference, m.Kind.ToString(), m.StartsAt, m.EndsAt,
            m.Place.Type.ToString(), m.ConvenedByUnitId, m.InvitedUnitIds, m.Sequence, calendar));
        foreach (var s in summons)
        {
            db.AddEvent(new SummonsSent(Guid.CreateVersion7(now), now, m.TenantId, s.Id, m.Id, m.CaseId, m.CaseReference, m.Kind.ToString(), m.ConvenedByUnitId,
                s.UnitId, m.StartsAt, s.DueAt, calendar));
            db.ScheduleEvent(SummonsTimer(s), s.DueAt, new SummonsOverdue(Guid.CreateVersion7(now), s.DueAt, m.TenantId, s.Id, m.Id, m.CaseId, m.CaseReference,
                m.Kind.ToString(), m.ConvenedByUnitId, s.UnitId, s.DueAt));
        }
        if (m.Kind == MeetingKind.Planning && summons.Count > 0)
        {
            await WithDischargeAsync(m.CaseId, w => w.SummonsSent(now), ct);
        }
    }

    public void Rescheduled(Meeting m)
    {
        var now = clock.GetUtcNow();
        db.AddEvent(new MeetingRescheduled(Guid.CreateVersion7(now), now, m.TenantId, m.Id, m.CaseId, m.CaseReference, m.Kind.ToString(), m.StartsAt, m.EndsAt,
            m.Place.Type.ToString(), m.ConvenedByUnitId, m.InvitedUnitIds, m.Sequence, Calendar(m)));
    }

    /// <summary>Everyone invited is told, with the summons that were open (their timers stop).</summary>
    public async Task CancelledAsync(Meeting m, IReadOnlyList<Guid> invitedBefore, IReadOnlyList<Summons> closed, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        db.AddEvent(new MeetingCancelled(Guid.CreateVersion7(now), now, m.TenantId, m.Id, m.CaseId, m.CaseReference, m.Kind.ToString(), m.StartsAt,
            m.CancelledBecause.ToString()!, invitedBefore, m.Sequence, Calendar(m)));
        await StopTimersAsync(closed, ct);
    }

    public async Task AnsweredAsync(Meeting m, Summons s, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        db.AddEvent(new SummonsAnswered(Guid.CreateVersion7(now), now, m.TenantId, s.Id, m.Id, m.CaseId, m.CaseReference, m.Kind.ToString(), m.ConvenedByUnitId,
            s.UnitId, s.Status.ToString(), s.Attendees.Count));
        await StopTimersAsync([s], ct);
    }

    public async Task HeldAsync(Meeting m, MeetingHeld held, IReadOnlyList<Summons> closed, CancellationToken ct)
    {
        db.AddEvent(held);
        await StopTimersAsync(closed, ct);
        if (m.Kind != MeetingKind.PreMeeting)
        {
            await WithDischargeAsync(m.CaseId, w => w.MeetingHeld(m.HeldAt!.Value), ct);
        }
    }

    public async Task StopTimersAsync(IEnumerable<Summons> summons, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        foreach (var s in summons)
        {
            await db.CancelScheduledAsync(SummonsTimer(s), now, ct);
        }
    }

    /// <summary>Changes the case's LUS watch (if it is a discharge case) and brings its deadline timers in line.</summary>
    public async Task WithDischargeAsync(Guid caseId, Action<DischargeWatch> change, CancellationToken ct)
    {
        var watch = await db.DischargeWatches.SingleOrDefaultAsync(w => w.CaseId == caseId, ct);
        if (watch is null)
        {
            return;
        }
        change(watch);
        await SyncLusTimersAsync(watch, ct);
    }

    /// <summary>
    /// One timer per open deadline and kind (approaching, breached), keyed by the due time: a timer already set, or already
    /// fired, for the same deadline is kept, so each is told once; timers of deadlines no longer open are cancelled.
    /// </summary>
    public async Task SyncLusTimersAsync(DischargeWatch watch, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var prefix = $"lus/{watch.CaseId}/";
        var existing = await db.Set<ScheduledEvent>().Where(s => s.Key.StartsWith(prefix)).ToListAsync(ct);
        var wanted = new Dictionary<string, (DateTimeOffset At, Func<Guid, object> Make)>();
        foreach (var d in watch.OpenDeadlines())
        {
            if (d.ApproachingAt is { } warnAt && warnAt > now)
            {
                wanted[$"{prefix}{d.Obligation}/approaching/{d.DueAt:O}"] = (warnAt, id => new LusDeadlineApproaching(id, warnAt, watch.TenantId, watch.CaseId,
                    watch.CaseReference, watch.Track, d.Obligation, watch.OwedByUnitId, d.DueAt));
            }
            wanted[$"{prefix}{d.Obligation}/breached/{d.DueAt:O}"] = (d.DueAt, id => new LusDeadlineBreached(id, d.DueAt, watch.TenantId, watch.CaseId,
                watch.CaseReference, watch.Track, d.Obligation, watch.OwedByUnitId, d.DueAt));
        }
        foreach (var timer in existing.Where(t => t.IsPending && !wanted.ContainsKey(t.Key)))
        {
            timer.Cancel(now);
        }
        foreach (var (key, (at, make)) in wanted)
        {
            if (!existing.Any(t => t.Key == key && t.CancelledAt is null))
            {
                db.ScheduleEvent(key, at, (Sip.Contracts.IIntegrationEvent)make(Guid.CreateVersion7(now)));
            }
        }
    }

    private static string SummonsTimer(Summons s) => $"summons/{s.Id}/";
}
