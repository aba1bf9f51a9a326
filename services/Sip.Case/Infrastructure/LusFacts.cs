using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Sip.Case.Apis;
using Sip.Case.Domain;
using Sip.Contracts.Statistics;
using Sip.Messaging;

namespace Sip.Case.Infrastructure;

/// <summary>
/// One <see cref="LusDeadlineFact"/> per discharge case and obligation, published when the obligation settles
/// (<see cref="Discharge.Outcomes"/>). Each fact waits as a scheduled event keyed <c>lus-fact/{caseId}/{obligation}</c>: a
/// met obligation's is due at once, a missed one's when the miss counts. A fired (or due) row is what makes the
/// obligation settled for good, so the fact leaves once even if the case changes afterwards; a pending row that no longer says what
/// the case says (the discharge dates, track or fixed care contact changed, or the obligation was done in time after all)
/// is replaced, and one that became void (the case ended first) is cancelled. Called in the transaction of every change
/// that can settle or move an obligation.
/// </summary>
internal static class LusFacts
{
    public static string Key(Guid caseId, string obligation) => $"lus-fact/{caseId}/{obligation}";

    public static async Task SyncAsync(CaseDbContext db, SipCase sipCase, DateTimeOffset now, CancellationToken ct)
    {
        if (sipCase.Discharge is not { } discharge)
        {
            return;
        }
        var prefix = $"lus-fact/{sipCase.Id}/";
        await db.Set<ScheduledEvent>().Where(s => s.Key.StartsWith(prefix)).LoadAsync(ct);
        // Local as well as stored: timers this unit of work added or changed before it saves count too.
        var timers = db.Set<ScheduledEvent>().Local.Where(s => s.Key.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        var wanted = discharge.Outcomes(sipCase, now).ToDictionary(o => Key(sipCase.Id, o.Obligation));
        var track = discharge.Track.ToString();
        foreach (var key in timers.Select(t => t.Key).Union(wanted.Keys).ToList())
        {
            var ofKey = timers.Where(t => t.Key == key).ToList();
            // A timer already due is as good as fired (the timer takes it any moment): leaving it be also keeps this
            // transaction from racing the timer for the row.
            if (ofKey.Any(t => t.FiredAt is not null || (t.IsPending && t.DueAt <= now)))
            {
                continue;
            }
            var outcome = wanted.GetValueOrDefault(key);
            var keep = outcome is null ? null : ofKey.FirstOrDefault(t => t.IsPending && Says(t, outcome, track));
            foreach (var stale in ofKey.Where(t => t.IsPending && t != keep))
            {
                stale.Cancel(now);
            }
            if (outcome is not null && keep is null)
            {
                var occurredAt = outcome.Met ? now : outcome.DueAt;
                var dimensions = await StatisticsFacts.DimensionsAsync(db, sipCase, outcome.OwedByUnitId, outcome.DueAt, ct);
                db.ScheduleEvent(key, outcome.CountAt, new LusDeadlineFact(Guid.CreateVersion7(now), occurredAt, sipCase.TenantId, dimensions, track,
                    outcome.Obligation, outcome.DueAt, outcome.Met));
            }
        }
    }

    /// <summary>What a waiting fact counts: the dimensions are as they stood when it was scheduled, like any fact's.</summary>
    private static bool Says(ScheduledEvent timer, DeadlineOutcome outcome, string track) =>
        JsonSerializer.Deserialize<LusDeadlineFact>(timer.Body, MessageTypes.Json) is { } fact
        && (fact.Track, fact.Obligation, fact.DueAt, fact.Met, fact.Dimensions.UnitId) == (track, outcome.Obligation, outcome.DueAt, outcome.Met, outcome.OwedByUnitId);
}
