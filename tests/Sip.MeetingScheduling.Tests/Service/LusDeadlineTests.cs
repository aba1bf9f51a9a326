using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Sip.Contracts.Case;
using Sip.Contracts.Meetings;
using Sip.MeetingScheduling.Domain;
using Sip.MeetingScheduling.Infrastructure;
using Sip.Messaging;
using Sip.Testing;

namespace Sip.MeetingScheduling.Tests.Service;

/// <summary>
/// LUS deadlines (SIP-DOMAIN §7) fire by themselves, once each, from the discharge facts the case service publishes and the
/// summons and meetings this service records: the three tracks, on a clock the test moves.
/// </summary>
public sealed class LusDeadlineTests(MeetingServiceHost host) : IClassFixture<MeetingServiceHost>
{
    private static readonly Guid Avdelning = Guid.NewGuid();
    private static readonly Guid Vardcentral = Guid.NewGuid();
    private static readonly Guid Socialtjanst = Guid.NewGuid();
    private static readonly DateTimeOffset Admitted = new(2026, 5, 4, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Ready = Admitted.AddDays(5);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<TestCase> OpenAsync()
    {
        var c = host.Cases.Add(new TestCase(Guid.NewGuid(), $"SIP-2026-{Random.Shared.Next(100000, 999999)}",
            [(Vardcentral, "Vårdcentralen Norrby", "Region"), (Socialtjanst, "Socialtjänsten Mölndal", "Municipality"), (Avdelning, "Avdelning 12", "Region")], true));
        await host.PublishAsync(new CaseOpened(Guid.NewGuid(), Admitted, MeetingServiceHost.Tenant, c.CaseId, c.Reference, Vardcentral, "1481", "Urgent"));
        return c;
    }

    private Task RecordAsync(TestCase c, string track, DateTimeOffset? ready, DateTimeOffset? discharged, DateTimeOffset at) =>
        host.PublishAsync(new DischargeRecorded(Guid.NewGuid(), at, MeetingServiceHost.Tenant, c.CaseId, c.Reference, "1481", track, Admitted, ready, discharged, Vardcentral));

    private Task<List<ScheduledEvent>> TimersAsync(TestCase c) =>
        host.QueryAsync(db => db.Set<ScheduledEvent>().AsNoTracking().Where(t => t.Key.StartsWith($"lus/{c.CaseId}/")).ToListAsync(Ct));

    private async Task<Guid> BookPlanningAsync(TestCase c, DateTimeOffset startsAt) =>
        (await (await host.Staff(Vardcentral).PostAsJsonAsync("/api/v1/meetings", new
        {
            caseId = c.CaseId, unitId = Vardcentral, kind = "Planning", startsAt, durationMinutes = 60,
            place = new { type = "HospitalWard", details = "Avdelning 12, dagrummet" }, chair = new { name = "Anna Andersson" },
            coordinator = new { name = "Anna Andersson", unitId = Vardcentral }, reason = "Planera hemgången", summonedUnitIds = new[] { Socialtjanst },
        }, Ct)).JsonAsync(HttpStatusCode.Created)).GetProperty("meeting").GetProperty("meetingId").GetGuid();

    private Task<HttpResponseMessage> HoldAsync(Guid meetingId, DateTimeOffset heldAt) =>
        host.Staff(Vardcentral).PostAsJsonAsync($"/api/v1/meetings/{meetingId}/held", new
        {
            unitId = Vardcentral, heldAt,
            participants = new object[] { new { name = "Anna Andersson", mode = "InPerson", unitId = Vardcentral }, new { name = "Erik Ek", mode = "Video", unitId = Socialtjanst } },
        }, Ct);

    /// <summary>Lets <paramref name="change"/> save, in a context of its own, just before the service's first save that <paramref name="when"/> matches.</summary>
    private async Task<int> RacingAsync(Func<DbContext, bool> when, Func<MeetingDbContext, Task> change, Func<Task> request)
    {
        var raced = 0;
        host.BeforeSave = async context =>
        {
            if (when(context) && Interlocked.Exchange(ref raced, 1) == 0)
            {
                await host.QueryAsync(async db =>
                {
                    await change(db);
                    return await db.SaveChangesAsync(Ct);
                });
            }
        };
        try
        {
            await request();
        }
        finally
        {
            host.BeforeSave = null;
        }
        return raced;
    }

    private async Task<TestCase> WatchedAsync()
    {
        var c = await OpenAsync();
        await RecordAsync(c, "Red", Ready, null, Ready.AddHours(1));
        await Eventually.HoldsAsync(async () => await host.QueryAsync(db => db.DischargeWatches.AnyAsync(w => w.CaseId == c.CaseId, Ct)), TimeSpan.FromSeconds(20),
            "the case is watched");
        return c;
    }

    /// <summary>What DischargeRecordedConsumer does with a newer record: the watch's row version moves.</summary>
    private static async Task NewerRecordAsync(MeetingDbContext db, TestCase c) =>
        (await db.DischargeWatches.SingleAsync(w => w.CaseId == c.CaseId, Ct)).Record("Yellow", Ready, null, Vardcentral, Ready.AddHours(2));

    private Task<DischargeWatch> WatchAsync(TestCase c) => host.QueryAsync(db => db.DischargeWatches.AsNoTracking().SingleAsync(w => w.CaseId == c.CaseId, Ct));

    [Fact]
    public async Task Red_track_a_discharge_without_a_meeting_is_a_breach_told_once_and_a_summons_after_three_days_is_late()
    {
        host.Clock.Now = Ready.AddHours(1);
        var breached = await host.ListenAsync<LusDeadlineBreached>();
        var c = await OpenAsync();
        await RecordAsync(c, "Red", Ready, null, Ready);
        await Eventually.HoldsAsync(async () => (await TimersAsync(c)).Any(t => t.Key.Contains("/Summons/breached/")), TimeSpan.FromSeconds(20), "the summons deadline is set");

        host.Clock.Now = Ready.AddDays(3).AddMinutes(1);
        var summons = await breached.WaitForAsync(m => m.GetProperty("caseId").GetGuid() == c.CaseId && m.GetProperty("obligation").GetString() == "Summons");
        Assert.Equal(Vardcentral, summons.GetProperty("owedByUnitId").GetGuid());

        var discharged = Ready.AddDays(4);
        host.Clock.Now = discharged.AddHours(1);
        await RecordAsync(c, "Red", Ready, discharged, discharged);
        var meeting = await breached.WaitForAsync(m => m.GetProperty("caseId").GetGuid() == c.CaseId && m.GetProperty("obligation").GetString() == "MeetingBeforeDischarge");
        Assert.Equal(discharged, meeting.GetProperty("dueAt").GetDateTimeOffset());

        // The same record again changes nothing: each breach was told once.
        await RecordAsync(c, "Red", Ready, discharged, discharged.AddMinutes(5));
        await Eventually.HoldsAsync(async () => await host.QueryAsync(db => db.DischargeWatches.AnyAsync(w => w.CaseId == c.CaseId && w.RecordedAt == discharged.AddMinutes(5), Ct)),
            TimeSpan.FromSeconds(20), "the later record is taken");
        Assert.Equal(2, (await TimersAsync(c)).Count(t => t.FiredAt is not null && t.Key.Contains("/breached/")));
    }

    [Fact]
    public async Task Green_track_a_summons_within_three_days_and_a_meeting_within_four_weeks_leave_nothing_to_tell()
    {
        host.Clock.Now = Ready.AddHours(2);
        var c = await OpenAsync();
        await RecordAsync(c, "Green", Ready, null, Ready.AddHours(1));
        await Eventually.HoldsAsync(async () => (await TimersAsync(c)).Any(t => t.IsPending), TimeSpan.FromSeconds(20), "the summons deadline is set");

        await BookPlanningAsync(c, Ready.AddDays(10));
        Assert.All(await TimersAsync(c), t => Assert.False(t.IsPending));

        var discharged = Ready.AddDays(2);
        host.Clock.Now = discharged.AddHours(1);
        await RecordAsync(c, "Green", Ready, discharged, discharged);
        await Eventually.HoldsAsync(async () => (await TimersAsync(c)).Any(t => t.IsPending && t.Key.Contains("MeetingAfterDischarge/breached")), TimeSpan.FromSeconds(20),
            "the four-week deadline is set");
        var due = (await TimersAsync(c)).Single(t => t.IsPending && t.Key.Contains("MeetingAfterDischarge/breached")).DueAt;
        Assert.Equal(discharged.AddDays(28), due);
    }

    [Fact]
    public async Task Yellow_track_without_a_meeting_warns_a_week_before_and_breaches_four_weeks_after_discharge()
    {
        var discharged = Ready.AddDays(1);
        host.Clock.Now = discharged.AddHours(1);
        var approaching = await host.ListenAsync<LusDeadlineApproaching>();
        var breached = await host.ListenAsync<LusDeadlineBreached>();
        var c = await OpenAsync();
        await BookPlanningAsync(c, discharged.AddDays(40));
        await RecordAsync(c, "Yellow", Ready, discharged, discharged);
        await Eventually.HoldsAsync(async () => (await TimersAsync(c)).Any(t => t.IsPending && t.Key.Contains("MeetingAfterDischarge")), TimeSpan.FromSeconds(20), "the deadline is set");
        Assert.DoesNotContain(await TimersAsync(c), t => t.Key.Contains("/Summons/"));

        host.Clock.Now = discharged.AddDays(21).AddMinutes(1);
        var warning = await approaching.WaitForAsync(m => m.GetProperty("caseId").GetGuid() == c.CaseId);
        Assert.Equal("MeetingAfterDischarge", warning.GetProperty("obligation").GetString());
        host.Clock.Now = discharged.AddDays(28).AddMinutes(1);
        var breach = await breached.WaitForAsync(m => m.GetProperty("caseId").GetGuid() == c.CaseId);
        Assert.Equal(discharged.AddDays(28), breach.GetProperty("dueAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Two_discharge_records_of_one_case_arriving_at_once_leave_the_newer_one()
    {
        host.Clock.Now = Ready.AddHours(3);
        var c = await OpenAsync();
        var older = Ready.AddHours(1);
        var newer = Ready.AddHours(2);
        await Task.WhenAll(RecordAsync(c, "Green", Ready, null, older), RecordAsync(c, "Yellow", Ready, null, newer),
            RecordAsync(c, "Green", Ready, null, older.AddMinutes(-30)));
        await Eventually.HoldsAsync(async () => await host.QueryAsync(db => db.DischargeWatches.AnyAsync(w => w.CaseId == c.CaseId && w.RecordedAt == newer, Ct)),
            TimeSpan.FromSeconds(30), "the newer record wins");
        var watch = await host.QueryAsync(db => db.DischargeWatches.AsNoTracking().SingleAsync(w => w.CaseId == c.CaseId, Ct));
        Assert.Equal("Yellow", watch.Track);
    }

    [Fact]
    public async Task A_planning_meeting_booked_while_a_discharge_record_changes_the_watch_is_booked_and_both_changes_kept()
    {
        host.Clock.Now = Ready.AddHours(4);
        var c = await WatchedAsync();

        var raced = await RacingAsync(context => context.ChangeTracker.Entries().Any(e => e.State == EntityState.Added && e.Entity is Meeting m && m.CaseId == c.CaseId),
            db => NewerRecordAsync(db, c), () => BookPlanningAsync(c, Ready.AddDays(1)));

        Assert.Equal(1, raced);
        var watch = await WatchAsync(c);
        Assert.Equal(("Yellow", Ready.AddHours(2)), (watch.Track, watch.RecordedAt));
        Assert.NotNull(watch.FirstPlanningSummonsAt);
        Assert.Equal(1, await host.QueryAsync(db => db.Meetings.CountAsync(m => m.CaseId == c.CaseId, Ct)));
    }

    [Fact]
    public async Task A_meeting_held_while_a_discharge_record_changes_the_watch_is_held_but_one_someone_moved_meanwhile_is_refused()
    {
        host.Clock.Now = Ready.AddHours(4);
        var c = await WatchedAsync();
        var meetingId = await BookPlanningAsync(c, Ready.AddHours(5));
        host.Clock.Now = Ready.AddHours(8);
        bool Holding(DbContext context) => context.ChangeTracker.Entries<Meeting>().Any(e => e.State == EntityState.Modified && e.Entity.Id == meetingId);

        // Moved by someone else between the read and the save: a real conflict, answered 409, nothing of the holding saved.
        var moved = await RacingAsync(Holding, async db =>
        {
            var m = await db.Meetings.SingleAsync(x => x.Id == meetingId, Ct);
            m.Reschedule(Ready.AddHours(9), 60, m.Place, host.Clock.Now);
        }, async () => Assert.Equal(HttpStatusCode.Conflict, (await HoldAsync(meetingId, Ready.AddHours(5))).StatusCode));
        Assert.Equal(1, moved);
        Assert.Null((await WatchAsync(c)).FirstMeetingHeldAt);

        // Only the watch changed meanwhile (the consumer of a newer discharge record): held on the watch as it is now.
        host.Clock.Now = Ready.AddHours(11);
        var raced = await RacingAsync(Holding, db => NewerRecordAsync(db, c),
            async () => await (await HoldAsync(meetingId, Ready.AddHours(9))).JsonAsync(HttpStatusCode.OK));
        Assert.Equal(1, raced);
        var watch = await WatchAsync(c);
        Assert.Equal(("Yellow", Ready.AddHours(9)), (watch.Track, watch.FirstMeetingHeldAt));
        Assert.Equal(MeetingStatus.Held, (await host.QueryAsync(db => db.Meetings.AsNoTracking().SingleAsync(m => m.Id == meetingId, Ct))).Status);
    }
}
